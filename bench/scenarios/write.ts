import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootstrap } from '../../src/main/bootstrap'
import { openDatabase } from '../../src/main/db/connection'
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations'
import { createRepositories } from '../../src/main/db/repositories/repositories'
import { dispatch } from '../../src/main/ipc/dispatch'
import { generateArticle } from '../lib/generate-article'
import { measure } from '../lib/measure'
import { report, type Scenario } from '../lib/scenario'

const ORIGIN = 'app://stance'
const SENDER = { url: `${ORIGIN}/index.html`, isTopFrame: true }

/**
 * S5: one write through the handler — `highlights:create` through dispatch (sender check, zod, quote cut from
 * the stored text, transaction with its code link, undo entry) — against a raw prepared INSERT of a highlight
 * row and its code link in one transaction, on a second connection with the same pragmas (WAL, synchronous=FULL),
 * so both pay the same commit.
 */
export const write: Scenario = {
  id: 'S5',
  title: 'one write through the handler (highlights:create) vs a raw prepared insert',
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-write-'))
    const stance = bootstrap({ dataDir: dir, resourcesDir: join(import.meta.dirname, '../../resources') })
    const raw = openDatabase(stance.databasePath, { latestVersion: LATEST_SCHEMA_VERSION })
    try {
      const options = quick ? { warmup: 5, reps: 30 } : { warmup: 100, reps: 1000 }
      const total = options.warmup + options.reps
      const generated = generateArticle(0x53_35, Math.ceil((total * 14) / 5) + 200, 1)
      const repos = createRepositories(raw)
      const article = repos.articles.insert({ title: 'S5', outlet: null, author: null, publishedAt: null, sourceUrl: null }, generated.doc)
      const [code] = repos.codes.list().filter((c) => !c.groupKind)
      if (!code) throw new Error('the seeded codebook is empty')
      const now = new Date().toISOString()
      const insertRow = raw.prepare('INSERT INTO highlights (id, article_id, start, end, exact, prefix, suffix, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      const insertLink = raw.prepare('INSERT INTO highlight_codes (highlight_id, code_id) VALUES (?, ?)')
      const rawInsert = raw.transaction((id: string, start: number) => {
        insertRow.run(id, article.id, start, start + 5, 'quote', '', '', now, now)
        insertLink.run(id, code.id)
      })
      // Feature and baseline write disjoint ranges of the same article, each range once.
      let n = 0
      const baseline = await measure(() => rawInsert(randomUUID(), 7 * n++ + 3), options)
      let m = 0
      const feature = await measure(async () => {
        const start = 7 * m++
        const result = await dispatch(stance.handlers, 'highlights:create', { articleId: article.id, start, end: start + 3, codeIds: [code.id] }, SENDER, { appOrigin: ORIGIN })
        if (!result.ok) throw new Error(result.error.message)
      }, options)
      return report(this, {
        feature,
        baseline,
        goal: '≤ 5× or raw + 1 ms',
        met: (ratio) => ratio <= 5 || feature.median <= baseline.median + 1,
        notes: `${options.reps} writes each after ${options.warmup} warm-up; both commit with synchronous=FULL in WAL mode (one fsync of the log per commit)`
      })
    } finally {
      raw.close()
      stance.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
