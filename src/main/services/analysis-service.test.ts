import { afterEach, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { ArticleId, CodeId } from '../../shared/domain/ids'
import { AnalysisService } from './analysis-service'
import { DEFAULT_GROUPS, GROUP_COLOR } from './default-codebook'
import { noteContent } from './test-support'

let store: TestDatabase
afterEach(() => store?.dispose())

const paragraph = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })

/** The default codebook, three articles (two dated, one not) and a helper to code a phrase of one. */
function library() {
  store = openTestDatabase()
  const { repos } = store
  const codes: Record<string, Code> = {}
  for (const group of DEFAULT_GROUPS) {
    const parent = repos.codes.insert({ name: group.name, color: GROUP_COLOR, groupKind: group.groupKind })
    codes[group.name] = parent
    for (const code of group.codes) codes[code.name] = repos.codes.insert({ ...code, parentId: parent.id })
  }
  codes.Rejects = repos.codes.insert({ name: 'Rejects', color: '#aa0000', parentId: codes['Russian stance']!.id })
  codes.Conditional = repos.codes.insert({ name: 'Conditional', color: '#aa5500', parentId: codes['Russian stance']!.id })
  const article = (title: string, publishedAt: string | null, text: string): Article =>
    repos.articles.insert({ title, outlet: 'Wire', author: null, publishedAt, sourceUrl: null }, { type: 'doc', content: [paragraph(text)] })
  const march = article('March', '2025-03-01', 'Moscow rejects NATO. Washington wants a ceasefire. Kyiv wants guarantees.')
  const april = article('April', '2025-04-10', 'Moscow might accept neutrality. The EU talks sanctions.')
  const undated = article('Undated', null, 'Lavrov spoke about NATO again.')
  const code = (a: Article, phrase: string, ...names: string[]) => {
    const start = a.text.indexOf(phrase)
    return repos.highlights.insert({ articleId: a.id, start, end: start + phrase.length, codeIds: names.map((n) => codes[n]!.id) })
  }
  return { codes, march, april, undated, code, service: new AnalysisService(store.db) }
}

describe('AnalysisService.matrix', () => {
  it('counts distinct passages per stance × issue, crediting sub-codes to their parents', () => {
    const { codes, march, april, undated, code, service } = library()
    code(march, 'Moscow rejects NATO.', 'Rejects', 'NATO membership')
    code(march, 'Washington wants a ceasefire.', 'US stance', 'Ceasefire and territory')
    code(march, 'Kyiv wants guarantees.', 'Ukrainian stance', 'Security guarantees', 'NATO membership')
    code(april, 'Moscow might accept neutrality.', 'Conditional', 'NATO membership')
    code(april, 'The EU talks sanctions.', 'Sanctions') // an issue without a stance: not in the matrix
    code(undated, 'Lavrov spoke about NATO again.', 'Russian stance', 'NATO membership')
    const m = service.matrix({ columns: 'issues' })
    expect(m.rows.map((r) => [r.label, r.depth])).toEqual([
      ['US stance', 0],
      ['Russian stance', 0],
      ['Rejects', 1],
      ['Conditional', 1],
      ['Ukrainian stance', 0],
      ['EU stance', 0]
    ])
    expect(m.columnItems.map((c) => c.label)).toEqual(DEFAULT_GROUPS[1]!.codes.map((c) => c.name))
    const cell = (row: string, column: string): number => m.counts[m.rows.findIndex((r) => r.label === row)]![m.columnItems.findIndex((c) => c.label === column)]!
    expect(cell('Russian stance', 'NATO membership')).toBe(3)
    expect(cell('Rejects', 'NATO membership')).toBe(1)
    expect(cell('Ukrainian stance', 'NATO membership')).toBe(1)
    expect(cell('Ukrainian stance', 'Security guarantees')).toBe(1)
    expect(cell('US stance', 'Ceasefire and territory')).toBe(1)
    expect(cell('EU stance', 'Sanctions')).toBe(0)
    expect(m.max).toBe(3)
    expect(m.rowTotals[m.rows.findIndex((r) => r.label === 'Russian stance')]).toBe(3)
    // A column total counts each passage once, even when two rows (parent and sub-code) both hold it.
    expect(m.columnTotals[m.columnItems.findIndex((c) => c.label === 'NATO membership')]).toBe(4)
    expect(m.passageCount).toBe(5)
    expect(m.articleCount).toBe(3)
    expect(codes['Stances']!.groupKind).toBe('stance')
  })

  it('switches to one column per coded article, oldest first and undated last, and honours the scope', () => {
    const { march, april, undated, code, service } = library()
    code(undated, 'Lavrov spoke about NATO again.', 'Russian stance')
    code(april, 'Moscow might accept neutrality.', 'Russian stance')
    code(march, 'Washington wants a ceasefire.', 'US stance')
    const m = service.matrix({ columns: 'articles' })
    expect(m.columnItems.map((c) => [c.label, c.publishedAt])).toEqual([
      ['March', '2025-03-01'],
      ['April', '2025-04-10'],
      ['Undated', null]
    ])
    expect(m.counts[1]).toEqual([0, 1, 1])
    const scoped = service.matrix({ columns: 'articles', articleIds: [march.id, april.id] })
    expect(scoped.columnItems.map((c) => c.label)).toEqual(['March', 'April'])
    expect(scoped.articleCount).toBe(2)
    expect(() => service.matrix({ columns: 'issues', articleIds: ['00000000-0000-4000-8000-000000000000' as ArticleId] })).toThrow(/no article/)
  })

  it('leaves out orphaned passages and articles in the trash', () => {
    const { march, april, code, service } = library()
    const h = code(march, 'Moscow rejects NATO.', 'Russian stance', 'NATO membership')
    code(april, 'Moscow might accept neutrality.', 'Russian stance', 'NATO membership')
    store.db.prepare('UPDATE highlights SET orphaned = 1 WHERE id = ?').run(h.id)
    expect(service.matrix({ columns: 'issues' }).passageCount).toBe(1)
    store.db.prepare("UPDATE articles SET deleted_at = '2025-05-01T00:00:00.000Z' WHERE id = ?").run(april.id)
    expect(service.matrix({ columns: 'issues' })).toMatchObject({ passageCount: 0, max: 0, articleCount: 2 })
  })
})

