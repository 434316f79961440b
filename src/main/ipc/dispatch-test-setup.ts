import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import type { Channel } from '../../shared/ipc/channels'
import type { Result } from '../../shared/result'
import { bootstrap, type Stance } from '../bootstrap'
import { dispatch } from './dispatch'

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

/** An id no row has. */
export const MISSING = '00000000-0000-4000-8000-000000000000'

/** Calls a channel as the app's top frame would; `value` unwraps a successful result or fails the test. */
export function caller(ctx: { readonly stance: Stance }): {
  call: (channel: string, payload: unknown) => Promise<Result<unknown>>
  value: <T>(channel: Channel, payload: unknown) => Promise<T>
} {
  const call = (channel: string, payload: unknown): Promise<Result<unknown>> => dispatch(ctx.stance.handlers, channel, payload, top, options)
  return {
    call,
    async value<T>(channel: Channel, payload: unknown): Promise<T> {
      const result = await call(channel, payload)
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
      return result.value as T
    }
  }
}
