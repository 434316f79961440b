import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import type { Article } from '../../shared/domain/article'
import type { ArticleBlock } from '../../shared/domain/article-doc'
import type { NoteBlock, NoteInline } from '../../shared/domain/note-doc'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'
import { articleOf as fixtureArticle, codeOf, highlightOf, noteOf, paragraphOf } from './export-fixtures'
import { exportMarkdown, yamlString } from './markdown-export'

const articleOf = (id: string, title: string, blocks: ArticleBlock[], meta: Partial<Article> = {}): Article =>
  fixtureArticle(id, title, blocks, { outlet: 'Wire, Inc.', sourceUrl: 'https://example.org/riyadh?a=1&b=2', ...meta })

const EXPORTED = '2025-03-01T12:30:00.000Z'

const US = codeOf('c-us', 'US', null)
const RU = codeOf('c-ru', 'Russia', null)
const LAVROV = codeOf('c-lavrov', 'Lavrov [MFA]', 'c-ru')
const EU = codeOf('c-eu', 'EU', null)

const para = paragraphOf

const text = (value: string, ...marks: NonNullable<Extract<NoteInline, { type: 'text' }>['marks']>): NoteInline =>
  marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (...content: NoteInline[]): NoteBlock => ({ type: 'paragraph', content })


const riyadh = articleOf('a-riyadh', 'Переговоры в Эр-Рияде: "day one" 🇺🇦', [
  para('Zelenskyy 🇺🇦 said “Nothing about Ukraine without Ukraine,” and Лавров disagreed.'),
  para('# Not a heading > nor a quote *nor emphasis*'),
  para('Line one', null, '> two', null, '- three')
])
const h1 = highlightOf(riyadh, 'h-1', 'Nothing about Ukraine without Ukraine', [US, RU])
const h2 = highlightOf(riyadh, 'h-2', 'Ukraine,” and Лавров', [RU, LAVROV])
const h3 = highlightOf(riyadh, 'h-3', 'nor emphasis*\n\nLine one\n> two\n- three', [US])

const h1Note = noteOf(
  'n-1',
  {
    type: 'doc',
    content: [
      p(text('Kyiv’s '), text('red line', { type: 'bold' }), text(', see '), text('the readout', { type: 'link', attrs: { href: 'https://example.org/readout' } })),
      { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('echoes '), { type: 'quoteChip', attrs: { highlightId: 'h-2', quote: 'stale words' } })] }] },
      { type: 'heading', attrs: { level: 1 }, content: [text('Why it matters')] }
    ]
  },
  { highlightId: h1.id }
)
const h2Note = noteOf('n-2', { type: 'doc', content: [p(text('   ')), p()] }, { highlightId: h2.id })
const memo = noteOf('n-memo', { type: 'doc', content: [p(text('<script>alert(1)</script> *not bold* 1. not a list'))] }, { articleId: riyadh.id })

const riyadhEntry: ExportArticle = { article: riyadh, highlights: [h1, h2, h3], notes: { [h1.id]: h1Note, [h2.id]: h2Note }, memo }

const munich = articleOf('a-munich', 'Munich', [para('The vice-president spoke in Munich about free speech.')], { outlet: null, sourceUrl: null, publishedAt: null })
const munichEntry: ExportArticle = { article: munich, highlights: [highlightOf(munich, 'h-m', 'free speech', [EU])], notes: {}, memo: null }

const bundle = (articles: ExportArticle[], analyst = 'Ana "the analyst" Petrova'): ExportBundle => ({
  articles,
  codes: [US, RU, LAVROV, EU],
  analyst,
  exportedAt: EXPORTED,
  app: { name: 'Stance', version: '1.4.0' }
})

/** The front matter as key → JSON value; fails unless every value is a JSON literal (which YAML reads the same way). */
function frontMatter(markdown: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown)
  if (!match?.[1]) throw new Error('no front matter')
  const fields: Record<string, unknown> = {}
  for (const line of match[1].split('\n')) {
    const field = /^([a-z_]+): (.*)$/.exec(line)
    if (!field?.[1] || field[2] === undefined) throw new Error(`not a key: value line: ${line}`)
    fields[field[1]] = JSON.parse(field[2])
  }
  return fields
}

const body = (markdown: string): string => markdown.replace(/^---\n[\s\S]*?\n---\n/, '')
const render = (markdown: string): string => marked.parse(body(markdown), { async: false })

