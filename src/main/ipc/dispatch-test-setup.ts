import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { bootstrap, type Stance } from '../bootstrap'

/** Origin the dispatch tests pretend the app is served from. */
export const APP = 'app://stance'
/** A call from the app's own top frame. */
export const top = { url: `${APP}/index.html`, isTopFrame: true }
/** Dispatch options for tests: unexpected errors are not printed. */
export const options = { appOrigin: APP, log: () => {} }

/** A fresh, seeded library for each test in the calling file; read `ctx.stance` inside tests. */
export function withStance(): { readonly stance: Stance } {
  const ctx = {} as { stance: Stance; dir: string }
  beforeEach(() => {
    ctx.dir = mkdtempSync(join(tmpdir(), 'stance-ipc-'))
    ctx.stance = bootstrap({ dataDir: ctx.dir, resourcesDir: join(import.meta.dirname, '../../../resources') })
  })
  afterEach(() => {
    ctx.stance.close()
    rmSync(ctx.dir, { recursive: true, force: true })
  })
  return ctx
}
