import { describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '../../shared/ipc/channels'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { Article, ArticleSummary } from '../../shared/domain/article'
import type { ReimportReview } from '../../shared/domain/reimport'
import type { SearchResult } from '../../shared/domain/search'
import { caller, MISSING, withStance } from './dispatch-test-setup'

const ctx = withStance()

describe('library, trash, re-import and search channels', () => {
  const { call, value } = caller(ctx)
  const LIBRARY = /^(articles:(?!get)|search:)/

  it('turn malformed payloads into invalid-input, naming the channel', async () => {
    const [article] = await value<ArticleSummary[]>('articles:list', {})
    if (!article) throw new Error('the seeded library is missing')
    const id = article.id
    const cases: [Channel, unknown][] = [
      ['articles:list', { trash: 'yes' }],
      ['articles:list', { trash: true, extra: 1 }],
      ['articles:import', {}],
      ['articles:import', { kind: 'pdf', content: 'x' }],
      ['articles:import', { kind: 'text' }],
      ['articles:import', { kind: 'text', content: 42 }],
      ['articles:import', { kind: 'text', content: [1, 2, 3] }],
      ['articles:import', { kind: 'text', content: 'x', fileName: 7 }],
      ['articles:import', { kind: 'text', content: 'x', path: '/etc/passwd' }],
      ['articles:import', { kind: 'text', content: 'x'.repeat(20 * 1024 * 1024 + 1) }],
      ['articles:update', { title: 'x' }],
      ['articles:update', { id: 'nope', title: 'x' }],
      ['articles:update', { id, title: '   ' }],
      ['articles:update', { id, publishedAt: '17.02.2025' }],
      ['articles:update', { id, publishedAt: '2025-02-30' }],
      ['articles:update', { id, sourceUrl: 'javascript:alert(1)' }],
      ['articles:update', { id, sourceUrl: 'file:///etc/passwd' }],
      ['articles:update', { id, text: 'new text' }],
      ['articles:delete', {}],
      ['articles:delete', { id: 1 }],
      ['articles:restore', { id: 'x' }],
      ['articles:restore', null],
      ['articles:purge', { id: 'x' }],
      ['articles:purge', []],
      ['articles:replaceText', { id, kind: 'text', content: 'x' }],
      ['articles:replaceText', { id, kind: 'text', apply: true }],
      ['articles:replaceText', { id, kind: 'doc', content: 'x', apply: false }],
      ['articles:replaceText', { id: 'x', kind: 'text', content: 'x', apply: false }],
      ['articles:replaceText', { id, kind: 'text', content: 'x', apply: 'yes' }],
      ['search:query', {}],
      ['search:query', { q: '   ' }],
      ['search:query', { q: 42 }],
      ['search:query', { q: 'x'.repeat(501) }],
      ['search:query', { q: 'x', limit: 0 }],
      ['search:query', { q: 'x', limit: 501 }],
      ['search:query', { q: 'x', limit: 1.5 }],
      ['search:query', { q: 'x', extra: 1 }]
    ]
    for (const [channel, payload] of cases) {
      const result = await call(channel, payload)
      expect(result, `${channel} ${JSON.stringify(payload)?.slice(0, 100)}`).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining(channel) } })
    }
    const covered = new Set(cases.map(([channel]) => channel))
    for (const channel of CHANNELS.filter((c) => LIBRARY.test(c))) expect(covered, channel).toContain(channel)
    // Past the schema, the import and the search refuse what they cannot read, still as invalid-input.
    expect(await call('articles:import', { kind: 'text', content: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), fileName: 'notes.txt' })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: '“notes.txt”: This file looks binary, not text.' }
    })
    expect(await call('articles:import', { kind: 'markdown', content: ' \n ', fileName: 'empty.md' })).toEqual({ ok: false, error: { code: 'invalid-input', message: '“empty.md”: This file is empty.' } })
    expect(await call('search:query', { q: 'talks AND' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^The search could not be understood/) } })
    expect(await value<ArticleSummary[]>('articles:list', {})).toHaveLength(1)
  })

  it('report unknown ids as not-found', async () => {
    const cases: [Channel, unknown][] = [
      ['articles:update', { id: MISSING, title: 'x' }],
      ['articles:delete', { id: MISSING }],
      ['articles:restore', { id: MISSING }],
      ['articles:purge', { id: MISSING }],
      ['articles:replaceText', { id: MISSING, kind: 'text', content: 'x', apply: false }],
      ['articles:replaceText', { id: MISSING, kind: 'text', content: 'x', apply: true }]
    ]
    for (const [channel, payload] of cases) {
      expect(await call(channel, payload), `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'not-found' } })
    }
  })

  it('import, edit, search, trash, restore, re-import and purge end to end', async () => {
    const [us] = (await value<Code[]>('codebook:list', {})).filter((c) => !c.groupKind)
    if (!us) throw new Error('the seeded codebook is missing')
    const bytes = new TextEncoder().encode('<html><head><title>Ceasefire talks | Wire</title><meta property="og:site_name" content="Wire"></head><body><article><h1>Ceasefire talks</h1><p>Negotiators met in Istanbul to discuss a ceasefire along the front line.</p></article></body></html>')
    const imported = await value<Article>('articles:import', { kind: 'html', content: bytes, fileName: 'talks.html' })
    expect(imported).toMatchObject({ title: 'Ceasefire talks', outlet: 'Wire', deletedAt: null, codeCounts: {}, text: 'Negotiators met in Istanbul to discuss a ceasefire along the front line.' })
    const highlight = await value<Highlight>('highlights:create', { articleId: imported.id, start: 0, end: 11, codeIds: [us.id] })
    const listed = await value<ArticleSummary[]>('articles:list', {})
    expect(listed.find((a) => a.id === imported.id)).toMatchObject({ codeCounts: { [us.id]: 1 } })
    expect(listed.find((a) => a.id === imported.id)).not.toHaveProperty('doc')

    expect(await value('articles:update', { id: imported.id, author: 'Desk', publishedAt: '2025-05-16', sourceUrl: 'https://wire.example/ceasefire' })).toMatchObject({
      title: 'Ceasefire talks',
      author: 'Desk',
      publishedAt: '2025-05-16'
    })
    const found = await value<SearchResult>('search:query', { q: 'istanbul' })
    expect(found.groups.map((g) => g.article.id)).toEqual([imported.id])

    expect(await value('articles:delete', { id: imported.id })).toEqual({ id: imported.id })
    expect((await value<ArticleSummary[]>('articles:list', {})).map((a) => a.id)).not.toContain(imported.id)
    expect((await value<ArticleSummary[]>('articles:list', { trash: true })).map((a) => a.id)).toEqual([imported.id])
    expect(await value<Article>('articles:get', { id: imported.id })).toMatchObject({ deletedAt: expect.any(String) })
    expect(await value<SearchResult>('search:query', { q: 'istanbul' })).toEqual({ query: 'istanbul', groups: [], total: 0 })
    expect(await value<Article>('articles:restore', { id: imported.id })).toMatchObject({ deletedAt: null, codeCounts: { [us.id]: 1 } })

    const replacement = { id: imported.id, kind: 'text', content: 'Ceasefire talks\n\nNegotiators met in Istanbul again to discuss a ceasefire.' }
    const review = await value<ReimportReview>('articles:replaceText', { ...replacement, apply: false })
    expect(review).toEqual({ applied: false, wordsBefore: 12, wordsAfter: 9, items: [{ highlightId: highlight.id, before: 'Negotiators', after: 'Negotiators', status: 'unchanged', start: 0, end: 11 }] })
    expect((await value<Article>('articles:get', { id: imported.id })).text).toBe(imported.text)
    expect(await value<ReimportReview>('articles:replaceText', { ...replacement, apply: true })).toEqual({ ...review, applied: true })
    expect((await value<Article>('articles:get', { id: imported.id })).text).toBe('Negotiators met in Istanbul again to discuss a ceasefire.')

    expect(await call('articles:purge', { id: imported.id })).toEqual({ ok: false, error: { code: 'conflict', message: 'Move the article to the trash first.' } })
    await value('articles:delete', { id: imported.id })
    expect(await value('articles:purge', { id: imported.id })).toEqual({ id: imported.id })
    expect(await call('articles:get', { id: imported.id })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await call('highlights:list', { articleId: imported.id })).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })
})
