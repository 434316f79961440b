import path from 'node:path'

/**
 * Policy for every document served from `app://stance`. Everything Stance loads is bundled,
 * so 'self' is the only source. No 'unsafe-eval' anywhere. Styles need 'unsafe-inline'
 * because Svelte transitions and TipTap write `style` attributes at run time; scripts do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  // The page itself may open no window, whatever an imported document tries: no allow-popups (and so no
  // target=_blank or window.open), no top navigation; Electron's window-open handler is the second wall.
  'sandbox allow-scripts allow-same-origin allow-forms allow-modals'
].join('; ')

/** Headers added to every `app://` response. A fresh object each call, so callers may extend it. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    // With nosniff, an unknown file served as octet-stream can never be run as a script.
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer'
  }
}

const CONTENT_TYPES: ReadonlyMap<string, string> = new Map(Object.entries({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf'
}))

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

export function contentTypeFor(filePath: string): string {
  const extension = path.extname(filePath).toLowerCase()
  return CONTENT_TYPES.get(extension) ?? DEFAULT_CONTENT_TYPE
}
