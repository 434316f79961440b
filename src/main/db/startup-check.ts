import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { StartupProblem } from '../../shared/domain/backup'
import { STANCE_APPLICATION_ID } from './connection'

/** What the start-up check concluded about the library file. */
export type StartupVerdict = { ok: true } | { ok: false; problem: StartupProblem }

/** How to check: the newest schema this build reads, and the native binding to open files with. */
export interface StartupCheckOptions {
  latestVersion: number
  nativeBinding?: string
  now?: () => Date
}

const MAGIC = 'SQLite format 3\0'
/** SQLite's own verdicts that a file is damaged; any other failure (disk full, locked, no permission) is not. */
const DAMAGE = /^SQLITE_(CORRUPT|NOTADB)/

/**
 * Looks at the library file before Stance opens it for writing: not a database, cut short, damaged, someone
 * else's database, written by a newer Stance, or carrying a write-ahead log that does not belong to it.
 * Damaged files are renamed aside at once, as a pair with their log (never overwritten or deleted), and the
 * verdict says, in plain words, what was found and under which names the files were kept; a newer file is
 * left where it is until the analyst decides. A failure that says nothing about the file (a full disk, a
 * locked or unreadable file) leaves it in place and is reported as such.
 */
export function checkLibraryFile(path: string, options: StartupCheckOptions): StartupVerdict {
  try {
    return check(path, options)
  } catch (error) {
    return problem('unopenable', 'Stance could not open your library.', `${(error as Error)?.message ?? String(error)}. The library file was left as it is; try again once the disk or folder is available, or restore a backup.`, [])
  }
}

function check(path: string, options: StartupCheckOptions): StartupVerdict {
  const wal = `${path}-wal`
  const hasLog = existsSync(wal) && statSync(wal).size > 0
  const size = existsSync(path) ? statSync(path).size : -1
  // A log without its database (or beside an empty one) would be replayed into a new library or discarded by SQLite; keep it.
  if (size <= 0) {
    if (!hasLog) return { ok: true }
    const keptAs = setAside(path, 'stray', options, { logOnly: true })
    return problem('stray-wal', 'A leftover write log was found without its library.', `Stance found a write log but no library next to it, so there is nothing it could belong to here. It was kept as ${keptAs.join(', ')}.`, keptAs)
  }
  const header = readHeader(path)
  if (size < 100) return damaged(path, 'truncated', 'The library file is cut short.', `It holds only ${size} bytes — less than a database header — so it was probably cut off while being copied or written.`, options)
  if (header.toString('latin1', 0, 16) !== MAGIC) {
    const blank = header.subarray(0, 100).every((byte) => byte === 0)
    return damaged(
      path,
      'not-sqlite',
      blank ? 'The start of the library file is blank.' : 'The library file is not a Stance database.',
      blank
        ? 'Its first bytes, where every database records what it is, are all zeros; the rest cannot be read safely.'
        : 'Its first bytes are not those of a database, so another program may have written over it or it is a different kind of file.',
      options
    )
  }

  if (hasLog) {
    // With a log, the file alone may legitimately be shorter than its header says (a checkpoint cut short):
    // judge the library as SQLite will open it, with the log applied.
    const withLog = inspectCopy(path, wal, options)
    const withoutLog = inspectCopy(path, null, options)
    if (!withLog.ok && !withLog.damaged) throw new Error(withLog.reason)
    // SQLite replays any well-formed log, even one written for another database, and the result can pass
    // every integrity check while holding someone else's pages. A log may add to the library, never turn it
    // into a different database: same application id (or Stance's own stamped on an older library), Stance's
    // tables still there, no older schema.
    const foreign =
      withLog.ok &&
      withoutLog.ok &&
      ((withLog.identity.applicationId !== withoutLog.identity.applicationId && !(withoutLog.identity.applicationId === 0 && withLog.identity.applicationId === STANCE_APPLICATION_ID)) ||
        withLog.identity.tables < withoutLog.identity.tables ||
        withLog.version < withoutLog.version)
    if (withLog.ok && !foreign) return identityVerdict(path, withLog, options)
    if (withoutLog.ok) {
      const reason = withLog.ok ? 'it would replace the library with a different database' : withLog.reason
      const keptAs = setAside(path, 'damaged', options, { logOnly: true })
      return problem(
        'foreign-wal',
        'A write log that does not fit your library was set aside.',
        `Stance keeps recent changes in a write log next to the library. The log found at start does not fit the library (${reason}), so it was kept as ${keptAs.join(', ')} instead of being applied. The library itself is readable as it was last fully saved; changes made just before Stance last stopped may be missing.`,
        keptAs
      )
    }
    return damaged(path, 'corrupt', 'The library file is damaged.', `SQLite reports: ${withLog.ok ? (withoutLog.ok ? '' : withoutLog.reason) : withLog.reason}.`, options)
  }

  const pageSize = pageSizeOf(header)
  const pages = header.readUInt32BE(28)
  if (pageSize > 0 && (size % pageSize !== 0 || (pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92) && size < pages * pageSize))) {
    return damaged(path, 'truncated', 'The library file is cut short.', `It is ${size.toLocaleString('en')} bytes, but its header says it should be ${(pages * pageSize).toLocaleString('en')}; the end is missing.`, options)
  }
  const alone = inspectCopy(path, null, options, false)
  if (!alone.ok) {
    if (!alone.damaged) throw new Error(alone.reason)
    return damaged(path, /not a database/i.test(alone.reason) ? 'not-sqlite' : 'corrupt', 'The library file is damaged.', `SQLite reports: ${alone.reason}.`, options)
  }
  return identityVerdict(path, alone, options)
}

