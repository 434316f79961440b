import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import type { MatrixAxisItem } from '../domain/analysis'
import { axisItem, matrixOf } from './matrix-fixture'
import { cellOpacity, matrixSvg } from './matrix-svg'

const HOSTILE = '</text><script>alert(1)</script><text onload="alert(2)">&amp; \'x\''

const item = (id: string, label: string, color = '#0072b2', depth = 0, publishedAt?: string | null): MatrixAxisItem => axisItem(id, label, { color, depth, publishedAt })

/** Parses as XML (not HTML): a malformed document throws instead of being repaired. */
function parseSvg(svg: string): Document {
  const { document } = new JSDOM(svg, { contentType: 'image/svg+xml' }).window
  expect(document.getElementsByTagName('parsererror')).toHaveLength(0)
  return document
}

const ROWS = [item('us', 'US stance', '#0072b2'), item('ru', 'Russian stance', '#d55e00'), item('rej', 'Rejects', '#d55e00', 1), item('eu', 'EU stance', '#009e73')]
const COLUMNS = [item('cease', 'Ceasefire and territory', '#56b4e9'), item('nato', 'NATO membership', '#cc79a7'), item('sanctions', 'Sanctions', '#8c6d31')]
const COUNTS = [
  [1, 0, 3],
  [7, 2, 0],
  [2, 1, 0],
  [0, 0, 5]
]

