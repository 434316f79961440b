import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import type { StanceMatrix } from '../../../shared/domain/analysis'
import type { Article } from '../../../shared/domain/article'
import type { ArticleDoc } from '../../../shared/domain/article-doc'
import { canonicalText } from '../../../shared/domain/canonical-text'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import type { ExportBundle } from '../../../shared/export/export-bundle'
import { codeOf } from '../export-fixtures'
import { buildPdfDocument, PRINT_CSP } from './export-document'

const HOSTILE = '<img src=x onerror="alert(1)"></p><script>alert(2)</script>'


function bundle(doc: ArticleDoc, ranges: { start: number; end: number; codes: string[] }[]): ExportBundle {
  const text = canonicalText(doc)
  const chars = Array.from(text)
  const article = { id: 'a1' as ArticleId, title: `Title ${HOSTILE}`, outlet: HOSTILE, author: null, publishedAt: '2025-02-17', sourceUrl: 'https://example.org/?q="x"', doc, text } as unknown as Article
  const highlights: Highlight[] = ranges.map((r, i) => ({
    id: `h${i}` as HighlightId,
    articleId: article.id,
    start: r.start,
    end: r.end,
    exact: chars.slice(r.start, r.end).join(''),
    prefix: '',
    suffix: '',
    orphaned: false,
    codeIds: r.codes as CodeId[],
    createdAt: '2025-02-17T10:00:00Z',
    updatedAt: '2025-02-17T10:00:00Z'
  }))
  return {
    articles: [{ article, highlights, notes: {}, memo: null }],
    codes: [codeOf('us', 'US stance', null, { color: '#0072b2' }), codeOf('ru', `Russian ${HOSTILE}`, null, { color: '#d55e00', sortOrder: 1 })],
    analyst: HOSTILE,
    exportedAt: '2026-11-26T12:00:00Z',
    app: { name: 'Stance', version: 'test' }
  }
}

const para = (...parts: (string | { br: true } | { b: string })[]): ArticleDoc['content'][number] => ({
  type: 'paragraph',
  content: parts.map((p) => (typeof p === 'string' ? { type: 'text' as const, text: p } : 'br' in p ? { type: 'hardBreak' as const } : { type: 'text' as const, text: p.b, marks: [{ type: 'bold' as const }] }))
})

function parse(html: string): Document {
  return new JSDOM(html).window.document
}

