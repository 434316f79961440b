import { afterEach, describe, expect, it } from 'vitest'
import type { ArticleId } from '../../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../open-test-database'

let store: TestDatabase
afterEach(() => store?.dispose())

function setup() {
  store = openTestDatabase()
  return store.repos.articles.insert(
    { title: 'T', outlet: null, author: null, publishedAt: null, sourceUrl: null },
    { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Some text to note.' }] }] }
  )
}

const content = (plain: string) => ({ doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: plain }] }] }, html: `<p>${plain}</p>`, plain })

describe('NoteRepository', () => {
  it('creates a memo, then updates it from the version it was based on', () => {
    const article = setup()
    const target = { articleId: article.id }
    const first = store.repos.notes.save(target, content('first draft'), undefined)
    expect(first.version).toBe(1)
    expect(first.target).toEqual(target)
    const second = store.repos.notes.save(target, content('second draft'), 1)
    expect(second.version).toBe(2)
    expect(second.plain).toBe('second draft')
    expect(second.doc).toEqual(content('second draft').doc)
    expect(store.db.prepare("SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH 'second'").get()).toEqual({ n: 1 })
    expect(store.db.prepare("SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH 'first'").get()).toEqual({ n: 0 })
  })

  it('refuses a stale write instead of overwriting newer text', () => {
    const article = setup()
    const target = { articleId: article.id }
    store.repos.notes.save(target, content('one'), undefined)
    store.repos.notes.save(target, content('two'), 1)
    expect(() => store.repos.notes.save(target, content('stale'), 1)).toThrow(/changed elsewhere/)
    expect(() => store.repos.notes.save(target, content('also stale'), undefined)).toThrow(/changed elsewhere/)
    expect(store.repos.notes.find(target)?.plain).toBe('two')
  })

  it('reports unknown targets and deletes notes', () => {
    const article = setup()
    expect(() => store.repos.notes.save({ articleId: '00000000-0000-4000-8000-000000000000' as ArticleId }, content('x'), undefined)).toThrow(/no article/)
    store.repos.notes.save({ articleId: article.id }, content('x'), undefined)
    expect(store.repos.notes.delete({ articleId: article.id })).toBe(true)
    expect(store.repos.notes.find({ articleId: article.id })).toBeUndefined()
  })

  it('snapshots a note row and restores it with the same id, seq, version and timestamps', () => {
    const article = setup()
    const target = { articleId: article.id }
    store.repos.notes.save(target, content('one'), undefined)
    const note = store.repos.notes.save(target, content('two'), 1)
    const snapshot = store.repos.notes.snapshot(target)!
    expect(snapshot).toMatchObject({ id: note.id, seq: 1, version: 2, article_id: article.id, highlight_id: null })
    store.repos.notes.delete(target)
    store.repos.notes.restore(snapshot)
    expect(store.repos.notes.find(target)).toEqual(note)
    expect(store.repos.notes.snapshot(target)).toEqual(snapshot)
    expect(store.db.prepare("SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH 'two'").get()).toEqual({ n: 1 })
  })
})
