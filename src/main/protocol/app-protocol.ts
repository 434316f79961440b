import { protocol } from 'electron'
import { createAppFileHandler } from './app-file-handler'
import { APP_SCHEME } from './resolve-app-path'

/**
 * Must run before `app` is ready. `standard` gives the scheme real origins and relative-URL
 * resolution, `secure` makes it a secure context (no mixed-content downgrades), and
 * `supportFetchAPI`/`codeCache` let the bundled modules load and cache like https ones.
 * Deliberately not `bypassCSP` and not `corsEnabled`.
 */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/** Serves the built renderer (rootDir = out/renderer) at `app://stance/`. */
export function handleAppProtocol(rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppFileHandler(rootDir))
}
