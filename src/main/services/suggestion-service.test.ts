import { afterEach, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import type { Code } from '../../shared/domain/code'
import { DEFAULT_GROUPS, GROUP_COLOR } from './default-codebook'
import { CodebookService } from './codebook-service'
import { History } from './history'
import { SuggestionService } from './suggestion-service'
import { dumpStore } from './test-support'

let store: TestDatabase
afterEach(() => store?.dispose())

const paragraph = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })

const TEXT = [
  'Talks were held in Riyadh on Tuesday.',
  'Kremlin spokesman Dmitry Peskov said Moscow would never accept NATO troops in Ukraine.',
  'Secretary of State Marco Rubio told reporters that sanctions would stay for now.',
  'The weather in the Saudi capital was mild.'
]

function setup() {
  store = openTestDatabase()
  const codes: Record<string, Code> = {}
  for (const group of DEFAULT_GROUPS) {
    const parent = store.repos.codes.insert({ name: group.name, color: GROUP_COLOR, groupKind: group.groupKind })
    codes[group.name] = parent
    for (const code of group.codes) codes[code.name] = store.repos.codes.insert({ ...code, parentId: parent.id })
  }
  const article = store.repos.articles.insert({ title: 'Riyadh', outlet: null, author: null, publishedAt: '2025-02-18', sourceUrl: null }, { type: 'doc', content: [paragraph(TEXT.join(' '))] })
  const history = new History()
  return { codes, article, history, service: new SuggestionService(store.db, store.repos, history) }
}

