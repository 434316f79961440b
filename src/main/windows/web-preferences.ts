import type { WebPreferences } from 'electron'

/**
 * The only webPreferences Stance windows are created with. The renderer shows imported,
 * untrusted documents, so it gets no Node, no relaxed web security and no experimental
 * surface; everything it needs comes through the preload's contextBridge API.
 * `enableBlinkFeatures` is deliberately absent.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    // Spellcheck dictionaries are downloaded from Google's CDN; Stance stays offline.
    spellcheck: false,
    // Dropping a file on the window must not navigate away from the app.
    navigateOnDragDrop: false,
    safeDialogs: true
  }
}
