import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '../../shared/ipc/channels'
import { contract } from '../../shared/ipc/contract'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { Article, ArticleSummary } from '../../shared/domain/article'
import type { ReimportReview } from '../../shared/domain/reimport'
import type { SearchResult } from '../../shared/domain/search'
import type { Note } from '../../shared/domain/note'
import { AppError } from '../../shared/result'
import { bootstrap, type Stance } from '../bootstrap'
import type { Handlers } from '../handlers'
import { dispatch, isTrustedSender } from './dispatch'

const APP = 'app://stance'
const top = { url: `${APP}/index.html`, isTopFrame: true }
const options = { appOrigin: APP, log: () => {} }
let dir: string
let stance: Stance

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stance-ipc-'))
  stance = bootstrap({ dataDir: dir, resourcesDir: join(__dirname, '../../../resources') })
})
afterEach(() => {
  stance.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('dispatch', () => {
  it('answers a valid call with ok and the value', async () => {
    const result = await dispatch(stance.handlers, 'codebook:list', {}, top, options)
    expect(result.ok).toBe(true)
    if (result.ok) expect((result.value as { name: string }[]).map((c) => c.name)).toContain('EU stance')
  })

  it('turns malformed payloads into invalid-input', async () => {
    for (const payload of [undefined, null, 42, 'x', [], { extra: 1 }, { __proto__: { polluted: true }, id: 1 }]) {
      const result = await dispatch(stance.handlers, 'articles:list', payload, top, options)
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    const bad = await dispatch(stance.handlers, 'articles:get', { id: 'not-a-uuid' }, top, options)
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('id') } })
  })

  it('reports unknown ids as not-found and unknown channels too', async () => {
    expect(await dispatch(stance.handlers, 'articles:get', { id: '00000000-0000-4000-8000-000000000000' }, top, options)).toMatchObject({
      ok: false,
      error: { code: 'not-found' }
    })
    expect(await dispatch(stance.handlers, 'shell:exec', {}, top, options)).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('refuses callers other than the app top frame', async () => {
    for (const sender of [
      { url: `${APP}/index.html`, isTopFrame: false },
      { url: 'https://evil.example/index.html', isTopFrame: true },
      { url: 'app://stance.evil/index.html', isTopFrame: true },
      { url: null, isTopFrame: true }
    ]) {
      expect(await dispatch(stance.handlers, 'articles:list', {}, sender, options)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect(isTrustedSender(top, APP)).toBe(true)
  })

  it('never throws: AppErrors keep their code, other errors become internal', async () => {
    const failing = {
      ...stance.handlers,
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
      expect(stance.handlers[channel]).toBeTypeOf('function')
    }
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort())
    expect(Object.keys(stance.handlers).sort()).toEqual([...CHANNELS].sort())
  })
})

describe('coding, codebook and history channels', () => {
  const MISSING = '00000000-0000-4000-8000-000000000000'
  const call = (channel: string, payload: unknown) => dispatch(stance.handlers, channel, payload, top, options)
  async function value<T>(channel: Channel, payload: unknown): Promise<T> {
    const result = await call(channel, payload)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.value as T
  }
  async function fixture() {
    const [article] = await value<ArticleSummary[]>('articles:list', {})
    const [us, ru, ...rest] = (await value<Code[]>('codebook:list', {})).map((code) => code.id as string)
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
    const reordered = await value<Code[]>('codebook:reorder', { parentId: null, orderedIds: [...codes].reverse() })
    expect(reordered.filter((code) => code.parentId === null).map((code) => code.id)).toEqual([...codes].reverse())
  })
})

describe('notes channels', () => {
  const MISSING = '00000000-0000-4000-8000-000000000000'
  const call = (channel: string, payload: unknown) => dispatch(stance.handlers, channel, payload, top, options)
  async function value<T>(channel: Channel, payload: unknown): Promise<T> {
    const result = await call(channel, payload)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.value as T
  }
  const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] })
  const doc = (...texts: string[]) => ({ type: 'doc', content: texts.map(paragraph) })

  async function fixture() {
    const [article] = await value<ArticleSummary[]>('articles:list', {})
    const [us] = await value<Code[]>('codebook:list', {})
    if (!article || !us) throw new Error('the seeded library is missing')
    const highlight = await value<Highlight>('highlights:create', { articleId: article.id, start: 0, end: 5, codeIds: [us.id] })
    return { article, highlight, color: us.color }
  }

  it('turn malformed payloads into invalid-input, naming the channel', async () => {
    const { article, highlight } = await fixture()
    const memo = { articleId: article.id }
    const link = (href: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href } }] }] }] })
    const cases: [Channel, unknown][] = [
      ['notes:list', {}],
      ['notes:list', { articleId: 'x' }],
      ['notes:list', { articleId: article.id, extra: 1 }],
      ['notes:get', {}],
      ['notes:get', { target: {} }],
      ['notes:get', { target: article.id }],
      ['notes:get', { target: { articleId: 'nope' } }],
      ['notes:get', { target: { highlightId: 42 } }],
      ['notes:get', { target: { noteId: MISSING } }],
      ['notes:get', { target: { articleId: article.id, highlightId: highlight.id } }],
      ['notes:get', { target: { articleId: article.id, extra: 1 } }],
      ['notes:get', { articleId: article.id }],
      ['notes:save', { target: memo }],
      ['notes:save', { target: {}, doc: doc('x') }],
      ['notes:save', { target: memo, doc: doc('x'), extra: 1 }],
      ['notes:save', { target: memo, doc: { type: 'doc' } }],
      ['notes:save', { target: memo, doc: '<p>x</p>' }],
      ['notes:save', { target: memo, doc: { type: 'doc', content: [{ type: 'script', content: [{ type: 'text', text: 'alert(1)' }] }] } }],
      ['notes:save', { target: memo, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'image', attrs: { src: 'x' } }] }] } }],
      ['notes:save', { target: memo, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] } }],
      ['notes:save', { target: memo, doc: { type: 'doc', content: [{ type: 'heading', attrs: { level: 4 }, content: [] }] } }],
      ['notes:save', { target: memo, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'quoteChip', attrs: { highlightId: 'x', quote: 'q' } }] }] } }],
      ['notes:save', { target: memo, doc: link('javascript:alert(1)') }],
      ['notes:save', { target: memo, doc: link('data:text/html,<script>alert(1)</script>') }],
      ['notes:save', { target: memo, doc: doc('x'), baseVersion: 0 }],
      ['notes:save', { target: memo, doc: doc('x'), baseVersion: -1 }],
      ['notes:save', { target: memo, doc: doc('x'), baseVersion: 1.5 }],
      ['notes:save', { target: memo, doc: doc('x'), baseVersion: '1' }],
      ['notes:save', { target: memo, doc: doc('x'), baseVersion: null }],
      ['notes:delete', {}],
      ['notes:delete', { target: { highlightId: 'x' } }],
      ['notes:delete', { target: null }]
    ]
    for (const [channel, payload] of cases) {
      const result = await call(channel, payload)
      expect(result, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining(channel) } })
    }
    const covered = new Set(cases.map(([channel]) => channel))
    for (const channel of CHANNELS.filter((c) => c.startsWith('notes:'))) expect(covered, channel).toContain(channel)
    expect(await call('notes:save', { target: memo, doc: link('javascript:alert(1)') })).toMatchObject({
      error: { message: expect.stringContaining('links in notes may only point to http(s) or mailto addresses') }
    })
    expect(await value('notes:get', { target: memo })).toBeNull()
  })

  it('enforce the 1 MB limit in the contract', async () => {
    const { article } = await fixture()
    const huge = doc(...Array.from({ length: 200 }, () => 'y'.repeat(5500)))
    expect(JSON.stringify(huge).length).toBeGreaterThan(1_100_000)
    expect(await call('notes:save', { target: { articleId: article.id }, doc: huge })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('at most 1 MB') }
    })
    expect(await value('notes:get', { target: { articleId: article.id } })).toBeNull()
  })

  it('report unknown targets as not-found and stale versions as conflicts', async () => {
    const { article, highlight } = await fixture()
    const cases: [Channel, unknown][] = [
      ['notes:list', { articleId: MISSING }],
      ['notes:get', { target: { articleId: MISSING } }],
      ['notes:get', { target: { highlightId: MISSING } }],
      ['notes:save', { target: { articleId: MISSING }, doc: doc('x') }],
      ['notes:save', { target: { highlightId: MISSING }, doc: doc('x') }],
      ['notes:delete', { target: { highlightId: MISSING } }]
    ]
    for (const [channel, payload] of cases) {
      expect(await call(channel, payload), `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'not-found' } })
    }
    const target = { highlightId: highlight.id }
    await value('notes:save', { target, doc: doc('one') })
    await value('notes:save', { target, doc: doc('two'), baseVersion: 1 })
    expect(await call('notes:save', { target, doc: doc('stale'), baseVersion: 1 })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'This note was changed in another window since you started editing (now version 2, you edited version 1). Reload it to see the other changes.'
      }
    })
    expect(await value('notes:list', { articleId: article.id })).toMatchObject([{ target, preview: 'two', version: 2 }])
  })

  it('save, get, list and delete end to end, stripping attributes the schema does not know', async () => {
    const { article, highlight, color } = await fixture()
    const target = { articleId: article.id }
    const sent = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          attrs: { textAlign: 'left' },
          content: [
            { type: 'text', text: '<b>bold</b> ', marks: [{ type: 'link', attrs: { href: 'https://example.org', target: '_blank', rel: 'x' } }] },
            { type: 'quoteChip', attrs: { highlightId: highlight.id, quote: 'old', onclick: 'x' } }
          ]
        }
      ]
    }
    const saved = await value<Note>('notes:save', { target, doc: sent })
    const stored = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '<b>bold</b> ', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }] },
            { type: 'quoteChip', attrs: { highlightId: highlight.id, quote: 'old' } }
          ]
        }
      ]
    }
    expect(saved).toMatchObject({ target, version: 1 })
    expect(saved.doc).toStrictEqual(stored)
    expect(saved.html).toBe(
      '<p><a href="https://example.org" rel="noopener noreferrer">&lt;b&gt;bold&lt;/b&gt; </a>' +
        `<q class="stance-quote" data-highlight-id="${highlight.id}" style="--stance-quote-color: ${color}">${highlight.exact}</q></p>`
    )
    expect(await value('notes:get', { target })).toEqual(saved)
    expect(await value('notes:list', { articleId: article.id })).toEqual([
      { target, preview: `<b>bold</b> “${highlight.exact}”`, version: 1, updatedAt: saved.updatedAt, quotedHighlightIds: [highlight.id] }
    ])
    expect(await value('notes:delete', { target })).toEqual({ deleted: true })
    expect(await value('notes:delete', { target })).toEqual({ deleted: false })
    expect(await value('notes:list', { articleId: article.id })).toEqual([])
  })
})

describe('library, trash, re-import and search channels', () => {
  const MISSING = '00000000-0000-4000-8000-000000000000'
  const call = (channel: string, payload: unknown) => dispatch(stance.handlers, channel, payload, top, options)
  async function value<T>(channel: Channel, payload: unknown): Promise<T> {
    const result = await call(channel, payload)
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.value as T
  }
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
    const [us] = await value<Code[]>('codebook:list', {})
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
