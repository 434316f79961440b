import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import fc from 'fast-check'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ArticleSummary } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import { CHANNELS } from '../../shared/ipc/channels'
import { contract } from '../../shared/ipc/contract'
import type { ErrorCode, Result } from '../../shared/result'
import { bootstrap, type Stance } from '../bootstrap'
import { dispatch } from './dispatch'
import { APP, options, top, withStance } from './dispatch-test-setup'
import { DEEP_ARRAY, DEEP_LEVELS, FuzzCase, abbreviate, changedTables, contentTables, deepNoteDoc, fuzzCases, storeDigest, storedIds, withOwnKey, type FuzzTarget } from './ipc-fuzz-support'
import { registerIpc } from './register'

/**
 * IPC fuzzing (R9): every channel gets STANCE_FUZZ_RUNS (default 500) malformed payloads, built around a valid
 * sample of its input, plus payloads that pass the schema but name ids no row has. Malformed payloads must be
 * answered invalid-input; unknown ids not-found (or what UNKNOWN_ID_CODES documents for the channel); nothing
 * may throw, and the database and the undo history must be as they were. Payloads the schema accepts that
 * name no unknown id are valid calls, not malformed ones: they are skipped (and counted), never sent.
 *
 * STANCE_FUZZ_SEED replays a run; the seed of each channel's run is printed with its failures.
 */
const RUNS = Number(process.env.STANCE_FUZZ_RUNS ?? 500)
const SEED = process.env.STANCE_FUZZ_SEED === undefined ? undefined : Number(process.env.STANCE_FUZZ_SEED)
const RESOURCES = join(import.meta.dirname, '../../../resources')

/** Rows every sample may refer to, created before each channel's run. */
interface Fixture {
  article: string
  /** Codes that passages may carry (no groups). */
  codes: string[]
  /** The top-level groups. */
  groups: string[]
  highlight: string
}

/** A highlight id no row has, used where ids may legitimately dangle (a note may quote a deleted passage). */
const GONE_HIGHLIGHT = '11111111-1111-4111-8111-111111111111'

/**
 * One valid input per channel. Checked against the channel's schema before the run, so the table stays
 * honest; leaves equal to a fixture id are the id fields the fuzzer swaps for unknown ids.
 */
