import type { Session } from 'electron'

/** Schemes that reach the network. Everything Stance itself loads is `app://`. */
const NETWORK_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:'])

export const NETWORK_URL_FILTER = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']

export interface SessionGuardOptions {
  /**
   * Origins (e.g. `http://localhost:5173`) that may still be reached, including their
   * WebSocket twin. Only for the electron-vite dev server in unpackaged runs.
   */
  allowedOrigins?: readonly string[]
}

/**
 * Stance is an offline app: any network request from web content is either a bug or an
 * imported document trying to phone home (tracking pixels, remote fonts, exfiltration),
 * so all of them are cancelled. Unparseable URLs are blocked too.
 */
export function shouldBlockRequest(url: string, allowedOrigins: readonly string[] = []): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return true
  }
  if (!NETWORK_PROTOCOLS.has(parsed.protocol)) return false
  if (allowedOrigins.length === 0) return true

  const httpTwin = new URL(parsed.href)
  if (parsed.protocol === 'ws:') httpTwin.protocol = 'http:'
  if (parsed.protocol === 'wss:') httpTwin.protocol = 'https:'
  return !allowedOrigins.some((origin) => sameOrigin(origin, httpTwin.origin))
}

function sameOrigin(allowed: string, origin: string): boolean {
  try {
    return new URL(allowed).origin === origin
  } catch {
    return false
  }
}

/** Applies Stance's deny-by-default policy to a session; call once per session, before any window loads. */
export function hardenSession(ses: Session, options: SessionGuardOptions = {}): void {
  const allowedOrigins = options.allowedOrigins ?? []

  // Stance needs no camera, notifications, geolocation, clipboard-read, HID, etc.
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)

  ses.webRequest.onBeforeRequest({ urls: NETWORK_URL_FILTER }, (details, callback) => {
    callback({ cancel: shouldBlockRequest(details.url, allowedOrigins) })
  })

  // Nothing in Stance downloads files; a download can only come from hostile content.
  ses.on('will-download', (event) => event.preventDefault())
}
