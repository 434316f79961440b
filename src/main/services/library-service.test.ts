import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { CodePointIndex } from '../../shared/anchoring/code-point-index'
import { textQuoteAt } from '../../shared/anchoring/text-quote'
import type { Code } from '../../shared/domain/code'
import type { ArticleId } from '../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import { listAnchoredHighlights } from './anchor-repair'
import { DEFAULT_STANCES } from './default-codebook'
import { LibraryService, quoteAt } from './library-service'
import { dumpStore, noteContent } from './test-support'

let store: TestDatabase
afterEach(() => store?.dispose())

const ORIGINAL = [
  'Zelenskyy said nothing about Ukraine without Ukraine.',
  'Brussels asked for a seat at the table.',
  'Washington said Europe would be consulted later.',
  'Lavrov called the talks very useful.'
].join('\n\n')

const ADDED = 'A paragraph the editors added later, which pushes the rest down.'
/** How far the inserted paragraph moves what follows it, in code points. */
const SHIFT = ADDED.length + 2

const REVISED = [
  'Talks in Riyadh (updated)',
  'Zelenskyy said nothing about Ukraine without Ukraine.',
  ADDED,
  'Brussels asked for a seat at the table.',
  'Washington said Europe would be consulted latter.',
  'The Kremlin said more talks would follow, 🇺🇦 notwithstanding.'
].join('\n\n')

async function setUp() {
  store = openTestDatabase()
  const codes = DEFAULT_STANCES.map((code) => store.repos.codes.insert(code)) as [Code, Code, Code, Code]
  const library = new LibraryService(store.db, store.repos)
  const article = await library.import({ kind: 'text', content: `Talks in Riyadh\n\n${ORIGINAL}`, fileName: 'talks.txt' })
  const range = (quote: string) => {
    const at = [...article.text.slice(0, article.text.indexOf(quote))].length
    return { start: at, end: at + [...quote].length }
  }
  const mark = (quote: string) => store.repos.highlights.insert({ articleId: article.id, ...range(quote), codeIds: [codes[0].id] })
  const unchanged = mark('Zelenskyy said')
  const moved = mark('seat at the table')
  const changed = mark('Europe would be consulted later')
  const orphaned = mark('Lavrov called the talks very useful')
  store.repos.notes.save({ highlightId: orphaned.id }, noteContent('keep me'), undefined)
  return { library, article, codes, unchanged, moved, changed, orphaned }
}

describe('LibraryService: import', () => {
  it('imports a document as an article and keeps the file name as a fallback title', async () => {
    const { article } = await setUp()
    expect(article).toMatchObject({ title: 'Talks in Riyadh', text: ORIGINAL, deletedAt: null, codeCounts: {} })
    await expect(new LibraryService(store.db, store.repos).import({ kind: 'html', content: '<p>', fileName: 'x.html' })).rejects.toMatchObject({ code: 'invalid-input' })
  })
})

