import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../shared/ipc/channels'
import { contract } from '../../shared/ipc/contract'
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
