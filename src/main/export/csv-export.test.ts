import { describe, expect, it } from 'vitest'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { Note } from '../../shared/domain/note'
import type { NoteDoc } from '../../shared/domain/note-doc'
import { parseCsv } from '../../shared/export/csv-reader'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'
import { CSV_COLUMNS, csvCell, exportCsv } from './csv-export'
import { articleOf as fixtureArticle, codeOf, highlightOf as fixtureHighlight, noteOf as fixtureNote } from './export-fixtures'

const T1 = '2025-02-19T10:15:00.000Z'

const US = codeOf('c-us', 'US', null)
const RU = codeOf('c-ru', 'Russia, official', null)
const LAVROV = codeOf('c-lavrov', '=Lavrov', 'c-ru')
const EU = codeOf('c-eu', 'EU', null)

const articleOf = (id: string, title: string, paragraphs: string[], meta: Partial<Article> = {}): Article =>
  fixtureArticle(id, title, paragraphs, { outlet: 'Wire, "Daily"', wordCount: 0, ...meta })
const highlightOf = (article: Article, id: string, exact: string, codes: Code[]): Highlight => fixtureHighlight(article, id, exact, codes, { updatedAt: T1 })
const noteOf = (id: string, highlight: Highlight, doc: NoteDoc): Note => fixtureNote(id, doc, { highlightId: highlight.id }, { plain: 'stale plain text' })

const riyadh = articleOf('a-riyadh', '=HYPERLINK("http://evil.example") Лавров 🇺🇦', [
  'Zelenskyy 🇺🇦 said “Nothing about Ukraine without Ukraine,” and Лавров disagreed.',
  'He said "no, never", and left.',
  '=SUM(1) +1 -2 @x \tTAB'
])
const h1 = highlightOf(riyadh, 'h-1', 'Nothing about Ukraine without Ukraine', [US, RU])
const h2 = highlightOf(riyadh, 'h-2', 'Ukraine,” and Лавров', [LAVROV, RU])
const h3 = highlightOf(riyadh, 'h-3', 'disagreed.\n\nHe said "no, never", and left.', [US])
const guarded = ['=SUM(1)', '+1', '-2', '@x', '\tTAB'].map((exact, i) => highlightOf(riyadh, `h-g${i}`, exact, [EU]))

const h1Note = noteOf('n-1', h1, {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Kyiv’s ' },
        { type: 'text', text: 'red line', marks: [{ type: 'bold' }] },
        { type: 'text', text: ', see ' },
        { type: 'text', text: 'readout', marks: [{ type: 'link', attrs: { href: 'https://example.org/r' } }] }
      ]
    },
    {
      type: 'bulletList',
      content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'echoes ' }, { type: 'quoteChip', attrs: { highlightId: 'h-2', quote: 'stale' } }] }] }]
    }
  ]
})
const emptyNote = noteOf('n-3', h3, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '  ' }] }] })
const formulaNote = noteOf('n-g', guarded[0] as Highlight, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '@SUM(A1)' }] }] })

const riyadhEntry: ExportArticle = {
  article: riyadh,
  highlights: [h1, h2, h3, ...guarded],
  notes: { [h1.id]: h1Note, [h3.id]: emptyNote, [(guarded[0] as Highlight).id]: formulaNote },
  memo: null
}
const munich = articleOf('a-munich', 'Munich', ['Free speech, said the vice-president.'], { outlet: null, publishedAt: null })
const munichEntry: ExportArticle = { article: munich, highlights: [highlightOf(munich, 'h-m', 'Free speech', [US])], notes: {}, memo: null }

const bundle: ExportBundle = {
  articles: [riyadhEntry, munichEntry],
  codes: [US, RU, LAVROV, EU],
  analyst: 'Ana',
  exportedAt: '2025-03-01T12:30:00.000Z',
  app: { name: 'Stance', version: '1.4.0' }
}

/** What a cell should hold once written: the guard apostrophe where a spreadsheet could see a formula. */
const guard = (value: string): string => (/^[=+\-@\t\r]|^\s+[=+\-@]/.test(value) ? `'${value}` : value)

const parse = (csv: string): { header: string[]; rows: Record<string, string>[] } => {
  expect(csv.startsWith('\uFEFF')).toBe(true)
  const [header, ...rows] = parseCsv(csv.slice(1))
  if (!header) throw new Error('no header')
  return { header, rows: rows.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? '<missing>']))) }
}

