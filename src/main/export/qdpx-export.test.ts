import { strFromU8, unzipSync } from 'fflate'
import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId, NoteId } from '../../shared/domain/ids'
import type { Note } from '../../shared/domain/note'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'
import { buildProjectXml, exportQdpx, nameGuid, type QdpxOptions } from './qdpx-export'
import { QDA_PROJECT_NS, validateRefiQdaProject } from './refi-qda-rules'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const CREATED = '2024-05-01T10:00:00.000Z'
const UPDATED = '2024-05-02T11:30:00.000Z'

// Fixed ids keep failures readable; each is a lowercase UUID v4 like the app's.
const ids = {
  support: 'a1000000-0000-4000-8000-000000000001' as CodeId,
  strong: 'a1000000-0000-4000-8000-000000000002' as CodeId,
  weak: 'a1000000-0000-4000-8000-000000000003' as CodeId,
  oppose: 'a1000000-0000-4000-8000-000000000004' as CodeId,
  neutral: 'a1000000-0000-4000-8000-000000000005' as CodeId,
  english: 'b2000000-0000-4000-8000-000000000001' as ArticleId,
  multilingual: 'b2000000-0000-4000-8000-000000000002' as ArticleId,
  bare: 'b2000000-0000-4000-8000-000000000003' as ArticleId
}

const SPECIAL_TITLE = `Cats & "Dogs" <Rule> 'ok'`
const SPECIAL_NOTE = `Remember: a < b && c > "d" 'e'\nsecond line ]]> end`
const SPECIAL_CODE = 'Neutral & <unsure> "maybe"'
const SPECIAL_DESCRIPTION = `Agrees with "the plan" & more <b>'s`

function code(id: CodeId, name: string, parentId: CodeId | null, sortOrder: number, color: string, description = ''): Code {
  return { id, name, color, description, parentId, sortOrder, shortcut: null, groupKind: null, dictionary: [], createdAt: CREATED, updatedAt: CREATED }
}

function article(id: ArticleId, title: string, paragraphs: string[], meta: Partial<Article> = {}): Article {
  const text = paragraphs.join('\n\n')
  return {
    id,
    title,
    outlet: null,
    author: null,
    publishedAt: null,
    sourceUrl: null,
    createdAt: CREATED,
    updatedAt: CREATED,
    length: Array.from(text).length,
    wordCount: text.split(/\s+/).length,
    codeCounts: {},
    deletedAt: null,
    doc: { type: 'doc', content: paragraphs.map((p) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text: p }] })) },
    text,
    ...meta
  }
}

let counter = 0
const nextId = (prefix: string): string => `${prefix}000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`

/** A highlight on the first occurrence of `exact`, with offsets in code points as the app stores them. */
function highlight(on: Article, exact: string, codeIds: CodeId[], occurrence = 0): Highlight {
  let at = -1
  for (let i = 0; i <= occurrence; i++) at = on.text.indexOf(exact, at + 1)
  if (at < 0) throw new Error(`fixture: "${exact}" not in article`)
  const start = Array.from(on.text.slice(0, at)).length
  return {
    id: nextId('c3') as HighlightId,
    articleId: on.id,
    start,
    end: start + Array.from(exact).length,
    exact,
    prefix: '',
    suffix: '',
    orphaned: false,
    codeIds,
    createdAt: CREATED,
    updatedAt: UPDATED
  }
}

function note(target: Note['target'], plain: string): Note {
  return {
    id: nextId('d4') as NoteId,
    target,
    doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: plain }] }] },
    html: `<p>${plain}</p>`,
    plain,
    version: 1,
    createdAt: CREATED,
    updatedAt: CREATED
  }
}

