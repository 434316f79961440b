import { AppError } from '../../shared/result'
import type { Db } from './connection'
import type { Migration } from './migration'

/** What a migration run did. */
export interface MigrationReport {
  from: number
  to: number
  applied: string[]
}

/**
 * Applies pending migrations in order, each in its own transaction together with its `user_version`
 * bump, so a crash leaves the database at a whole version.
 */
export function migrate(db: Db, migrations: readonly Migration[]): MigrationReport {
  const ordered = [...migrations].sort((a, b) => a.version - b.version)
  ordered.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migrations must be numbered 1..n; found ${migration.version} at ${index + 1}`)
  })
  const latest = ordered.length
  const from = db.pragma('user_version', { simple: true }) as number
  if (from > latest) {
    throw new AppError('conflict', `This data was saved by a newer version of Stance (data format ${from}; this version reads up to ${latest}).`)
  }
  const applied: string[] = []
  for (const migration of ordered.slice(from)) {
    db.transaction(() => {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
    applied.push(migration.name)
  }
  return { from, to: latest, applied }
}
