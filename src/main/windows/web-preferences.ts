import type { Session, WebPreferences } from 'electron'

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

/**
 * The hidden print window's webPreferences (see print-window-printer.ts). It renders a print document built from
 * imported articles, so it is locked down like the main window, but: no preload (it talks to nothing), its own
 * session (which denies permissions and lets through only the file being printed), JavaScript on (the print
 * document is laid out by its one layout script, the only script its CSP allows by hash, which PREPARE_PRINT_SCRIPT
 * starts through executeJavaScript) and offscreen rendering (it is never shown).
 */
export function printWindowWebPreferences(session: Session): WebPreferences {
  return {
    session,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    javascript: true,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    offscreen: true
  }
}