/** Three articles (English with XML specials, Cyrillic/Arabic/emoji, uncoded), a nested codebook, notes and a memo. */
function fixture(analyst = 'Ana Lyst') {
  const english = article(ids.english, SPECIAL_TITLE, ['Para one says "cats" & <dogs> rule.', 'Second paragraph with more text here.'], {
    outlet: 'The Daily <Times>',
    author: "O'Brien & Co",
    publishedAt: '2024-03-01',
    sourceUrl: 'https://example.com/a?x=1&y=2',
    updatedAt: UPDATED
  })
  const multilingual = article(ids.multilingual, 'Многоязычная статья', [
    'Привет, мир! Это тест.',
    'مرحبا بالعالم، هذا اختبار.',
    'Emoji 😀👍🏽 family 👨‍👩‍👧 end.'
  ])
  const bare = article(ids.bare, 'Bare', ['Nothing coded here.'])
  const h = {
    cats: highlight(english, '"cats" & <dogs>', [ids.strong, ids.oppose]),
    uncoded: highlight(english, 'Second paragraph', []),
    more: highlight(english, 'more text', [ids.neutral]),
    mir: highlight(multilingual, 'мир', [ids.support]),
    arabic: highlight(multilingual, 'بالعالم', [ids.weak]),
    emoji: highlight(multilingual, '😀👍🏽', [ids.oppose, ids.oppose]),
    family: highlight(multilingual, '👨‍👩‍👧 end', [ids.support, ids.oppose, ids.neutral])
  }
  const n = {
    cats: note({ highlightId: h.cats.id }, SPECIAL_NOTE),
    emoji: note({ highlightId: h.emoji.id }, 'Примечание 😀 ملاحظة'),
    empty: note({ highlightId: h.mir.id }, '   '),
    memo: note({ articleId: ids.english }, 'Memo & <stuff>')
  }
  const entries: ExportArticle[] = [
    { article: english, highlights: [h.cats, h.uncoded, h.more], notes: { [h.cats.id]: n.cats }, memo: n.memo },
    { article: multilingual, highlights: [h.mir, h.arabic, h.emoji, h.family], notes: { [h.emoji.id]: n.emoji, [h.mir.id]: n.empty }, memo: null },
    { article: bare, highlights: [], notes: {}, memo: null }
  ]
  const codes = [
    code(ids.support, 'Support', null, 1, '#2e7d32', SPECIAL_DESCRIPTION),
    code(ids.strong, 'Strong support', ids.support, 1, '#1b5e20'),
    code(ids.weak, 'Weak support', ids.support, 0, '#81c784'),
    code(ids.oppose, 'Oppose', null, 0, '#c62828'),
    code(ids.neutral, SPECIAL_CODE, null, 2, '#9e9e9e')
  ]
  const bundle: ExportBundle = { articles: entries, codes, analyst, exportedAt: '2024-06-01T09:00:00.000Z', app: { name: 'Stance', version: '1.2.3' } }
  return { bundle, highlights: h, notes: n }
}

function parse(xml: string): Document {
  return new JSDOM(xml, { contentType: 'application/xml' }).window.document
}

function all(scope: Document | Element, name: string): Element[] {
  return Array.from(scope.getElementsByTagNameNS(QDA_PROJECT_NS, name))
}

function childElements(element: Element, name?: string): Element[] {
  return Array.from(element.children).filter((child) => name === undefined || child.localName === name)
}

function byGuid(doc: Document, name: string, guid: string): Element {
  const found = all(doc, name).find((element) => element.getAttribute('guid') === guid)
  if (!found) throw new Error(`no <${name}> with guid ${guid}`)
  return found
}

function filesOf(project: ReturnType<typeof buildProjectXml>): Record<string, string> {
  return Object.fromEntries(project.sources.map((source) => [source.path, source.text]))
}

function codesOfSelection(selection: Element): string[] {
  return childElements(selection, 'Coding').map((coding) => childElements(coding, 'CodeRef')[0]!.getAttribute('targetGUID')!)
}

