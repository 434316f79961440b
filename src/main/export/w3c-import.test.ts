import { afterEach, describe, expect, it, vi } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import type { Db } from '../db/connection'
import { NoteService } from '../services/note-service'
import { dumpStore, openTestLibrary, type TestLibrary } from '../services/test-support'
import type { Article } from '../../shared/domain/article'
import type { ArticleDoc } from '../../shared/domain/article-doc'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import type { NoteBlock, NoteDoc, NoteInline, NoteMark } from '../../shared/domain/note-doc'
import type { ExportBundle } from '../../shared/export/export-bundle'
import { AppError } from '../../shared/result'
import { collectBundle } from './collect-bundle'
import { exportW3c } from './w3c-export'
import { htmlToText, importW3c, W3C_MAX_ANNOTATIONS, W3C_MAX_PAGES, W3C_MAX_SOURCES, type W3cImportReport } from './w3c-import'

const APP = { name: 'Stance', version: '0.1.0' }
const NOW = () => new Date('2025-03-01T12:00:00.000Z')

const open: { dispose(): void }[] = []
afterEach(() => {
  vi.restoreAllMocks()
  while (open.length > 0) open.pop()!.dispose()
})

const t = (text: string, marks?: NoteMark[]): NoteInline => (marks ? { type: 'text', text, marks } : { type: 'text', text })
const chip = (highlightId: string, quote: string): NoteInline => ({ type: 'quoteChip', attrs: { highlightId, quote } })
const p = (...content: NoteInline[]): NoteBlock => ({ type: 'paragraph', content })
const doc = (...content: NoteBlock[]): NoteDoc => ({ type: 'doc', content })
const para = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })

const MOSCOW_URL = 'https://news.example/moscow-reaction'

const moscowDoc = (fell = 'fell'): ArticleDoc => ({
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Реакция в Москве' }] },
    para(`Rockets 🚀🚀 ${fell} overnight. Лавров заявил: «Мы не примем никаких условий» — and left.`),
    para('قال وزير الخارجية إن المحادثات كانت مثمرة 🤝 ومفيدة.'),
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'The EU ' },
        { type: 'text', text: 'demanded', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' a seat; ' },
        { type: 'hardBreak' },
        { type: 'text', text: 'sanctions stay 👍🏽 in place', marks: [{ type: 'link', attrs: { href: 'https://eu.example/s' } }] },
        { type: 'text', text: '.' }
      ]
    },
    { type: 'blockquote', content: [para('Nothing about Ukraine without Ukraine.')] }
  ]
})

/** Library A: the test library plus a multilingual article, a nested code, overlapping and multi-coded passages, notes and memos. */
interface LibraryA {
  lib: TestLibrary
  moscow: Article
  sanctions: Code
  highlights: Record<'both' | 'lavrov' | 'brussels' | 'said' | 'overlap' | 'arabic' | 'nested' | 'quoted', Highlight>
  articleIds: ArticleId[]
}

function codeWords(lib: TestLibrary, articleId: ArticleId, words: string, codeIds: CodeId[]): Highlight {
  const text = lib.store.repos.articles.textOf(articleId)
  const at = text.indexOf(words)
  if (at < 0) throw new Error(`"${words}" is not in the article`)
  const start = Array.from(text.slice(0, at)).length
  return lib.coding.create({ articleId, start, end: start + Array.from(words).length, codeIds })
}

function libraryA(): LibraryA {
  const lib = openTestLibrary()
  open.push(lib.store)
  const [us, ru, ua, eu] = lib.codes
  const sanctions = lib.codebook.create({ name: 'Sanctions', color: '#8e44ad', parentId: eu.id, description: 'Measures against Russia.' })
  const moscow = lib.store.repos.articles.insert(
    { title: 'Реакция в Москве', outlet: 'Desk', author: 'Олена Петренко', publishedAt: '2025-02-19', sourceUrl: MOSCOW_URL },
    moscowDoc()
  )
  const h = {
    both: codeWords(lib, lib.article.id, 'Nothing about Ukraine without Ukraine', [ua.id, us.id]),
    lavrov: codeWords(lib, lib.article.id, 'Лавров disagreed', [ru.id]),
    brussels: codeWords(lib, lib.article.id, 'Brussels asked for a seat at the table', [eu.id, sanctions.id]),
    said: codeWords(lib, moscow.id, 'Лавров заявил: «Мы не примем никаких условий»', [ru.id]),
    overlap: codeWords(lib, moscow.id, '«Мы не примем никаких условий» — and left', [ua.id]),
    arabic: codeWords(lib, moscow.id, 'المحادثات كانت مثمرة 🤝', [eu.id]),
    nested: codeWords(lib, moscow.id, 'sanctions stay 👍🏽 in place', [sanctions.id]),
    quoted: codeWords(lib, moscow.id, 'Nothing about Ukraine without Ukraine.', [us.id])
  }
  const notes = new NoteService(lib.store.db, lib.store.repos)
  notes.save(
    { highlightId: h.both.id },
    doc(
      { type: 'heading', attrs: { level: 1 }, content: [t('Kyiv’s red line')] },
      p(t('Both '), t('Kyiv', [{ type: 'bold' }, { type: 'italic' }]), t(' and Washington, see '), t('the readout', [{ type: 'link', attrs: { href: 'https://example.org/r?a=1&b=2' } }])),
      { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('point <one> & “two”'))] }] },
      { type: 'blockquote', content: [p(t('quoted', [{ type: 'code' }]))] }
    ),
    undefined
  )
  notes.save({ highlightId: h.said.id }, doc(p(t('Overlaps with '), chip(h.overlap.id, 'Мы не примем'), t(' 🙂'))), undefined)
  notes.save(
    { articleId: moscow.id },
    doc(p(t('Memo: '), chip(h.arabic.id, 'المحادثات'), { type: 'hardBreak' }, t('ثم')), { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [p(t('третий'))] }] }),
    undefined
  )
  notes.save({ articleId: lib.article.id }, doc(p(t('Riyadh memo'))), undefined)
  return { lib, moscow, sanctions, highlights: h, articleIds: [lib.article.id, moscow.id, lib.other.id] }
}

