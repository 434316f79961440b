import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { bootstrap } from '../../src/main/bootstrap'
import { openDatabase } from '../../src/main/db/connection'
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations'
import { createRepositories, type Repositories } from '../../src/main/db/repositories/repositories'
import { dispatch } from '../../src/main/ipc/dispatch'
import { AnalysisService } from '../../src/main/services/analysis-service'
import type { StanceMatrix, Timeline } from '../../src/shared/domain/analysis'
import type { Code } from '../../src/shared/domain/code'
import type { ArticleId, CodeId } from '../../src/shared/domain/ids'
import { generateArticle } from '../lib/generate-article'
import { measure } from '../lib/measure'
import { Random } from '../lib/random'
import { report, type Scenario } from '../lib/scenario'

const ORIGIN = 'app://stance'
const SENDER = { url: `${ORIGIN}/index.html`, isTopFrame: true }
const SEED = 0x53_39 // "S9"
/** Passages per generated article: 200 articles make the 10,000 passages of a large study. */
const PASSAGES_PER_ARTICLE = 50
const DAY = 24 * 60 * 60 * 1000

/** What the seeded library holds, for the notes. */
interface AnalysisLibrary {
  articles: number
  passages: number
  links: number
  stanceIds: CodeId[]
  issueIds: CodeId[]
  russianId: CodeId
  /** The sub-codes made under "Russian stance". */
  subCodeIds: CodeId[]
}

/**
 * Fills a library with `articles` generated articles dated over 2025, each with ~50 passages: most carry one
 * stance (a third of the Russian ones a sub-code under "Russian stance") and one or two issues, some only a
 * stance or only an issue, as coding by hand leaves them.
 */
export function seedAnalysisLibrary(repos: Repositories, articles: number): AnalysisLibrary {
  const random = new Random(SEED)
  const codes = repos.codes.list()
  const byName = (name: string): Code => {
    const code = codes.find((c) => c.name === name)
    if (!code) throw new Error(`the seeded codebook has no "${name}"`)
    return code
  }
  const stancesGroup = codes.find((c) => c.groupKind === 'stance')
  const issuesGroup = codes.find((c) => c.groupKind === 'issue')
  if (!stancesGroup || !issuesGroup) throw new Error('the seeded codebook has no Stances or Issues group')
  const stances = codes.filter((c) => c.parentId === stancesGroup.id)
  const issues = codes.filter((c) => c.parentId === issuesGroup.id)
  const russian = byName('Russian stance')
  const subCodes = ['Rejects', 'Accepts with conditions', 'Proposes'].map((name, i) =>
    repos.codes.insert({ name, color: ['#a34400', '#e07a3a', '#f2b27f'][i]!, parentId: russian.id })
  )
  const stanceChoices = [...stances, ...stances, ...subCodes] // stance codes twice as often as any one sub-code
  const start = Date.UTC(2025, 0, 1)
  let passages = 0
  let links = 0
  for (let i = 0; i < articles; i++) {
    const generated = generateArticle(SEED + i, 900, PASSAGES_PER_ARTICLE)
    const publishedAt = new Date(start + random.int(0, 364) * DAY).toISOString().slice(0, 10)
    const article = repos.articles.insert({ title: `S9 article ${i + 1}`, outlet: random.pick(['Wire', 'Daily', 'Weekly']), author: null, publishedAt, sourceUrl: null }, generated.doc)
    for (const range of generated.ranges) {
      const roll = random.next()
      const codeIds: CodeId[] = []
      if (roll < 0.9) codeIds.push(random.pick(stanceChoices).id)
      if (roll >= 0.15) {
        const first = random.pick(issues)
        codeIds.push(first.id)
        if (random.chance(0.25)) {
          const second = random.pick(issues)
          if (second.id !== first.id) codeIds.push(second.id)
        }
      }
      repos.highlights.insert({ articleId: article.id as ArticleId, start: range.start, end: range.end, codeIds })
      passages++
      links += codeIds.length
    }
  }
  return { articles, passages, links, stanceIds: [...stances, ...subCodes].map((c) => c.id), issueIds: issues.map((c) => c.id), russianId: russian.id, subCodeIds: subCodes.map((c) => c.id) }
}

const fmt = (ms: number): string => `${ms.toFixed(2)} ms`

/**
 * S9: the stance × issue matrix through the handler — `analysis:matrix` through dispatch (sender check, zod,
 * scope and codebook reads, every passage with its codes, sub-codes credited to their parents, the axes) —
 * against one raw GROUP BY over a self-join of highlight_codes on a second connection: the least a database
 * must do to count passages per (stance, issue) pair, without crediting parents or building anything.
 */
