import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from './web-preferences'

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