describe('matrixSvg', () => {
  const svg = matrixSvg(matrixOf(ROWS, COLUMNS, COUNTS), { title: 'Stances × issues', subtitle: '21 coded passages in 3 articles' })
  const doc = parseSvg(svg)
  const root = doc.documentElement

  it('is a self-contained, sized and accessible SVG document', () => {
    expect(root.tagName).toBe('svg')
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg')
    const [width, height] = [Number(root.getAttribute('width')), Number(root.getAttribute('height'))]
    expect(width).toBeGreaterThan(300)
    expect(height).toBeGreaterThan(200)
    expect(root.getAttribute('viewBox')).toBe(`0 0 ${width} ${height}`)
    expect(root.getAttribute('role')).toBe('img')
    expect(root.getAttribute('font-family')).toMatch(/^Inter, 'Noto Sans', .*sans-serif$/)
    const [titleId, descId] = root.getAttribute('aria-labelledby')!.split(' ')
    expect(doc.getElementById(titleId!)?.textContent).toBe('Stances × issues')
    expect(doc.getElementById(descId!)?.textContent).toMatch(/4 stances by 3 issues; 21 passages .* largest cell holds 7 passages/)
    // Nothing is fetched: no links, images, scripts or styles that could load anything.
    expect(svg).not.toMatch(/href|<image|<script|<style|url\(/)
  })

  it('shows every label, count and total as text', () => {
    const texts = [...doc.getElementsByTagName('text')].map((t) => t.lastChild?.textContent ?? '')
    for (const label of ['Stances × issues', 'US stance', 'Rejects', 'Ceasefire and territory', 'Sanctions', 'Total']) expect(texts).toContain(label)
    // Row totals (4, 9, 3, 5), column totals (10, 3, 8), the passages in scope (21).
    for (const n of ['4', '9', '3', '5', '10', '8', '21']) expect(texts).toContain(n)
    expect(texts.some((t) => /21 passages with a stance code · 3 articles/.test(t))).toBe(true)
  })

  it('fills cells with the row colour more strongly the larger the count, and outlines empty cells', () => {
    const cells = [...doc.getElementsByTagName('g')]
      .map((g) => ({ rect: g.getElementsByTagName('rect')[0], count: Number(g.getElementsByTagName('text')[0]?.textContent) }))
      .filter((c): c is { rect: SVGRectElement; count: number } => c.rect !== undefined && c.count > 0)
    expect(cells.map((c) => c.count).sort((a, b) => a - b)).toEqual([1, 1, 2, 2, 3, 5, 7])
    const russian = cells.filter((c) => c.rect.getAttribute('fill') === '#d55e00')
    expect(russian.length).toBe(4)
    const opacityOf = (count: number) => Number(russian.find((c) => c.count === count)!.rect.getAttribute('fill-opacity'))
    expect(opacityOf(1)).toBeLessThan(opacityOf(2))
    expect(opacityOf(2)).toBeLessThan(opacityOf(7))
    expect(opacityOf(7)).toBe(1)
    const outlines = [...doc.getElementsByTagName('rect')].filter((r) => r.getAttribute('stroke') && r.getAttribute('fill') === '#ffffff')
    expect(outlines).toHaveLength(COUNTS.flat().filter((n) => n === 0).length)
    expect(cellOpacity(0, 7)).toBe(0)
    expect(cellOpacity(3, 0)).toBe(0)
  })

  it('prints counts in white on strong fills and in dark ink on pale ones', () => {
    const textOf = (count: string) => [...doc.getElementsByTagName('g')].find((g) => g.getElementsByTagName('rect')[0]?.getAttribute('fill') === '#0072b2' && g.getElementsByTagName('text')[0]?.textContent === count)!.getElementsByTagName('text')[0]!
    expect(textOf('1').getAttribute('fill')).toBe('#1b1b1f')
    const strong = matrixSvg(matrixOf([item('us', 'US stance', '#0072b2')], [item('c', 'C')], [[9]]), { title: 'T' })
    const cell = [...parseSvg(strong).getElementsByTagName('g')].find((g) => g.getElementsByTagName('rect')[0]?.hasAttribute('fill-opacity'))!.getElementsByTagName('text')[0]!
    expect(cell.getAttribute('fill')).toBe('#ffffff')
  })

  it('keeps hostile labels as text, and neutralizes colours that are not #rrggbb', () => {
    const hostile = matrixSvg(matrixOf([item('x', HOSTILE, '" onmouseover="alert(3)'), item('y', 'Ctrl\u0001\u0007 chars\uD800 here')], [item('c', HOSTILE)], [[2], [1]]), { title: HOSTILE, subtitle: HOSTILE })
    const parsed = parseSvg(hostile)
    expect(parsed.getElementsByTagName('script')).toHaveLength(0)
    for (const element of [...parsed.getElementsByTagName('*')]) {
      for (const attribute of [...element.attributes]) expect(attribute.name).not.toMatch(/^on/)
    }
    expect(parsed.documentElement.textContent).toContain('</text><script>alert(1)</script>')
    expect([...parsed.getElementsByTagName('rect')].some((r) => r.getAttribute('fill') === '#888888')).toBe(true)
    expect(parsed.documentElement.textContent).toContain('Ctrl chars here')
  })

  it('cuts long labels with an ellipsis and gives the whole label in a <title>', () => {
    const long = 'Ukrainian stance on the sequencing of a ceasefire, security guarantees and elections'
    const issue = 'Minerals, reconstruction and the future of the investment fund for Ukraine'
    const parsed = parseSvg(matrixSvg(matrixOf([item('u', long, '#e6b400'), item('s', 'Sub', '#e6b400', 1)], [item('i', issue)], [[3], [1]]), { title: 'T' }))
    const cut = [...parsed.getElementsByTagName('text')].filter((t) => t.lastChild?.textContent?.endsWith('…'))
    expect(cut).toHaveLength(2)
    expect(cut.map((t) => t.getElementsByTagName('title')[0]?.textContent).sort()).toEqual([issue, long])
    expect(cut.every((t) => (t.lastChild?.textContent?.length ?? 0) < 40)).toBe(true)
  })

  it('labels article columns with title and date', () => {
    const parsed = parseSvg(matrixSvg(matrixOf([item('us', 'US stance')], [item('a1', 'Talks in Riyadh', '#6b7280', 0, '2025-02-18')], [[2]], { columns: 'articles' }), { title: 'Stances × articles', heading: false }))
    const head = [...parsed.getElementsByTagName('text')].find((t) => t.textContent?.endsWith('Talks in Riyadh'))!
    expect([...head.getElementsByTagName('tspan')].map((t) => t.textContent)).toEqual(['2025-02-18', 'Talks in Riyadh'])
    // Without the heading the title is still the picture's accessible name, but is not drawn.
    expect([...parsed.getElementsByTagName('text')].some((t) => t.textContent === 'Stances × articles')).toBe(false)
    expect(parsed.getElementsByTagName('title')[0]?.textContent).toBe('Stances × articles')
  })

  it('says "No coded passages" for an empty matrix', () => {
    for (const empty of [matrixOf([], [], []), matrixOf(ROWS, [], ROWS.map(() => [])), matrixOf(ROWS, COLUMNS, COUNTS.map((r) => r.map(() => 0)))]) {
      const parsed = parseSvg(matrixSvg(empty, { title: 'Stances × issues' }))
      const texts = [...parsed.getElementsByTagName('text')].map((t) => t.textContent)
      expect(texts).toContain('No coded passages')
      expect(parsed.getElementsByTagName('desc')[0]?.textContent).toMatch(/^No coded passages/)
      expect(Number(parsed.documentElement.getAttribute('width'))).toBeGreaterThan(300)
    }
  })
})