describe('buildPdfDocument', () => {
  const doc: ArticleDoc = {
    type: 'doc',
    content: [para('Лавров 🇷🇺 said ', { b: 'no' }, ' to it.', { br: true }, 'Next line'), { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: HOSTILE }] }, para('Second paragraph here.')]
  }
  const text = canonicalText(doc)
  const cp = (s: string) => Array.from(text.slice(0, text.indexOf(s))).length
  // Overlapping: [Лавров 🇷🇺 said no] and [said no to it.\nNext] with two codes, and one in the last paragraph.
  const ranges = [
    { start: 0, end: cp(' to it.'), codes: ['us'] },
    { start: cp('said'), end: cp(' line'), codes: ['ru', 'us'] },
    { start: cp('Second'), end: cp(' here'), codes: ['ru'] }
  ]
  const plan = buildPdfDocument(bundle(doc, ranges), { includeNotes: true, includeAppendix: true, paper: 'A4' }, '')
  const dom = parse(plan.html)

  it('escapes everything from the library: the only script is the layout script, the CSP allows only it', () => {
    expect(dom.querySelectorAll('script')).toHaveLength(1)
    expect(dom.querySelectorAll('img')).toHaveLength(0)
    expect(dom.querySelectorAll('[onerror]')).toHaveLength(0)
    expect(dom.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(PRINT_CSP)
    expect(PRINT_CSP).toMatch(/default-src 'none'/)
    expect(PRINT_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
    expect(dom.body.textContent).toContain(HOSTILE)
  })

  it('splits the text into segments whose words are exactly the highlights covering them', () => {
    const links = [...dom.querySelectorAll<HTMLAnchorElement>('a.hl')]
    expect(links).toHaveLength(plan.segments.length)
    // Concatenating the segments of each highlight, in order, gives its quote (hard breaks are "\n").
    plan.highlights.forEach((h, index) => {
      const words = links
        .filter((link) => plan.segments[Number(link.href.slice(plan.linkPrefix.length + 2))]?.includes(index))
        .map((link) => link.textContent)
        .join('')
      const exact = bundleHighlight(index)
      expect(words.replace(/\n/g, '')).toBe(exact.replace(/\n/g, ''))
    })
    // The shared stretch (split again where the bold run starts) lists both highlights.
    const shared = links.filter((link) => plan.segments[Number(link.href.split('/h/')[1])]?.length === 2)
    expect(shared.map((link) => link.textContent).join('')).toBe('said no')
    expect(shared.some((link) => link.querySelector('strong')?.textContent === 'no')).toBe(true)
  })

  it('numbers markers in reading order, links them to the appendix, and lists passages under each of their codes', () => {
    const markers = [...dom.querySelectorAll('.mk a')].map((a) => a.textContent)
    expect(markers).toEqual(['1', '2', '3'])
    const groups = [...dom.querySelectorAll('.group')].map((g) => [g.querySelector('h3')?.textContent, [...g.querySelectorAll('.entry .num')].map((n) => n.textContent)])
    expect(groups).toEqual([
      ['US stance (2)', ['1', '2']],
      [`Russian ${HOSTILE} (2)`, ['2', '3']]
    ])
    for (const a of dom.querySelectorAll<HTMLAnchorElement>('.mk a')) expect(dom.getElementById(a.getAttribute('href')!.slice(1))).not.toBeNull()
    expect(plan.pageRefs).toEqual([0, 1, 1, 2])
    expect(plan.outline[0]?.children.map((c) => c.title)).toEqual(['Article text', 'Coded passages'])
  })

  it('puts the marker of a passage that starts on a paragraph break where its words begin', () => {
    const twoParas: ArticleDoc = { type: 'doc', content: [para('One.'), para('Two words.')] }
    const start = Array.from('One.').length + 1 // the second character of the "\n\n" separator
    const layout = buildPdfDocument(bundle(twoParas, [{ start, end: start + 4, codes: ['us'] }]), { includeNotes: true, includeAppendix: true, paper: 'A4' }, '')
    const second = parse(layout.html).querySelectorAll('.text p')[1]
    expect(second?.querySelector('.mk a')?.textContent).toBe('1')
    expect(second?.querySelector('a.hl')?.textContent).toBe('Two')
  })

  it('leaves the appendix and notes out when asked, and sizes the page', () => {
    const bare = buildPdfDocument(bundle(doc, ranges), { includeNotes: false, includeAppendix: false, paper: 'Letter' }, '')
    expect(parse(bare.html).querySelectorAll('.appendix')).toHaveLength(0)
    expect(bare.pageRefs).toEqual([])
    expect(bare.html).toContain('size: letter')
  })

  it('prints the matrix after the title block with a bookmark only when asked, its labels escaped', () => {
    const matrix: StanceMatrix = {
      columns: 'issues',
      rows: [{ id: 'ru', label: `Russian ${HOSTILE}`, color: '#d55e00', depth: 0 }],
      columnItems: [{ id: 'nato', label: 'NATO membership', color: '#cc79a7', depth: 0 }],
      counts: [[7]],
      rowTotals: [7],
      columnTotals: [7],
      max: 7,
      articleCount: 1,
      passageCount: 7
    }
    const withMatrix = { ...bundle(doc, ranges), matrix }
    expect(parse(buildPdfDocument(withMatrix, { includeNotes: true, includeAppendix: true, paper: 'A4' }, '').html).querySelectorAll('.matrix')).toHaveLength(0)
    const shown = buildPdfDocument(withMatrix, { includeNotes: true, includeAppendix: true, paper: 'A4', includeMatrix: true }, '')
    const page = parse(shown.html)
    const section = page.querySelector('.front + .matrix')
    expect(section?.querySelector('h2')?.textContent).toBe('Stances × issues')
    expect(section?.querySelector('svg')?.getAttribute('role')).toBe('img')
    expect([...(section?.querySelectorAll('svg text') ?? [])].map((t) => t.textContent)).toEqual(expect.arrayContaining(['7', 'NATO membership']))
    expect(section?.textContent).toContain(HOSTILE)
    expect(page.querySelectorAll('script')).toHaveLength(1)
    expect(page.querySelectorAll('img, [onerror], [onload]')).toHaveLength(0)
    expect(shown.outline[0]?.children.map((c) => c.title)).toEqual(['Stances × issues', 'Article text', 'Coded passages'])

    // Several articles in one file: the matrix of them all opens the file, with its own top-level bookmark.
    const one = bundle(doc, ranges).articles[0]!
    const two = { ...one, article: { ...one.article, id: 'a2' as ArticleId, title: 'Second' } }
    const combined = buildPdfDocument({ ...withMatrix, articles: [one, two] }, { includeNotes: true, includeAppendix: true, paper: 'A4', includeMatrix: true }, '')
    const combinedPage = parse(combined.html)
    expect(combinedPage.body.firstElementChild?.className).toBe('overview')
    expect(combinedPage.querySelectorAll('.matrix')).toHaveLength(1)
    expect(combinedPage.querySelector('.overview h1')?.textContent).toBe('2 articles')
    expect(combined.outline.map((o) => o.title)).toEqual(['Stances × issues', one.article.title, 'Second'])
  })

  function bundleHighlight(index: number): string {
    const r = ranges[index]!
    return Array.from(text).slice(r.start, r.end).join('')
  }
})