const SAMPLES: Partial<Record<string, (f: Fixture) => unknown>> = {
  'app:info': () => ({}),
  'articles:list': () => ({ trash: false }),
  'articles:get': (f) => ({ id: f.article }),
  'articles:import': () => ({ kind: 'markdown', content: '# Title\n\nBody text.', fileName: 'a.md' }),
  'articles:update': (f) => ({ id: f.article, title: 'T', outlet: 'Wire', author: null, publishedAt: '2025-02-17', sourceUrl: 'https://example.org/a' }),
  'articles:delete': (f) => ({ id: f.article }),
  'articles:restore': (f) => ({ id: f.article }),
  'articles:purge': (f) => ({ id: f.article }),
  'articles:replaceText': (f) => ({ id: f.article, kind: 'text', content: 'New text.', fileName: 'b.txt', apply: false }),
  'search:query': () => ({ q: 'Ukraine', limit: 10 }),
  'codebook:list': () => ({}),
  'codebook:create': (f) => ({ name: 'Fuzz', color: '#112233', description: 'd', parentId: f.codes[0], shortcut: null, groupKind: null, dictionary: ['Kremlin', 'Moscow*'] }),
  'codebook:update': (f) => ({ id: f.codes[0], name: 'Renamed', color: '#AABBCC', description: 'd', parentId: null, shortcut: null, dictionary: ['Kremlin'] }),
  'codebook:delete': (f) => ({ id: f.codes[0], mergeInto: f.codes[1] }),
  'codebook:reorder': (f) => ({ parentId: null, orderedIds: [...f.groups].reverse() }),
  'highlights:list': (f) => ({ articleId: f.article }),
  'highlights:create': (f) => ({ articleId: f.article, start: 10, end: 20, codeIds: [f.codes[1]] }),
  'highlights:update': (f) => ({ id: f.highlight, codeIds: [f.codes[0], f.codes[2]], range: { start: 1, end: 4 }, baseVersion: 1 }),
  'highlights:delete': (f) => ({ id: f.highlight, baseVersion: 1 }),
  'history:state': () => ({}),
  'history:undo': () => ({}),
  'history:redo': () => ({}),
  'notes:list': (f) => ({ articleId: f.article }),
  'notes:get': (f) => ({ target: { highlightId: f.highlight } }),
  'notes:save': (f) => ({
    target: { highlightId: f.highlight },
    doc: {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Why', marks: [{ type: 'bold' }] }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'see', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }] },
            { type: 'hardBreak' },
            { type: 'quoteChip', attrs: { highlightId: GONE_HIGHLIGHT, quote: 'q' } }
          ]
        },
        { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] }
      ]
    },
    baseVersion: 1
  }),
  'notes:delete': (f) => ({ target: { articleId: f.article }, baseVersion: 1 }),
  'export:defaults': () => ({}),
  'export:pdf': exportSample,
  'export:markdown': exportSample,
  'export:csv': exportSample,
  'export:w3c': exportSample,
  'export:qdpx': exportSample,
  'export:cancel': () => ({ jobId: 'fuzz-job_1' }),
  'import:w3c': () => ({ text: '{"type":"AnnotationCollection"}' }),
  'analysis:matrix': (f) => ({ columns: 'issues', articleIds: [f.article] }),
  'analysis:passages': (f) => ({ codeIds: [f.codes[1], f.codes[5]], articleIds: [f.article] }),
  'analysis:timeline': (f) => ({ codeId: f.codes[1], articleIds: [f.article] }),
  'analysis:exportMatrix': (f) => ({ columns: 'articles', articleIds: [f.article], format: 'svg' }),
  'suggestions:list': (f) => ({ articleId: f.article }),
  'suggestions:accept': (f) => ({ articleId: f.article, items: [{ start: 0, end: 5, codeIds: [f.codes[0], f.codes[5]] }] }),
  'suggestions:reject': (f) => ({ articleId: f.article, items: [{ start: 0, end: 5, codeId: f.codes[0] }] }),
  'recovery:state': () => ({}),
  'recovery:restore': () => ({ id: NO_BACKUP }),
  'recovery:startEmpty': () => ({}),
  'recovery:continue': () => ({}),
  'backups:list': () => ({}),
  'backups:create': () => ({}),
  'backups:restore': () => ({ id: NO_BACKUP }),
  'backups:configure': () => ({ keep: 5 })
}

/** A well-formed backup id no backup has (backups are files beside the library, not rows). */
const NO_BACKUP = 'stance-20250101T000000000Z-manual.db'

/** Id fields that are not row ids, with well-formed values that name nothing. */
const OTHER_IDS: Partial<Record<string, FuzzTarget['otherIds']>> = {
  'recovery:restore': [{ path: ['id'], unknown: fc.stringMatching(/^stance-\d{8}T\d{9}Z-[a-z-]{5,14}\.db$/) }],
  'backups:restore': [{ path: ['id'], unknown: fc.stringMatching(/^stance-\d{8}T\d{9}Z-[a-z-]{5,14}\.db$/) }]
}

function exportSample(f: Fixture): unknown {
  return {
    articleIds: [f.article],
    outputPath: '/nonexistent/stance-fuzz/export.out',
    options: { codeIds: [f.codes[0]], includeNotes: true, includeAppendix: true, paper: 'A4', perArticle: false, includeSources: true, analyst: 'Fuzz' },
    jobId: 'fuzz-job_1'
  }
}

/** Hand-written payloads sent before the random ones: shapes the generic mutations do not reach. */
const EXTRA_CASES: Partial<Record<string, (f: Fixture) => FuzzCase[]>> = {
  // Well-formed note documents nested too deep for a recursive validator; with an unknown target they also name an unknown id.
  'notes:save': (f) =>
    [1_000, DEEP_LEVELS].flatMap((levels) =>
      (['blockquote', 'bulletList'] as const).flatMap((kind) => [
        new FuzzCase('deep-note', `.doc (${levels} ${kind}s)`, { target: { highlightId: f.highlight }, doc: deepNoteDoc(levels, kind) }),
        new FuzzCase('deep-note', `.doc (${levels} ${kind}s, unknown target)`, { target: { articleId: '00000000-0000-4000-8000-000000000000' }, doc: deepNoteDoc(levels, kind) }, true)
      ])
    )
}

