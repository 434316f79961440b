import { BrowserWindow, dialog, shell } from 'electron'
import type { WebContents } from 'electron'
import { parseExternalUrl } from './external-links'
import { isAppUrl } from './navigation-policy'

export interface WebContentsGuardOptions {
  /** The URL the app was loaded from; navigation may only stay on its scheme/host/port. */
  appUrl: string
}

const guarded = new WeakSet<WebContents>()
const promptOpen = new WeakSet<WebContents>()

/**
 * Locks a webContents to the app: no navigation or redirect away from it, no new windows,
 * no <webview>. Links to the web are offered to the system browser after the user confirms.
 * Safe to call more than once (the main window is guarded both by createMainWindow and by
 * the app-wide `web-contents-created` hook).
 */
export function guardWebContents(contents: WebContents, options: WebContentsGuardOptions): void {
  if (guarded.has(contents)) return
  guarded.add(contents)
  const { appUrl } = options

  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, appUrl)) return
    event.preventDefault()
    offerExternal(contents, event.url)
  })

  // Subframes are already blocked by CSP frame-src 'none'; this is the backstop.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAppUrl(event.url, appUrl)) event.preventDefault()
  })

  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault()
  })

  contents.setWindowOpenHandler(({ url }) => {
    offerExternal(contents, url)
    return { action: 'deny' }
  })

  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function offerExternal(contents: WebContents, rawUrl: string): void {
  const url = parseExternalUrl(rawUrl)
  // One prompt at a time, so hostile content cannot bury the user in dialogs.
  if (url === null || promptOpen.has(contents)) return
  promptOpen.add(contents)
  void confirmAndOpen(contents, url).finally(() => promptOpen.delete(contents))
}

async function confirmAndOpen(contents: WebContents, url: URL): Promise<void> {
  const options = {
    type: 'question' as const,
    title: 'Open external link',
    message: 'Open this link in your browser?',
    // The full, normalised URL: exactly what will be opened, nothing hidden behind link text.
    detail: url.href,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true
  }
  try {
    const parent = contents.isDestroyed() ? null : BrowserWindow.fromWebContents(contents)
    const { response } = parent
      ? await dialog.showMessageBox(parent, options)
      : await dialog.showMessageBox(options)
    // Reviewed, see scripts/lint-security.mjs: a parseExternalUrl URL (http/https/mailto), opened only on confirmation.
    if (response === 0) await shell.openExternal(url.href) // eng-disable OPEN_EXTERNAL_JS_CHECK
  } catch (error) {
    console.error('[external-links] could not open', url.href, error)
  }
}
