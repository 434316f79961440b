import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAppFileHandler } from './app-file-handler'
import { CONTENT_SECURITY_POLICY } from './csp'

let base: string
let root: string

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'stance-app-protocol-'))
  root = path.join(base, 'renderer')
  mkdirSync(path.join(root, 'assets'), { recursive: true })
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Stance</title>')
  writeFileSync(path.join(root, 'assets', 'index.js'), 'console.log(1)')
  writeFileSync(path.join(root, 'assets', 'blob.bin'), Buffer.from([0, 1, 2, 255]))
  writeFileSync(path.join(base, 'secret.txt'), 'outside the root')
  try {
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.js'))
  } catch {
    // Symlinks need privileges on Windows; the symlink test is skipped there.
  }
})

afterAll(() => {
  rmSync(base, { recursive: true, force: true })
})

const get = (url: string, method = 'GET'): Promise<Response> =>
  createAppFileHandler(root)(new Request(url, { method }))

describe('createAppFileHandler', () => {
  it('serves index.html for the root with CSP and hardening headers', async () => {
    const response = await get('app://stance/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(await response.text()).toContain('<title>Stance</title>')
  })

  it('serves assets with their MIME type and exact bytes', async () => {
    const js = await get('app://stance/assets/index.js?v=1')
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toBe('console.log(1)')

    const bin = await get('app://stance/assets/blob.bin')
    expect(bin.headers.get('content-type')).toBe('application/octet-stream')
    expect([...new Uint8Array(await bin.arrayBuffer())]).toEqual([0, 1, 2, 255])
  })

  it('answers HEAD without a body', async () => {
    const response = await get('app://stance/index.html', 'HEAD')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it('rejects other methods', async () => {
    const response = await get('app://stance/index.html', 'POST')
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, HEAD')
  })

  it.each([
    'app://stance/missing.js',
    'app://stance/assets',
    'app://stance/assets/index.js/x',
    'app://stance/%2e%2e/secret.txt',
    'app://stance/..%2fsecret.txt',
    'app://evil/index.html'
  ])('404s %s, still with the CSP', async (url) => {
    const response = await get(url)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })

  it.skipIf(process.platform === 'win32')('refuses a symlink that leads outside the root', async () => {
    const response = await get('app://stance/assets/link.js')
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('outside the root')
  })

  it('reports unexpected read errors as 500 without leaking them', async () => {
    const failing = createAppFileHandler(root, {
      realpath: async (p) => p,
      readFile: async () => {
        throw Object.assign(new Error('disk on fire'), { code: 'EIO' })
      }
    })
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const response = await failing(new Request('app://stance/index.html'))
      expect(response.status).toBe(500)
      expect(await response.text()).not.toContain('disk on fire')
      expect(quiet).toHaveBeenCalledOnce()
    } finally {
      quiet.mockRestore()
    }
  })
})
