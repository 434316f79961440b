import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ArticleDoc } from '../../../shared/domain/article-doc'
import type { ArticleId } from '../../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../open-test-database'
import { DEFAULT_STANCES } from '../../services/default-codebook'
import { dumpStore, noteContent } from '../../services/test-support'

let store: TestDatabase
afterEach(() => store?.dispose())

const meta = { title: 'Talks in Riyadh', outlet: 'Wire', author: 'A. Writer', publishedAt: '2025-02-17', sourceUrl: 'https://example.org/a' }
const doc: ArticleDoc = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Киев и Москва' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Envoys met ' }, { type: 'text', text: 'today', marks: [{ type: 'italic' }] }, { type: 'text', text: ' 🇺🇦.' }] },
    { type: 'paragraph' }
  ]
}

describe('ArticleRepository', () => {
  it('stores the document and derives the canonical text, length in code points and word count', () => {
    store = openTestDatabase()
    const article = store.repos.articles.insert(meta, doc)
    expect(article.text).toBe('Киев и Москва\n\nEnvoys met today 🇺🇦.')
    expect(article.length).toBe([...article.text].length)
    expect(article.wordCount).toBe(6)
    expect(article.doc).toEqual(doc)
    expect(store.repos.articles.find(article.id)).toEqual(article)
  })

  it('lists newest publication first, undated last', () => {
    store = openTestDatabase()
    store.repos.articles.insert({ ...meta, title: 'Old', publishedAt: '2024-01-01' }, doc)
    store.repos.articles.insert({ ...meta, title: 'Undated', publishedAt: null }, doc)
    store.repos.articles.insert({ ...meta, title: 'New', publishedAt: '2025-03-01' }, doc)
    expect(store.repos.articles.list().map((a) => a.title)).toEqual(['New', 'Old', 'Undated'])
  })

  it('keeps the full-text index in step', () => {
    store = openTestDatabase()
    const article = store.repos.articles.insert(meta, doc)
    const hits = store.db.prepare("SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH 'envoys'").all()
    expect(hits).toEqual([{ id: article.id }])
    store.db.prepare('DELETE FROM articles WHERE id = ?').run(article.id)
    expect(store.db.prepare("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'envoys'").get()).toEqual({ n: 0 })
  })

  it('rejects documents outside the reading schema and empty titles', () => {
    store = openTestDatabase()
    const hostile = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] }
    expect(() => store.repos.articles.insert(meta, hostile as ArticleDoc)).toThrow(/reading schema/)
    expect(() => store.repos.articles.insert({ ...meta, title: '  ' }, doc)).toThrow(/title/)
    expect(store.repos.articles.count()).toBe(0)
  })

  it('reports an unknown id as not found', () => {
    store = openTestDatabase()
    expect(() => store.repos.articles.require('00000000-0000-4000-8000-000000000000' as ArticleId)).toThrow(/no article/)
  })

  it('reads the canonical text of articles in the library and in the trash', () => {
    store = openTestDatabase()
    const article = store.repos.articles.insert(meta, doc)
    expect(store.repos.articles.textOf(article.id)).toBe(article.text)
    store.repos.articles.softDelete(article.id)
    expect(store.repos.articles.textOf(article.id)).toBe(article.text)
    expect(() => store.repos.articles.textOf(MISSING)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})

const MISSING = '00000000-0000-4000-8000-000000000000' as ArticleId

describe('ArticleRepository: library, trash and metadata', () => {
  function library() {
    store = openTestDatabase()
    const [us, ru] = DEFAULT_STANCES.map((code) => store.repos.codes.insert(code))
    if (!us || !ru) throw new Error('codebook missing')
    const a = store.repos.articles.insert({ ...meta, title: 'A', publishedAt: '2025-01-01' }, doc)
    const b = store.repos.articles.insert({ ...meta, title: 'B', publishedAt: '2025-02-01' }, doc)
    const h1 = store.repos.highlights.insert({ articleId: a.id, start: 0, end: 4, codeIds: [us.id, ru.id] })
    store.repos.highlights.insert({ articleId: a.id, start: 15, end: 21, codeIds: [us.id] })
    const orphan = store.repos.highlights.insert({ articleId: a.id, start: 22, end: 25, codeIds: [ru.id] })
    store.repos.highlights.markOrphaned(orphan.id)
    return { us, ru, a, b, h1 }
  }

  it('lists live highlights per code with one grouped query, whatever the number of articles', () => {
    const { us, ru, a, b } = library()
    for (let i = 0; i < 20; i++) store.repos.articles.insert({ ...meta, title: `Extra ${i}`, publishedAt: '2024-01-01' }, doc)
    const statement = Object.getPrototypeOf(store.db.prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown }
    const all = vi.spyOn(statement, 'all')
    const listed = store.repos.articles.list()
    expect(all).toHaveBeenCalledTimes(2)
    all.mockRestore()
    expect(listed).toHaveLength(22)
    expect(listed.slice(0, 2).map((x) => [x.title, x.codeCounts, x.deletedAt])).toEqual([
      ['B', {}, null],
      ['A', { [us.id]: 2, [ru.id]: 1 }, null]
    ])
    expect(store.repos.articles.find(a.id)?.codeCounts).toEqual({ [us.id]: 2, [ru.id]: 1 })
    expect(store.repos.articles.find(b.id)?.codeCounts).toEqual({})
  })

  it('moves articles to the trash and back with highlights and notes intact; get still reads a trashed one', () => {
    const { us, a, b, h1 } = library()
    store.repos.notes.save({ highlightId: h1.id }, noteContent('on the passage'), undefined)
    store.repos.notes.save({ articleId: a.id }, noteContent('memo'), undefined)
    const before = dumpStore(store.db)
    store.repos.articles.softDelete(a.id)
    expect(store.repos.articles.list().map((x) => x.title)).toEqual(['B'])
    const [trashed] = store.repos.articles.list({ trash: true })
    expect(trashed).toMatchObject({ id: a.id, deletedAt: expect.stringMatching(/^\d{4}-/), codeCounts: { [us.id]: 2 } })
    expect(store.repos.articles.require(a.id).deletedAt).toBe(trashed?.deletedAt)
    // Trashing twice keeps the first date.
    store.repos.articles.softDelete(a.id)
    expect(store.repos.articles.require(a.id).deletedAt).toBe(trashed?.deletedAt)
    expect(dumpStore(store.db)).toEqual(before)
    const restored = store.repos.articles.restore(a.id)
    expect(restored.deletedAt).toBeNull()
    expect(store.repos.articles.list().map((x) => x.title)).toEqual(['B', 'A'])
    expect(store.repos.articles.list({ trash: true })).toEqual([])
    expect(dumpStore(store.db)).toEqual(before)
    expect(store.repos.articles.restore(b.id).deletedAt).toBeNull()
  })

  it('purges only from the trash, with highlights, codes links, notes and memo, keeping the indexes in step', () => {
    const { a, b, h1 } = library()
    store.repos.notes.save({ highlightId: h1.id }, noteContent('on the passage'), undefined)
    store.repos.notes.save({ articleId: a.id }, noteContent('memo'), undefined)
    store.repos.highlights.insert({ articleId: b.id, start: 0, end: 4, codeIds: h1.codeIds })
    expect(() => store.repos.articles.purge(a.id)).toThrow(expect.objectContaining({ code: 'conflict', message: 'Move the article to the trash first.' }))
    store.repos.articles.softDelete(a.id)
    store.repos.articles.purge(a.id)
    expect(store.repos.articles.find(a.id)).toBeUndefined()
    const left = dumpStore(store.db)
    expect(left.highlights).toHaveLength(1)
    expect(left.highlight_codes).toHaveLength(2)
    expect(left.notes).toEqual([])
    expect(store.db.prepare("SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH 'memo'").get()).toEqual({ n: 0 })
    expect(() => store.repos.articles.purge(a.id)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => store.repos.articles.softDelete(MISSING)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => store.repos.articles.restore(MISSING)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('edits metadata, validating each field, and keeps the title index in step', () => {
    const { a } = library()
    const edited = store.repos.articles.update(a.id, { title: '  New title ', outlet: '', author: null, publishedAt: '2024-02-29', sourceUrl: 'https://example.org/x' })
    expect(edited).toMatchObject({ title: 'New title', outlet: null, author: null, publishedAt: '2024-02-29', sourceUrl: 'https://example.org/x' })
    expect(edited.updatedAt >= a.updatedAt).toBe(true)
    expect(store.repos.articles.update(a.id, {})).toEqual(edited)
    expect(store.db.prepare("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'title:new'").get()).toEqual({ n: 1 })
    for (const patch of [{ title: ' ' }, { publishedAt: '2025-02-30' }, { publishedAt: '17/02/2025' }, { sourceUrl: 'javascript:alert(1)' }, { sourceUrl: 'ftp://x.org' }, { outlet: 'x'.repeat(501) }]) {
      expect(() => store.repos.articles.update(a.id, patch), JSON.stringify(patch)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    }
    expect(store.repos.articles.require(a.id)).toEqual(edited)
    expect(() => store.repos.articles.update(MISSING, { title: 'x' })).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
