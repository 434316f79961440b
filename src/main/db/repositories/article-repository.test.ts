import { afterEach, describe, expect, it } from 'vitest'
import type { ArticleDoc } from '../../../shared/domain/article-doc'
import type { ArticleId } from '../../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../open-test-database'

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

  it('reads just the canonical text, treating the trash as gone', () => {
    store = openTestDatabase()
    const article = store.repos.articles.insert(meta, doc)
    expect(store.repos.articles.textOf(article.id)).toBe(article.text)
    store.db.prepare("UPDATE articles SET deleted_at = '2025-03-01T00:00:00.000Z' WHERE id = ?").run(article.id)
    expect(() => store.repos.articles.textOf(article.id)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
