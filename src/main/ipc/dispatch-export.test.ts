import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '../../shared/ipc/channels'
import type { ArticleSummary } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { Result } from '../../shared/result'
import { bootstrap, type Stance } from '../bootstrap'
import { dispatch } from './dispatch'
import { caller, MISSING, options, top, withStance } from './dispatch-test-setup'

const RESOURCES = join(import.meta.dirname, '../../../resources')

describe('export channels without an export shell', () => {
  const ctx = withStance()
  const { call } = caller(ctx)

  it('answer unavailable rather than failing obscurely', async () => {
    const list = (await call('articles:list', {})) as Result<ArticleSummary[]>
    const id = list.ok ? list.value[0]!.id : MISSING
    expect(await call('export:markdown', { articleIds: [id], outputPath: '/tmp/x.md' })).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})

describe('export and import channels', () => {
  let dir: string
  let stance: Stance
  let other: Stance
  const call = (s: Stance, channel: string, payload: unknown): Promise<Result<unknown>> => dispatch(s.handlers, channel, payload, top, options)
  const open = (folder: string): Stance =>
    bootstrap({
      dataDir: folder,
      resourcesDir: RESOURCES,
      exports: {
        printer: () => {
          throw new Error('these tests export no PDF')
        },
        chooseOutput: async ({ requested }) => requested ?? null
      }
    })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stance-ipc-export-'))
    stance = open(join(dir, 'a'))
    other = open(join(dir, 'b'))
  })
  afterEach(() => {
    stance.close()
    other.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function coded(): Promise<{ article: ArticleSummary; highlight: Highlight; codes: Code[] }> {
    const articles = (await call(stance, 'articles:list', {})) as Extract<Result<ArticleSummary[]>, { ok: true }>
    const listed = (await call(stance, 'codebook:list', {})) as Extract<Result<Code[]>, { ok: true }>
    const codes = { value: listed.value.filter((c) => !c.groupKind) }
    const article = articles.value[0]!
    const created = (await call(stance, 'highlights:create', { articleId: article.id, start: 10, end: 40, codeIds: [codes.value[1]!.id, codes.value[0]!.id] })) as Extract<Result<Highlight>, { ok: true }>
    await call(stance, 'notes:save', { target: { highlightId: created.value.id }, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Why it matters', marks: [{ type: 'italic' }] }] }] } })
    return { article, highlight: created.value, codes: codes.value }
  }

  it('turn malformed payloads into invalid-input, naming the channel', async () => {
    const { article } = await coded()
    const ok = { articleIds: [article.id], outputPath: join(dir, 'x.md') }
    const cases: [Channel, unknown][] = [
      ['export:defaults', { extra: 1 }],
      ['export:pdf', {}],
      ['export:pdf', { articleIds: [], outputPath: join(dir, 'x.pdf') }],
      ['export:pdf', { ...ok, options: { paper: 'A3' } }],
      ['export:pdf', { ...ok, options: { codeIds: [] } }],
      ['export:pdf', { ...ok, options: { includeNotes: 'yes' } }],
      ['export:pdf', { ...ok, options: { analyst: 'x'.repeat(201) } }],
      ['export:markdown', { articleIds: ['not-a-uuid'] }],
      ['export:markdown', { ...ok, extra: true }],
      ['export:csv', { ...ok, outputPath: '' }],
      ['export:csv', { ...ok, jobId: '../../etc' }],
      ['export:w3c', { articleIds: article.id }],
      ['export:qdpx', { ...ok, options: { unknown: 1 } }],
      ['export:cancel', {}],
      ['export:cancel', { jobId: 'x y' }],
      ['import:w3c', {}],
      ['import:w3c', { text: '' }],
      ['import:w3c', { text: 42 }],
      ['import:w3c', { text: '{}', extra: 1 }]
    ]
    for (const [channel, payload] of cases) {
      expect(await call(stance, channel, payload), `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining(channel) } })
    }
    const covered = new Set(cases.map(([channel]) => channel))
    for (const channel of CHANNELS.filter((c) => c.startsWith('export:') || c.startsWith('import:'))) expect(covered, channel).toContain(channel)
  })

  it('refuse unknown articles, missing folders and relative paths with a typed error and write nothing', async () => {
    await coded()
    expect(await call(stance, 'export:csv', { articleIds: [MISSING], outputPath: join(dir, 'x.csv') })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await call(stance, 'export:csv', { articleIds: [MISSING], outputPath: join(dir, 'nowhere', 'x.csv') })).toMatchObject({ ok: false })
    expect(await call(stance, 'import:w3c', { text: '{ nope' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(readdirSync(dir).sort()).toEqual(['a', 'b'])
  })

  it('write every format, and a W3C export imported into another library restores the passage, its codes and note', async () => {
    const { article, highlight } = await coded()
    for (const [verb, name] of [['markdown', 'x.md'], ['csv', 'x.csv'], ['w3c', 'x.jsonld'], ['qdpx', 'x.qdpx']]) {
      const result = await call(stance, `export:${verb}`, { articleIds: [article.id], outputPath: join(dir, name!), options: { analyst: 'Ada' } })
      expect(result, verb).toMatchObject({ ok: true, value: { path: join(dir, name!), articles: 1, highlights: 1 } })
      expect(existsSync(join(dir, name!))).toBe(true)
    }
    expect(await call(stance, 'export:defaults', {})).toEqual({ ok: true, value: { analyst: 'Ada', paper: 'A4' } })

    // The other library has the same sample article (seeded), so the passage lands on it with the same id.
    const imported = await call(other, 'import:w3c', { text: readFileSync(join(dir, 'x.jsonld'), 'utf8') })
    expect(imported).toMatchObject({ ok: true, value: { highlights: { created: 1 }, notes: { created: 1 } } })
    const otherArticle = ((await call(other, 'articles:list', {})) as Extract<Result<ArticleSummary[]>, { ok: true }>).value[0]!
    const [back] = ((await call(other, 'highlights:list', { articleId: otherArticle.id })) as Extract<Result<Highlight[]>, { ok: true }>).value
    expect(back).toMatchObject({ id: highlight.id, start: highlight.start, end: highlight.end, exact: highlight.exact, prefix: highlight.prefix, suffix: highlight.suffix })
    // Each library seeded its own default codebook, so the codes match by name, not id.
    const names = async (s: Stance, ids: readonly string[]) => {
      const codes = ((await call(s, 'codebook:list', {})) as Extract<Result<Code[]>, { ok: true }>).value
      return ids.map((id) => codes.find((c) => c.id === id)?.name)
    }
    expect(await names(other, back!.codeIds)).toEqual(await names(stance, highlight.codeIds))
    expect(await names(other, back!.codeIds)).toEqual(['US stance', 'Russian stance'])
    expect(await call(other, 'notes:get', { target: { highlightId: highlight.id } })).toMatchObject({ ok: true, value: { plain: 'Why it matters' } })
    // Importing again changes nothing.
    expect(await call(other, 'import:w3c', { text: readFileSync(join(dir, 'x.jsonld'), 'utf8') })).toMatchObject({ ok: true, value: { highlights: { created: 0, duplicates: 1 } } })
  })
})