describe('exportMarkdown, one article', () => {
  const markdown = exportMarkdown(bundle([riyadhEntry]), {})

  it('starts with YAML front matter describing the article', () => {
    expect(Object.keys(frontMatter(markdown))).toEqual([
      'title',
      'outlet',
      'author',
      'published',
      'source_url',
      'article_id',
      'exported',
      'analyst',
      'codes',
      'highlights',
      'generator'
    ])
    expect(frontMatter(markdown)).toEqual({
      title: 'Переговоры в Эр-Рияде: "day one" 🇺🇦',
      outlet: 'Wire, Inc.',
      author: null,
      published: '2025-02-18',
      source_url: 'https://example.org/riyadh?a=1&b=2',
      article_id: 'a-riyadh',
      exported: EXPORTED,
      analyst: 'Ana "the analyst" Petrova',
      codes: ['US', 'Russia', 'Lavrov [MFA]'],
      highlights: 3,
      generator: 'Stance 1.4.0'
    })
    expect(markdown).toContain('title: "Переговоры в Эр-Рияде: \\"day one\\" 🇺🇦"\n')
  })

  it('lays out title, memo and passages grouped by code in codebook order, with counts', () => {
    const headings = body(markdown).match(/^#{1,2} .*$/gm)
    expect(headings).toEqual(['# Переговоры в Эр-Рияде: "day one" 🇺🇦', '## Memo', '## US (2)', '## Russia (2)', '## Lavrov \\[MFA\\] (1)'])
  })

  it('lists a passage with two codes under both, with its position and the other code', () => {
    const us = section(markdown, '## US (2)')
    const russia = section(markdown, '## Russia (2)')
    // Offsets count code points: the flag before the quote is two of them (four UTF-16 units).
    expect(us).toContain('> Nothing about Ukraine without Ukraine\n\n— ¶ 1, offsets 19–56 · also Russia')
    expect(russia).toContain('> Nothing about Ukraine without Ukraine\n\n— ¶ 1, offsets 19–56 · also US')
    expect(russia).toContain('> Ukraine,” and Лавров\n\n— ¶ 1, offsets 49–69 · also Lavrov \\[MFA\\]')
  })

  it('writes a multi-line quote as one block quote that nothing in it can end', () => {
    expect(section(markdown, '## US (2)')).toContain(
      ['> nor emphasis\\*', '>', '> Line one\\', '> \\> two\\', '> \\- three', '', '— ¶ 2–3, offsets 113–150'].join('\n')
    )
    const html = render(markdown)
    expect(html).toContain('<blockquote>\n<p>nor emphasis*</p>\n<p>Line one<br>&gt; two<br>- three</p>\n</blockquote>')
  })

  it('keeps hostile quotes inside their block quote', () => {
    const hostile = articleOf('a-h', 'Hostile', [para('</blockquote><div>', null, '---', null, '    indented', null, '```', null, '[x]: /evil', null, '<!-- open')])
    const passage = highlightOf(hostile, 'h-h', hostile.text, [US])
    const html = render(exportMarkdown(bundle([{ article: hostile, highlights: [passage], notes: {}, memo: null }]), {}))
    expect(html.match(/<blockquote>/g)).toHaveLength(1)
    expect(html).not.toMatch(/<div|<hr|<pre|<a |<!--/)
    expect(html).toContain('<p>&lt;/blockquote&gt;&lt;div&gt;<br>---<br>    indented<br>```<br>[x]: /evil<br>&lt;!-- open</p>')
  })

  it('adds non-empty notes after "**Note:**", headings moved below the code headings', () => {
    const us = section(markdown, '## US (2)')
    expect(us).toContain(
      [
        '**Note:**',
        '',
        'Kyiv’s **red line**, see [the readout](https://example.org/readout)',
        '',
        '- echoes “Ukraine,” and Лавров”',
        '',
        '#### Why it matters'
      ].join('\n')
    )
    // The note on h-2 holds only whitespace.
    expect(section(markdown, '## Lavrov \\[MFA\\] (1)')).not.toContain('Note:')
  })

  it('escapes the memo so markup in it renders as text', () => {
    expect(section(markdown, '## Memo')).toContain('\\<script\\>alert(1)\\</script\\> \\*not bold\\* 1. not a list')
    const html = render(markdown)
    expect(html).toContain('<h2>Memo</h2>\n<p>&lt;script&gt;alert(1)&lt;/script&gt; *not bold* 1. not a list</p>')
    expect(html).not.toMatch(/<script|<em>not bold/)
  })

  it('is deterministic, uses LF only and ends with one newline', () => {
    expect(exportMarkdown(bundle([riyadhEntry]), {})).toBe(markdown)
    expect(markdown).not.toContain('\r')
    expect(markdown.endsWith('\n')).toBe(true)
    expect(markdown.endsWith('\n\n')).toBe(false)
  })
})

describe('exportMarkdown options', () => {
  it('keeps only the chosen codes and counts only their passages', () => {
    const markdown = exportMarkdown(bundle([riyadhEntry]), { codeIds: [LAVROV.id, EU.id] })
    expect(frontMatter(markdown)).toMatchObject({ codes: ['Lavrov [MFA]'], highlights: 1 })
    expect(body(markdown).match(/^## .*$/gm)).toEqual(['## Memo', '## Lavrov \\[MFA\\] (1)'])
    // Other exported codes only: Russia is not exported, so it is not mentioned.
    expect(markdown).toContain('— ¶ 1, offsets 49–69\n')
  })

  it('leaves out notes and the memo when includeNotes is false', () => {
    const markdown = exportMarkdown(bundle([riyadhEntry]), { includeNotes: false })
    expect(markdown).not.toContain('Note:')
    expect(markdown).not.toContain('## Memo')
    expect(markdown).not.toContain('red line')
  })

  it('says so when an article has no passages left', () => {
    const markdown = exportMarkdown(bundle([riyadhEntry]), { codeIds: [EU.id], includeNotes: false })
    expect(frontMatter(markdown)).toMatchObject({ codes: [], highlights: 0 })
    expect(body(markdown).trim()).toBe('# Переговоры в Эр-Рияде: "day one" 🇺🇦\n\nNo coded passages.')
  })

  it('leaves out block numbers when the stored document does not yield the stored text', () => {
    const stale = { ...riyadhEntry, article: { ...riyadh, text: `${riyadh.text} (edited)` } }
    expect(exportMarkdown(bundle([stale]), {})).toContain('> Nothing about Ukraine without Ukraine\n\n— offsets 19–56 · also Russia')
  })
})

describe('exportMarkdown, several articles', () => {
  const markdown = exportMarkdown(bundle([riyadhEntry, munichEntry], ''), {})

  it('describes the export in the front matter', () => {
    expect(frontMatter(markdown)).toEqual({
      title: 'Stance export',
      exported: EXPORTED,
      analyst: '',
      articles: 2,
      codes: ['US', 'Russia', 'Lavrov [MFA]', 'EU'],
      highlights: 4,
      generator: 'Stance 1.4.0'
    })
  })

  it('gives each article a section with its details', () => {
    expect(section(markdown, '# Munich')).toContain(['# Munich', '', '- Article ID: a-munich', '- Passages: 1', '', '## EU (1)', '', '> free speech', '', '— ¶ 1, offsets 41–52'].join('\n'))
    expect(section(markdown, '# Переговоры')).toContain(
      [
        '- Outlet: Wire, Inc.',
        '- Published: 2025-02-18',
        '- Source: [https://example.org/riyadh?a=1\\&b=2](https://example.org/riyadh?a=1&b=2)',
        '- Article ID: a-riyadh',
        '- Passages: 3'
      ].join('\n')
    )
    expect(body(markdown).match(/^# .*$/gm)).toEqual(['# Переговоры в Эр-Рияде: "day one" 🇺🇦', '# Munich'])
  })

  it('writes an empty export as front matter alone', () => {
    const empty = exportMarkdown(bundle([]), {})
    expect(frontMatter(empty)).toMatchObject({ articles: 0, codes: [], highlights: 0 })
    expect(body(empty)).toBe('')
  })
})

describe('yamlString', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['two\nlines\r\n', '"two\\nlines\\r\\n"'],
    ['tab\there', '"tab\\there"'],
    ['bell\u0007 del\u007f nel\u0085', '"bell\\u0007 del\\u007f nel\\u0085"'],
    ['ls\u2028ps\u2029bom\ufeff', '"ls\\u2028ps\\u2029bom\\ufeff"'],
    ['--- # not: a [comment] {x}', '"--- # not: a [comment] {x}"'],
    ['Лавров 🇺🇦', '"Лавров 🇺🇦"']
  ])('quotes %j', (value, quoted) => {
    expect(yamlString(value)).toBe(quoted)
    expect(JSON.parse(yamlString(value))).toBe(value)
  })

  it('replaces lone surrogates, which no UTF-8 file can hold', () => {
    expect(JSON.parse(yamlString('a\ud800b\udc00'))).toBe('a\ufffdb\ufffd')
  })

  it('keeps a hostile title on its one front matter line', () => {
    const hostile = articleOf('a-x', 'x"\n---\nevil: true\n\u0000', [para('text')])
    const markdown = exportMarkdown(bundle([{ article: hostile, highlights: [], notes: {}, memo: null }]), {})
    expect(frontMatter(markdown)['title']).toBe('x"\n---\nevil: true\n\u0000')
    expect(markdown.split('\n').filter((line) => line === '---')).toHaveLength(2)
  })
})

/** The text from a heading line to the next heading of the same or a higher level. */
function section(markdown: string, headingStart: string): string {
  const lines = markdown.split('\n')
  const from = lines.findIndex((line) => line.startsWith(headingStart))
  if (from < 0) throw new Error(`no heading ${headingStart}`)
  const level = /^#+/.exec(headingStart)?.[0].length ?? 1
  const to = lines.findIndex((line, index) => index > from && new RegExp(`^#{1,${level}} `).test(line))
  return lines.slice(from, to < 0 ? undefined : to).join('\n')
}