describe('buildProjectXml', () => {
  it('passes the REFI-QDA project rules, with the source files checked too', () => {
    const project = buildProjectXml(fixture().bundle)
    expect(validateRefiQdaProject(project.xml, { files: filesOf(project) })).toEqual([])
  })

  const variants: Array<[string, QdpxOptions, string]> = [
    ['defaults', {}, 'Ana Lyst'],
    ['no notes', { includeNotes: false }, 'Ana Lyst'],
    ['a code subset', { codeIds: [ids.weak, ids.neutral] }, ''],
    ['no codes chosen', { codeIds: [] }, ''],
    ['an unknown code id', { codeIds: ['not-a-code'] }, 'x'],
    ['a project name', { projectName: `<Mine> & "yours"` }, '  ']
  ]
  it.each(variants)('stays valid with %s', (_label, options, analyst) => {
    const project = buildProjectXml(fixture(analyst).bundle, options)
    expect(validateRefiQdaProject(project.xml, { files: filesOf(project) })).toEqual([])
  })

  it('stays valid for an empty library', () => {
    const bundle: ExportBundle = { articles: [], codes: [], analyst: '', exportedAt: CREATED, app: { name: 'Stance', version: '0.1.0' } }
    const { xml, sources } = buildProjectXml(bundle)
    expect(validateRefiQdaProject(xml)).toEqual([])
    expect(sources).toEqual([])
    expect(childElements(parse(xml).documentElement).map((child) => child.localName)).toEqual(['Users'])
  })

  it('opens with the UTF-8 declaration and a namespaced Project root naming its origin', () => {
    const { xml } = buildProjectXml(fixture().bundle, { projectName: 'Climate coverage' })
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" ')).toBe(true)
    const root = parse(xml).documentElement
    expect(root.namespaceURI).toBe(QDA_PROJECT_NS)
    expect(root.getAttribute('name')).toBe('Climate coverage')
    expect(root.getAttribute('origin')).toBe('Stance 1.2.3')
    expect(root.getAttribute('creationDateTime')).toBe('2024-06-01T09:00:00.000Z')
    expect(childElements(root).map((child) => child.localName)).toEqual(['Users', 'CodeBook', 'Sources', 'Notes'])
  })

  it('names a project by date when no name is given', () => {
    expect(parse(buildProjectXml(fixture().bundle).xml).documentElement.getAttribute('name')).toBe('Stance export 2024-06-01')
  })

  it('writes one user that every creatingUser refers to', () => {
    const doc = parse(buildProjectXml(fixture().bundle).xml)
    const users = all(doc, 'User')
    expect(users).toHaveLength(1)
    expect(users[0]!.getAttribute('name')).toBe('Ana Lyst')
    const guid = users[0]!.getAttribute('guid')!
    expect(guid).toBe(nameGuid('user:Ana Lyst'))
    const creators = Array.from(doc.querySelectorAll('[creatingUser]')).map((element) => element.getAttribute('creatingUser'))
    expect(creators.length).toBeGreaterThan(10)
    expect(new Set(creators)).toEqual(new Set([guid]))
    expect(all(parse(buildProjectXml(fixture('').bundle).xml), 'User')[0]!.getAttribute('name')).toBe('Stance user')
  })

  it('writes groups as grouping folders (isCodable="false") that still hold their codes', () => {
    const { bundle } = fixture()
    const grouped = { ...bundle, codes: bundle.codes.map((c) => (c.name === 'Support' ? { ...c, groupKind: 'stance' as const } : c)) }
    const doc = parse(buildProjectXml(grouped).xml)
    const support = childElements(all(doc, 'Codes')[0]!, 'Code').find((c) => c.getAttribute('name') === 'Support')!
    expect(support.getAttribute('isCodable')).toBe('false')
    expect(childElements(support, 'Code').map((c) => c.getAttribute('isCodable'))).toEqual(['true', 'true'])
  })

  it('nests codes inside their parents in sortOrder, with #RRGGBB colours and descriptions', () => {
    const doc = parse(buildProjectXml(fixture().bundle).xml)
    const codes = childElements(all(doc, 'Codes')[0]!, 'Code')
    expect(codes.map((c) => c.getAttribute('name'))).toEqual(['Oppose', 'Support', SPECIAL_CODE])
    const support = codes[1]!
    expect(childElements(support, 'Code').map((c) => c.getAttribute('name'))).toEqual(['Weak support', 'Strong support'])
    expect(childElements(support, 'Description')[0]!.textContent).toBe(SPECIAL_DESCRIPTION)
    expect(support.getAttribute('color')).toBe('#2E7D32')
    expect(support.getAttribute('isCodable')).toBe('true')
    expect(childElements(codes[0]!)).toEqual([])
    for (const element of all(doc, 'Code')) expect(element.getAttribute('color')).toMatch(/^#[0-9A-F]{6}$/)
  })

  it('writes one Coding per code of a highlight and leaves out highlights without codes', () => {
    const { bundle, highlights: h } = fixture()
    const doc = parse(buildProjectXml(bundle).xml)
    expect(all(doc, 'PlainTextSelection').map((s) => s.getAttribute('guid'))).toEqual([h.cats.id, h.more.id, h.mir.id, h.arabic.id, h.emoji.id, h.family.id])
    expect(codesOfSelection(byGuid(doc, 'PlainTextSelection', h.cats.id))).toEqual([ids.strong, ids.oppose])
    expect(codesOfSelection(byGuid(doc, 'PlainTextSelection', h.emoji.id))).toEqual([ids.oppose])
    expect(codesOfSelection(byGuid(doc, 'PlainTextSelection', h.family.id))).toEqual([ids.support, ids.oppose, ids.neutral])
    for (const coding of all(doc, 'Coding')) expect(childElements(coding).map((c) => c.localName)).toEqual(['CodeRef'])
  })

  it('gives every element a valid, unique GUID and Codings stable GUIDs', () => {
    const { bundle } = fixture()
    const { xml } = buildProjectXml(bundle)
    const guids = Array.from(parse(xml).querySelectorAll('[guid]')).map((element) => element.getAttribute('guid')!)
    for (const guid of guids) expect(guid).toMatch(GUID)
    expect(new Set(guids).size).toBe(guids.length)
    expect(buildProjectXml(bundle).xml).toBe(xml)
  })

  it('names each selection after its quote, cut to about 60 characters', () => {
    const { bundle, highlights: h } = fixture()
    const long = `${'Lorem ipsum dolor sit amet, '.repeat(5)}end`
    const entry = bundle.articles[2]!
    entry.article = article(ids.bare, 'Bare', [long])
    entry.highlights = [highlight(entry.article, long, [ids.oppose])]
    const doc = parse(buildProjectXml(bundle).xml)
    expect(byGuid(doc, 'PlainTextSelection', h.cats.id).getAttribute('name')).toBe('"cats" & <dogs>')
    const name = byGuid(doc, 'PlainTextSelection', entry.highlights[0]!.id).getAttribute('name')!
    expect(Array.from(name).length).toBeLessThanOrEqual(60)
    expect(name.endsWith('…')).toBe(true)
    expect(long.startsWith(name.slice(0, -1))).toBe(true)
  })

  it('references highlight notes from their selections and the memo from its source, after the selections', () => {
    const { bundle, highlights: h, notes: n } = fixture()
    const doc = parse(buildProjectXml(bundle).xml)
    const cats = byGuid(doc, 'PlainTextSelection', h.cats.id)
    expect(childElements(cats).map((c) => c.localName)).toEqual(['Coding', 'Coding', 'NoteRef'])
    expect(childElements(cats, 'NoteRef')[0]!.getAttribute('targetGUID')).toBe(n.cats.id)
    expect(childElements(byGuid(doc, 'PlainTextSelection', h.emoji.id), 'NoteRef')[0]!.getAttribute('targetGUID')).toBe(n.emoji.id)
    // A note with only whitespace says nothing, so it is not exported.
    expect(childElements(byGuid(doc, 'PlainTextSelection', h.mir.id), 'NoteRef')).toEqual([])
    const source = byGuid(doc, 'TextSource', ids.english)
    expect(childElements(source).map((c) => c.localName)).toEqual(['Description', 'PlainTextSelection', 'PlainTextSelection', 'NoteRef'])
    expect(childElements(source, 'NoteRef')[0]!.getAttribute('targetGUID')).toBe(n.memo.id)
    const notes = all(doc, 'Note')
    expect(notes.map((element) => element.getAttribute('guid'))).toEqual([n.cats.id, n.memo.id, n.emoji.id])
    for (const element of notes) expect(childElements(element).map((c) => c.localName)).toEqual(['PlainTextContent'])
    expect(childElements(byGuid(doc, 'Note', n.emoji.id), 'PlainTextContent')[0]!.textContent).toBe('Примечание 😀 ملاحظة')
  })

  it('describes each article with its outlet, author, date and address', () => {
    const doc = parse(buildProjectXml(fixture().bundle).xml)
    const english = byGuid(doc, 'TextSource', ids.english)
    expect(english.getAttribute('name')).toBe(SPECIAL_TITLE)
    expect(english.getAttribute('plainTextPath')).toBe(`internal://${ids.english}.txt`)
    expect(english.getAttribute('modifiedDateTime')).toBe(UPDATED)
    expect(childElements(english, 'Description')[0]!.textContent).toBe(
      "Outlet: The Daily <Times>\nAuthor: O'Brien & Co\nPublished: 2024-03-01\nURL: https://example.com/a?x=1&y=2"
    )
    expect(childElements(byGuid(doc, 'TextSource', ids.bare))).toEqual([])
  })

  it('exports only the chosen codes, with their ancestors for nesting, and only highlights carrying one', () => {
    const { bundle, highlights: h, notes: n } = fixture()
    const doc = parse(buildProjectXml(bundle, { codeIds: [ids.weak, ids.neutral] }).xml)
    const roots = childElements(all(doc, 'Codes')[0]!, 'Code')
    expect(roots.map((c) => c.getAttribute('name'))).toEqual(['Support', SPECIAL_CODE])
    expect(childElements(roots[0]!, 'Code').map((c) => c.getAttribute('name'))).toEqual(['Weak support'])
    expect(all(doc, 'PlainTextSelection').map((s) => s.getAttribute('guid'))).toEqual([h.more.id, h.arabic.id, h.family.id])
    // The ancestor is in the codebook for structure only: codings stay with the chosen codes.
    expect(codesOfSelection(byGuid(doc, 'PlainTextSelection', h.family.id))).toEqual([ids.neutral])
    expect(all(doc, 'CodeRef').map((ref) => ref.getAttribute('targetGUID'))).not.toContain(ids.support)
    // The note on "cats" goes with its highlight; the memo stays.
    expect(all(doc, 'Note').map((element) => element.getAttribute('guid'))).toEqual([n.memo.id])
  })

  it('leaves out the codebook when no code is chosen, and every highlight with it', () => {
    const doc = parse(buildProjectXml(fixture().bundle, { codeIds: [] }).xml)
    expect(all(doc, 'CodeBook')).toEqual([])
    expect(all(doc, 'PlainTextSelection')).toEqual([])
    expect(all(doc, 'TextSource')).toHaveLength(3)
  })

  it('drops Notes and every NoteRef when notes are not included', () => {
    const { xml } = buildProjectXml(fixture().bundle, { includeNotes: false })
    const doc = parse(xml)
    expect(all(doc, 'Notes')).toEqual([])
    expect(all(doc, 'NoteRef')).toEqual([])
    expect(xml).not.toContain('Remember')
    expect(all(doc, 'PlainTextSelection')).toHaveLength(6)
  })

  it('keeps XML-special characters in names, quotes, descriptions and notes', () => {
    const { bundle, highlights: h, notes: n } = fixture()
    const { xml } = buildProjectXml(bundle, { projectName: `Tom & Jerry's <"project">` })
    const doc = parse(xml)
    expect(doc.documentElement.getAttribute('name')).toBe(`Tom & Jerry's <"project">`)
    expect(byGuid(doc, 'Code', ids.neutral).getAttribute('name')).toBe(SPECIAL_CODE)
    expect(byGuid(doc, 'TextSource', ids.english).getAttribute('name')).toBe(SPECIAL_TITLE)
    expect(byGuid(doc, 'PlainTextSelection', h.cats.id).getAttribute('name')).toBe(h.cats.exact)
    expect(childElements(byGuid(doc, 'Note', n.cats.id), 'PlainTextContent')[0]!.textContent).toBe(SPECIAL_NOTE)
    expect(childElements(byGuid(doc, 'Note', n.memo.id), 'PlainTextContent')[0]!.textContent).toBe('Memo & <stuff>')
    expect(xml).not.toContain(']]>')
  })

  it('drops characters XML 1.0 cannot carry and still validates', () => {
    const { bundle, notes: n } = fixture()
    n.cats.plain = 'bell\u0007 nul\u0000 lone\uD800 half\uDC00 ffff\uFFFF fffe\uFFFE tab\tok 😀'
    bundle.codes[0]!.name = 'Sup\u0001port\u001F'
    bundle.codes[0]!.description = '\u000B'
    const project = buildProjectXml(bundle)
    expect(validateRefiQdaProject(project.xml, { files: filesOf(project) })).toEqual([])
    const doc = parse(project.xml)
    expect(childElements(byGuid(doc, 'Note', n.cats.id), 'PlainTextContent')[0]!.textContent).toBe('bell nul lone half ffff fffe tab\tok 😀')
    expect(byGuid(doc, 'Code', ids.support).getAttribute('name')).toBe('Support')
    expect(childElements(byGuid(doc, 'Code', ids.support), 'Description')).toEqual([])
  })

  it('writes LF line ends and moves offsets so selections keep their characters', () => {
    const { bundle } = fixture()
    const entry = bundle.articles[2]!
    entry.article = { ...entry.article, text: '\uFEFFLine one\r\nLine two\rLine 😀 three\r\n\r\nLast 👍🏽 words' }
    const quotes = ['Line two', '😀 three', 'Last 👍🏽', 'one\r\nLine']
    entry.highlights = quotes.map((quote) => highlight(entry.article, quote, [ids.oppose]))
    const project = buildProjectXml(bundle)
    expect(validateRefiQdaProject(project.xml, { files: filesOf(project) })).toEqual([])
    const text = project.sources.find((source) => source.guid === ids.bare)!.text
    expect(text).toBe('Line one\nLine two\nLine 😀 three\n\nLast 👍🏽 words')
    const doc = parse(project.xml)
    const slices = entry.highlights.map((hl) => {
      const selection = byGuid(doc, 'PlainTextSelection', hl.id)
      return Array.from(text)
        .slice(Number(selection.getAttribute('startPosition')), Number(selection.getAttribute('endPosition')))
        .join('')
    })
    expect(slices).toEqual(['Line two', '😀 three', 'Last 👍🏽', 'one\nLine'])
  })

  it('clamps offsets past the text and leaves out selections that end up empty', () => {
    const { bundle } = fixture()
    const entry = bundle.articles[2]!
    const length = Array.from(entry.article.text).length
    const past = { ...highlight(entry.article, 'here.', [ids.oppose]), end: length + 5 }
    const beyond = { ...highlight(entry.article, 'here.', [ids.oppose]), id: nextId('c3') as HighlightId, start: length + 1, end: length + 3 }
    entry.highlights = [past, beyond]
    const project = buildProjectXml(bundle)
    expect(validateRefiQdaProject(project.xml, { files: filesOf(project) })).toEqual([])
    const selections = childElements(byGuid(parse(project.xml), 'TextSource', ids.bare), 'PlainTextSelection')
    expect(selections.map((s) => [s.getAttribute('startPosition'), s.getAttribute('endPosition')])).toEqual([[String(past.start), String(length)]])
  })
})

describe('exportQdpx', () => {
  const { bundle, highlights: h } = fixture()
  const files = unzipSync(exportQdpx(bundle))

  it('zips project.qde and one sources/<guid>.txt per article, nothing else', () => {
    expect(Object.keys(files).sort()).toEqual(['project.qde', ...bundle.articles.map((entry) => `sources/${entry.article.id}.txt`)].sort())
    const xml = strFromU8(files['project.qde']!)
    expect(xml).toBe(buildProjectXml(bundle).xml)
  })

  it('writes UTF-8 without BOM and without CR, and the article text unchanged', () => {
    for (const [path, bytes] of Object.entries(files)) {
      expect([bytes[0], bytes[1], bytes[2]], path).not.toEqual([0xef, 0xbb, 0xbf])
      expect(bytes.includes(0x0d), path).toBe(false)
    }
    for (const entry of bundle.articles) expect(strFromU8(files[`sources/${entry.article.id}.txt`]!)).toBe(entry.article.text)
  })

  it('places every selection on its quote when the file is sliced in code points (Cyrillic, Arabic, emoji)', () => {
    const doc = parse(strFromU8(files['project.qde']!))
    const selections = all(doc, 'PlainTextSelection')
    expect(selections).toHaveLength(6)
    for (const selection of selections) {
      const source = selection.parentElement!
      const path = source.getAttribute('plainTextPath')!.replace('internal://', 'sources/')
      const text = Array.from(strFromU8(files[path]!))
      const quote = text.slice(Number(selection.getAttribute('startPosition')), Number(selection.getAttribute('endPosition'))).join('')
      const expected = Object.values(h).find((hl) => hl.id === selection.getAttribute('guid'))!
      expect(quote).toBe(expected.exact)
    }
    // UTF-16 offsets would differ from these: the emoji are surrogate pairs.
    expect(byGuid(doc, 'PlainTextSelection', h.family.id).getAttribute('startPosition')).toBe(String(h.family.start))
    expect(h.family.start).toBeLessThan(bundle.articles[1]!.article.text.indexOf('👨'))
  })

  it('passes the REFI-QDA rules read back from the archive', () => {
    const text = Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, strFromU8(bytes)]))
    expect(validateRefiQdaProject(text['project.qde']!, { files: text })).toEqual([])
  })

  it('produces the same bytes for the same bundle', () => {
    expect(exportQdpx(bundle)).toEqual(exportQdpx(bundle))
  })
})

