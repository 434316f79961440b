/** The part of a BrowserWindow the close guard uses (so it can be tested without Electron). */
export interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown
  isDestroyed(): boolean
  destroy(): void
  webContents: { send(channel: string, payload: null): void }
}

/** How long a window waits for its page to save before closing anyway. */
export const CLOSE_TIMEOUT_MS = 3000

/**
 * Holds a window's first close until its page has saved: main sends `app:closing`, the page flushes the
 * open note and calls window.close() again, which is let through. A page that never answers (hung,
 * crashed) cannot keep the window open: it is destroyed after the timeout.
 */
export function guardClose(window: ClosableWindow, timeoutMs = CLOSE_TIMEOUT_MS): void {
  let asked = false
  window.on('close', (event) => {
    if (asked) return
    asked = true
    event.preventDefault()
    window.webContents.send('app:closing', null)
    setTimeout(() => {
      if (!window.isDestroyed()) window.destroy()
    }, timeoutMs)
  })
}
