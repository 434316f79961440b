import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BackupInfo, RecoveryState, StartupProblem } from '../shared/domain/backup'
import { CHANNELS, type Channel } from '../shared/ipc/channels'
import { AppError } from '../shared/result'
import { BACKUP_KEEP_SETTING, BackupStore, DEFAULT_BACKUP_KEEP } from './db/backup-store'
import { openDatabase, type Db } from './db/connection'
import { migrate } from './db/migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './db/migrations'
import { createRepositories, type Repositories } from './db/repositories/repositories'
import { checkLibraryFile, setAside } from './db/startup-check'
import { createHandlers, type HandlerDeps, type Handlers, type HostChannel, type LibraryHandlers } from './handlers'
import { seedLibrary } from './services/seed-library'

/** Database file name inside the data folder. */
export const DATABASE_FILE = 'stance.db'
/** Folder of the rolling backups inside the data folder. */
export const BACKUP_FOLDER = 'backups'
/** How often changes are backed up while Stance runs. */
export const BACKUP_INTERVAL_MS = 5 * 60 * 1000

/** What the host needs; the same for the Electron shell, the e2e harness and tests. */
export interface LibraryHostOptions {
  dataDir: string
  resourcesDir: string
  nativeBinding?: string
  app: HandlerDeps['app']
  exports?: HandlerDeps['exports']
  emit?: HandlerDeps['emit']
  backupIntervalMs?: number
  now?: () => Date
  log?: (message: string, error: unknown) => void
}

/**
 * Owns the library file for the app's lifetime: checks it at start, opens and migrates it (with a backup
 * before any migration), takes rolling backups, and restores one. Its `handlers` table is stable — the shell
 * registers it once — and forwards each call to the table for the current state: the full library while it
 * is open; while a damaged file waits for the analyst's decision, only recovery, backups and app:info, and
 * every other channel answers `unavailable` in words.
 */
