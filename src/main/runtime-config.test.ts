import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_ORIGIN, runtimeConfig } from './runtime-config'

const base = { appPath: '/projects/stance', resourcesPath: '/opt/Stance/resources', env: {} }

describe('runtimeConfig', () => {
  it('serves app://stance and enables dev tools in an unpackaged run', () => {
    expect(runtimeConfig({ ...base, packaged: false })).toEqual({
      appUrl: APP_ENTRY_URL,
      appOrigin: APP_ORIGIN,
      allowedNetworkOrigins: [],
      resourcesDir: path.join('/projects/stance', 'resources'),
      devTools: true
    })
    expect(APP_ENTRY_URL).toBe('app://stance/index.html')
  })

  it('uses process.resourcesPath and no dev tools when packaged', () => {
    expect(runtimeConfig({ ...base, packaged: true })).toEqual({
      appUrl: APP_ENTRY_URL,
      appOrigin: APP_ORIGIN,
      allowedNetworkOrigins: [],
      resourcesDir: '/opt/Stance/resources',
      devTools: false
    })
  })

  it('loads the electron-vite dev server in dev', () => {
    const config = runtimeConfig({ ...base, packaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })
    expect(config.appUrl).toBe('http://localhost:5173/')
    expect(config.appOrigin).toBe('http://localhost:5173')
    expect(config.allowedNetworkOrigins).toEqual(['http://localhost:5173'])
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    const config = runtimeConfig({ ...base, packaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })
    expect(config.appUrl).toBe(APP_ENTRY_URL)
    expect(config.allowedNetworkOrigins).toEqual([])
  })

  it.each(['https://evil.example/', 'file:///tmp/index.html', 'javascript:alert(1)', 'not a url', 'http://localhost.evil.example/'])(
    'ignores a non-loopback dev server URL %j',
    (url) => {
      const config = runtimeConfig({ ...base, packaged: false, env: { ELECTRON_RENDERER_URL: url } })
      expect(config.appUrl).toBe(APP_ENTRY_URL)
      expect(config.allowedNetworkOrigins).toEqual([])
    }
  )
})