function identityVerdict(path: string, found: Inspected, options: StartupCheckOptions): StartupVerdict {
  const { applicationId, tables, userTables } = found.identity
  // Someone else's SQLite file: Stance must not add its tables to it.
  if ((applicationId !== 0 && applicationId !== STANCE_APPLICATION_ID) || (found.version === 0 && userTables > 0) || (found.version > 0 && tables < 5)) {
    return damaged(path, 'not-sqlite', 'The library file belongs to another program.', 'It is a database, but not a Stance library, so Stance did not change it.', options)
  }
  if (found.version <= options.latestVersion) return { ok: true }
  return problem(
    'newer',
    'This library was saved by a newer version of Stance.',
    `Its data format is ${found.version}; this version reads up to ${options.latestVersion}. Stance has not changed it. Install the newer version to open it — or restore a backup or start a new library here, and the newer file will be kept beside them as ${basename(path)}.newer-….`,
    []
  )
}

function problem(kind: StartupProblem['kind'], title: string, detail: string, keptAs: string[]): StartupVerdict {
  return { ok: false, problem: { kind, title, detail, keptAs } }
}

function damaged(path: string, kind: StartupProblem['kind'], title: string, reason: string, options: StartupCheckOptions): StartupVerdict {
  const keptAs = setAside(path, 'damaged', options)
  return problem(kind, title, `${reason} Stance has not opened it and has not changed it: it is kept as ${keptAs[0]}. You can restore a backup or start with an empty library.`, keptAs)
}

/**
 * Renames a library file and its log aside under one timestamped name that nothing else uses, the log as
 * `<new name>-wal` so SQLite would pair them again; returns the new names of the files that existed.
 */
export function setAside(path: string, label: string, options: { now?: () => Date } = {}, which: { logOnly?: boolean } = {}): string[] {
  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[-:.]/g, '')
  let base = `${path}.${label}-${stamp}`
  for (let i = 2; ['', '-wal', '-shm'].some((suffix) => existsSync(base + suffix)); i++) base = `${path}.${label}-${stamp}-${i}`
  const kept: string[] = []
  for (const suffix of which.logOnly ? ['-wal', '-shm'] : ['', '-wal', '-shm']) {
    if (!existsSync(path + suffix)) continue
    renameSync(path + suffix, base + suffix)
    if (suffix !== '-shm') kept.push(basename(base + suffix))
  }
  return kept
}

function readHeader(path: string): Buffer {
  const buffer = Buffer.alloc(100)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, buffer, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  return buffer
}

function pageSizeOf(header: Buffer): number {
  const raw = header.readUInt16BE(16)
  return raw === 1 ? 65536 : raw
}

/** What makes a database this library rather than another one. */
interface Identity {
  applicationId: number
  /** How many of Stance's core tables it has. */
  tables: number
  /** How many tables it has at all. */
  userTables: number
}

type Inspected = { ok: true; version: number; identity: Identity }
type InspectFailure = { ok: false; reason: string; damaged: boolean }

/**
 * Runs quick_check on the library. With a write log present it works on copies inside the data folder (one
 * with the log, which SQLite then replays into the copy), so the real files stay as they are while Stance
 * decides what the log is; without one, the file itself is checked (opening it changes nothing in it).
 */
function inspectCopy(path: string, wal: string | null, options: StartupCheckOptions, copy = true): Inspected | InspectFailure {
  const dir = copy ? mkdtempSync(join(dirname(path), '.check-')) : dirname(path)
  const file = copy ? join(dir, 'check.db') : path
  let db: Database.Database | undefined
  try {
    if (copy) {
      copyFileSync(path, file)
      if (wal) copyFileSync(wal, `${file}-wal`)
    }
    db = new Database(file, { fileMustExist: true, timeout: 5000, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') return { ok: false, reason: String(check), damaged: true }
    const count = (names: string) =>
      db!.prepare<[], { n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ${names}`).get()?.n ?? 0
    const tables = count("AND name IN ('articles', 'codes', 'highlights', 'notes', 'settings')")
    return { ok: true, version: db.pragma('user_version', { simple: true }) as number, identity: { applicationId: db.pragma('application_id', { simple: true }) as number, tables, userTables: count('') } }
  } catch (error) {
    const code = String((error as { code?: unknown })?.code ?? '')
    return { ok: false, reason: (error as Error).message, damaged: DAMAGE.test(code) || /not a database|malformed/i.test((error as Error).message) && !/^E[A-Z]+$/.test(code) }
  } finally {
    db?.close()
    if (copy) rmSync(dir, { recursive: true, force: true })
  }
}
