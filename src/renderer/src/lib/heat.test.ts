import { describe, expect, it } from 'vitest'
import { contrast, heat, mix } from './heat'

describe('heat', () => {
  it('leaves empty cells plain', () => {
    expect(heat('#d55e00', '#ffffff', 0, 5)).toBeNull()
    expect(heat('#d55e00', '#ffffff', 3, 0)).toBeNull()
  })

  it('grows from a faint tint to the full colour as the count nears the maximum', () => {
    const faint = heat('#0072b2', '#ffffff', 1, 10)!
    const full = heat('#0072b2', '#ffffff', 10, 10)!
    expect(full.fill).toBe('#0072b2')
    expect(contrast(faint.fill, '#ffffff')).toBeLessThan(contrast(full.fill, '#ffffff'))
    expect(faint.fill).not.toBe('#ffffff')
  })

  it('picks readable text on every fill, on light and dark backgrounds', () => {
    for (const color of ['#0072b2', '#d55e00', '#e6b400', '#009e73', '#56b4e9', '#7b3294']) {
      for (const base of ['#ffffff', '#1e2227']) {
        for (let count = 1; count <= 8; count++) {
          const cell = heat(color, base, count, 8)!
          expect(contrast(cell.fill, cell.text)).toBeGreaterThanOrEqual(3.5)
        }
      }
    }
  })

  it('mixes channel by channel', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080')
    expect(mix('#ff0000', '#0000ff', 0)).toBe('#0000ff')
  })
})
