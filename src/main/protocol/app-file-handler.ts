import { promises as fs } from 'node:fs'
import path from 'node:path'
import { contentTypeFor, securityHeaders } from './csp'
import { resolveAppPath } from './resolve-app-path'

export interface AppFileSystem {
  readFile(filePath: string): Promise<Uint8Array>
  realpath(filePath: string): Promise<string>
}

const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'ELOOP'])

/**
 * The `app://` request handler, kept free of Electron so it runs under vitest.
 * Returns only files that are really under rootDir, following symlinks, with the
 * security headers on every response (errors included, so an error page is never
 * a CSP-free document).
 */
export function createAppFileHandler(
  rootDir: string,
  fileSystem: AppFileSystem = fs
): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | undefined

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plainResponse(405, 'Method Not Allowed', { Allow: 'GET, HEAD' })
    }

    const filePath = resolveAppPath(rootDir, request.url)
    if (filePath === null) return plainResponse(404, 'Not Found')

    try {
      realRoot ??= fileSystem.realpath(rootDir)
      // resolveAppPath reasons about names only; a symlink in the tree could still point
      // elsewhere, so the real location is checked too.
      const [root, real] = await Promise.all([realRoot, fileSystem.realpath(filePath)])
      const fromRoot = path.relative(root, real)
      if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith('..' + path.sep) || path.isAbsolute(fromRoot)) {
        return plainResponse(404, 'Not Found')
      }

      const body = await fileSystem.readFile(real)
      const headers = { ...securityHeaders(), 'Content-Type': contentTypeFor(filePath) }
      // A copy typed over a plain ArrayBuffer satisfies both the DOM and Node typings of BodyInit.
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
    } catch (error) {
      realRoot = undefined
      if (isNotFound(error)) return plainResponse(404, 'Not Found')
      console.error('[app-protocol] failed to serve', filePath, error)
      return plainResponse(500, 'Internal Error')
    }
  }
}

function plainResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra }
  })
}

function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    NOT_FOUND_CODES.has(error.code)
  )
}
