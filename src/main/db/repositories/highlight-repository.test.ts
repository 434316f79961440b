import { afterEach, describe, expect, it } from 'vitest'
import type { CodeId, HighlightId } from '../../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../open-test-database'

let store: TestDatabase
afterEach(() => store?.dispose())

function setup() {
  store = openTestDatabase()
  const text = 'Zelenskyy 🇺🇦 said “Nothing about Ukraine without Ukraine,” and Лавров disagreed.'
  const article = store.repos.articles.insert(
    { title: 'T', outlet: null, author: null, publishedAt: null, sourceUrl: null },
    { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
  )
  const ua = store.repos.codes.insert({ name: 'Ukrainian stance', color: '#e6b400', shortcut: '3' })
  const ru = store.repos.codes.insert({ name: 'Russian stance', color: '#d55e00', shortcut: '2' })
  return { article, ua, ru, text }
}

describe('HighlightRepository', () => {
  it('cuts quote and context from the stored text using code-point offsets', () => {
    const { article, ua, ru, text } = setup()
    const cps = [...text]
    const start = cps.indexOf('“')
    const end = cps.indexOf('”') + 1
    const highlight = store.repos.highlights.insert({ articleId: article.id, start, end, codeIds: [ru.id, ua.id, ua.id] })
    expect(highlight.exact).toBe('“Nothing about Ukraine without Ukraine,”')
    expect(highlight.prefix).toBe('Zelenskyy 🇺🇦 said ')
    expect(highlight.suffix).toBe(' and Лавров disagreed.')
    expect(highlight.codeIds).toEqual([ua.id, ru.id]) // codebook order, duplicates dropped
    expect(highlight.orphaned).toBe(false)
    expect(store.repos.highlights.listByArticle(article.id)).toEqual([highlight])
    expect(store.db.prepare("SELECT count(*) AS n FROM highlights_fts WHERE highlights_fts MATCH 'nothing'").get()).toEqual({ n: 1 })
  })

  it('rejects ranges outside the text and unknown codes', () => {
    const { article, ua } = setup()
    const insert = (start: number, end: number, codeIds: CodeId[] = [ua.id]) => store.repos.highlights.insert({ articleId: article.id, start, end, codeIds })
    expect(() => insert(5, 5)).toThrow(/not inside/)
    expect(() => insert(-1, 3)).toThrow(/not inside/)
    expect(() => insert(0, article.length + 1)).toThrow(/not inside/)
    expect(() => insert(0, 3, ['00000000-0000-4000-8000-000000000000' as CodeId])).toThrow(/no code/)
    expect(store.repos.highlights.listByArticle(article.id)).toEqual([])
  })

  it('deletes a highlight with its codes and note, keeping the codes themselves', () => {
    const { article, ua } = setup()
    const highlight = store.repos.highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ua.id] })
    store.repos.notes.save({ highlightId: highlight.id }, { doc: { type: 'doc' }, html: '<p>x</p>', plain: 'x' }, undefined)
    expect(store.repos.highlights.delete(highlight.id)).toBe(true)
    expect(store.repos.highlights.delete(highlight.id as HighlightId)).toBe(false)
    expect(store.repos.notes.find({ highlightId: highlight.id })).toBeUndefined()
    expect(store.db.prepare('SELECT count(*) AS n FROM highlight_codes').get()).toEqual({ n: 0 })
    expect(store.repos.codes.find(ua.id)).toBeDefined()
  })

  it('will not let a code in use be deleted behind the highlights back', () => {
    const { article, ua } = setup()
    store.repos.highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ua.id] })
    expect(() => store.db.prepare('DELETE FROM codes WHERE id = ?').run(ua.id)).toThrow(/FOREIGN KEY/)
  })

  it('replaces codes, moves with a fresh quote, marks orphans and finds by exact range', () => {
    const { article, ua, ru, text } = setup()
    const highlights = store.repos.highlights
    const h = highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ua.id] })
    expect(highlights.setCodes(h.id, [ru.id, ru.id]).codeIds).toEqual([ru.id])
    expect(() => highlights.setCodes(h.id, [])).toThrow(/at least one code/)
    expect(() => highlights.setCodes(h.id, ['00000000-0000-4000-8000-000000000000' as CodeId])).toThrow(/no code/)
    expect(() => highlights.setCodes('00000000-0000-4000-8000-000000000000' as HighlightId, [ru.id])).toThrow(/no highlight/)
    const orphan = highlights.markOrphaned(h.id)
    expect(orphan).toMatchObject({ orphaned: true, exact: 'Zelenskyy', start: 0, end: 9 })
    expect(highlights.findByRange(article.id, 0, 9)).toBeUndefined() // orphans do not count as placed
    const start = [...text].indexOf('Л')
    const moved = highlights.move(h.id, start, start + 6)
    expect(moved).toMatchObject({ orphaned: false, exact: 'Лавров', suffix: ' disagreed.', start, end: start + 6 })
    expect(moved.prefix.endsWith('Ukraine,” and ')).toBe(true)
    expect(highlights.findByRange(article.id, start, start + 6)?.id).toBe(h.id)
    expect(highlights.findByRange(article.id, start, start + 5)).toBeUndefined()
    expect(() => highlights.move(h.id, 3, 3)).toThrow(/not inside/)
    expect(() => highlights.move(h.id, 4, 2)).toThrow(/not inside/)
    expect(() => highlights.move(h.id, 0, article.length + 1)).toThrow(/not inside/)
    expect(() => highlights.move(h.id, 0.5, 2)).toThrow(/not inside/)
    expect(store.db.prepare("SELECT count(*) AS n FROM highlights_fts WHERE highlights_fts MATCH 'Лавров'").get()).toEqual({ n: 1 })
  })

  it('snapshots a highlight with codes and note, and restores it with the same ids', () => {
    const { article, ua, ru } = setup()
    const highlights = store.repos.highlights
    const h = highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ru.id, ua.id] })
    const note = store.repos.notes.save({ highlightId: h.id }, { doc: { type: 'doc' }, html: '<p>n</p>', plain: 'n' }, undefined)
    const snapshot = highlights.snapshot(h.id)!
    expect(snapshot.codeIds).toEqual([ru.id, ua.id].sort())
    expect(snapshot.note).toMatchObject({ id: note.id, highlight_id: h.id, plain: 'n' })
    highlights.delete(h.id)
    expect(highlights.snapshot(h.id)).toBeUndefined()
    highlights.restore(snapshot)
    // Everything comes back as it was except the version, which moves on: a window that saw the passage
    // before it was deleted has not seen it since.
    const at = (version: number) => ({ ...snapshot, row: { ...snapshot.row, version } })
    expect(highlights.snapshot(h.id)).toEqual(at(2))
    expect(highlights.find(h.id)).toEqual({ ...h, version: 2 })
    expect(store.repos.notes.find({ highlightId: h.id })).toEqual(note)
    // Parts: codes only leave the position alone, and the other way round.
    highlights.setCodes(h.id, [ua.id])
    highlights.move(h.id, 1, 5)
    highlights.overwrite(snapshot, { codes: true, position: false })
    expect(highlights.find(h.id)).toMatchObject({ codeIds: h.codeIds, start: 1, end: 5, updatedAt: h.updatedAt, version: 5 })
    highlights.overwrite(snapshot, { codes: false, position: true })
    expect(highlights.snapshot(h.id)).toEqual(at(6))
  })

  it('raises the version on every write and never puts it back', () => {
    const { article, ua, ru } = setup()
    const highlights = store.repos.highlights
    const h = highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ua.id] })
    expect(h.version).toBe(1)
    expect(highlights.setCodes(h.id, [ru.id]).version).toBe(2)
    expect(highlights.move(h.id, 1, 5).version).toBe(3)
    expect(highlights.markOrphaned(h.id).version).toBe(4)
    expect(highlights.markOrphaned(h.id).version).toBe(4) // already orphaned: nothing written
    const snapshot = highlights.snapshot(h.id)!
    highlights.overwrite(snapshot, { codes: true, position: true })
    expect(highlights.find(h.id)?.version).toBe(5)
    highlights.delete(h.id)
    highlights.restore(snapshot)
    expect(highlights.find(h.id)?.version).toBe(5)
    // A snapshot built by hand for a new row (an import) has no version: the row starts at 1.
    highlights.delete(h.id)
    const { version: _version, ...row } = snapshot.row
    highlights.restore({ ...snapshot, row })
    expect(highlights.find(h.id)?.version).toBe(1)
  })

  it('requireCurrent: not-found when gone, conflict when the version seen is stale', () => {
    const { article, ua, ru } = setup()
    const highlights = store.repos.highlights
    const h = highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ua.id] })
    expect(highlights.requireCurrent(h.id, undefined)).toEqual(h)
    expect(highlights.requireCurrent(h.id, 1)).toEqual(h)
    highlights.setCodes(h.id, [ru.id])
    expect(() => highlights.requireCurrent(h.id, 1)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/changed in another window/) }))
    expect(highlights.requireCurrent(h.id, 2).codeIds).toEqual([ru.id])
    highlights.delete(h.id)
    expect(() => highlights.requireCurrent(h.id, 2)).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/deleted, perhaps in another window/) }))
  })

  it('refuses to restore into a purged article or with a code that is gone', () => {
    const { article, ua } = setup()
    const highlights = store.repos.highlights
    const h = highlights.insert({ articleId: article.id, start: 0, end: 9, codeIds: [ua.id] })
    const snapshot = highlights.snapshot(h.id)!
    highlights.delete(h.id)
    store.repos.codes.delete(ua.id)
    expect(() => highlights.restore(snapshot)).toThrow(/one of them no longer exists/)
    store.db.prepare('DELETE FROM articles WHERE id = ?').run(article.id)
    expect(() => highlights.restore(snapshot)).toThrow(/its article no longer exists/)
  })
})