function bundleOf(db: Db, store: TestDatabase['repos'], articleIds: ArticleId[]): ExportBundle {
  return collectBundle(db, store, { articleIds, app: APP, analyst: 'Ana Analyst', now: NOW })
}

/** Everything a round trip must restore: ids, ranges, quotes, codes, notes' documents, articles' text and details. */
function essentials(bundle: ExportBundle) {
  return {
    articles: bundle.articles.map(({ article, highlights, notes, memo }) => {
      const { createdAt: _c, updatedAt: _u, ...rest } = article
      return {
        article: rest,
        highlights,
        notes: Object.fromEntries(Object.entries(notes).map(([id, note]) => [id, { doc: note.doc, html: note.html, plain: note.plain }])),
        memo: memo && { doc: memo.doc, html: memo.html, plain: memo.plain }
      }
    }),
    codes: bundle.codes.map(({ createdAt: _c, updatedAt: _u, ...code }) => code)
  }
}

function fresh(): TestDatabase {
  const store = openTestDatabase()
  open.push(store)
  return store
}

function articleRows(db: Db): unknown[] {
  return db.prepare('SELECT * FROM articles ORDER BY id').all()
}

function snapshot(db: Db): unknown {
  return { store: dumpStore(db), articles: articleRows(db) }
}

function emptyReport(): W3cImportReport {
  return {
    articles: { matched: 0, created: 0 },
    codes: { matched: 0, created: 0 },
    highlights: { created: 0, duplicates: 0, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 },
    notes: { created: 0, kept: 0 }
  }
}

function codePoint(text: string, words: string): number {
  const at = text.indexOf(words)
  if (at < 0) throw new Error(`"${words}" is not in the text`)
  return Array.from(text.slice(0, at)).length
}