export class LibraryHost {
  readonly databasePath: string
  readonly backups: BackupStore
  readonly handlers: Handlers
  private current: Handlers
  private db: Db | undefined
  private repos: Repositories | undefined
  private problem: StartupProblem | null = null
  private timer: ReturnType<typeof setInterval> | undefined
  private backedUpAt = -1
  /** The backup started last (at start or by the timer), for callers that must wait for it. */
  pendingBackup: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: LibraryHostOptions) {
    mkdirSync(options.dataDir, { recursive: true })
    this.databasePath = join(options.dataDir, DATABASE_FILE)
    this.backups = new BackupStore(join(options.dataDir, BACKUP_FOLDER), { nativeBinding: options.nativeBinding, now: options.now })
    this.current = this.recoveryTable()
    const forward = {} as Record<Channel, (input: never) => unknown>
    for (const channel of CHANNELS) forward[channel] = (input: never) => (this.current[channel] as (input: never) => unknown)(input)
    this.handlers = forward as Handlers
  }

  /** The open connection, for tests and tools that must reach below the handlers (e.g. to simulate a full disk). */
  get connection(): Db | undefined {
    return this.db?.open ? this.db : undefined
  }

  /** Checks the file and opens the library, or stops at a problem the window will show. */
  start(): void {
    this.backups.sweep()
    const verdict = checkLibraryFile(this.databasePath, { latestVersion: LATEST_SCHEMA_VERSION, nativeBinding: this.options.nativeBinding, now: this.options.now })
    if (!verdict.ok) {
      this.problem = verdict.problem
      this.current = this.recoveryTable()
      return
    }
    this.open({ backupAtStart: true })
  }

  /** Closes the library; pending backups finish on their own connection's schedule. */
  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    if (this.db?.open) this.db.close()
    this.db = undefined
  }

  private open(options: { backupAtStart: boolean }): void {
    const db = openDatabase(this.databasePath, { nativeBinding: this.options.nativeBinding, latestVersion: LATEST_SCHEMA_VERSION })
    try {
      const version = db.pragma('user_version', { simple: true }) as number
      // A migration rewrites the library; keep the version before it.
      if (version > 0 && version < LATEST_SCHEMA_VERSION) this.backups.createNow(db, 'migration', this.keepFrom(db))
      migrate(db, MIGRATIONS)
      const repos = createRepositories(db)
      const fresh = seedLibrary(db, repos, this.options.resourcesDir)
      this.db = db
      this.repos = repos
      this.problem = null
      this.current = this.libraryTable(db, repos)
      this.backedUpAt = -1
      if (options.backupAtStart && !fresh) this.backupNow('start')
      else this.backedUpAt = this.changes()
      this.timer ??= setInterval(() => {
        if (this.db?.open && this.changes() !== this.backedUpAt) this.backupNow('periodic')
      }, this.options.backupIntervalMs ?? BACKUP_INTERVAL_MS)
      this.timer.unref?.()
    } catch (error) {
      db.close()
      throw error
    }
  }

  private changes(): number {
    return this.db?.open ? (this.db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()?.n ?? 0) : 0
  }

  private keep(): number {
    return this.repos ? clampKeep(this.repos.settings.get<number>(BACKUP_KEEP_SETTING, DEFAULT_BACKUP_KEEP)) : DEFAULT_BACKUP_KEEP
  }

  private keepFrom(db: Db): number {
    try {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(BACKUP_KEEP_SETTING)
      return row ? clampKeep(JSON.parse(row.value) as number) : DEFAULT_BACKUP_KEEP
    } catch {
      return DEFAULT_BACKUP_KEEP
    }
  }

  private backupNow(reason: 'start' | 'periodic' | 'manual'): Promise<BackupInfo> {
    const db = this.db
    if (!db?.open) return Promise.reject(new AppError('unavailable', 'The library is not open.'))
    const mark = this.changes()
    const run = this.backups.create(db, reason, this.keep()).then((info) => {
      this.backedUpAt = mark
      return info
    })
    // A failed automatic backup must not take the app down; the next one tries again. One cut short because
    // the library closed (quitting, restoring) is expected and not worth a log line.
    this.pendingBackup = run.catch((error: unknown) => {
      if (db.open) (this.options.log ?? console.error)(`[backup] ${reason} backup failed`, error)
    })
    return run
  }

  /** Replaces the library file with a backup: checked first, written under a temp name, renamed into place. */
  private installBackup(id: string): void {
    const source = this.backups.pathOf(id)
    const version = this.backups.verify(source)
    if (version > LATEST_SCHEMA_VERSION) throw new AppError('conflict', 'That backup was made by a newer version of Stance and cannot be opened here.')
    const temp = `${this.databasePath}.restoring`
    copyFileSync(source, temp)
    for (const leftover of [`${this.databasePath}-wal`, `${this.databasePath}-shm`]) rmSync(leftover, { force: true })
    renameSync(temp, this.databasePath)
  }

  private recoveryTable(): Handlers {
    const refuse = (): never => {
      throw new AppError('unavailable', `Stance has not opened your library: ${this.problem?.title ?? 'it is being restored.'} Choose what to do in the window.`)
    }
    const table = {} as Record<Channel, (input: never) => unknown>
    for (const channel of CHANNELS) table[channel] = refuse
    return {
      ...(table as Handlers),
      'app:info': () => ({ ...this.options.app, dataDir: this.options.dataDir, databasePath: this.databasePath, schemaVersion: 0 }),
      ...this.hostTable()
    }
  }

  private libraryTable(db: Db, repos: Repositories): Handlers {
    const library: LibraryHandlers = createHandlers({
      db,
      repos,
      paths: { dataDir: this.options.dataDir, databasePath: this.databasePath },
      app: this.options.app,
      exports: this.options.exports,
      emit: this.options.emit
    })
    return { ...library, ...this.hostTable() }
  }

  /** The channels the host itself answers in every state: recovery and backups. */
  private hostTable(): Pick<Handlers, HostChannel> {
    const needProblem = (): StartupProblem => {
      if (!this.problem) throw new AppError('conflict', 'The library is open; there is nothing to recover.')
      return this.problem
    }
    const asideNewer = (): void => {
      if (this.problem?.kind === 'newer') setAside([this.databasePath, `${this.databasePath}-wal`, `${this.databasePath}-shm`], 'newer', this.options)
    }
    return {
      'recovery:state': (): RecoveryState => (this.problem ? { state: 'problem', problem: this.problem, backups: this.backups.list() } : { state: 'ok' }),
      'recovery:restore': ({ id }) => {
        needProblem()
        this.backups.pathOf(id)
        asideNewer()
        this.installBackup(id)
        this.open({ backupAtStart: false })
        return { state: 'ok' }
      },
      'recovery:startEmpty': () => {
        needProblem()
        asideNewer()
        this.open({ backupAtStart: false })
        return { state: 'ok' }
      },
      'recovery:continue': () => {
        if (needProblem().kind !== 'foreign-wal') throw new AppError('conflict', 'The library file itself is damaged; restore a backup or start empty.')
        this.open({ backupAtStart: true })
        return { state: 'ok' }
      },
      'backups:list': () => ({ backups: this.backups.list(), keep: this.problem ? DEFAULT_BACKUP_KEEP : this.keep(), folder: this.backups.dir }),
      'backups:create': async () => {
        if (this.problem) throw new AppError('unavailable', 'There is no open library to back up.')
        return this.backupNow('manual')
      },
      'backups:restore': async ({ id }) => {
        if (this.problem || !this.db) throw new AppError('unavailable', 'Use the recovery choices in the window.')
        this.backups.verify(this.backups.pathOf(id))
        // The library as it is now stays restorable too.
        await this.backups.create(this.db, 'before-restore', this.keep() + 1)
        this.close()
        this.installBackup(id)
        this.open({ backupAtStart: false })
        return { state: 'ok' as const }
      },
      'backups:configure': ({ keep }) => {
        if (!this.repos) throw new AppError('unavailable', 'There is no open library.')
        this.repos.settings.set(BACKUP_KEEP_SETTING, clampKeep(keep))
        this.backups.prune(clampKeep(keep))
        return { backups: this.backups.list(), keep: clampKeep(keep), folder: this.backups.dir }
      }
    }
  }
}

function clampKeep(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(100, Math.max(1, value)) : DEFAULT_BACKUP_KEEP
}

/** Whether a data folder already holds a library file (for callers that report first runs). */
export function hasLibrary(dataDir: string): boolean {
  return existsSync(join(dataDir, DATABASE_FILE))
}
