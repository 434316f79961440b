import type { Session } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { NETWORK_URL_FILTER, hardenSession, shouldBlockRequest } from './session-guards'

describe('shouldBlockRequest', () => {
  it.each([
    'http://example.com/',
    'https://example.com/pixel.gif',
    'HTTPS://EXAMPLE.COM/',
    'ws://example.com/socket',
    'wss://example.com/socket',
    'http://localhost:5173/',
    'http://127.0.0.1/',
    'https://[::1]/',
    'not a url',
    ''
  ])('blocks %j', (url) => {
    expect(shouldBlockRequest(url)).toBe(true)
  })

  it.each([
    'app://stance/index.html',
    'app://stance/assets/index.js',
    'data:image/png;base64,AAAA',
    'blob:app://stance/0b6c-42',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abc/x.js'
  ])('allows %j', (url) => {
    expect(shouldBlockRequest(url)).toBe(false)
  })

  describe('with an allowed dev-server origin', () => {
    const allowed = ['http://localhost:5173']

    it.each(['http://localhost:5173/', 'http://localhost:5173/src/main.ts?t=1', 'ws://localhost:5173/'])(
      'allows %j',
      (url) => {
        expect(shouldBlockRequest(url, allowed)).toBe(false)
      }
    )

    it.each([
      'http://localhost:5174/',
      'https://localhost:5173/',
      'wss://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://localhost:5173.evil.example/',
      'http://localhost/',
      'https://example.com/'
    ])('still blocks %j', (url) => {
      expect(shouldBlockRequest(url, allowed)).toBe(true)
    })

    it('ignores malformed allowed origins', () => {
      expect(shouldBlockRequest('http://localhost:5173/', ['not a url'])).toBe(true)
    })
  })
})

function fakeSession() {
  const listeners = new Map<string, (...args: unknown[]) => void>()
  const fake = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onBeforeRequest: vi.fn() },
    on: vi.fn((event: string, listener: (...args: unknown[]) => void) => {
      listeners.set(event, listener)
      return fake
    })
  }
  return { fake, listeners, session: fake as unknown as Session }
}

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const { fake, session } = fakeSession()
    hardenSession(session)

    const requestHandler = fake.setPermissionRequestHandler.mock.calls[0]?.[0]
    const callback = vi.fn()
    requestHandler({}, 'media', callback, {})
    requestHandler({}, 'notifications', callback, {})
    expect(callback.mock.calls).toEqual([[false], [false]])

    const checkHandler = fake.setPermissionCheckHandler.mock.calls[0]?.[0]
    expect(checkHandler(null, 'clipboard-read', 'app://stance', {})).toBe(false)
    expect(fake.setDevicePermissionHandler.mock.calls[0]?.[0]({})).toBe(false)
  })

  it('cancels network requests through webRequest', () => {
    const { fake, session } = fakeSession()
    hardenSession(session)

    const [filter, listener] = fake.webRequest.onBeforeRequest.mock.calls[0] ?? []
    expect(filter).toEqual({ urls: NETWORK_URL_FILTER })
    const callback = vi.fn()
    listener({ url: 'https://tracker.example/p.gif' }, callback)
    listener({ url: 'app://stance/index.html' }, callback)
    expect(callback.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]])
  })

  it('lets the dev server through only when asked to', () => {
    const { fake, session } = fakeSession()
    hardenSession(session, { allowedOrigins: ['http://localhost:5173'] })
    const listener = fake.webRequest.onBeforeRequest.mock.calls[0]?.[1]
    const callback = vi.fn()
    listener({ url: 'ws://localhost:5173/' }, callback)
    listener({ url: 'https://example.com/' }, callback)
    expect(callback.mock.calls).toEqual([[{ cancel: false }], [{ cancel: true }]])
  })

  it('refuses downloads', () => {
    const { listeners, session } = fakeSession()
    hardenSession(session)
    const event = { preventDefault: vi.fn() }
    listeners.get('will-download')?.(event, {}, {}, null)
    expect(event.preventDefault).toHaveBeenCalledOnce()
  })
})