function expectInvalid(run: () => unknown, message?: RegExp): AppError {
  let caught: unknown
  try {
    run()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(AppError)
  const error = caught as AppError
  expect(error.code).toBe('invalid-input')
  if (message) expect(error.message).toMatch(message)
  return error
}

const TWO_PARAGRAPHS = '6f1b1c3e-2d4a-4b8e-9c1d-0a2b3c4d5e70'

/** A collection carrying one two-paragraph article and annotations tagging the given quotes in it. */
function quotesFile(quotes: readonly string[]): string {
  return JSON.stringify({
    type: 'AnnotationCollection',
    'stance:sources': [{ id: TWO_PARAGRAPHS, title: 'Two', doc: { type: 'doc', content: [para('First para.'), para('Second para.')] } }],
    items: quotes.map((exact) => ({
      type: 'Annotation',
      body: { purpose: 'tagging', value: 'Frame' },
      target: { 'stance:article': TWO_PARAGRAPHS, selector: { type: 'TextQuoteSelector', exact } }
    }))
  })
}

/**
 * A collection whose `first` page chains `pages` pages in all through `next`, the last holding `last`.
 * Written out by hand, since JSON.stringify recurses and a long chain nests deeply.
 */
function pageChain(pages: number, last: unknown): string {
  return `{"type":"AnnotationCollection","first":${'{"items":[],"next":'.repeat(pages - 1)}{"items":[${JSON.stringify(last)}]}${'}'.repeat(pages - 1)}}`
}

describe('W3C import: round trip', () => {
  it('restores identical highlights, codes, notes and articles in a fresh library', () => {
    const a = libraryA()
    const before = bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds)
    const file = exportW3c(before)
    const b = fresh()
    expect(b.repos.codes.list()).toEqual([])

    const report = importW3c(b.db, b.repos, file)

    expect(report).toEqual({
      articles: { matched: 0, created: 3 },
      codes: { matched: 0, created: 5 },
      highlights: { created: 8, duplicates: 0, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 },
      notes: { created: 4, kept: 0 }
    })
    const after = bundleOf(b.db, b.repos, a.articleIds)
    expect(essentials(after)).toStrictEqual(essentials(before))
    // The parts the comparison spells out, so a failure above is easy to read.
    const moscowB = after.articles[1]!
    expect(moscowB.article.text).toBe(a.moscow.text)
    expect(moscowB.highlights.map((h) => h.id)).toEqual(before.articles[1]!.highlights.map((h) => h.id))
    expect(b.repos.codes.find(a.sanctions.id)).toMatchObject({ name: 'Sanctions', color: '#8e44ad', parentId: a.lib.codes[3].id, description: 'Measures against Russia.' })
    expect(b.repos.codes.list().map((c) => c.shortcut)).toEqual(a.lib.store.repos.codes.list().map((c) => c.shortcut))
    expect(moscowB.notes[a.highlights.said.id]!.doc).toStrictEqual(a.lib.store.repos.notes.find({ highlightId: a.highlights.said.id })!.doc)
    expect(moscowB.memo!.html).toContain(`data-highlight-id="${a.highlights.arabic.id}"`)
    // Imported rows are found by search like the app's own: the FTS triggers saw them.
    const hits = b.db.prepare("SELECT count(*) AS n FROM highlights_fts WHERE highlights_fts MATCH 'условий'").get() as { n: number }
    expect(hits.n).toBe(2)
    dumpStore(b.db)
  })

  it('carries groups (with their kind) and dictionaries across, and never lets a file code passages with a group', () => {
    const a = libraryA()
    const [us, ru] = a.lib.codes
    const group = a.lib.codebook.create({ name: 'Stances', color: '#6b7280', groupKind: 'stance' })
    a.lib.codebook.update(us.id, { parentId: group.id })
    a.lib.codebook.update(ru.id, { parentId: group.id, dictionary: ['Kremlin', 'Лавров'] })
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))
    const b = fresh()
    importW3c(b.db, b.repos, file)
    expect(b.repos.codes.find(group.id)).toMatchObject({ name: 'Stances', groupKind: 'stance', parentId: null, shortcut: null })
    expect(b.repos.codes.find(ru.id)).toMatchObject({ parentId: group.id, dictionary: ['Kremlin', 'Лавров'], groupKind: null })

    // A hostile file: its codebook calls the very code its passage carries a group.
    const json = JSON.parse(file) as { 'stance:codebook': { id: string; groupKind: string | null; parentId: string | null }[] }
    for (const entry of json['stance:codebook']) if (entry.id === ru.id) Object.assign(entry, { groupKind: 'issue', parentId: null })
    const c = fresh()
    importW3c(c.db, c.repos, JSON.stringify(json))
    expect(c.repos.codes.find(ru.id)).toMatchObject({ groupKind: null })
    // Into a library where that id already is a group, the import is refused and nothing changes.
    const d = fresh()
    d.repos.codes.insert({ name: 'Issues', color: '#6b7280', groupKind: 'issue' })
    d.db.prepare('UPDATE codes SET id = ? WHERE name = ?').run(ru.id, 'Issues')
    const before = dumpStore(d.db)
    expect(() => importW3c(d.db, d.repos, file)).toThrow(/"Issues", which is a group/)
    expect(dumpStore(d.db)).toEqual(before)
  })

  it('reports everything as duplicate on a second import and changes nothing', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))
    const b = fresh()
    importW3c(b.db, b.repos, file)
    const before = snapshot(b.db)

    const report = importW3c(b.db, b.repos, file)

    expect(report).toEqual({
      articles: { matched: 3, created: 0 },
      codes: { matched: 5, created: 0 },
      highlights: { created: 0, duplicates: 8, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 },
      notes: { created: 0, kept: 4 }
    })
    expect(snapshot(b.db)).toStrictEqual(before)
  })

  it('restores just the one highlight (and its note) deleted from the library the file came from', () => {
    const a = libraryA()
    const { db, repos } = a.lib.store
    const original = bundleOf(db, repos, a.articleIds)
    const file = exportW3c(original)
    a.lib.coding.delete(a.highlights.both.id)
    expect(repos.highlights.find(a.highlights.both.id)).toBeUndefined()

    const report = importW3c(db, repos, file)

    expect(report.highlights).toEqual({ created: 1, duplicates: 7, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 })
    expect(report.notes).toEqual({ created: 1, kept: 3 })
    expect(report.articles).toEqual({ matched: 3, created: 0 })
    expect(report.codes).toEqual({ matched: 5, created: 0 })
    expect(essentials(bundleOf(db, repos, a.articleIds))).toStrictEqual(essentials(original))
  })

  it('adds missing codes to a passage already on the same words instead of a second highlight', () => {
    const a = libraryA()
    const { db, repos } = a.lib.store
    const file = exportW3c(bundleOf(db, repos, a.articleIds))
    const [us, , ua] = a.lib.codes
    a.lib.coding.update({ id: a.highlights.both.id, codeIds: [us.id] })

    const report = importW3c(db, repos, file)

    expect(report.highlights).toMatchObject({ created: 0, duplicates: 7, merged: 1 })
    expect(new Set(repos.highlights.require(a.highlights.both.id).codeIds)).toEqual(new Set([us.id, ua.id]))
  })

  it('gives a passage whose id is taken elsewhere a new id and points quote chips at it', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))
    const b = fresh()
    importW3c(b.db, b.repos, file)
    // In B, the overlapping passage moves elsewhere and the passage whose note quotes it goes.
    const text = b.repos.articles.textOf(a.moscow.id)
    const at = codePoint(text, 'fell overnight')
    b.repos.highlights.move(a.highlights.overlap.id, at, at + 'fell overnight'.length)
    b.repos.highlights.delete(a.highlights.said.id)

    const report = importW3c(b.db, b.repos, file)

    expect(report.highlights).toMatchObject({ created: 2, duplicates: 6 })
    const placed = b.repos.highlights.listByArticle(a.moscow.id).filter((h) => h.exact === a.highlights.overlap.exact)
    expect(placed).toHaveLength(1)
    const newId = placed[0]!.id
    expect(newId).not.toBe(a.highlights.overlap.id)
    expect(b.repos.highlights.find(a.highlights.said.id)).toBeDefined()
    const note = b.repos.notes.find({ highlightId: a.highlights.said.id })!
    expect(JSON.stringify(note.doc)).toContain(newId)
    expect(note.html).toContain(`data-highlight-id="${newId}"`)
  })
})

