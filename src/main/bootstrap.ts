import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from './db/connection'
import { migrate } from './db/migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './db/migrations'
import { createRepositories } from './db/repositories/repositories'
import { createHandlers, type HandlerDeps, type Handlers } from './handlers'
import { seedLibrary } from './services/seed-library'

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
}

/** An open store and the handler table over it. */
export interface Stance {
  handlers: Handlers
  databasePath: string
  close(): void
}

/** Database file name inside the data folder. */
export const DATABASE_FILE = 'stance.db'

/** Opens (or creates, migrates and seeds) the library in a data folder and builds the handlers over it. */
export function bootstrap(options: BootstrapOptions): Stance {
  mkdirSync(options.dataDir, { recursive: true })
  const databasePath = join(options.dataDir, DATABASE_FILE)
  const db = openDatabase(databasePath, { nativeBinding: options.nativeBinding, latestVersion: LATEST_SCHEMA_VERSION })
  try {
    migrate(db, MIGRATIONS)
    const repos = createRepositories(db)
    seedLibrary(db, repos, options.resourcesDir)
    const handlers = createHandlers({
      db,
      repos,
      paths: { dataDir: options.dataDir, databasePath },
      app: options.app ?? { name: 'Stance', version: '0.0.0', runtime: `Node ${process.versions.node}` },
      exports: options.exports,
      emit: options.emit
    })
    return { handlers, databasePath, close: () => db.close() }
  } catch (error) {
    db.close()
    throw error
  }
}
