import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, DEFAULT_CONTENT_TYPE, contentTypeFor, securityHeaders } from './csp'

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) map.set(name, values)
  }
  return map
}

describe('CONTENT_SECURITY_POLICY', () => {
  const policy = directives(CONTENT_SECURITY_POLICY)

  it('is exactly the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
        "base-uri 'none'; frame-src 'none'; form-action 'none'; frame-ancestors 'none'; " +
        'sandbox allow-scripts allow-same-origin allow-forms allow-modals'
    )
  })

  it('sandboxes the page without popups or top navigation', () => {
    const sandbox = policy.get('sandbox') ?? []
    expect(sandbox).not.toContain('allow-popups')
    expect(sandbox).not.toContain('allow-top-navigation')
    expect(sandbox).not.toContain('allow-popups-to-escape-sandbox')
  })

  it('never allows eval or inline script', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval')
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('default-src')).toEqual(["'self'"])
  })

  it('limits unsafe-inline to styles', () => {
    for (const [name, values] of policy) {
      if (name !== 'style-src') expect(values).not.toContain("'unsafe-inline'")
    }
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
  })

  it('allows no network origin or wildcard', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|\*/)
    expect(policy.get('connect-src')).toEqual(["'self'"])
  })

  it.each(['object-src', 'base-uri', 'frame-src', 'form-action', 'frame-ancestors'])('%s is none', (name) => {
    expect(policy.get(name)).toEqual(["'none'"])
  })

  it('declares each directive once', () => {
    const names = CONTENT_SECURITY_POLICY.split(';').map((p) => p.trim().split(/\s+/)[0])
    expect(new Set(names).size).toBe(names.length)
  })
})

describe('securityHeaders', () => {
  it('carries the CSP and hardening headers', () => {
    expect(securityHeaders()).toEqual({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer'
    })
  })

  it('returns a fresh object each time', () => {
    const first = securityHeaders()
    first['Content-Security-Policy'] = 'tampered'
    expect(securityHeaders()['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
  })
})

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['/abs/assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['worker.mjs', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'],
    ['index.js.map', 'application/json; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['logo.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
    ['favicon.ico', 'image/x-icon'],
    ['inter.woff', 'font/woff'],
    ['inter.woff2', 'font/woff2'],
    ['serif.ttf', 'font/ttf'],
    ['C:\\out\\renderer\\INDEX.HTML', 'text/html; charset=utf-8'],
    ['Logo.PNG', 'image/png']
  ])('%s -> %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type)
  })

  it.each(['README', 'archive.zip', 'binary.node', 'file.', '.html', 'x.constructor', 'x.__proto__', 'x.toString'])(
    '%s falls back to octet-stream',
    (file) => {
      expect(contentTypeFor(file)).toBe(DEFAULT_CONTENT_TYPE)
    }
  )
})