describe('validateRefiQdaProject', () => {
  const user = '{0A1B2C3D-0000-4000-8000-00000000000A}'
  const minimal = `<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="m" creatingUserGUID="${user}">
  <!-- comments are fine -->
  <Users><User guid="${user}"/></Users>
  <CodeBook><Codes><Code guid="11111111-2222-4333-8444-555555555555" name="c" isCodable="1" color="#abc"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="11111111-2222-4333-8444-666666666666" creatingUser="0a1b2c3d-0000-4000-8000-00000000000a">
      <PlainTextContent>hello</PlainTextContent>
      <PlainTextSelection guid="11111111-2222-4333-8444-777777777777" startPosition=" 0 " endPosition="5" creationDateTime="2024-02-29T24:00:00+14:00">
        <Coding guid="11111111-2222-4333-8444-888888888888"><CodeRef targetGUID="11111111-2222-4333-8444-555555555555"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>`

  it('accepts a hand-written project using braced GUIDs, #RGB, 1 for true, inline content and other valid lexical forms', () => {
    expect(validateRefiQdaProject(minimal)).toEqual([])
  })

  const base = buildProjectXml(fixture().bundle)
  const firstCodeGuid = /<Code guid="([^"]+)"/.exec(base.xml)![1]!
  const secondCodeGuid = [...base.xml.matchAll(/<Code guid="([^"]+)"/g)][1]![1]!

  /** Replaces the first match, failing loudly if the fixture no longer has it (so a case cannot pass vacuously). */
  function once(xml: string, pattern: RegExp, replacement: string): string {
    if (!pattern.test(xml)) throw new Error(`mutation pattern ${pattern} not found`)
    return xml.replace(pattern, replacement)
  }

  function moveNotesBeforeSources(xml: string): string {
    const notes = /\n {2}<Notes>[\s\S]*?\n {2}<\/Notes>/.exec(xml)![0]
    return once(xml.replace(notes, ''), /\n {2}<Sources>/, `${notes}\n  <Sources>`)
  }

  const broken: Array<[string, (xml: string) => string, RegExp]> = [
    ['Notes before Sources (schema order)', moveNotesBeforeSources, /<Sources> is out of order in <Project>/],
    ['Code without isCodable', (xml) => once(xml, / isCodable="true"/, ''), /required attribute isCodable is missing/],
    ['Project without name', (xml) => once(xml, / name="[^"]*" origin=/, ' origin='), /required attribute name is missing on <Project>/],
    ['PlainTextSelection without endPosition', (xml) => once(xml, / endPosition="\d+"/, ''), /required attribute endPosition/],
    ['a malformed Coding GUID', (xml) => once(xml, /(<Coding guid=")[^"]+/, '$1not-a-guid'), /@guid="not-a-guid" is not a GUIDType/],
    ['a GUID with a stray letter', (xml) => once(xml, /(<User guid=")[^"]{35}/, '$1g0000000-0000-4000-8000-00000000000'), /is not a GUIDType/],
    ['a CodeRef to no code', (xml) => once(xml, /(<CodeRef targetGUID=")[^"]+/, '$1ffffffff-ffff-4fff-8fff-ffffffffffff'), /refers to no element/],
    ['a NoteRef to no note', (xml) => once(xml, /(<NoteRef targetGUID=")[^"]+/, '$1eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee'), /refers to no element/],
    ['a creatingUser naming a code', (xml) => once(xml, /(<TextSource [^>]*creatingUser=")[^"]+/, `$1${firstCodeGuid}`), /must refer to a <User>/],
    ['a CodeRef naming a user', (xml) => once(xml, /(<CodeRef targetGUID=")[^"]+/, `$1${nameGuid('user:Ana Lyst')}`), /must refer to a <Code>/],
    ['a CodeRef to a non-codable code', (xml) => once(xml, /isCodable="true"/, 'isCodable="false"'), /isCodable="false"/],
    ['an unknown element', (xml) => once(xml, /(<PlainTextSelection [^>]*>)/, '$1<Memo/>'), /unexpected element <Memo> in <PlainTextSelection>/],
    ['an unknown attribute', (xml) => once(xml, /<Code guid=/, '<Code weight="3" guid='), /unknown attribute weight on <Code>/],
    ['an xml:lang attribute', (xml) => once(xml, /<Code guid=/, '<Code xml:lang="en" guid='), /attribute xml:lang .* is not allowed/],
    ['a five-digit colour', (xml) => once(xml, /color="#[0-9A-F]{6}"/, 'color="#12345"'), /is not an RGBType/],
    ['an impossible date', (xml) => once(xml, /creationDateTime="[^"]+"/, 'creationDateTime="2023-02-29T10:00:00Z"'), /is not an xs:dateTime/],
    ['a date without time', (xml) => once(xml, /creationDateTime="[^"]+"/, 'creationDateTime="2024-06-01"'), /is not an xs:dateTime/],
    ['isCodable="yes"', (xml) => once(xml, /isCodable="true"/, 'isCodable="yes"'), /is not an xs:boolean/],
    ['a fractional position', (xml) => once(xml, /startPosition="\d+"/, 'startPosition="1.5"'), /is not an xs:integer/],
    ['a negative position', (xml) => once(xml, /startPosition="\d+"/, 'startPosition="-1"'), /negative position/],
    ['endPosition before startPosition', (xml) => once(xml, /startPosition="\d+"/, 'startPosition="999"'), /is before startPosition/],
    ['the wrong root namespace', (xml) => once(xml, /xmlns="urn:QDA-XML:project:1.0"/, 'xmlns="urn:QDA-XML:codebook:1.0"'), /root element must be <Project>/],
    ['a child in no namespace', (xml) => once(xml, /<Code guid=/, '<Code xmlns="" guid='), /is not in the urn:QDA-XML:project:1.0 namespace/],
    ['XML that is not well-formed', (xml) => once(xml, /<\/Users>/, ''), /not well-formed/],
    ['a GUID used twice', (xml) => once(xml, new RegExp(`guid="${secondCodeGuid}"`), `guid="${firstCodeGuid}"`), /is already used by/],
    [
      'a Coding with two CodeRefs',
      (xml) => once(xml, /(<CodeRef targetGUID="[^"]+"\/>)/, '$1$1'),
      /<Coding> allows at most 1 <CodeRef>/
    ],
    ['a Coding without CodeRef', (xml) => once(xml, /<CodeRef targetGUID="[^"]+"\/>/, ''), /<Coding> is missing required <CodeRef>/],
    ['Users without User', (xml) => once(xml, /<User [^>]*\/>/, ''), /<Users> is missing required <User>/],
    ['text inside element-only content', (xml) => once(xml, /<Codes>/, '<Codes>stray'), /holds elements only, not text/],
    ['an element inside a Description', (xml) => once(xml, /<Description>/, '<Description><b/>'), /holds text only, not <b>/],
    ['content inside NoteRef', (xml) => once(xml, /<NoteRef (targetGUID="[^"]+")\/>/, '<NoteRef $1> </NoteRef>'), /<NoteRef> must be empty/],
    ['PlainTextContent and plainTextPath together', (xml) => once(xml, /(<TextSource [^>]*>)/, '$1<PlainTextContent>x</PlainTextContent>'), /both PlainTextContent and plainTextPath/],
    ['a TextSource with no text', (xml) => once(xml, / plainTextPath="[^"]+"/, ''), /needs PlainTextContent or plainTextPath/],
    ['richTextPath pointing at a .txt', (xml) => once(xml, /<TextSource /, '<TextSource richTextPath="internal://x.txt" '), /richTextPath must not point at a .txt/],
    ['an element the schema allows but Stance never writes', (xml) => once(xml, /<\/Project>/, '<Sets/></Project>'), /not covered by this validator/],
    ['a second Users element', (xml) => once(xml, /<\/Users>/, '</Users><Users><User guid="12345678-1234-4234-8234-123456789012"/></Users>'), /allows at most 1 <Users>/],
    ['an empty Sources', (xml) => once(xml, /<Sources>[\s\S]*<\/Sources>/, '<Sources></Sources>'), /<Sources> needs at least 1/],
    ['an encoding other than UTF-8', (xml) => once(xml, /encoding="utf-8"/, 'encoding="ISO-8859-1"'), /encoding ISO-8859-1 is not UTF-8/]
  ]

  it.each(broken)('rejects %s', (_label, mutate, expected) => {
    const xml = mutate(base.xml)
    expect(xml).not.toBe(base.xml)
    const errors = validateRefiQdaProject(xml)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.join('\n')).toMatch(expected)
  })

  it('rejects a plainTextPath with no file in the archive', () => {
    const files = filesOf(base)
    delete files[`sources/${ids.bare}.txt`]
    expect(validateRefiQdaProject(base.xml, { files })).toEqual([expect.stringMatching(/names no file sources\/b2000000-0000-4000-8000-000000000003\.txt/)])
  })

  it('rejects a selection that runs past the end of its source file', () => {
    const files = filesOf(base)
    files[`sources/${ids.multilingual}.txt`] = 'short'
    expect(validateRefiQdaProject(base.xml, { files }).join('\n')).toMatch(/past the end of the source text \(5 code points\)/)
  })
})