describe('W3C import: into a library with its own codebook and articles', () => {
  it('matches codes by name under the same parent, nests new ones there and drops a key already in use', () => {
    const a = libraryA()
    a.lib.codebook.update(a.sanctions.id, { shortcut: '5' })
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))
    const b = openTestLibrary()
    open.push(b.store)
    const other = b.codebook.create({ name: 'Other', color: '#123456', shortcut: '5' })

    const report = importW3c(b.store.db, b.store.repos, file)

    expect(report.codes).toEqual({ matched: 4, created: 1 })
    const [, , , euB] = b.codes
    const sanctions = b.store.repos.codes.list().find((c) => c.name === 'Sanctions')!
    expect(sanctions).toMatchObject({ id: a.sanctions.id, parentId: euB.id, color: '#8e44ad', shortcut: null })
    expect(b.store.repos.codes.require(other.id).shortcut).toBe('5')
    const both = b.store.repos.highlights.require(a.highlights.both.id)
    expect(new Set(both.codeIds)).toEqual(new Set([b.codes[0].id, b.codes[2].id]))
    // The two test articles are here with other ids but the same text; the Moscow one is new.
    expect(report.articles).toEqual({ matched: 2, created: 1 })
    expect(b.store.repos.highlights.require(a.highlights.both.id).articleId).toBe(b.article.id)
    expect(importW3c(b.store.db, b.store.repos, file).highlights).toMatchObject({ created: 0, duplicates: 8 })
  })

  it('recreates an article that is in the trash here, under a new id, with new passage ids and chips following them', () => {
    const a = libraryA()
    const { db, repos } = a.lib.store
    const file = exportW3c(bundleOf(db, repos, a.articleIds))
    repos.articles.softDelete(a.moscow.id)

    const report = importW3c(db, repos, file)

    expect(report.articles).toEqual({ matched: 2, created: 1 })
    expect(report.highlights).toMatchObject({ created: 5, duplicates: 3 })
    const copy = repos.articles.list().find((article) => article.title === a.moscow.title)!
    expect(copy.id).not.toBe(a.moscow.id)
    expect(repos.articles.textOf(copy.id)).toBe(a.moscow.text)
    const passages = repos.highlights.listByArticle(copy.id)
    expect(passages.map((h) => h.exact)).toEqual(repos.highlights.listByArticle(a.moscow.id).map((h) => h.exact))
    for (const h of passages) expect(Object.values(a.highlights).map((o) => o.id)).not.toContain(h.id)
    const overlap = passages.find((h) => h.exact === a.highlights.overlap.exact)!
    const said = passages.find((h) => h.exact === a.highlights.said.exact)!
    expect(JSON.stringify(repos.notes.find({ highlightId: said.id })!.doc)).toContain(overlap.id)
    // The trashed original keeps its passages and notes untouched.
    expect(repos.highlights.listByArticle(a.moscow.id)).toHaveLength(5)
    expect(JSON.stringify(repos.notes.find({ highlightId: a.highlights.said.id })!.doc)).toContain(a.highlights.overlap.id)
  })

  it('counts an article once when annotations reach it by address after it was created from the sources', () => {
    const b = fresh()
    const id = '6f1b1c3e-2d4a-4b8e-9c1d-0a2b3c4d5e6f'
    const file = {
      type: 'AnnotationCollection',
      'stance:sources': [{ id, title: 'Page', sourceUrl: 'https://x.example/p', doc: { type: 'doc', content: [para('One two three.')] } }],
      first: {
        items: [
          { type: 'Annotation', body: { purpose: 'tagging', value: 'A' }, target: { source: 'https://x.example/p', selector: { type: 'TextQuoteSelector', exact: 'two' } } },
          { type: 'Annotation', body: { purpose: 'tagging', value: 'a' }, target: { source: 'https://x.example/p', selector: { type: 'TextQuoteSelector', exact: 'three' } } }
        ]
      }
    }
    const report = importW3c(b.db, b.repos, JSON.stringify(file))
    expect(report).toEqual({
      ...emptyReport(),
      articles: { matched: 0, created: 1 },
      codes: { matched: 0, created: 1 },
      highlights: { ...emptyReport().highlights, created: 2 }
    })
    expect(b.repos.highlights.listByArticle(id as ArticleId).map((h) => h.exact)).toEqual(['two', 'three'])
  })

  it('recreates articles without annotations too, matching sources by text to the library and to each other', () => {
    const b = openTestLibrary()
    open.push(b.store)
    const ids = ['6f1b1c3e-2d4a-4b8e-9c1d-0a2b3c4d5e01', '6f1b1c3e-2d4a-4b8e-9c1d-0a2b3c4d5e02', '6f1b1c3e-2d4a-4b8e-9c1d-0a2b3c4d5e03', '6f1b1c3e-2d4a-4b8e-9c1d-0a2b3c4d5e04'] as const
    const source = (id: string, text: string, sourceUrl?: string) => ({ id, title: text, ...(sourceUrl ? { sourceUrl } : {}), doc: { type: 'doc', content: [para(text)] } })
    const file = {
      type: 'AnnotationCollection',
      'stance:sources': [
        // The text of an article of the library (under another id), one new text twice, and a new address twice.
        { id: ids[0], title: 'Copy', doc: b.store.repos.articles.require(b.article.id).doc },
        source(ids[1], 'Nobody annotated this.'),
        source(ids[2], 'Nobody annotated this.'),
        source(ids[3], 'Also unannotated.', 'https://x.example/new'),
        source('not-a-uuid', 'Another version.', 'https://x.example/new')
      ],
      items: [{ type: 'Annotation', body: { purpose: 'tagging', value: 'Frame' }, target: { 'stance:article': ids[0], selector: { type: 'TextQuoteSelector', exact: 'Brussels' } } }]
    }
    const articlesBefore = b.store.repos.articles.list().length

    const report = importW3c(b.store.db, b.store.repos, JSON.stringify(file))

    expect(report.articles).toEqual({ matched: 1, created: 2 })
    expect(report.highlights.created).toBe(1)
    expect(b.store.repos.articles.list()).toHaveLength(articlesBefore + 2)
    expect(b.store.repos.articles.find(ids[1] as ArticleId)?.text).toBe('Nobody annotated this.')
    expect(b.store.repos.articles.find(ids[2] as ArticleId)).toBeUndefined()
    expect(b.store.repos.articles.find(ids[3] as ArticleId)?.sourceUrl).toBe('https://x.example/new')
    expect(b.store.repos.highlights.listByArticle(b.article.id).map((h) => h.exact)).toContain('Brussels')
    expect(importW3c(b.store.db, b.store.repos, JSON.stringify(file)).articles).toEqual({ matched: 3, created: 0 })
  })
})

