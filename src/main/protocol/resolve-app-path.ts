import path from 'node:path'
import type { PlatformPath } from 'node:path'

/** Scheme and host the renderer is served from; `app://stance/index.html` is the entry page. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'stance'

// The authority must be exactly "stance": anything else (userinfo, a port, another host)
// ends the match early. Matched case-insensitively because URL schemes and hosts are.
const APP_URL_PREFIX = /^app:\/\/stance(?=[/?#]|$)/i

// Characters that never occur in our built asset names but do have meaning to some
// filesystem or to a second decoding step: separators, Windows drive/stream and
// wildcard characters, and a leftover `%` (a double-encoded payload).
const FORBIDDEN_IN_SEGMENT = /[\\/:*?"<>|%]/

// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/

/**
 * Maps an `app://stance/...` request to a file under rootDir, or null when the request is
 * anything but a plain, in-tree file path.
 *
 * Chromium already normalises standard-scheme URLs before the handler sees them, so most
 * of the vectors rejected here never arrive. This function still treats the URL as hostile:
 * it is the only thing standing between a compromised renderer and the filesystem.
 * Suspicious input is refused rather than "cleaned up", because cleaning is where
 * traversal bugs live.
 *
 * `pathApi` exists so tests can exercise Windows path semantics on any OS.
 */
export function resolveAppPath(
  rootDir: string,
  requestUrl: string,
  pathApi: PlatformPath = path
): string | null {
  if (typeof requestUrl !== 'string' || requestUrl.length > 4096) return null
  if (CONTROL_CHARS.test(requestUrl) || requestUrl.includes('\\')) return null

  const prefix = APP_URL_PREFIX.exec(requestUrl)
  if (!prefix) return null

  const afterAuthority = requestUrl.slice(prefix[0].length)
  const rawPath = afterAuthority.split(/[?#]/, 1)[0] ?? ''

  // Encoded separators would let one "segment" smuggle a path; reject before decoding.
  if (/%(2f|5c)/i.test(rawPath)) return null
  if (/%00/.test(rawPath)) return null

  if (rawPath === '' || rawPath === '/') return joinInside(rootDir, ['index.html'], pathApi)
  if (!rawPath.startsWith('/')) return null

  const rawSegments = rawPath.slice(1).split('/')
  const segments: string[] = []
  for (const rawSegment of rawSegments) {
    const segment = decodeSegment(rawSegment)
    if (segment === null || !isPlainSegment(segment)) return null
    segments.push(segment)
  }

  return joinInside(rootDir, segments, pathApi)
}

function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    // Malformed escapes and overlong UTF-8 (`%c0%ae`) land here.
    return null
  }
}

function isPlainSegment(segment: string): boolean {
  // Empty segments come from `//` or a trailing `/`; neither names a file we serve.
  if (segment === '') return false
  if (CONTROL_CHARS.test(segment) || FORBIDDEN_IN_SEGMENT.test(segment)) return false
  // Covers `.` and `..` and also `...`, `.. ` etc.: Windows strips trailing dots and
  // spaces from path components, so such names can collapse into `..` there.
  if (/^[. ]+$/.test(segment) || /[. ]$/.test(segment)) return false
  return true
}

function joinInside(rootDir: string, segments: readonly string[], pathApi: PlatformPath): string | null {
  const relative = segments.join('/')
  if (pathApi.isAbsolute(relative) || pathApi.isAbsolute(relative.replace(/\//g, pathApi.sep))) {
    return null
  }

  const root = pathApi.resolve(rootDir)
  const resolved = pathApi.resolve(root, ...segments)
  // Independent of the segment checks above: whatever they missed, the result must
  // still be strictly below the root.
  const fromRoot = pathApi.relative(root, resolved)
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith('..' + pathApi.sep)) return null
  if (pathApi.isAbsolute(fromRoot)) return null
  return resolved
}