/**
 * What a schema-valid payload naming an unknown id may be answered with, where not-found alone is not the
 * contract. Decided per channel:
 * - codebook:reorder: an unknown id in orderedIds is "not one of the codes at that level", which the
 *   repository reports as invalid-input (the list is checked against the parent's children); an unknown
 *   parentId is not-found.
 * - recovery:restore: the fuzzed library opened fine, so there is nothing to recover and the host answers
 *   conflict before it looks at the backup id; with a start-up problem an unknown backup is not-found.
 * Export channels run against a shell whose destination chooser cancels, so an unknown article or code id
 * must be not-found (on the shell-less default bootstrap every schema-valid export answers `unavailable`,
 * which dispatch-export.test.ts covers).
 */
const UNKNOWN_ID_CODES: Partial<Record<string, ErrorCode[]>> = {
  'codebook:reorder': ['not-found', 'invalid-input'],
  'recovery:restore': ['conflict']
}

interface Failure {
  fuzzCase: FuzzCase
  outcome: string
}

interface ChannelStats {
  sent: number
  unknownIdsSent: number
  skipped: number
  outcomes: Map<string, number>
  categories: Map<string, number>
  failures: Failure[]
  seed: number
}

const stats = new Map<string, ChannelStats>()

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}

function summary(): string {
  const rows = [...stats].map(([channel, s]) => [
    channel,
    String(s.sent),
    String(s.unknownIdsSent),
    String(s.skipped),
    [...s.outcomes].map(([outcome, n]) => `${outcome.length > 40 ? `${outcome.slice(0, 40)}…` : outcome}×${n}`).join(' '),
    s.failures.length ? String(s.failures.length) : ''
  ])
  const header = ['channel', 'sent', 'unknown-id', 'skipped (valid)', 'answers', 'failures']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  const total = [...stats.values()].reduce((sum, s) => sum + s.sent, 0)
  const categories = new Map<string, number>()
  for (const s of stats.values()) for (const [category, n] of s.categories) categories.set(category, (categories.get(category) ?? 0) + n)
  return [
    `IPC fuzz: ${total} payloads over ${stats.size} channels (STANCE_FUZZ_RUNS=${RUNS})`,
    line(header),
    ...rows.map(line),
    `sent by kind: ${[...categories].map(([category, n]) => `${category}×${n}`).join(' ')}`
  ].join('\n')
}

function report(channel: string, s: ChannelStats): string {
  const groups = new Map<string, Failure[]>()
  for (const failure of s.failures) {
    const key = `${failure.fuzzCase.category} → ${failure.outcome}`
    groups.set(key, [...(groups.get(key) ?? []), failure])
  }
  const lines = [...groups].map(([key, list]) => `  ${list.length}× ${key}\n    e.g. ${String(list[0]!.fuzzCase[fc.toStringMethod]()).slice(0, 600)}`)
  return `${channel} (seed ${s.seed}): ${s.failures.length} of ${s.sent} payloads were not answered as expected\n${lines.join('\n')}`
}

async function value<T>(stance: Stance, channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(stance.handlers, channel, payload, top, options)
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
  return result.value as T
}

async function makeFixture(stance: Stance): Promise<Fixture> {
  const [article] = await value<ArticleSummary[]>(stance, 'articles:list', {})
  const all = await value<Code[]>(stance, 'codebook:list', {})
  const codes = all.filter((code) => !code.groupKind).map((code) => code.id as string)
  const groups = all.filter((code) => code.groupKind).map((code) => code.id as string)
  if (!article || codes.length < 6 || groups.length < 2) throw new Error('the seeded library is missing')
  const highlight = await value<Highlight>(stance, 'highlights:create', { articleId: article.id, start: 0, end: 5, codeIds: [codes[0]] })
  const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A note' }] }] }
  await value(stance, 'notes:save', { target: { highlightId: highlight.id }, doc })
  await value(stance, 'notes:save', { target: { articleId: article.id }, doc })
  return { article: article.id, codes, groups, highlight: highlight.id }
}

