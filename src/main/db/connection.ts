import Database from 'better-sqlite3'
import { AppError } from '../../shared/result'

/** SQLite application id of a Stance library ("Stan"). */
export const STANCE_APPLICATION_ID = 0x5374616e

/** A better-sqlite3 connection. */
export type Db = Database.Database

/** Options for opening the store. */
export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (Electron uses its own build). */
  nativeBinding?: string
  /** The newest schema version this build knows; a newer file is refused before anything writes to it. */
  latestVersion: number
}

/**
 * Opens the database file with the pragmas Stance relies on: WAL, foreign keys, and synchronous=FULL
 * because better-sqlite3's default (NORMAL under WAL) can lose the last commits on power loss.
 */
export function openDatabase(file: string, options: OpenOptions): Db {
  let db: Db
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (error) {
    throw new AppError('unavailable', `Stance could not open its database at ${file}: ${(error as Error).message}`)
  }
  try {
    // Read-only look first: a database from a newer Stance must not be touched, not even by a pragma.
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > options.latestVersion) {
      throw new AppError(
        'conflict',
        `This data was saved by a newer version of Stance (data format ${version}; this version reads up to ${options.latestVersion}). ` +
          'Stance has not changed it. Install the newer version to open it.'
      )
    }
    // Marks the file as Stance's, so a start-up check can tell a write log that turns it into another database.
    if ((db.pragma('application_id', { simple: true }) as number) === 0) db.pragma(`application_id = ${STANCE_APPLICATION_ID}`)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = FULL')
    db.pragma('busy_timeout = 5000')
    if (process.platform === 'darwin') db.pragma('fullfsync = ON')
    cachePreparedStatements(db)
    return db
  } catch (error) {
    db.close()
    if (error instanceof AppError) throw error
    const message = (error as Error).message
    throw new AppError(
      'unavailable',
      /not a database|malformed/i.test(message)
        ? `The file at ${file} is not a readable Stance database (${message}).`
        : `Stance could not prepare its database at ${file}: ${message}`
    )
  }
}

/** Most statements the repositories prepare are the same few dozen SQL strings; more than this is dynamic SQL. */
const STATEMENT_CACHE_LIMIT = 500

/**
 * Makes `db.prepare` reuse the statement compiled for the same SQL: compiling costs about as much as running
 * a small statement, and the repositories prepare where they use. better-sqlite3 statements are reusable
 * (and SQLite recompiles them itself after a schema change); a statement still being iterated is not handed
 * out again, and one left in pluck/expand/raw mode is reset first.
 */
function cachePreparedStatements(db: Db): void {
  const prepare = db.prepare.bind(db)
  const cache = new Map<string, Database.Statement>()
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql)
    // One still being iterated cannot run again; a fresh one serves this caller.
    if (statement?.busy) return prepare(sql)
    if (statement?.reader) statement.pluck(false).expand(false).raw(false)
    if (!statement) {
      statement = prepare(sql)
      if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear()
      cache.set(sql, statement)
    }
    return statement
  }) as Db['prepare']
}
