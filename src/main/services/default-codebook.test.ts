import { describe, expect, it } from 'vitest'
import { DEFAULT_GROUPS, DEFAULT_ISSUES, DEFAULT_STANCES } from './default-codebook'

// Colour-vision simulation (Machado, Oliveira & Fernandes 2009, severity 1) in linear RGB, then CIELAB distance.
const SIMULATIONS: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]]
}

const linear = (channel: number): number => (channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4)
const rgb = (hex: string): number[] => [1, 3, 5].map((i) => linear(parseInt(hex.slice(i, i + 2), 16) / 255))
const luminance = ([r, g, b]: number[]): number => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!

function lab([r, g, b]: number[]): number[] {
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116)
  const x = f((0.4124 * r! + 0.3576 * g! + 0.1805 * b!) / 0.95047)
  const y = f(0.2126 * r! + 0.7152 * g! + 0.0722 * b!)
  const z = f((0.0193 * r! + 0.1192 * g! + 0.9505 * b!) / 1.08883)
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)]
}

const simulate = (color: number[], matrix: number[][]): number[] =>
  matrix.map((row) => Math.min(1, Math.max(0, row[0]! * color[0]! + row[1]! * color[1]! + row[2]! * color[2]!)))

describe('default codebook', () => {
  it('has the four stances on keys 1–4', () => {
    expect(DEFAULT_STANCES.map((c) => [c.name, c.shortcut])).toEqual([
      ['US stance', '1'],
      ['Russian stance', '2'],
      ['Ukrainian stance', '3'],
      ['EU stance', '4']
    ])
  })

  it.each(Object.keys(SIMULATIONS))('keeps its colours apart with %s colour vision', (vision) => {
    const colors = DEFAULT_STANCES.map((c) => lab(simulate(rgb(c.color), SIMULATIONS[vision]!)))
    for (let i = 0; i < colors.length; i++) {
      for (let j = i + 1; j < colors.length; j++) {
        const [a, b] = [colors[i]!, colors[j]!]
        // ΔE*ab above 20 reads as clearly different colours side by side.
        expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!)).toBeGreaterThan(20)
      }
    }
  })

  it('stands out against both the light and the dark reading background', () => {
    for (const background of ['#fbfaf7', '#17191d']) {
      const bg = luminance(rgb(background))
      for (const code of DEFAULT_STANCES) {
        const fg = luminance(rgb(code.color))
        const contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
        expect(contrast, `${code.name} on ${background}`).toBeGreaterThan(1.8)
      }
    }
  })

  it('groups the stances and the issues, keys 5–9 on the first five issues, every code with a dictionary', () => {
    expect(DEFAULT_GROUPS.map((g) => [g.name, g.groupKind, g.codes.length])).toEqual([
      ['Stances', 'stance', 4],
      ['Issues', 'issue', 6]
    ])
    expect(DEFAULT_ISSUES.map((c) => c.shortcut)).toEqual(['5', '6', '7', '8', '9', null])
    for (const code of [...DEFAULT_STANCES, ...DEFAULT_ISSUES]) expect(code.dictionary?.length, code.name).toBeGreaterThanOrEqual(3)
  })

  it('keeps every issue colour apart from the others and from the stances (normal vision)', () => {
    const all = [...DEFAULT_STANCES, ...DEFAULT_ISSUES].map((c) => ({ name: c.name, lab: lab(rgb(c.color)) }))
    for (let i = 0; i < all.length; i++) {
      for (let j = Math.max(i + 1, DEFAULT_STANCES.length); j < all.length; j++) {
        const [a, b] = [all[i]!.lab, all[j]!.lab]
        expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!), `${all[i]!.name} vs ${all[j]!.name}`).toBeGreaterThan(12)
      }
    }
  })
})
