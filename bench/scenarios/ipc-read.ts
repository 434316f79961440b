import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { bootstrap } from '../../src/main/bootstrap'
import { dispatch } from '../../src/main/ipc/dispatch'
import { measure } from '../lib/measure'
import { report, type Scenario } from '../lib/scenario'

const ORIGIN = 'app://stance'
const SENDER = { url: `${ORIGIN}/index.html`, isTopFrame: true }

/** One `articles:get` through the whole IPC wrapper (sender check, zod, repository, mapping) against a raw prepared SELECT. */
export const ipcRead: Scenario = {
  id: 'IPC-R',
  title: 'articles:get through dispatch vs raw SELECT',
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-'))
    const stance = bootstrap({ dataDir: dir, resourcesDir: join(import.meta.dirname, '../../resources') })
    const raw = new Database(stance.databasePath, { readonly: true })
    try {
      const list = await dispatch(stance.handlers, 'articles:list', {}, SENDER, { appOrigin: ORIGIN })
      if (!list.ok) throw new Error(list.error.message)
      const id = (list.value as { id: string }[])[0]!.id
      const select = raw.prepare('SELECT * FROM articles WHERE id = ?')
      const options = quick ? { warmup: 5, reps: 20 } : { warmup: 200, reps: 2000 }
      const baseline = await measure(() => select.get(id), options)
      const feature = await measure(() => dispatch(stance.handlers, 'articles:get', { id }, SENDER, { appOrigin: ORIGIN }), options)
      return report(this, { feature, baseline, goal: '≤ 5× or raw + 1 ms', met: (ratio) => ratio <= 5 || feature.median <= baseline.median + 1 })
    } finally {
      raw.close()
      stance.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