describe('SuggestionService', () => {
  it('proposes the sentences where an actor speaks, with the issues they mention, and codes nothing by itself', () => {
    const { codes, article, service } = setup()
    const list = service.list(article.id)
    expect(list.map((s) => [s.exact, codes[Object.keys(codes).find((n) => codes[n]!.id === s.codeId)!]!.name])).toEqual([
      [TEXT[1], 'Russian stance'],
      [TEXT[2], 'US stance']
    ])
    expect(list[0]!.issueCodeIds).toContain(codes['NATO membership']!.id)
    expect(list[1]!.issueCodeIds).toContain(codes.Sanctions!.id)
    expect(list[0]!.cue).toMatch(/said/)
    expect(list[0]!.key).toBe(`${list[0]!.start}-${list[0]!.end}-${list[0]!.codeId}`)
    expect(store.repos.highlights.listByArticle(article.id)).toEqual([])
  })

  it('leaves out sentences already coded with the code or one of its sub-codes, and follows dictionary edits', () => {
    const { codes, article, service } = setup()
    const [russian] = service.list(article.id)
    const rejects = store.repos.codes.insert({ name: 'Rejects', color: '#aa0000', parentId: codes['Russian stance']!.id })
    store.repos.highlights.insert({ articleId: article.id, start: russian!.start + 8, end: russian!.end, codeIds: [rejects.id] })
    expect(service.list(article.id).map((s) => s.exact)).toEqual([TEXT[2]])
    store.repos.codes.update(codes['US stance']!.id, { dictionary: [] })
    expect(service.list(article.id)).toEqual([])
  })

  it('accepts several at once as one undoable step, adding codes to a passage on exactly that sentence', () => {
    const { codes, article, history, service } = setup()
    const [russian, us] = service.list(article.id) as [ReturnType<SuggestionService['list']>[0], ReturnType<SuggestionService['list']>[0]]
    const before = dumpStore(store.db)
    store.repos.highlights.insert({ articleId: article.id, start: us.start, end: us.end, codeIds: [codes.Sanctions!.id] })
    const withExisting = dumpStore(store.db)
    const accepted = service.accept(article.id, [
      { start: russian.start, end: russian.end, codeIds: [codes['Ukrainian stance']!.id] },
      { start: us.start, end: us.end, codeIds: [us.codeId] }
    ])
    expect(accepted.map((h) => h.codeIds.length)).toEqual([1, 2])
    expect(store.repos.highlights.listByArticle(article.id)).toHaveLength(2)
    expect(history.state().undoLabel).toBe('Accept 2 suggestions')
    history.undo()
    expect(dumpStore(store.db)).toEqual(withExisting)
    expect(before).not.toEqual(withExisting)
    expect(() => service.accept(article.id, [{ start: 0, end: 4, codeIds: [codes.Issues!.id] }])).toThrow(/is a group/)
    expect(dumpStore(store.db)).toEqual(withExisting)
  })

  it('takes a proposal whose code the analyst changed off the list in the same undoable step', () => {
    const { codes, article, history, service } = setup()
    const [russian, us] = service.list(article.id)
    service.accept(article.id, [{ start: russian!.start, end: russian!.end, codeIds: [codes['EU stance']!.id], codeId: russian!.codeId }])
    expect(service.list(article.id).map((s) => s.key)).toEqual([us!.key])
    expect(store.db.prepare('SELECT code_id FROM suggestion_rejections').all()).toEqual([{ code_id: russian!.codeId }])
    history.undo()
    expect(service.list(article.id).map((s) => s.key)).toEqual([russian!.key, us!.key])
    expect(store.db.prepare('SELECT count(*) AS n FROM suggestion_rejections').get()).toEqual({ n: 0 })
    history.redo()
    expect(service.list(article.id).map((s) => s.key)).toEqual([us!.key])
    expect(store.repos.highlights.listByArticle(article.id).map((h) => h.codeIds)).toEqual([[codes['EU stance']!.id]])
  })

  it('remembers rejections per sentence and code, undoably, also across deleting the code and undoing that', () => {
    const { codes, article, history, service } = setup()
    const [russian, us] = service.list(article.id)
    expect(service.reject(article.id, [{ start: russian!.start, end: russian!.end, codeId: russian!.codeId }])).toEqual({ rejected: 1 })
    expect(service.reject(article.id, [{ start: russian!.start, end: russian!.end, codeId: russian!.codeId }])).toEqual({ rejected: 0 })
    expect(service.list(article.id).map((s) => s.key)).toEqual([us!.key])
    expect(history.state().undoLabel).toBe('Reject suggestion')
    history.undo()
    expect(service.list(article.id).map((s) => s.key)).toEqual([russian!.key, us!.key])
    history.redo()
    expect(service.list(article.id).map((s) => s.key)).toEqual([us!.key])
    // Deleting the code and undoing that brings the same code back, and with it the analyst's answer.
    const codebook = new CodebookService(store.db, store.repos, history)
    codebook.delete(codes['Russian stance']!.id)
    expect(service.list(article.id).map((s) => s.key)).toEqual([us!.key])
    history.undo()
    expect(service.list(article.id).map((s) => s.key)).toEqual([us!.key])
  })

  it('asks again when the words at a rejected place changed, and refuses answers given on an older text', () => {
    const { article, service } = setup()
    const [russian] = service.list(article.id)
    service.reject(article.id, [{ start: russian!.start, end: russian!.end, codeId: russian!.codeId, exact: russian!.exact }])
    expect(service.list(article.id).map((s) => s.key)).not.toContain(russian!.key)
    // Another version of the text puts other words at the very same offsets.
    store.db.prepare('UPDATE suggestion_rejections SET exact = ?').run('Something else entirely.')
    expect(service.list(article.id).map((s) => s.key)).toContain(russian!.key)
    expect(() => service.accept(article.id, [{ start: russian!.start, end: russian!.end, codeIds: [russian!.codeId], exact: 'An older sentence.' }])).toThrow(/changed since these suggestions were made/)
    expect(() => service.reject(article.id, [{ start: russian!.start, end: russian!.end, codeId: russian!.codeId, exact: 'An older sentence.' }])).toThrow(/changed since/)
    expect(store.repos.highlights.listByArticle(article.id)).toEqual([])
  })

  it('refuses articles in the trash and unknown ones', () => {
    const { article, service } = setup()
    store.db.prepare("UPDATE articles SET deleted_at = '2025-03-01T00:00:00.000Z' WHERE id = ?").run(article.id)
    expect(() => service.list(article.id)).toThrow(/in the trash/)
    expect(() => service.list('00000000-0000-4000-8000-000000000000' as never)).toThrow(/no article/)
  })
})
