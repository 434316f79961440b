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
    expect(() => store.repos.notes.save(target, content('stale'), 1)).toThrow(
      'This note was changed in another window since you started editing (now version 2, you edited version 1). Reload it to see the other changes.'
    )
    expect(() => store.repos.notes.save(target, content('also stale'), undefined)).toThrow(/written in another window since you started a new one \(now version 2\)/)
    expect(store.repos.notes.find(target)?.plain).toBe('two')
    store.repos.notes.delete(target)
    expect(() => store.repos.notes.save(target, content('after delete'), 2)).toThrow(/deleted in another window since you started editing it \(you edited version 2\)/)
    expect(store.repos.notes.find(target)).toBeUndefined()
  })

  it('reports unknown targets and deletes notes', () => {
    const article = setup()
    expect(() => store.repos.notes.save({ articleId: '00000000-0000-4000-8000-000000000000' as ArticleId }, content('x'), undefined)).toThrow(/no article/)
    store.repos.notes.save({ articleId: article.id }, content('x'), undefined)
    expect(store.repos.notes.delete({ articleId: article.id })).toBe(true)
    expect(store.repos.notes.find({ articleId: article.id })).toBeUndefined()
  })

  it('lists an article memo first, then the notes of its highlights in reading order, and nothing of other articles', () => {
    const article = setup()
    const other = store.repos.articles.insert(
      { title: 'Other', outlet: null, author: null, publishedAt: null, sourceUrl: null },
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Other text.' }] }] }
    )
    const code = store.repos.codes.insert({ name: 'C', color: '#112233' })
    const late = store.repos.highlights.insert({ articleId: article.id, start: 10, end: 14, codeIds: [code.id] })
    const early = store.repos.highlights.insert({ articleId: article.id, start: 0, end: 4, codeIds: [code.id] })
    const elsewhere = store.repos.highlights.insert({ articleId: other.id, start: 0, end: 5, codeIds: [code.id] })
    store.repos.notes.save({ highlightId: late.id }, content('late'), undefined)
    store.repos.notes.save({ highlightId: elsewhere.id }, content('elsewhere'), undefined)
    store.repos.notes.save({ highlightId: early.id }, content('early'), undefined)
    store.repos.notes.save({ articleId: other.id }, content('other memo'), undefined)
    expect(store.repos.notes.listByArticle(article.id).map((n) => n.plain)).toEqual(['early', 'late'])
    store.repos.notes.save({ articleId: article.id }, content('memo'), undefined)
    const listed = store.repos.notes.listByArticle(article.id)
    expect(listed.map((n) => n.plain)).toEqual(['memo', 'early', 'late'])
    expect(listed[1]).toEqual(store.repos.notes.find({ highlightId: early.id }))
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