describe('LibraryService: re-import', () => {
  it('reviews without changing anything: unchanged, moved, changed and orphaned highlights', async () => {
    const { library, article, unchanged, moved, changed, orphaned } = await setUp()
    const before = dumpStore(store.db)
    const row = store.db.prepare('SELECT * FROM articles').all()
    const review = await library.replaceText(article.id, { kind: 'text', content: REVISED, fileName: 'talks-v2.txt' }, false)
    expect(review).toEqual({
      applied: false,
      wordsBefore: article.wordCount,
      wordsAfter: expect.any(Number),
      items: [
        { highlightId: unchanged.id, before: 'Zelenskyy said', after: 'Zelenskyy said', status: 'unchanged', start: unchanged.start, end: unchanged.end },
        { highlightId: moved.id, before: 'seat at the table', after: 'seat at the table', status: 'moved', start: moved.start + SHIFT, end: moved.end + SHIFT },
        { highlightId: changed.id, before: 'Europe would be consulted later', after: 'Europe would be consulted latter', status: 'changed', start: changed.start + SHIFT, end: changed.end + SHIFT + 1 },
        { highlightId: orphaned.id, before: 'Lavrov called the talks very useful', after: null, status: 'orphaned', start: null, end: null }
      ]
    })
    expect(review.wordsAfter).toBeGreaterThan(review.wordsBefore)
    expect(dumpStore(store.db)).toEqual(before)
    expect(store.db.prepare('SELECT * FROM articles').all()).toEqual(row)
  })

  it('applies in one go: new text and index, highlights moved with fresh quotes, orphans flagged with their note and last quote', async () => {
    const { library, article, unchanged, moved, changed, orphaned, codes } = await setUp()
    const review = await library.replaceText(article.id, { kind: 'text', content: REVISED, fileName: 'talks-v2.txt' }, true)
    expect(review.applied).toBe(true)
    const after = store.repos.articles.require(article.id)
    // Metadata stays as the analyst left it; the new file's title line is not taken.
    expect(after).toMatchObject({ title: 'Talks in Riyadh', wordCount: review.wordsAfter, codeCounts: { [codes[0].id]: 3 } })
    expect(after.text).toBe(REVISED.slice(REVISED.indexOf('\n\n') + 2))
    expect(after.length).toBe([...after.text].length)
    const highlights = store.repos.highlights.listByArticle(article.id)
    const byId = new Map(highlights.map((h) => [h.id, h]))
    expect(byId.get(unchanged.id)).toMatchObject({ start: unchanged.start, exact: 'Zelenskyy said', orphaned: false, updatedAt: unchanged.updatedAt, version: unchanged.version })
    // Moved, changed and orphaned passages are written, so a window still showing their old place is refused.
    for (const h of [moved, changed, orphaned]) expect(byId.get(h.id)?.version).toBe((h.version ?? 0) + 1)
    for (const id of [moved.id, changed.id]) {
      const h = byId.get(id)!
      expect(h.orphaned).toBe(false)
      expect({ exact: h.exact, prefix: h.prefix, suffix: h.suffix }).toEqual(textQuoteAt(after.text, h.start, h.end))
    }
    expect(byId.get(changed.id)?.exact).toBe('Europe would be consulted latter')
    expect(byId.get(orphaned.id)).toMatchObject({ orphaned: true, exact: 'Lavrov called the talks very useful', start: orphaned.start, end: orphaned.end })
    expect(store.repos.notes.find({ highlightId: orphaned.id })?.plain).toBe('keep me')
    // Reading the highlights finds nothing left to repair.
    expect(listAnchoredHighlights(store.db, store.repos, article.id)).toEqual(highlights)
    // The full-text index follows the new text (dumpStore checks the FTS integrity too).
    dumpStore(store.db)
    const match = (word: string) => store.db.prepare('SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH ?').get(word)
    expect(match('kremlin')).toEqual({ n: 1 })
    expect(match('lavrov')).toEqual({ n: 0 })
  })

  it('brings an orphan back when its words return, and reports it as moved', async () => {
    const { library, article, orphaned } = await setUp()
    await library.replaceText(article.id, { kind: 'text', content: REVISED }, true)
    const review = await library.replaceText(article.id, { kind: 'markdown', content: `# Title\n\n${ORIGINAL}` }, true)
    expect(review.items.find((item) => item.highlightId === orphaned.id)).toMatchObject({ status: 'moved', after: 'Lavrov called the talks very useful' })
    expect(store.repos.highlights.require(orphaned.id)).toMatchObject({ orphaned: false, start: orphaned.start, end: orphaned.end })
  })

  it('refuses unknown articles before reading the document, and bad documents without changing anything', async () => {
    const { library, article } = await setUp()
    const before = dumpStore(store.db)
    await expect(library.replaceText('00000000-0000-4000-8000-000000000000' as ArticleId, { kind: 'text', content: 'x' }, true)).rejects.toMatchObject({ code: 'not-found' })
    await expect(library.replaceText(article.id, { kind: 'text', content: new Uint8Array([0, 1, 2]), fileName: 'v2.txt' }, true)).rejects.toMatchObject({
      code: 'invalid-input',
      message: '“v2.txt”: This file looks binary, not text.'
    })
    expect(dumpStore(store.db)).toEqual(before)
    expect(store.repos.articles.require(article.id).text).toBe(ORIGINAL)
  })
})

describe('quoteAt', () => {
  it('cuts the same selector as textQuoteAt, surrogate pairs included', () => {
    const alphabet = ['a', ' ', 'é', '🇺🇦', '😀', '\n', 'Ж', '\uD800']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (chars, a, b) => {
        const text = chars.join('')
        const index = new CodePointIndex(text)
        const start = a % index.length
        const end = start + 1 + (b % (index.length - start))
        expect(quoteAt(index, start, end)).toEqual(textQuoteAt(text, start, end))
      })
    )
  })
})
