import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type Db } from './connection'
import { migrate } from './migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations'
import { createRepositories, type Repositories } from './repositories/repositories'

/** A fresh database file in a temp folder with every migration applied, for tests. */
export interface TestDatabase {
  db: Db
  repos: Repositories
  dir: string
  file: string
  dispose(): void
}

/** Opens a fresh, fully migrated database in its own temp folder. */
export function openTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'stance-db-'))
  const file = join(dir, 'stance.db')
  const db = openDatabase(file, { latestVersion: LATEST_SCHEMA_VERSION })
  migrate(db, MIGRATIONS)
  return {
    db,
    repos: createRepositories(db),
    dir,
    file,
    dispose() {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