describe('W3C import: anchoring', () => {
  it('re-anchors by quote when the article text was edited before the passage', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, [a.moscow.id]))
    const b = fresh()
    // The same article (same address) in a slightly different version: one word before the quotes changed.
    const edited = b.repos.articles.insert({ title: 'Moscow', outlet: null, author: null, publishedAt: null, sourceUrl: MOSCOW_URL }, moscowDoc('crashed'))

    const report = importW3c(b.db, b.repos, file)

    expect(report.articles).toEqual({ matched: 1, created: 0 })
    expect(report.highlights).toMatchObject({ created: 5, orphaned: 0 })
    for (const original of [a.highlights.said, a.highlights.overlap, a.highlights.arabic, a.highlights.nested, a.highlights.quoted]) {
      const moved = b.repos.highlights.require(original.id)
      expect(moved).toMatchObject({ articleId: edited.id, exact: original.exact, start: original.start + 3, end: original.end + 3 })
      expect(moved.start).toBe(codePoint(edited.text, original.exact))
    }
  })

  it('counts a quote that is no longer in the text as orphaned and creates nothing for it', () => {
    const a = libraryA()
    const parsed = JSON.parse(exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, [a.moscow.id]))) as { first: { items: Record<string, unknown>[] } }
    const gone = parsed.first.items.find((item) => item.id === `urn:uuid:${a.highlights.arabic.id}`) as { target: { selector: Record<string, unknown>[] } }
    gone.target.selector = [
      { type: 'TextQuoteSelector', exact: 'Pyongyang rejected every single proposal', prefix: 'In ', suffix: ' today' },
      { type: 'TextPositionSelector', start: 3, end: 20 }
    ]
    const b = fresh()

    const report = importW3c(b.db, b.repos, JSON.stringify(parsed))

    expect(report.highlights).toMatchObject({ created: 4, orphaned: 1 })
    expect(b.repos.highlights.find(a.highlights.arabic.id)).toBeUndefined()
    // The memo quoting it still comes in, its chip shown as deleted.
    expect(b.repos.notes.find({ articleId: a.moscow.id })!.html).toContain('data-status="deleted"')
  })

  it('changes nothing when none of the quotes is in the matching article', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, [a.moscow.id]), { includeSources: false, includeNotes: false })
    const b = fresh()
    b.repos.articles.insert({ title: 'Other', outlet: null, author: null, publishedAt: null, sourceUrl: MOSCOW_URL }, { type: 'doc', content: [para('A completely different story about fisheries.')] })
    const before = snapshot(b.db)

    const report = importW3c(b.db, b.repos, file)

    expect(report).toEqual({ ...emptyReport(), articles: { matched: 1, created: 0 }, highlights: { ...emptyReport().highlights, orphaned: 5 } })
    expect(snapshot(b.db)).toStrictEqual(before)
  })

  it('places a quote that begins on a paragraph break on its words, and creates nothing for a quote of whitespace', () => {
    const b = fresh()

    const report = importW3c(b.db, b.repos, quotesFile(['\n\nSecond', '\n\n', 'para. \n']))

    expect(report.highlights).toEqual({ ...emptyReport().highlights, created: 2, orphaned: 1 })
    const text = b.repos.articles.textOf(TWO_PARAGRAPHS as ArticleId)
    const placed = b.repos.highlights.listByArticle(TWO_PARAGRAPHS as ArticleId)
    expect(placed.map((h) => [h.exact, h.start, h.end])).toEqual([
      ['para.', codePoint(text, 'para.'), codePoint(text, 'para.') + 5],
      ['Second', codePoint(text, 'Second'), codePoint(text, 'Second') + 6]
    ])
    // The stored quote is cut from the trimmed range, so its context is the words around it.
    expect(placed[1]).toMatchObject({ prefix: 'First para.\n\n', suffix: ' para.' })
  })

  it('anchors a passage annotated many times once and lands every copy on it', () => {
    const b = fresh()

    const report = importW3c(b.db, b.repos, quotesFile(Array.from({ length: 2000 }, () => 'Second para')))

    expect(report.highlights).toEqual({ ...emptyReport().highlights, created: 1, duplicates: 1999 })
  })

  it('stops an import that runs over its time budget with a timeout and changes nothing', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))
    const b = fresh()
    const before = snapshot(b.db)
    // A clock that moves a millisecond each time it is read: the budget runs out a few steps into the import.
    let clock = 0
    const now = () => clock++

    const inserts = vi.spyOn(b.repos.articles, 'insert')

    let caught: unknown
    try {
      importW3c(b.db, b.repos, file, { budgetMs: 5, now })
    } catch (error) {
      caught = error
    }

    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('timeout')
    expect((caught as AppError).message).toMatch(/took longer than 5 ms and was stopped; nothing was changed/)
    // Articles were already created when the budget ran out; the transaction took them back.
    expect(inserts).toHaveBeenCalled()
    expect(snapshot(b.db)).toStrictEqual(before)
    // The same file within a budget it can keep comes in whole.
    expect(importW3c(b.db, b.repos, file, { budgetMs: 1_000_000, now }).highlights.created).toBe(8)
  })

  it('counts annotations whose article is neither here nor in the file as unresolved', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, [a.moscow.id]), { includeSources: false })
    const b = fresh()
    const before = snapshot(b.db)

    const report = importW3c(b.db, b.repos, file)

    expect(report).toEqual({ ...emptyReport(), highlights: { ...emptyReport().highlights, unresolved: 5 } })
    expect(snapshot(b.db)).toStrictEqual(before)
  })
})

