import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { StartupProblem } from '../../shared/domain/backup'

/** What the start-up check concluded about the library file. */
export type StartupVerdict = { ok: true } | { ok: false; problem: StartupProblem }

/** How to check: the newest schema this build reads, and the native binding to open files with. */
export interface StartupCheckOptions {
  latestVersion: number
  nativeBinding?: string
  now?: () => Date
}

const MAGIC = 'SQLite format 3\0'

/**
 * Looks at the library file before Stance opens it for writing: not a database, cut short, damaged, written
 * by a newer Stance, or carrying a write-ahead log that does not belong to it. Damaged files are renamed
 * aside at once (never overwritten or deleted) and the verdict says, in plain words, what was found and
 * under which names the files were kept; a newer file is left where it is until the analyst decides.
 */
export function checkLibraryFile(path: string, options: StartupCheckOptions): StartupVerdict {
  const wal = `${path}-wal`
  if (!existsSync(path)) {
    // A log without its database would be replayed into a new, empty one; keep it aside instead.
    if (existsSync(wal)) {
      const keptAs = setAside([wal, `${path}-shm`], 'stray', options)
      return problem('foreign-wal', 'A leftover write log was found without its library.', `Stance found a write-ahead log but no library file next to it, so it could not belong to any library here. It was kept as ${keptAs.join(', ')}.`, keptAs)
    }
    return { ok: true }
  }
  const size = statSync(path).size
  if (size === 0) return { ok: true }
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
  const pageSize = pageSizeOf(header)
  const pages = header.readUInt32BE(28)
  if (pageSize > 0 && (size % pageSize !== 0 || (pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92) && size < pages * pageSize))) {
    return damaged(path, 'truncated', 'The library file is cut short.', `It is ${size.toLocaleString('en')} bytes, but its header says it should be ${(pages * pageSize).toLocaleString('en')}; the end is missing.`, options)
  }

  if (existsSync(wal) && statSync(wal).size > 0) {
    const withLog = inspectCopy(path, wal, options)
    const withoutLog = inspectCopy(path, null, options)
    // SQLite replays any well-formed log, even one written for another database, and the result can pass
    // every integrity check while holding someone else's pages. A log may add to the library, never turn it
    // into a different database: same application id, Stance's tables still there, no older schema.
    const foreign =
      withLog.ok && withoutLog.ok && (withLog.identity.applicationId !== withoutLog.identity.applicationId || withLog.identity.tables < withoutLog.identity.tables || withLog.version < withoutLog.version)
    if (withLog.ok && !foreign) return versionVerdict(path, withLog.version, options)
    if (withoutLog.ok) {
      const reason = withLog.ok ? 'it would replace the library with a different database' : withLog.reason
      const keptAs = setAside([wal, `${path}-shm`], 'damaged', options)
      return problem(
        'foreign-wal',
        'A write log that does not fit your library was set aside.',
        `Stance keeps recent changes in a write log next to the library. The log found at start does not fit the library (${reason}), so it was kept as ${keptAs.join(', ')} instead of being applied. The library itself is readable as it was last fully saved; changes made just before Stance last stopped may be missing.`,
        keptAs
      )
    }
    return damaged(path, 'corrupt', 'The library file is damaged.', `SQLite reports: ${withLog.ok ? withoutLog.reason : withLog.reason}.`, options)
  }
  const alone = inspectCopy(path, null, options, false)
  if (!alone.ok) return damaged(path, /not a database/i.test(alone.reason) ? 'not-sqlite' : 'corrupt', 'The library file is damaged.', `SQLite reports: ${alone.reason}.`, options)
  return versionVerdict(path, alone.version, options)
}

function versionVerdict(path: string, version: number, options: StartupCheckOptions): StartupVerdict {
  if (version <= options.latestVersion) return { ok: true }
  return problem(
    'newer',
    'This library was saved by a newer version of Stance.',
    `Its data format is ${version}; this version reads up to ${options.latestVersion}. Stance has not changed it. Install the newer version to open it — or restore a backup or start empty here, and the newer file will be kept beside them as ${basename(path)}.newer-….`,
    []
  )
}

function problem(kind: StartupProblem['kind'], title: string, detail: string, keptAs: string[]): StartupVerdict {
  return { ok: false, problem: { kind, title, detail, keptAs } }
}

function damaged(path: string, kind: StartupProblem['kind'], title: string, reason: string, options: StartupCheckOptions): StartupVerdict {
  const keptAs = setAside([path, `${path}-wal`, `${path}-shm`], 'damaged', options)
  return problem(kind, title, `${reason} Stance has not opened it and has not changed it: it is kept as ${keptAs[0]}. You can restore a backup or start with an empty library.`, keptAs)
}

/** Renames files aside under a timestamped name that nothing else uses; returns the new names of those that existed. */
export function setAside(paths: readonly string[], label: string, options: { now?: () => Date } = {}): string[] {
  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[-:.]/g, '')
  const kept: string[] = []
  for (const path of paths) {
    if (!existsSync(path)) continue
    let target = `${path}.${label}-${stamp}`
    for (let i = 2; existsSync(target); i++) target = `${path}.${label}-${stamp}-${i}`
    renameSync(path, target)
    kept.push(basename(target))
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

/**
 * Runs quick_check on the library. With a write log present it works on a copy (optionally with the log,
 * which SQLite then replays into the copy), so the real files stay as they are while Stance decides what
 * the log is; without one, the file itself is checked (opening it changes nothing in it).
 */
/** What makes a database this library rather than another one. */
interface Identity {
  applicationId: number
  /** How many of Stance's core tables it has. */
  tables: number
}

function inspectCopy(path: string, wal: string | null, options: StartupCheckOptions, copy = true): { ok: true; version: number; identity: Identity } | { ok: false; reason: string } {
  const dir = copy ? mkdtempSync(join(tmpdir(), 'stance-check-')) : dirname(path)
  const file = copy ? join(dir, 'check.db') : path
  let db: Database.Database | undefined
  try {
    if (copy) {
      copyFileSync(path, file)
      if (wal) copyFileSync(wal, `${file}-wal`)
    }
    db = new Database(file, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') return { ok: false, reason: String(check) }
    const tables = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('articles', 'codes', 'highlights', 'notes', 'settings')").get()?.n ?? 0
    return { ok: true, version: db.pragma('user_version', { simple: true }) as number, identity: { applicationId: db.pragma('application_id', { simple: true }) as number, tables } }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  } finally {
    db?.close()
    if (copy) rmSync(dir, { recursive: true, force: true })
  }
}
