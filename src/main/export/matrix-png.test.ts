import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { matrixSvg } from '../../shared/analysis/matrix-svg'
import type { StanceMatrix } from '../../shared/domain/analysis'
import { PNG_SCALE, svgToPng, woffToSfnt } from './matrix-png'

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

const MATRIX: StanceMatrix = {
  columns: 'issues',
  rows: [
    { id: 'us', label: 'US stance', color: '#0072b2', depth: 0 },
    { id: 'ru', label: 'Russian stance', color: '#d55e00', depth: 0 },
    { id: 'rej', label: 'Rejects', color: '#d55e00', depth: 1 }
  ],
  columnItems: [
    { id: 'cease', label: 'Ceasefire and territory', color: '#56b4e9', depth: 0 },
    { id: 'nato', label: 'NATO membership', color: '#cc79a7', depth: 0 }
  ],
  counts: [
    [3, 0],
    [5, 4],
    [1, 4]
  ],
  rowTotals: [3, 9, 5],
  columnTotals: [8, 4],
  max: 5,
  articleCount: 2,
  passageCount: 12
}

describe('svgToPng', () => {
  const svg = matrixSvg(MATRIX, { title: 'Stances × issues', subtitle: '12 coded passages in 2 articles' })
  const size = (name: 'width' | 'height') => Number(new RegExp(`${name}="(\\d+)"`).exec(svg)?.[1])
  const out = svgToPng(svg)

  it('writes a PNG at twice the SVG size', () => {
    expect([...out.png.subarray(0, 8)]).toEqual(PNG_SIGNATURE)
    const view = new DataView(out.png.buffer, out.png.byteOffset)
    expect(String.fromCharCode(...out.png.subarray(12, 16))).toBe('IHDR')
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([out.width, out.height])
    expect(out.width).toBe(size('width') * PNG_SCALE)
    expect(out.height).toBe(size('height') * PNG_SCALE)
  })

  it('draws the cells in their colours on a white ground, and the text in ink', () => {
    const pixels = out.pixels()
    const at = (x: number, y: number) => [...pixels.subarray((y * out.width + x) * 4, (y * out.width + x) * 4 + 4)]
    expect(at(1, 1)).toEqual([255, 255, 255, 255])
    let coloured = 0
    let dark = 0
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!]
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++
      if (r + g + b < 180) dark++
    }
    expect(coloured / (out.width * out.height)).toBeGreaterThan(0.02)
    // Text renders (fonts were found): the row label "US stance" has dark pixels where the SVG puts it.
    const label = /<text x="([\d.]+)" y="([\d.]+)"[^>]*>US stance</.exec(svg)!
    const [x, y] = [Math.round(Number(label[1]) * PNG_SCALE), Math.round(Number(label[2]) * PNG_SCALE)]
    let ink = 0
    for (let dy = -18; dy < 2; dy++) for (let dx = 0; dx < 120; dx++) if (at(x + dx, y + dy).slice(0, 3).reduce((a, b) => a + b, 0) < 200) ink++
    expect(ink).toBeGreaterThan(100)
    expect(dark).toBeGreaterThan(1000)
  })

  it('unpacks the bundled WOFF faces into TrueType fonts named for their typographic family', () => {
    const require = createRequire(import.meta.url)
    const file = join(dirname(require.resolve('@fontsource/inter/package.json')), 'files', 'inter-latin-600-normal.woff')
    const ttf = woffToSfnt(readFileSync(file), { family: 'Inter' })
    expect(ttf.readUInt32BE(0)).toBe(0x00010000)
    const tables = Array.from({ length: ttf.readUInt16BE(4) }, (_, i) => ttf.toString('latin1', 12 + i * 16, 16 + i * 16))
    expect(tables).toEqual(expect.arrayContaining(['OS/2', 'cmap', 'glyf', 'head', 'name']))
    expect(ttf.includes(Buffer.from('Inter', 'utf16le').swap16())).toBe(true)
    expect(() => woffToSfnt(Buffer.from('not a font at all, certainly not a WOFF one'))).toThrow(/WOFF/)
  })
})
