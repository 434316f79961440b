import { describe, expect, it } from 'vitest'
import type { StanceMatrix, Suggestion, Timeline } from '../../shared/domain/analysis'
import type { ArticleSummary } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { HistoryChange } from '../../shared/domain/history'
import { caller, MISSING, withStance } from './dispatch-test-setup'

describe('analysis and suggestion channels', () => {
  const ctx = withStance()
  const { call, value } = caller(ctx)

  async function seeded(): Promise<{ article: ArticleSummary; codes: Record<string, Code> }> {
    const [article] = await value<ArticleSummary[]>('articles:list', {})
    const codes = Object.fromEntries((await value<Code[]>('codebook:list', {})).map((c) => [c.name, c]))
    return { article: article!, codes }
  }

  it('answer the matrix, a cell and a timeline over the seeded library', async () => {
    const { article, codes } = await seeded()
    await value<Highlight>('highlights:create', { articleId: article.id, start: 0, end: 12, codeIds: [codes['Russian stance']!.id, codes['NATO membership']!.id] })
    const matrix = await value<StanceMatrix>('analysis:matrix', { columns: 'issues' })
    expect(matrix.rows.map((r) => r.label)).toEqual(['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance'])
    expect(matrix.counts[1]![1]).toBe(1)
    const cell = await value<unknown[]>('analysis:passages', { codeIds: [codes['Russian stance']!.id, codes['NATO membership']!.id] })
    expect(cell).toHaveLength(1)
    const timeline = await value<Timeline>('analysis:timeline', { codeId: codes['Russian stance']!.id, articleIds: [article.id] })
    expect(timeline.entries.map((e) => e.publishedAt)).toEqual([article.publishedAt])
  })

  it('refuse malformed input in words and unknown ids as not-found', async () => {
    const { codes } = await seeded()
    expect(await call('analysis:matrix', { columns: 'codes' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/issues or articles/) } })
    expect(await call('analysis:matrix', { columns: 'issues', articleIds: [] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await call('analysis:matrix', { columns: 'issues', articleIds: [MISSING] })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await call('analysis:passages', { codeIds: [MISSING] })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await call('analysis:passages', { codeIds: [codes['US stance']!.id, codes['EU stance']!.id, codes.Sanctions!.id] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/at most two codes/) }
    })
    expect(await call('analysis:timeline', { codeId: codes.Stances!.id })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/group/) } })
    expect(await call('analysis:exportMatrix', { columns: 'issues', format: 'svg' })).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    expect(await call('analysis:exportMatrix', { columns: 'issues', format: 'gif' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await call('suggestions:list', { articleId: MISSING })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await call('suggestions:accept', { articleId: MISSING, items: [] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await call('suggestions:reject', { articleId: MISSING, items: [{ start: 5, end: 2, codeId: MISSING }] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('suggest on the sample article; accept and reject are single undoable steps and nothing is coded before accept', async () => {
    const { article, codes } = await seeded()
    const suggestions = await value<Suggestion[]>('suggestions:list', { articleId: article.id })
    expect(suggestions.length).toBeGreaterThanOrEqual(3)
    expect(await value<Highlight[]>('highlights:list', { articleId: article.id })).toEqual([])
    const stanceIds = new Set(['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance'].map((n) => codes[n]!.id))
    for (const s of suggestions) expect(stanceIds.has(s.codeId)).toBe(true)

    const [first, second, third] = suggestions as [Suggestion, Suggestion, Suggestion]
    const accepted = await value<Highlight[]>('suggestions:accept', {
      articleId: article.id,
      items: [first, second].map((s) => ({ start: s.start, end: s.end, codeIds: [s.codeId, ...s.issueCodeIds] }))
    })
    expect(accepted.map((h) => h.exact)).toEqual([first.exact, second.exact])
    expect(await value<{ rejected: number }>('suggestions:reject', { articleId: article.id, items: [{ start: third.start, end: third.end, codeId: third.codeId }] })).toEqual({ rejected: 1 })
    let open = await value<Suggestion[]>('suggestions:list', { articleId: article.id })
    expect(open.map((s) => s.key)).not.toEqual(expect.arrayContaining([first.key]))
    expect(open.map((s) => s.key)).not.toContain(third.key)
    expect(open).toHaveLength(suggestions.length - 3)

    expect((await value<HistoryChange>('history:undo', {})).applied).toBe('Reject suggestion')
    open = await value<Suggestion[]>('suggestions:list', { articleId: article.id })
    expect(open.map((s) => s.key)).toContain(third.key)
    expect((await value<HistoryChange>('history:undo', {})).applied).toBe('Accept 2 suggestions')
    expect(await value<Highlight[]>('highlights:list', { articleId: article.id })).toEqual([])
    expect((await value<Suggestion[]>('suggestions:list', { articleId: article.id })).map((s) => s.key)).toEqual(suggestions.map((s) => s.key))
    expect((await value<HistoryChange>('history:redo', {})).applied).toBe('Accept 2 suggestions')
    expect(await value<Highlight[]>('highlights:list', { articleId: article.id })).toHaveLength(2)

    expect(await call('suggestions:accept', { articleId: article.id, items: [{ start: 0, end: 4, codeIds: [codes.Stances!.id] }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/is a group/) }
    })
    expect(await call('suggestions:reject', { articleId: article.id, items: [{ start: 0, end: 10_000_000, codeId: codes['US stance']!.id }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/beyond the end/) }
    })
  })
})