export const analysisMatrix: Scenario = {
  id: 'S9',
  title: 'analysis:matrix (stance × issue) vs a raw GROUP BY self-join of highlight_codes',
  async run({ quick }) {
    const articles = quick ? 30 : 200
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-analysis-'))
    const stance = bootstrap({ dataDir: dir, resourcesDir: join(import.meta.dirname, '../../resources') })
    const writer = openDatabase(stance.databasePath, { latestVersion: LATEST_SCHEMA_VERSION })
    let raw: Database.Database | undefined
    try {
      const seedStart = performance.now()
      const library = writer.transaction(() => seedAnalysisLibrary(createRepositories(writer), articles))()
      const seedMs = performance.now() - seedStart
      writer.close()

      raw = new Database(stance.databasePath, { readonly: true })
      // The unary plus keeps SQLite from probing the code index for the second side: joining on the primary key
      // (highlight_id, code_id) and filtering is the fastest plan found, about 2.5× faster than the planner's own.
      const pairs = raw.prepare<[string, string], { stance: string; issue: string; n: number }>(
        `SELECT s.code_id AS stance, i.code_id AS issue, count(*) AS n
         FROM highlight_codes s JOIN highlight_codes i ON i.highlight_id = s.highlight_id
         WHERE s.code_id IN (SELECT value FROM json_each(?)) AND +i.code_id IN (SELECT value FROM json_each(?))
         GROUP BY s.code_id, i.code_id`
      )
      const stanceJson = JSON.stringify(library.stanceIds)
      const issueJson = JSON.stringify(library.issueIds)

      const call = async <T>(channel: string, request: unknown): Promise<T> => {
        const result = await dispatch(stance.handlers, channel, request, SENDER, { appOrigin: ORIGIN })
        if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
        return result.value as T
      }
      // The two must agree on what they count before either is timed: each raw pair is the matrix cell of its
      // stance, and a sub-code's pairs also count in the "Russian stance" row (the query does not credit parents).
      const matrix = await call<StanceMatrix>('analysis:matrix', { columns: 'issues' })
      const rawCells = pairs.all(stanceJson, issueJson)
      const expected = matrix.rows.map(() => matrix.columnItems.map(() => 0))
      const rowOf = (id: string): number => matrix.rows.findIndex((row) => row.id === id)
      for (const cell of rawCells) {
        const c = matrix.columnItems.findIndex((column) => column.id === cell.issue)
        expected[rowOf(cell.stance)]![c]! += cell.n
        if (library.subCodeIds.includes(cell.stance as CodeId)) expected[rowOf(library.russianId)]![c]! += cell.n
      }
      if (JSON.stringify(expected) !== JSON.stringify(matrix.counts)) throw new Error('analysis:matrix and the raw pair counts disagree')
      const byArticle = await call<StanceMatrix>('analysis:matrix', { columns: 'articles' })
      const timeline = await call<Timeline>('analysis:timeline', { codeId: library.russianId })

      const options = quick ? { warmup: 3, reps: 15 } : { warmup: 10, reps: 100 }
      const baseline = await measure(() => pairs.all(stanceJson, issueJson), options)
      const feature = await measure(() => call('analysis:matrix', { columns: 'issues' }), options)
      const articleColumns = await measure(() => call('analysis:matrix', { columns: 'articles' }), options)
      const timelineTiming = await measure(() => call('analysis:timeline', { codeId: library.russianId }), options)
      const service = new AnalysisService(raw)
      const direct = await measure(() => service.matrix({ columns: 'issues' }), options)
      const goalMs = 100
      return report(this, {
        feature,
        baseline,
        goal: `≤ 10× or ≤ ${goalMs} ms`,
        met: (ratio) => ratio <= 10 || feature.median <= goalMs,
        notes:
          `${library.articles} articles dated over 2025, ${library.passages} passages with ${library.links} code links ` +
          `(seeded in ${(seedMs / 1000).toFixed(1)} s); ${matrix.rows.length} stance rows (3 sub-codes under Russian stance) × ${matrix.columnItems.length} issue columns, ` +
          `${matrix.passageCount} passages with a stance, largest cell ${matrix.max}; raw query returns ${rawCells.length} pairs. ` +
          `Other figures (median / p95): AnalysisService.matrix without IPC ${fmt(direct.median)} / ${fmt(direct.p95)}; analysis:matrix with article columns (${byArticle.columnItems.length} columns) ${fmt(articleColumns.median)} / ${fmt(articleColumns.p95)}; ` +
          `analysis:timeline for Russian stance (${timeline.entries.length} articles, ${timeline.entries.reduce((n, e) => n + e.passages.length, 0)} passages, ${timeline.shifts.length} shifts) ` +
          `${fmt(timelineTiming.median)} / ${fmt(timelineTiming.p95)}. ${options.reps} runs each after ${options.warmup} warm-up.`
      })
    } finally {
      raw?.close()
      if (writer.open) writer.close()
      stance.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