describe('W3C import: foreign files', () => {
  const RIYADH = 'https://news.example/riyadh'

  function libraryWithUrl() {
    const lib = openTestLibrary()
    open.push(lib.store)
    const article = lib.store.repos.articles.insert(
      { title: 'Riyadh', outlet: null, author: null, publishedAt: null, sourceUrl: RIYADH },
      { type: 'doc', content: [para('Zelenskyy 🇺🇦 said “Nothing about Ukraine without Ukraine,” and Лавров disagreed.'), para('Brussels asked for a seat at the table.')] }
    )
    return { lib, article }
  }

  it('matches top-level codes of an older file to the same codes inside groups, and never reads a tag as a group', () => {
    const a = libraryA()
    const file = exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))
    const b = fresh()
    const stances = b.repos.codes.insert({ name: 'Stances', color: '#6b7280', groupKind: 'stance' })
    const issues = b.repos.codes.insert({ name: 'Issues', color: '#6b7280', groupKind: 'issue' })
    const ru = b.repos.codes.insert({ name: 'Russian stance', color: '#d55e00', parentId: stances.id })
    const codesBefore = b.repos.codes.list().length
    const report = importW3c(b.db, b.repos, file)
    // The file's "Russian stance" (top level there) is this library's, inside Stances; no second one appears.
    expect(b.repos.codes.list().filter((c) => c.name === 'Russian stance').map((c) => c.id)).toEqual([ru.id])
    expect(report.codes.created).toBe(b.repos.codes.list().length - codesBefore)

    const tagged = JSON.parse(file) as { first: { items: { body: { purpose?: string; value?: string }[] }[] } }
    const first = tagged.first.items.find((item) => item.body.some((x) => x.purpose === 'tagging'))!
    first.body = [...first.body.filter((x) => x.purpose !== 'tagging'), { type: 'TextualBody', purpose: 'tagging', value: 'Issues' } as never]
    delete (tagged as Record<string, unknown>)['stance:codebook']
    const c = fresh()
    c.repos.codes.insert({ name: 'Issues', color: '#6b7280', groupKind: 'issue' })
    expect(() => importW3c(c.db, c.repos, JSON.stringify(tagged))).not.toThrow()
    const made = c.repos.codes.list().find((code) => code.name === 'Issues (tag)')
    expect(made).toMatchObject({ groupKind: null, parentId: null })
    expect(issues.groupKind).toBe('issue')
  })

  it('imports a single Hypothesis-style annotation onto the article with that address, tags becoming codes by name', () => {
    const { lib, article } = libraryWithUrl()
    const annotation = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'https://hypothes.is/a/AbC123xyz',
      type: 'Annotation',
      created: '2025-03-01T10:00:00.123456+00:00',
      modified: 'yesterday',
      creator: 'acct:ana@hypothes.is',
      'hypothesis:extra': { anything: [1, 2, 3] },
      body: [
        {
          type: 'TextualBody',
          format: 'text/html',
          value: '<p>Strong <b>claim</b><script>alert("x")</script></p><p onclick="evil()">second &amp; last &lt;tag&gt; &#x1F600;</p><!-- hidden --><style>p{}</style>a < b',
          language: 'en'
        },
        { type: 'TextualBody', purpose: 'tagging', value: 'ukrainian STANCE' },
        { type: 'TextualBody', purpose: 'tagging', value: 'Energy' }
      ],
      target: [
        {
          source: RIYADH,
          selector: [
            { type: 'RangeSelector', startSelector: { type: 'XPathSelector', value: '/p[1]' }, endSelector: { type: 'XPathSelector', value: '/p[1]' } },
            { type: 'TextQuoteSelector', exact: 'Nothing about Ukraine without Ukraine', prefix: 'said “', suffix: ',” and' }
          ]
        }
      ]
    }

    const report = importW3c(lib.store.db, lib.store.repos, JSON.stringify(annotation))

    expect(report).toEqual({
      articles: { matched: 1, created: 0 },
      codes: { matched: 1, created: 1 },
      highlights: { created: 1, duplicates: 0, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 },
      notes: { created: 1, kept: 0 }
    })
    const [highlight] = lib.store.repos.highlights.listByArticle(article.id)
    expect(highlight).toBeDefined()
    expect(highlight!.start).toBe(codePoint(article.text, 'Nothing about'))
    expect(highlight!.exact).toBe('Nothing about Ukraine without Ukraine')
    expect(highlight!.createdAt).toBe('2025-03-01T10:00:00.123Z')
    expect(highlight!.updatedAt).not.toBe('yesterday')
    const energy = lib.store.repos.codes.list().find((c) => c.name === 'Energy')!
    expect(energy).toMatchObject({ parentId: null, shortcut: null })
    expect(energy.color).toMatch(/^#[0-9a-f]{6}$/)
    expect(new Set(highlight!.codeIds)).toEqual(new Set([lib.codes[2].id, energy.id]))
    const note = lib.store.repos.notes.find({ highlightId: highlight!.id })!
    expect(note.doc).toStrictEqual(doc(p(t('Strong claim')), p(t('second & last <tag> 😀')), p(t('a < b'))))
    expect(note.html).not.toMatch(/script|onclick|alert|<tag>/)
    expect(note.html).toContain('second &amp; last &lt;tag&gt;')
  })

  it('imports a plain collection: a page note becomes the memo, an untagged passage is skipped, ids are kept', () => {
    const { lib, article } = libraryWithUrl()
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e'
    const collection = {
      '@context': ['http://www.w3.org/ns/anno.jsonld', 'https://example.org/other-context.jsonld'],
      type: 'AnnotationCollection',
      first: {
        type: 'AnnotationPage',
        items: [
          {
            id: `urn:uuid:${id}`,
            type: 'Annotation',
            motivation: 'tagging',
            body: { type: 'TextualBody', value: 'eu stance' },
            target: { source: RIYADH, selector: [{ type: 'TextQuoteSelector', exact: 'Brussels asked' }, { type: 'TextPositionSelector', start: 999, end: 1013 }] }
          },
          { type: 'Annotation', bodyValue: 'Page note\n\nsecond line', target: RIYADH },
          { type: 'Annotation', body: { value: 'just a comment' }, target: { source: RIYADH, selector: { type: 'TextQuoteSelector', exact: 'Лавров' } } }
        ]
      }
    }

    const report = importW3c(lib.store.db, lib.store.repos, JSON.stringify(collection))

    expect(report.highlights).toEqual({ created: 1, duplicates: 0, merged: 0, orphaned: 0, unresolved: 0, uncoded: 1 })
    expect(report.notes).toEqual({ created: 1, kept: 0 })
    expect(lib.store.repos.highlights.require(id as HighlightId)).toMatchObject({ articleId: article.id, exact: 'Brussels asked', codeIds: [lib.codes[3].id] })
    expect(lib.store.repos.notes.find({ articleId: article.id })!.doc).toStrictEqual(doc(p(t('Page note')), p(t('second line'))))
  })

  it('accepts an unknown @context but refuses a type that is not an annotation', () => {
    const { lib, article } = libraryWithUrl()
    const annotation = (type: unknown) => ({
      '@context': 'https://example.org/not-anno.jsonld',
      type,
      body: { purpose: 'tagging', value: 'US stance' },
      target: { source: RIYADH, selector: { type: 'TextQuoteSelector', exact: 'Brussels' } }
    })
    expect(importW3c(lib.store.db, lib.store.repos, JSON.stringify(annotation(['Annotation', 'oa:Annotation']))).highlights.created).toBe(1)
    expect(lib.store.repos.highlights.listByArticle(article.id)).toHaveLength(1)
    const before = snapshot(lib.store.db)
    expectInvalid(() => importW3c(lib.store.db, lib.store.repos, JSON.stringify(annotation('Note'))), /type "Note".*AnnotationCollection/)
    expectInvalid(() => importW3c(lib.store.db, lib.store.repos, JSON.stringify({ type: 'AnnotationCollection', first: { items: [annotation('Comment')] } })), /first\.items\[0\]\.type must be "Annotation"/)
    expect(snapshot(lib.store.db)).toStrictEqual(before)
  })
})

