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
})
