import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { BackupInfo, BackupReason } from '../../shared/domain/backup'
import { AppError } from '../../shared/result'
import type { Db } from './connection'
import { fsyncPath } from './fsync'

/** Settings key of how many backups to keep. */
export const BACKUP_KEEP_SETTING = 'backup.keep'
/** Backups kept unless the analyst chooses otherwise. */
export const DEFAULT_BACKUP_KEEP = 10

const NAME = /^stance-(\d{8}T\d{6}\d{3}Z)-(start|migration|periodic|manual|before-restore)\.db$/
const REASONS = new Set<BackupReason>(['start', 'migration', 'periodic', 'manual', 'before-restore'])

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '')
}

function parseStamp(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(value)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : value
}

function removeSidecars(path: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true })
}

/**
 * Rolling backups of the library in a folder beside it, taken with SQLite's online backup (better-sqlite3
 * `backup()`), so the library stays usable while one is written. A backup is written to a temporary name,
 * checked, flushed and then renamed, so a crash mid-way never leaves a half backup in the list; only the
 * newest `keep` are kept.
 */
export class BackupStore {
  constructor(
    readonly dir: string,
    private readonly options: { nativeBinding?: string; now?: () => Date } = {}
  ) {}

  /** Backups, newest first; files that are not Stance backups are ignored. */
  list(): BackupInfo[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir)
      .map((name) => ({ name, match: NAME.exec(name) }))
      .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
      .map(({ name, match }) => ({ id: name, reason: match[2] as BackupReason, createdAt: parseStamp(match[1] as string), bytes: statSync(join(this.dir, name)).size }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
  }

  /** The path of a listed backup; unknown or malformed ids are refused (they are file names). */
  pathOf(id: string): string {
    if (!NAME.test(id) || !existsSync(join(this.dir, id))) throw new AppError('not-found', 'That backup no longer exists.')
    return join(this.dir, id)
  }

  /** Takes a backup with the online backup API while the library stays open. */
  async create(db: Db, reason: BackupReason, keep: number): Promise<BackupInfo> {
    const { path, temp } = this.target(reason)
    await db.backup(temp).catch((error: unknown) => {
      rmSync(temp, { force: true })
      throw error
    })
    return this.finish(temp, path, keep)
  }

  /**
   * A synchronous backup for the moments nothing else may run first (before a migration): `VACUUM INTO`
   * writes a consistent copy in one statement.
   */
  createNow(db: Db, reason: BackupReason, keep: number): BackupInfo {
    const { path, temp } = this.target(reason)
    db.prepare('VACUUM INTO ?').run(temp)
    return this.finish(temp, path, keep)
  }

  /** Seals a written copy (a failed seal removes it), then prunes and describes the new backup. */
  private finish(temp: string, path: string, keep: number): BackupInfo {
    try {
      this.seal(temp, path)
    } catch (error) {
      rmSync(temp, { force: true })
      removeSidecars(temp)
      throw error
    }
    this.prune(keep, path)
    return this.info(path)
  }

  /** Deletes all but the newest `keep` backups (at least one is always kept, and never the one just written). */
  prune(keep: number, spare?: string): void {
    for (const old of this.list().slice(Math.max(1, keep))) {
      // With a clock set back, the backup just written sorts oldest; it is the one worth keeping.
      if (spare && join(this.dir, old.id) === spare) continue
      rmSync(join(this.dir, old.id), { force: true })
      removeSidecars(join(this.dir, old.id))
    }
  }

  /** Checks that a backup is a whole SQLite database; returns its schema version. */
  verify(path: string): number {
    let db: Db | undefined
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) })
      const check = db.pragma('quick_check', { simple: true })
      if (check !== 'ok') throw new Error(String(check))
      return db.pragma('user_version', { simple: true }) as number
    } catch (error) {
      throw new AppError('invalid-input', `That backup is damaged and cannot be restored (${(error as Error).message}).`)
    } finally {
      db?.close()
    }
  }

  private target(reason: BackupReason): { path: string; temp: string } {
    if (!REASONS.has(reason)) throw new Error(`unknown backup reason ${reason}`)
    mkdirSync(this.dir, { recursive: true })
    let date = (this.options.now?.() ?? new Date()).getTime()
    let path = join(this.dir, `stance-${stamp(new Date(date))}-${reason}.db`)
    // Two backups in the same millisecond get distinct names.
    while (existsSync(path)) path = join(this.dir, `stance-${stamp(new Date(++date))}-${reason}.db`)
    return { path, temp: join(this.dir, `.partial-${randomBytes(6).toString('hex')}.db`) }
  }

  /**
   * Makes the written copy a self-contained file (an online backup of a WAL library is itself in WAL mode,
   * and every later read would leave -wal/-shm files beside it), checks it, flushes it, renames it into
   * place and flushes the folder so the new name survives a power cut.
   */
  private seal(temp: string, path: string): void {
    const db = new Database(temp, { fileMustExist: true, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) })
    try {
      db.pragma('journal_mode = DELETE')
    } finally {
      db.close()
    }
    this.verify(temp)
    fsyncPath(temp)
    renameSync(temp, path)
    removeSidecars(temp)
    fsyncPath(this.dir)
  }

  private info(path: string): BackupInfo {
    const found = this.list().find((b) => join(this.dir, b.id) === path)
    if (!found) throw new Error('the backup vanished after it was written')
    return found
  }

  /** Removes temporary files a crash left behind, and stray -wal/-shm files beside backups. */
  sweep(): void {
    if (!existsSync(this.dir)) return
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith('.partial-') || /\.db-(wal|shm)$/.test(name)) rmSync(join(this.dir, name), { force: true })
    }
  }
}