describe('W3C import: refusals', () => {
  function validFile() {
    const a = libraryA()
    return { a, file: JSON.parse(exportW3c(bundleOf(a.lib.store.db, a.lib.store.repos, a.articleIds))) as Record<string, unknown> & { first: { items: Record<string, unknown>[] } } }
  }

  /** The selectors of the first passage annotation of a parsed export. */
  function firstSelectors(file: { first: { items: Record<string, unknown>[] } }): Record<string, unknown>[] {
    const item = file.first.items.find((i) => i.motivation === 'highlighting') as { target: { selector: Record<string, unknown>[] } }
    return item.target.selector
  }

  it.each([
    ['not JSON', () => 'this is not json {', /not valid JSON/],
    ['a number', () => '42', /holds a JSON number/],
    ['an array', () => '[]', /holds a JSON array/],
    ['an object without a type', () => '{"items": []}', /without a "type"/],
    ['a body value of the wrong type', (f: ReturnType<typeof validFile>['file']) => {
      ;(f.first.items[1] as { body: Record<string, unknown>[] }).body[0]!.value = 42
      return JSON.stringify(f)
    }, /first\.items\[1\]\.body\[0\]\.value expected string, received number/],
    ['a quote selector without exact', (f: ReturnType<typeof validFile>['file']) => {
      delete firstSelectors(f)[0]!.exact
      return JSON.stringify(f)
    }, /target\.selector\[0\]\.exact/],
    ['a negative position', (f: ReturnType<typeof validFile>['file']) => {
      firstSelectors(f)[1]!.start = -1
      return JSON.stringify(f)
    }, /target\.selector\[1\]\.start must not be negative/],
    ['a reversed position', (f: ReturnType<typeof validFile>['file']) => {
      Object.assign(firstSelectors(f)[1]!, { start: 10, end: 5 })
      return JSON.stringify(f)
    }, /target\.selector\[1\]\.end must be after start/],
    ['a fractional position', (f: ReturnType<typeof validFile>['file']) => {
      firstSelectors(f)[1]!.end = 7.5
      return JSON.stringify(f)
    }, /whole number/],
    ['a target that is a number', (f: ReturnType<typeof validFile>['file']) => {
      f.first.items[1]!.target = 7
      return JSON.stringify(f)
    }, /first\.items\[1\]\.target/],
    ['a string over 10 MB', (f: ReturnType<typeof validFile>['file']) => {
      ;(f.first.items[1] as { body: Record<string, unknown>[] }).body[0]!.value = 'x'.repeat(10 * 1024 * 1024 + 1)
      return JSON.stringify(f)
    }, /longer than 10 MB at first\.items\[1\]\.body\[0\]\.value/],
    ['an article document off the reading schema', (f: ReturnType<typeof validFile>['file']) => {
      const sources = f['stance:sources'] as { doc: { content: unknown[] } }[]
      sources[1]!.doc.content.push({ type: 'script', content: [{ type: 'text', text: 'alert(1)' }] })
      return JSON.stringify(f)
    }, /stance:sources\[1\]\.doc\.content\[5\]/],
    ['a codebook colour that is not #rrggbb', (f: ReturnType<typeof validFile>['file']) => {
      ;(f['stance:codebook'] as Record<string, unknown>[])[0]!.color = 'red'
      return JSON.stringify(f)
    }, /stance:codebook\[0\]\.color must be a colour/],
    ['a link to pages it does not hold', (f: ReturnType<typeof validFile>['file']) => {
      ;(f as Record<string, unknown>).first = 'https://example.org/page1'
      return JSON.stringify(f)
    }, /only links to its annotations/]
  ])('refuses %s with invalid-input and leaves the library as it was', (_, make, message) => {
    const { a, file } = validFile()
    const { db, repos } = a.lib.store
    const before = snapshot(db)
    expectInvalid(() => importW3c(db, repos, make(file)), message)
    expect(snapshot(db)).toStrictEqual(before)
  })

  it(`refuses more than ${W3C_MAX_ANNOTATIONS.toLocaleString('en')} annotations before reading them`, () => {
    const b = fresh()
    const item = { type: 'Annotation', target: 'https://example.org/' }
    const file = JSON.stringify({ type: 'AnnotationCollection', first: { type: 'AnnotationPage', items: Array.from({ length: W3C_MAX_ANNOTATIONS + 1 }, () => item) } })
    expectInvalid(() => importW3c(b.db, b.repos, file), /100,001 annotations/)
  })

  it(`reads a chain of ${W3C_MAX_PAGES.toLocaleString('en')} pages and refuses a longer one`, () => {
    const lib = openTestLibrary()
    open.push(lib.store)
    const { db, repos } = lib.store
    const text = repos.articles.textOf(lib.article.id)
    const annotation = { type: 'Annotation', body: { purpose: 'tagging', value: 'Frame' }, target: { 'stance:article': lib.article.id, selector: { type: 'TextQuoteSelector', exact: 'Brussels' } } }
    const before = snapshot(db)

    expectInvalid(() => importW3c(db, repos, pageChain(2 * W3C_MAX_PAGES, annotation)), /more than 10,000 annotation pages/)
    expectInvalid(() => importW3c(db, repos, pageChain(W3C_MAX_PAGES + 1, annotation)), /more than 10,000 annotation pages/)
    // An error deep in a long chain names the page by how many steps along it is.
    expectInvalid(() => importW3c(db, repos, pageChain(5000, { ...annotation, target: 7 })), /first\.next\[×4999\]\.items\[0\]\.target/)
    expectInvalid(() => importW3c(db, repos, pageChain(3, { ...annotation, target: 7 })), /first\.next\.next\.items\[0\]\.target/)
    expect(snapshot(db)).toStrictEqual(before)

    const report = importW3c(db, repos, pageChain(W3C_MAX_PAGES, annotation))
    expect(report.highlights).toMatchObject({ created: 1 })
    expect(repos.highlights.listByArticle(lib.article.id)[0]).toMatchObject({ exact: 'Brussels', start: codePoint(text, 'Brussels') })
  })

  it(`refuses more than ${W3C_MAX_SOURCES.toLocaleString('en')} articles in stance:sources before reading them`, () => {
    const b = fresh()
    const before = snapshot(b.db)
    // Not even valid sources: they are counted before anything is read.
    const file = JSON.stringify({ type: 'AnnotationCollection', 'stance:sources': Array.from({ length: W3C_MAX_SOURCES + 1 }, () => ({})) })
    expectInvalid(() => importW3c(b.db, b.repos, file), /10,001 articles in "stance:sources".*at most 10,000/)
    expect(snapshot(b.db)).toStrictEqual(before)
  })

  it('rolls everything back when something fails half way', () => {
    const { a, file } = validFile()
    const b = fresh()
    const before = snapshot(b.db)
    vi.spyOn(b.repos.notes, 'save').mockImplementation(() => {
      throw new Error('disk I/O error')
    })
    expect(() => importW3c(b.db, b.repos, JSON.stringify(file))).toThrow('disk I/O error')
    expect(snapshot(b.db)).toStrictEqual(before)
    expect(b.repos.articles.find(a.moscow.id)).toBeUndefined()
  })

  it('falls back to the HTML text when stance:doc does not fit the note schema', () => {
    const { a, file } = validFile()
    const item = file.first.items.find((i) => i.id === `urn:uuid:${a.highlights.both.id}`) as { body: Record<string, unknown>[] }
    const comment = item.body.find((body) => body.purpose === 'commenting')!
    comment['stance:doc'] = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] }
    const b = fresh()
    importW3c(b.db, b.repos, JSON.stringify(file))
    const note = b.repos.notes.find({ highlightId: a.highlights.both.id })!
    expect(note.doc.content[0]).toStrictEqual(p(t('Kyiv’s red line')))
    expect(note.plain).toContain('point <one> & “two”')
    expect(note.html).not.toContain('javascript')
  })
})

