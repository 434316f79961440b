import { describe, expect, it } from 'vitest'
import { printWindowWebPreferences, secureWebPreferences } from './web-preferences'

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs')

  it('uses the given preload', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
  })

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['spellcheck', false],
    ['navigateOnDragDrop', false],
    ['safeDialogs', true]
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value)
  })

  it('does not enable Blink features', () => {
    expect(prefs.enableBlinkFeatures).toBeUndefined()
    expect('enableBlinkFeatures' in prefs).toBe(false)
  })

  it('sets nothing beyond the reviewed keys', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'preload',
        'contextIsolation',
        'sandbox',
        'nodeIntegration',
        'nodeIntegrationInWorker',
        'nodeIntegrationInSubFrames',
        'webSecurity',
        'allowRunningInsecureContent',
        'experimentalFeatures',
        'webviewTag',
        'spellcheck',
        'navigateOnDragDrop',
        'safeDialogs'
      ].sort()
    )
  })

  it('returns a fresh object per call', () => {
    expect(secureWebPreferences('a')).not.toBe(secureWebPreferences('a'))
  })
})

describe('printWindowWebPreferences', () => {
  // Only identity matters here: Electron is not loaded in unit tests.
  const session = { partition: 'stance-print' } as unknown as Parameters<typeof printWindowWebPreferences>[0]
  const prefs = printWindowWebPreferences(session)

  it('uses its own session and no preload', () => {
    expect(prefs.session).toBe(session)
    expect('preload' in prefs).toBe(false)
    expect('partition' in prefs).toBe(false)
  })

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['spellcheck', false],
    ['navigateOnDragDrop', false],
    ['safeDialogs', true],
    // The print document's layout script (allowed by hash in its CSP) has to run.
    ['javascript', true],
    ['offscreen', true]
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value)
  })

  it('does not enable Blink features', () => {
    expect('enableBlinkFeatures' in prefs).toBe(false)
  })

  it('sets nothing beyond the reviewed keys', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'session',
        'contextIsolation',
        'sandbox',
        'nodeIntegration',
        'nodeIntegrationInWorker',
        'nodeIntegrationInSubFrames',
        'webSecurity',
        'allowRunningInsecureContent',
        'experimentalFeatures',
        'webviewTag',
        'javascript',
        'spellcheck',
        'navigateOnDragDrop',
        'safeDialogs',
        'offscreen'
      ].sort()
    )
  })

  it('matches the main window on every key both set, except what only a print needs', () => {
    const main = secureWebPreferences('/preload.cjs') as Record<string, unknown>
    const print = prefs as Record<string, unknown>
    for (const key of Object.keys(main).filter((k) => k !== 'preload')) expect([key, print[key]]).toEqual([key, main[key]])
  })
})