describe('IPC fuzzing', () => {
  let dir: string
  let stance: Stance
  let reader: Database.Database
  let fixture: Fixture
  let chooserCalls = 0

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stance-ipc-fuzz-'))
    stance = bootstrap({
      dataDir: dir,
      resourcesDir: RESOURCES,
      // A shell whose save dialog is always cancelled: nothing is ever written, but the export code runs.
      exports: {
        printer: () => {
          throw new Error('the fuzzer never prints')
        },
        chooseOutput: async () => {
          chooserCalls++
          return null
        }
      }
    })
    fixture = await makeFixture(stance)
    // A second, read-only connection to hash the store with; the handlers' own connection is not exposed.
    reader = new Database(stance.databasePath, { readonly: true, fileMustExist: true })
  })
  afterEach(() => {
    reader.close()
    stance.close()
    rmSync(dir, { recursive: true, force: true })
  })
  afterAll(() => {
    if (stats.size) console.info(summary())
  })

  it('has a sample for every channel that its schema accepts, and hashes every content table', () => {
    expect(CHANNELS.filter((channel) => !SAMPLES[channel]), 'channels without a sample in SAMPLES').toEqual([])
    expect(Object.keys(SAMPLES).filter((channel) => !(CHANNELS as readonly string[]).includes(channel)), 'samples of channels that no longer exist').toEqual([])
    for (const channel of CHANNELS) {
      const parsed = contract[channel].input.safeParse(SAMPLES[channel]?.(fixture))
      expect(parsed.success, `${channel}: ${parsed.error?.message}`).toBe(true)
    }
    expect(contentTables(reader)).toEqual(expect.arrayContaining(['articles', 'codes', 'highlights', 'highlight_codes', 'notes', 'settings']))
    // The helpers build what they claim: own prototype keys, and deep payloads of the stated depth.
    const injected = withOwnKey({ a: { b: 1 } }, ['a'], '__proto__', '{"polluted":true}', true) as { a: object }
    expect(Object.hasOwn(injected.a, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(injected.a)).toBe(Object.prototype)
    expect(abbreviate(DEEP_ARRAY)).toMatch(/^<10000 levels/)
  })

  it.each([...CHANNELS])(
    '%s answers malformed payloads invalid-input and unknown ids not-found, and changes nothing',
    async (channel) => {
      const schema = contract[channel].input
      const sample = SAMPLES[channel]?.(fixture) ?? {}
      const knownIds = storedIds(reader)
      const otherIds = OTHER_IDS[channel]
      const s: ChannelStats = { sent: 0, unknownIdsSent: 0, skipped: 0, outcomes: new Map(), categories: new Map(), failures: [], seed: SEED ?? (Date.now() ^ (Math.random() * 0x100000000)) }
      stats.set(channel, s)
      const before = storeDigest(reader)
      const historyBefore = await value(stance, 'history:state', {})
      const chooserBefore = chooserCalls
      const protoBefore = Object.getOwnPropertyNames(Object.prototype).join()
      let baseline = before

      /** Sends one case unless it is a valid call; returns whether it was sent. */
      async function send(fuzzCase: FuzzCase): Promise<boolean> {
        let accepted: boolean
        try {
          accepted = schema.safeParse(fuzzCase.payload).success
        } catch {
          accepted = false // the schema itself blew up (stack overflow): certainly not a valid call
        }
        if (accepted && !fuzzCase.unknownId) {
          s.skipped++
          return false
        }
        const expected: string[] = accepted ? (UNKNOWN_ID_CODES[channel] ?? ['not-found']) : ['invalid-input']
        s.sent++
        count(s.categories, fuzzCase.category)
        if (accepted) s.unknownIdsSent++
        let outcome: string
        try {
          const result: Result<unknown> = await dispatch(stance.handlers, channel, fuzzCase.payload, top, options)
          outcome = result.ok ? 'ok' : typeof result.error.message === 'string' && result.error.message ? result.error.code : `${result.error.code} without a message`
        } catch (error) {
          outcome = `threw ${(error as Error)?.name}: ${(error as Error)?.message}`
        }
        count(s.outcomes, outcome)
        if (!expected.includes(outcome)) s.failures.push({ fuzzCase, outcome: `${outcome} (expected ${expected.join(' or ')})` })
        if (accepted) {
          // The payload reached the handler: it must not have written anything.
          const now = storeDigest(reader)
          const changed = changedTables(baseline, now)
          if (changed.length) s.failures.push({ fuzzCase, outcome: `${outcome}, but it changed ${changed.join(', ')}` })
          baseline = now
        }
        return true
      }

      for (const fuzzCase of EXTRA_CASES[channel]?.(fixture) ?? []) await send(fuzzCase)
      await fc.assert(
        fc.asyncProperty(fuzzCases({ sample, knownIds, otherIds }), async (fuzzCase) => {
          fc.pre(await send(fuzzCase))
        }),
        { numRuns: RUNS, seed: s.seed, maxSkipsPerRun: 1000 }
      )

      const changed = changedTables(before, storeDigest(reader))
      if (changed.length && !s.failures.some((f) => f.outcome.includes(', but it changed '))) {
        s.failures.push({ fuzzCase: new FuzzCase('whole run', '-', null), outcome: `the run changed ${changed.join(', ')}` })
      }
      expect(s.sent).toBeGreaterThanOrEqual(RUNS)
      expect(await value(stance, 'history:state', {}), 'the undo history changed').toEqual(historyBefore)
      expect(chooserCalls - chooserBefore, 'an export reached its destination chooser').toBe(0)
      expect(Object.getOwnPropertyNames(Object.prototype).join(), 'Object.prototype gained keys').toBe(protoBefore)
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined()
      expect(s.failures.length, report(channel, s)).toBe(0)
    },
    120_000
  )
})