describe('exportCsv', () => {
  const csv = exportCsv(bundle, {})
  const { header, rows } = parse(csv)

  it('writes a BOM, the header row and CRLF-terminated records', () => {
    expect(header).toEqual([...CSV_COLUMNS])
    expect(header).toEqual(['article_id', 'article_title', 'outlet', 'published', 'code', 'code_parent', 'quote', 'note', 'start', 'end', 'highlight_id', 'created', 'updated'])
    expect(csv.startsWith('\uFEFFarticle_id,article_title,')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    for (const row of rows) expect(Object.keys(row)).toHaveLength(13)
  })

  it('has one row per highlight and code, codes in codebook order', () => {
    const highlights = bundle.articles.flatMap((entry) => entry.highlights)
    expect(rows).toHaveLength(highlights.reduce((sum, h) => sum + h.codeIds.length, 0))
    expect(rows).toHaveLength(11)
    expect(rows.map((row) => `${row['highlight_id']}:${row['code']}`)).toEqual([
      'h-1:US',
      'h-1:Russia, official',
      "h-2:Russia, official",
      "h-2:'=Lavrov",
      'h-3:US',
      'h-g0:EU',
      'h-g1:EU',
      'h-g2:EU',
      'h-g3:EU',
      'h-g4:EU',
      'h-m:US'
    ])
  })

  it('round-trips every cell exactly, apart from the guard apostrophe', () => {
    const parents = new Map(bundle.codes.map((c) => [c.id as string, c.name]))
    const expected = bundle.articles.flatMap(({ article, highlights }) =>
      highlights.flatMap((h) =>
        bundle.codes
          .filter((c) => h.codeIds.includes(c.id))
          .map((c) => ({
            article_id: article.id,
            article_title: article.title,
            outlet: article.outlet ?? '',
            published: article.publishedAt ?? '',
            code: c.name,
            code_parent: c.parentId ? (parents.get(c.parentId) ?? '') : '',
            quote: h.exact,
            start: String(h.start),
            end: String(h.end),
            highlight_id: h.id,
            created: h.createdAt,
            updated: h.updatedAt
          }))
      )
    )
    expect(rows.map(({ note: _note, ...rest }) => rest)).toEqual(expected.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, guard(value)]))))
  })

  it('keeps quotes with double quotes, commas, line breaks, Cyrillic and emoji intact', () => {
    const h3Row = rows.find((row) => row['highlight_id'] === 'h-3')
    expect(h3Row?.['quote']).toBe('disagreed.\n\nHe said "no, never", and left.')
    expect(csv).toContain('"disagreed.\n\nHe said ""no, never"", and left."')
    expect(rows[2]?.['quote']).toBe('Ukraine,” and Лавров')
    expect(rows[0]?.['article_title']).toBe('\'=HYPERLINK("http://evil.example") Лавров 🇺🇦')
    expect(rows[0]?.['outlet']).toBe('Wire, "Daily"')
  })

  it('guards cells a spreadsheet would evaluate', () => {
    expect(rows.filter((row) => row['code'] === 'EU').map((row) => row['quote'])).toEqual(["'=SUM(1)", "'+1", "'-2", "'@x", "'\tTAB"])
    expect(rows.find((row) => row['highlight_id'] === 'h-g0')?.['note']).toBe("'@SUM(A1)")
  })

  it('writes offsets in code points as plain numbers', () => {
    expect(rows[0]).toMatchObject({ start: '19', end: '56' })
    expect(csv).toContain(',19,56,h-1,')
  })

  it('fills the note column with the note as plain text, quote chips showing current words', () => {
    expect(rows[0]?.['note']).toBe('Kyiv’s red line, see readout\n- echoes “Ukraine,” and Лавров”')
    expect(rows[1]?.['note']).toBe(rows[0]?.['note'])
    // An empty (whitespace-only) note and a highlight without one both give an empty cell.
    expect(rows.find((row) => row['highlight_id'] === 'h-3')?.['note']).toBe('')
    expect(rows.find((row) => row['highlight_id'] === 'h-2')?.['note']).toBe('')
  })

  it('writes the code parent by name', () => {
    expect(rows.find((row) => row['code'] === "'=Lavrov")?.['code_parent']).toBe('Russia, official')
    expect(rows[0]?.['code_parent']).toBe('')
  })

  it('keeps only the chosen codes', () => {
    const filtered = parse(exportCsv(bundle, { codeIds: [RU.id, LAVROV.id] })).rows
    expect(filtered.map((row) => `${row['highlight_id']}:${row['code']}`)).toEqual(['h-1:Russia, official', 'h-2:Russia, official', "h-2:'=Lavrov"])
  })

  it('leaves the note column empty when includeNotes is false', () => {
    const withoutNotes = parse(exportCsv(bundle, { includeNotes: false }))
    expect(withoutNotes.header).toContain('note')
    expect(withoutNotes.rows.every((row) => row['note'] === '')).toBe(true)
    expect(withoutNotes.rows).toHaveLength(11)
  })

  it('writes the header alone for an empty export', () => {
    expect(exportCsv({ ...bundle, articles: [] }, {})).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)
  })

  it('is deterministic', () => {
    expect(exportCsv(bundle, {})).toBe(csv)
  })
})

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ['Лавров 🇺🇦', 'Лавров 🇺🇦'],
    ['=SUM(1)', "'=SUM(1)"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=1,2', `"'=1,2"`],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['  =1+1', "'  =1+1"],
    ['\n@x', `"'\n@x"`],
    ['a=1', 'a=1'],
    ["'quoted'", "'quoted'"],
    ['2025-02-18', '2025-02-18']
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })
})
