import { describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '../../shared/ipc/channels'
import { contract } from '../../shared/ipc/contract'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleSummary } from '../../shared/domain/article'
import { AppError } from '../../shared/result'
import type { Handlers } from '../handlers'
import { dispatch, isTrustedSender } from './dispatch'
import { APP, options, top, caller, MISSING, withStance } from './dispatch-test-setup'

const ctx = withStance()

describe('dispatch', () => {
  it('answers a valid call with ok and the value', async () => {
    const result = await dispatch(ctx.stance.handlers, 'codebook:list', {}, top, options)
    expect(result.ok).toBe(true)
    if (result.ok) expect((result.value as { name: string }[]).map((c) => c.name)).toContain('EU stance')
  })

  it('turns malformed payloads into invalid-input', async () => {
    for (const payload of [undefined, null, 42, 'x', [], { extra: 1 }, { __proto__: { polluted: true }, id: 1 }]) {
      const result = await dispatch(ctx.stance.handlers, 'articles:list', payload, top, options)
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    const bad = await dispatch(ctx.stance.handlers, 'articles:get', { id: 'not-a-uuid' }, top, options)
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('id') } })
  })

  it('reports unknown ids as not-found and unknown channels too', async () => {
    expect(await dispatch(ctx.stance.handlers, 'articles:get', { id: '00000000-0000-4000-8000-000000000000' }, top, options)).toMatchObject({
      ok: false,
      error: { code: 'not-found' }
    })
    expect(await dispatch(ctx.stance.handlers, 'shell:exec', {}, top, options)).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('refuses callers other than the app top frame', async () => {
    for (const sender of [
      { url: `${APP}/index.html`, isTopFrame: false },
      { url: 'https://evil.example/index.html', isTopFrame: true },
      { url: 'app://ctx.stance.evil/index.html', isTopFrame: true },
      { url: null, isTopFrame: true }
    ]) {
      expect(await dispatch(ctx.stance.handlers, 'articles:list', {}, sender, options)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect(isTrustedSender(top, APP)).toBe(true)
  })

  it('never throws: AppErrors keep their code, other errors become internal', async () => {
    const failing = {
      ...ctx.stance.handlers,
      'articles:list': () => {
        throw new AppError('conflict', 'changed elsewhere')
      },
      'codebook:list': () => {
        throw new TypeError('boom')
      },
      'app:info': () => {
        throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' })
      }
    } as Handlers
    expect(await dispatch(failing, 'articles:list', {}, top, options)).toEqual({ ok: false, error: { code: 'conflict', message: 'changed elsewhere' } })
    expect(await dispatch(failing, 'codebook:list', {}, top, options)).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(await dispatch(failing, 'app:info', {}, top, options)).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})

describe('the contract', () => {
  it('gives every channel a schema, a doc line and a handler', () => {
    for (const channel of CHANNELS) {
      expect(contract[channel].input.safeParse).toBeTypeOf('function')
      expect(contract[channel].doc.length).toBeGreaterThan(10)
      expect(ctx.stance.handlers[channel]).toBeTypeOf('function')
    }
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort())
    expect(Object.keys(ctx.stance.handlers).sort()).toEqual([...CHANNELS].sort())
  })
})

describe('coding, codebook and history channels', () => {
  const { call, value } = caller(ctx)
  async function fixture() {
    const [article] = await value<ArticleSummary[]>('articles:list', {})
    // The four stances (the seeded codebook's first codes that are not groups).
    const [us, ru, ...rest] = (await value<Code[]>('codebook:list', {})).filter((code) => !code.groupKind).slice(0, 4).map((code) => code.id as string)
    if (!article || !us || !ru || rest.length !== 2) throw new Error('the seeded library is missing')
    return { article, codes: [us, ru, ...rest] }
  }

  it('turn malformed payloads into invalid-input, naming the field', async () => {
    const { article, codes } = await fixture()
    const [us] = codes
    const cases: [Channel, unknown][] = [
      ['codebook:create', {}],
      ['codebook:create', { name: '  ', color: '#000000' }],
      ['codebook:create', { name: 'x', color: 'red' }],
      ['codebook:create', { name: 'x', color: '#000000', shortcut: '0' }],
      ['codebook:create', { name: 'x', color: '#000000', parentId: 'nope' }],
      ['codebook:create', { name: 'x', color: '#000000', extra: 1 }],
      ['codebook:update', { name: 'x' }],
      ['codebook:update', { id: 'nope', name: 'x' }],
      ['codebook:update', { id: us, color: '#12345' }],
      ['codebook:update', { id: us, shortcut: 10 }],
      ['codebook:delete', {}],
      ['codebook:delete', { id: us, mergeInto: 'x' }],
      ['codebook:reorder', { orderedIds: [us] }],
      ['codebook:reorder', { parentId: null, orderedIds: [] }],
      ['codebook:reorder', { parentId: null, orderedIds: ['x'] }],
      ['highlights:list', {}],
      ['highlights:list', { articleId: 1 }],
      ['highlights:create', { articleId: article.id, start: 5, end: 5, codeIds: [us] }],
      ['highlights:create', { articleId: article.id, start: 6, end: 5, codeIds: [us] }],
      ['highlights:create', { articleId: article.id, start: -1, end: 5, codeIds: [us] }],
      ['highlights:create', { articleId: article.id, start: 0.5, end: 5, codeIds: [us] }],
      ['highlights:create', { articleId: article.id, start: 0, end: 5, codeIds: [] }],
      ['highlights:create', { articleId: article.id, start: 0, end: 5 }],
      ['highlights:update', { id: MISSING }],
      ['highlights:update', { id: MISSING, codeIds: [] }],
      ['highlights:update', { id: MISSING, range: { start: 3, end: 1 } }],
      ['highlights:update', { id: 'x', codeIds: [us] }],
      ['highlights:delete', { id: 'x' }],
      ['highlights:delete', {}],
      ['history:state', { x: 1 }],
      ['history:undo', null],
      ['history:redo', []]
    ]
    for (const [channel, payload] of cases) {
      const result = await call(channel, payload)
      expect(result, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining(channel) } })
    }
    const covered = new Set(cases.map(([channel]) => channel))
    for (const channel of CHANNELS.filter((c) => /^(codebook:(?!list)|highlights:|history:)/.test(c))) expect(covered, channel).toContain(channel)
    // Offsets past the end of the text pass the schema but not the repository.
    expect(await call('highlights:create', { articleId: article.id, start: 0, end: article.length + 1, codeIds: [us] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/not inside the article/) }
    })
  })

  it('report unknown ids as not-found', async () => {
    const { article, codes } = await fixture()
    const [us] = codes
    const cases: [Channel, unknown][] = [
      ['codebook:create', { name: 'x', color: '#000000', parentId: MISSING }],
      ['codebook:update', { id: MISSING, name: 'x' }],
      ['codebook:update', { id: us, parentId: MISSING }],
      ['codebook:delete', { id: MISSING }],
      ['codebook:delete', { id: us, mergeInto: MISSING }],
      ['codebook:reorder', { parentId: MISSING, orderedIds: [us] }],
      ['highlights:list', { articleId: MISSING }],
      ['highlights:create', { articleId: MISSING, start: 0, end: 3, codeIds: [us] }],
      ['highlights:create', { articleId: article.id, start: 0, end: 3, codeIds: [MISSING] }],
      ['highlights:update', { id: MISSING, codeIds: [us] }],
      ['highlights:delete', { id: MISSING }]
    ]
    for (const [channel, payload] of cases) {
      expect(await call(channel, payload), `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'not-found' } })
    }
    expect(await value('history:state', {})).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null })
  })

  it('check the version a window saw: a malformed baseVersion is invalid-input naming it, a stale one a conflict', async () => {
    const { article, codes } = await fixture()
    const [us, ru, ua] = codes
    const h = await value<Highlight>('highlights:create', { articleId: article.id, start: 0, end: 12, codeIds: [us] })
    expect(h.version).toBe(1)
    for (const baseVersion of [0, -1, 1.5, '1', null, 'x', [1], { version: 1 }]) {
      for (const [channel, payload] of [
        ['highlights:update', { id: h.id, codeIds: [ru], baseVersion }],
        ['highlights:update', { id: h.id, range: { start: 1, end: 12 }, baseVersion }],
        ['highlights:delete', { id: h.id, baseVersion }]
      ] as const) {
        expect(await call(channel, payload), `${channel} ${JSON.stringify(baseVersion)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid-input', message: expect.stringMatching(new RegExp(`^Invalid input for ${channel}: baseVersion: `)) }
        })
      }
    }
    // Window B recodes what both windows saw; window A's recode and delete, based on version 1, are refused.
    expect(await value<Highlight>('highlights:update', { id: h.id, codeIds: [ru], baseVersion: 1 })).toMatchObject({ codeIds: [ru], version: 2 })
    const stale = {
      ok: false,
      error: { code: 'conflict', message: 'This passage was changed in another window since you last saw it, so nothing was changed here. It has been reloaded: look at it again, then try again.' }
    }
    expect(await call('highlights:update', { id: h.id, codeIds: [ua], baseVersion: 1 })).toEqual(stale)
    expect(await call('highlights:update', { id: h.id, range: { start: 1, end: 12 }, baseVersion: 1 })).toEqual(stale)
    expect(await call('highlights:delete', { id: h.id, baseVersion: 1 })).toEqual(stale)
    expect(await value<Highlight[]>('highlights:list', { articleId: article.id })).toMatchObject([{ id: h.id, codeIds: [ru], version: 2 }])
    expect(await value('history:state', {})).toMatchObject({ undoLabel: 'Recode passage' })
    // With the version it now sees, the delete goes through; and the passage gone is not-found, in words.
    expect(await value('highlights:delete', { id: h.id, baseVersion: 2 })).toEqual({ id: h.id })
    expect(await call('highlights:update', { id: h.id, codeIds: [ua], baseVersion: 2 })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/deleted, perhaps in another window/) }
    })
  })

  it('code, merge into the same range, undo and redo end to end', async () => {
    const { article, codes } = await fixture()
    const [us, ru] = codes
    const first = await value<Highlight>('highlights:create', { articleId: article.id, start: 0, end: 12, codeIds: [us] })
    const same = await value<Highlight>('highlights:create', { articleId: article.id, start: 0, end: 12, codeIds: [ru] })
    expect(same.id).toBe(first.id)
    expect(same.codeIds).toEqual([us, ru])
    expect(await value('history:state', {})).toEqual({ canUndo: true, canRedo: false, undoLabel: 'Add Russian stance to passage', redoLabel: null })
    expect(await value('history:undo', {})).toEqual({
      canUndo: true,
      canRedo: true,
      undoLabel: 'Code passage as US stance',
      redoLabel: 'Add Russian stance to passage',
      applied: 'Add Russian stance to passage',
      articleIds: [article.id],
      codebookChanged: false
    })
    expect((await value<Highlight[]>('highlights:list', { articleId: article.id })).map((h) => h.codeIds)).toEqual([[us]])
    expect(await value('history:redo', {})).toMatchObject({ applied: 'Add Russian stance to passage' })
    await value('codebook:delete', { id: ru, mergeInto: us })
    expect(await value('history:undo', {})).toMatchObject({ applied: 'Merge Russian stance into US stance', articleIds: [article.id], codebookChanged: true })
    expect(await value('history:redo', {})).toMatchObject({ applied: 'Merge Russian stance into US stance' })
    expect(await value('history:redo', {})).toMatchObject({ applied: null, articleIds: [], codebookChanged: false })
  })

  it('keep their error codes: duplicate key conflict, cycle and merge into self invalid-input', async () => {
    const { codes } = await fixture()
    const [us, ru] = codes
    expect(await call('codebook:update', { id: us, shortcut: '2' })).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Key 2 already applies "Russian stance".' } })
    const child = await value<Code>('codebook:create', { name: 'Sub', color: '#AABBCC', parentId: us })
    expect(child.color).toBe('#aabbcc')
    expect(await call('codebook:update', { id: us, parentId: child.id })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await call('codebook:delete', { id: ru, mergeInto: ru })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await call('codebook:reorder', { parentId: null, orderedIds: [ru, us] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const group = (await value<Code[]>('codebook:list', {})).find((code) => code.id === us)!.parentId
    const reordered = await value<Code[]>('codebook:reorder', { parentId: group, orderedIds: [...codes].reverse() })
    expect(reordered.filter((code) => code.parentId === group).map((code) => code.id)).toEqual([...codes].reverse())
  })
})