describe('htmlToText', () => {
  it('keeps text, breaks at blocks and drops markup, scripts and comments', () => {
    expect(htmlToText('<h1>T</h1><p>a<br/>b</p><ul><li>x</li><li>y</li></ul>')).toBe('\n\nT\n\n\n\na\nb\n\n\n\n\n\nx\n\n\n\ny\n\n\n\n')
    expect(htmlToText('<p title="a > b">one</p><script>var s = "</p>"</script>two<!-- <p>three</p> -->')).toBe('\n\none\n\ntwo')
    expect(htmlToText('x <STYLE>p { color: red }</style > y &amp;&#65;&bogus; &#0; &#xD800;')).toBe('x  y &A&bogus; \ufffd \ufffd')
    expect(htmlToText('unterminated <a href="x')).toBe('unterminated ')
    expect(htmlToText('<script>never closed')).toBe('')
    // Names of Object.prototype's members are no entities.
    expect(htmlToText('a &constructor; b &toString;&hasOwnProperty; &__proto__; &amp;')).toBe('a &constructor; b &toString;&hasOwnProperty; &__proto__; &')
  })

  it('stays linear on hostile input', () => {
    // Each of these makes a naive regular expression (or a rescan per '<') quadratic.
    for (const hostile of ['<!--'.repeat(300_000), '<a '.repeat(300_000), '<script>'.repeat(150_000), '<p title="'.repeat(150_000), 'a < '.repeat(300_000), '&#'.repeat(300_000)]) {
      const started = performance.now()
      htmlToText(hostile)
      expect(performance.now() - started).toBeLessThan(1000)
    }
  })
})