describe('AnalysisService.passagesWith', () => {
  it("lists a cell's passages with their article, date, codes and note, by date and place", () => {
    const { codes, march, undated, april, code, service } = library()
    const a = code(undated, 'Lavrov spoke about NATO again.', 'Russian stance', 'NATO membership')
    const b = code(march, 'Moscow rejects NATO.', 'Rejects', 'NATO membership')
    code(april, 'Moscow might accept neutrality.', 'Conditional')
    store.repos.notes.save({ highlightId: b.id }, noteContent('Firm no.') as never, undefined)
    const list = service.passagesWith([codes['Russian stance']!.id, codes['NATO membership']!.id], {})
    expect(list.map((p) => [p.articleTitle, p.exact, p.publishedAt])).toEqual([
      ['March', 'Moscow rejects NATO.', '2025-03-01'],
      ['Undated', 'Lavrov spoke about NATO again.', null]
    ])
    expect(list.map((p) => p.note)).toEqual(['Firm no.', null])
    expect(list[0]!.codeIds).toEqual([codes.Rejects!.id, codes['NATO membership']!.id])
    expect(list.map((p) => p.highlightId)).toEqual([b.id, a.id])
    expect(service.passagesWith([codes['Russian stance']!.id], { articleIds: [april.id] }).map((p) => p.exact)).toEqual(['Moscow might accept neutrality.'])
    expect(() => service.passagesWith(['00000000-0000-4000-8000-000000000000' as CodeId], {})).toThrow(/no code/)
  })
})

describe('AnalysisService.timeline', () => {
  it("places a code's passages on their articles' dates and flags an actor's shift on an issue", () => {
    const { codes, march, april, undated, code, service } = library()
    code(march, 'Moscow rejects NATO.', 'Rejects', 'NATO membership')
    code(april, 'Moscow might accept neutrality.', 'Conditional', 'NATO membership')
    code(undated, 'Lavrov spoke about NATO again.', 'Rejects', 'NATO membership')
    code(march, 'Washington wants a ceasefire.', 'US stance', 'NATO membership')
    code(april, 'The EU talks sanctions.', 'US stance', 'NATO membership')
    const russian = service.timeline(codes['Russian stance']!.id, {})
    expect(russian.entries.map((e) => [e.title, e.publishedAt, e.passages.length])).toEqual([
      ['March', '2025-03-01', 1],
      ['April', '2025-04-10', 1],
      ['Undated', null, 1]
    ])
    expect(russian.shifts).toEqual([
      {
        actorCodeId: codes['Russian stance']!.id,
        issueCodeId: codes['NATO membership']!.id,
        from: { articleId: march.id, publishedAt: '2025-03-01', codeIds: [codes.Rejects!.id] },
        to: { articleId: april.id, publishedAt: '2025-04-10', codeIds: [codes.Conditional!.id] }
      }
    ])
    // The US stayed with the same code: no shift for it; the issue's timeline shows the Russian one.
    expect(service.timeline(codes['US stance']!.id, {}).shifts).toEqual([])
    expect(service.timeline(codes['NATO membership']!.id, {}).shifts.map((s) => s.actorCodeId)).toEqual([codes['Russian stance']!.id])
    expect(service.timeline(codes['Sanctions']!.id, {}).shifts).toEqual([])
    expect(() => service.timeline(codes['Stances']!.id, {})).toThrow(/group/)
  })
})
describe('AnalysisService.timeline on one day', () => {
  it('pools the stances of articles published the same day, whatever order they were imported in', () => {
    const { codes, march, code, service } = library()
    const paragraph2 = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })
    const sameDay = store.repos.articles.insert({ title: 'March too', outlet: null, author: null, publishedAt: '2025-03-01', sourceUrl: null }, { type: 'doc', content: [paragraph2('Moscow softens on NATO.')] })
    const later = store.repos.articles.insert({ title: 'May', outlet: null, author: null, publishedAt: '2025-05-01', sourceUrl: null }, { type: 'doc', content: [paragraph2('Moscow rejects NATO again.')] })
    code(march, 'Moscow rejects NATO.', 'Rejects', 'NATO membership')
    code(sameDay, 'Moscow softens on NATO.', 'Conditional', 'NATO membership')
    code(later, 'Moscow rejects NATO again.', 'Rejects', 'NATO membership')
    const shifts = service.timeline(codes['Russian stance']!.id, {}).shifts
    // 1 March holds both stances (no shift inside a day); May holds only Rejects: one shift, both → Rejects.
    expect(shifts.map((s) => [s.from.publishedAt, s.from.codeIds.length, s.to.publishedAt, s.to.codeIds])).toEqual([['2025-03-01', 2, '2025-05-01', [codes.Rejects!.id]]])
  })
})