describe('registerIpc', () => {
  const ctx = withStance()

  type Listener = (event: IpcMainInvokeEvent, raw: unknown) => Promise<Result<unknown>>
  function register(): Map<string, Listener[]> {
    const handled = new Map<string, Listener[]>()
    const ipcMain = {
      handle: (channel: string, listener: Listener) => handled.set(channel, [...(handled.get(channel) ?? []), listener])
    }
    registerIpc(ipcMain as unknown as IpcMain, ctx.stance.handlers, { appOrigin: APP })
    return handled
  }
  const frame = (url: string, parent: object | null, destroyed = false) => ({ url, parent, isDestroyed: () => destroyed })
  const event = (senderFrame: unknown) => ({ senderFrame }) as unknown as IpcMainInvokeEvent
  const page = `${APP}/index.html`

  it('registers every channel of the contract once, through dispatch', async () => {
    const handled = register()
    expect([...handled.keys()].sort()).toEqual([...CHANNELS].sort())
    for (const channel of CHANNELS) expect(handled.get(channel), channel).toHaveLength(1)
    const [list] = handled.get('codebook:list')!
    expect(await list!(event(frame(page, null)), {})).toMatchObject({ ok: true })
  })

  it('refuses sub-frames, destroyed or missing frames and other origins, and validates the rest', async () => {
    const handled = register()
    const refused = [frame(page, frame(page, null)), frame(page, null, true), null, undefined, frame('https://evil.example/index.html', null)]
    for (const channel of CHANNELS) {
      const [listener] = handled.get(channel)!
      for (const sender of refused) {
        expect(await listener!(event(sender), {}), `${channel} from ${abbreviate(sender)}`).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      }
      for (const malformed of [undefined, null, 42, 'x', [], JSON.parse('{"__proto__":{"polluted":true}}')]) {
        expect(await listener!(event(frame(page, null)), malformed), `${channel} with ${abbreviate(malformed)}`).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
      }
    }
  })
})
