import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { BackupInfo, RecoveryState, StartupProblem } from '../shared/domain/backup'
import { CHANNELS, type Channel } from '../shared/ipc/channels'
import { AppError } from '../shared/result'
import { BACKUP_KEEP_SETTING, BackupStore, DEFAULT_BACKUP_KEEP } from './db/backup-store'
import { openDatabase, type Db } from './db/connection'
import { fsyncPath } from './db/fsync'
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
  private restoring = false
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
    try {
      this.open({ backupAtStart: true })
    } catch (error) {
      // A migration, the seed or the pre-migration backup failed: the recovery screen says so instead of the
      // app quitting on every start, and offers the backups.
      this.fail('Stance could not open your library.', error)
    }
  }

  /** Switches to the recovery state with a problem that left the library file where it is. */
  private fail(title: string, error: unknown): void {
    this.close()
    this.problem = { kind: 'unopenable', title, detail: `${(error as Error)?.message ?? String(error)}. The library file was left as it is; restore a backup, or try again after restarting Stance.`, keptAs: [] }
    this.current = this.recoveryTable()
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
      if (options.backupAtStart && !fresh && this.changedSinceNewestBackup()) this.backupNow('start')
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

  /** Whether the library file was written after the newest backup (restarts alone do not push good backups out). */
  private changedSinceNewestBackup(): boolean {
    const newest = this.backups.list()[0]
    if (!newest) return true
    const taken = Date.parse(newest.createdAt)
    // An empty log is created by merely opening the library; only one with frames means writes.
    const written = [this.databasePath, `${this.databasePath}-wal`].filter((p) => existsSync(p) && (p === this.databasePath || statSync(p).size > 0))
    const modified = Math.max(...written.map((p) => statSync(p).mtimeMs))
    return !(modified < taken)
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

  /**
   * Copies a checked backup to a flushed temp file beside the library, before anything else changes, so that
   * pruning or a full disk can no longer get in the way of the swap.
   */
  private stageBackup(id: string): string {
    const source = this.backups.pathOf(id)
    const version = this.backups.verify(source)
    if (version > LATEST_SCHEMA_VERSION) throw new AppError('conflict', 'That backup was made by a newer version of Stance and cannot be opened here.')
    const temp = `${this.databasePath}.restoring`
    try {
      copyFileSync(source, temp)
      fsyncPath(temp)
    } catch (error) {
      removeQuietly(temp)
      throw new AppError('unavailable', `The backup could not be copied into place (${(error as Error).message}); nothing was changed.`)
    }
    return temp
  }

  /** Puts a staged backup in place of the (closed or set-aside) library file. */
  private swapIn(temp: string): void {
    for (const leftover of [`${this.databasePath}-wal`, `${this.databasePath}-shm`]) rmSync(leftover, { force: true })
    renameSync(temp, this.databasePath)
    fsyncPath(dirname(this.databasePath))
  }

  /** Moves the current library file (if any) aside before it is replaced, and lists it among the kept files. */
  private keepCurrent(label: string): void {
    const kept = setAside(this.databasePath, label, this.options)
    if (this.problem && kept.length > 0) this.problem = { ...this.problem, keptAs: [...this.problem.keptAs, ...kept] }
  }

  /** Opens the library file now in place; if it cannot be opened, the window gets the recovery choices. */
  private reopen(): RecoveryState {
    try {
      this.open({ backupAtStart: false })
      return { state: 'ok' }
    } catch (error) {
      this.fail('The library could not be opened.', error)
      return { state: 'problem', problem: this.problem as StartupProblem, backups: this.backups.list() }
    }
  }

  private reopenAfterFailure(error: unknown): void {
    try {
      this.open({ backupAtStart: false })
    } catch {
      this.fail('The library could not be opened after a failed restore.', error)
    }
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
    // Whatever library file is still in place (a newer one, or a readable one whose log was set aside) is kept
    // under a new name before a backup or a new library takes its place.
    const label = (): string => (this.problem?.kind === 'newer' ? 'newer' : 'replaced')
    return {
      'recovery:state': (): RecoveryState => (this.problem ? { state: 'problem', problem: this.problem, backups: this.backups.list() } : { state: 'ok' }),
      'recovery:restore': ({ id }) => {
        needProblem()
        const staged = this.stageBackup(id)
        this.keepCurrent(label())
        this.swapIn(staged)
        return this.reopen()
      },
      'recovery:startEmpty': () => {
        needProblem()
        this.keepCurrent(label())
        return this.reopen()
      },
      'recovery:continue': () => {
        if (needProblem().kind !== 'foreign-wal') throw new AppError('conflict', 'There is no readable library to open as it was; restore a backup or start a new library.')
        return this.reopen()
      },
      'backups:list': () => ({ backups: this.backups.list(), keep: this.problem ? DEFAULT_BACKUP_KEEP : this.keep(), folder: this.backups.dir }),
      'backups:create': async () => {
        if (this.problem) throw new AppError('unavailable', 'There is no open library to back up.')
        return this.backupNow('manual')
      },
      'backups:restore': async ({ id }) => {
        if (this.problem || !this.db) throw new AppError('unavailable', 'Use the recovery choices in the window.')
        if (this.restoring) throw new AppError('conflict', 'A restore is already running.')
        this.restoring = true
        try {
          const staged = this.stageBackup(id)
          try {
            // The library as it is now stays restorable too.
            await this.backups.create(this.db, 'before-restore', this.keep() + 1)
          } catch (error) {
            removeQuietly(staged)
            throw error
          }
          this.close()
          try {
            this.swapIn(staged)
          } catch (error) {
            removeQuietly(staged)
            this.reopenAfterFailure(error)
            throw new AppError('unavailable', `The backup could not be put in place (${(error as Error).message}); your library is as it was.`)
          }
          return this.reopen()
        } finally {
          this.restoring = false
        }
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

/** Removes a temp file if it is one; anything else in its place is left for the analyst to see. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true })
  } catch {
    // not a file (or not ours): leave it
  }
}

function clampKeep(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(100, Math.max(1, value)) : DEFAULT_BACKUP_KEEP
}

/** Whether a data folder already holds a library file (for callers that report first runs). */
export function hasLibrary(dataDir: string): boolean {
  return existsSync(join(dataDir, DATABASE_FILE))
}
