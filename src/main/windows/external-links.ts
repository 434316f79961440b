const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])
const MAX_URL_LENGTH = 8192

// Printable ASCII without the space. Chromium hands us canonical, percent-encoded URLs,
// so anything else (whitespace, control or bidi characters, raw Unicode) did not come
// from a plain link and is refused rather than normalised: the URL parser silently strips
// tabs, newlines and leading/trailing spaces, which is how `java\nscript:` tricks work.
const CANONICAL_URL = /^[\x21-\x7e]+$/

/**
 * Parses a URL the renderer asked to open outside the app. Only web and mail links are
 * allowed; the returned URL's `href` is what should be shown to the user and opened, so
 * the two can never differ.
 */
export function parseExternalUrl(raw: string): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null
  if (!CANONICAL_URL.test(raw)) return null

  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }

  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null
  // Credentials in a link are a phishing staple (https://bank.com@evil.example/).
  if (url.username !== '' || url.password !== '') return null

  if (url.protocol === 'mailto:') {
    return url.pathname.length > 0 || url.search.length > 0 ? url : null
  }

  // The parser quietly repairs `http:host` and `https:///host`; a link that needed
  // repairing is not one we vouch for.
  if (!/^https?:\/\/[^/]/i.test(raw)) return null
  return isValidHostname(url.hostname) ? url : null
}

function isValidHostname(hostname: string): boolean {
  if (hostname.length === 0 || hostname.length > 253) return false
  // IPv6 literals were already validated by the URL parser.
  if (hostname.startsWith('[') && hostname.endsWith(']')) return true
  const labels = hostname.endsWith('.') ? hostname.slice(0, -1).split('.') : hostname.split('.')
  return labels.every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label) || /^xn--[a-z0-9-]{1,59}$/.test(label))
}
