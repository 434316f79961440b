import type { HandlerDeps, Handlers } from './handlers'
import { LibraryHost } from './library-host'

export { DATABASE_FILE } from './library-host'

/** Where and how to open the store. */
export interface BootstrapOptions {
  /** The app's data folder (Electron's userData, or a temp folder in tests). */
  dataDir: string
  /** The folder holding the bundled sample article. */
  resourcesDir: string
  /** A better-sqlite3 binary built for the running runtime, when not the default. */
  nativeBinding?: string
  app?: { name: string; version: string; runtime: string }
  /** Printer and destination chooser for exports (the Electron shell's, or the harness's). */
  exports?: HandlerDeps['exports']
  /** Delivers events such as export progress to the window(s). */
  emit?: HandlerDeps['emit']
  /** How often changes are backed up (default every five minutes). */
  backupIntervalMs?: number
}

/** An open store and the handler table over it. */
export interface Stance {
  /** Stable for the app's lifetime: the shell registers it once, whatever the library's state. */
  handlers: Handlers
  databasePath: string
  /** The host behind the handlers (start-up checks, backups), for tests and tools. */
  host: LibraryHost
  close(): void
}

/**
 * Checks the library in a data folder and opens it (creating, migrating and seeding it when needed), or
 * stops at what is wrong with it so the window can offer a backup or a fresh start; never throws for a
 * damaged or foreign file.
 */
export function bootstrap(options: BootstrapOptions): Stance {
  const host = new LibraryHost({
    dataDir: options.dataDir,
    resourcesDir: options.resourcesDir,
    nativeBinding: options.nativeBinding,
    app: options.app ?? { name: 'Stance', version: '0.0.0', runtime: `Node ${process.versions.node}` },
    exports: options.exports,
    emit: options.emit,
    backupIntervalMs: options.backupIntervalMs
  })
  host.start()
  return { handlers: host.handlers, databasePath: host.databasePath, host, close: () => host.close() }
}
