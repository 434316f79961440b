import { describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '../../shared/ipc/channels'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleSummary } from '../../shared/domain/article'
import type { Note } from '../../shared/domain/note'
import { caller, MISSING, withStance } from './dispatch-test-setup'

const ctx = withStance()

describe('notes channels', () => {
  const { call, value } = caller(ctx)
  const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] })
  const doc = (...texts: string[]) => ({ type: 'doc', content: texts.map(paragraph) })

  async function fixture() {
    const [article] = await value<ArticleSummary[]>('articles:list', {})
    const [us] = (await value<Code[]>('codebook:list', {})).filter((c) => !c.groupKind)
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
      ['notes:delete', { target: null }],
      ['notes:delete', { target: memo, baseVersion: 0 }],
      ['notes:delete', { target: memo, baseVersion: 1.5 }],
      ['notes:delete', { target: memo, baseVersion: '2' }],
      ['notes:delete', { target: memo, baseVersion: null }]
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
    // Emptying the note in a window that loaded version 1 would delete the other window's words: refused too.
    expect(await call('notes:delete', { target, baseVersion: 1 })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'This note was changed in another window since you started editing (now version 2, you edited version 1), so it was not deleted. Reload it to see the other changes.'
      }
    })
    expect(await value('notes:list', { articleId: article.id })).toMatchObject([{ target, preview: 'two', version: 2 }])
    expect(await value('notes:delete', { target, baseVersion: 2 })).toEqual({ deleted: true })
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
