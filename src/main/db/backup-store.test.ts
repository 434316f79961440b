import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from './open-test-database'
import { BackupStore } from './backup-store'

let store: TestDatabase
let backups: BackupStore
beforeEach(() => {
  store = openTestDatabase()
  backups = new BackupStore(join(store.dir, 'backups'))
})
afterEach(() => store.dispose())

describe('BackupStore', () => {
  it('writes self-contained, checked backups and leaves no side files, even after a later check', async () => {
    store.repos.settings.set('marker', 42)
    const online = await backups.create(store.db, 'manual', 10)
    const offline = backups.createNow(store.db, 'migration', 10)
    for (const info of [online, offline]) {
      const copy = new Database(backups.pathOf(info.id), { readonly: true })
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
      expect(copy.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: '42' })
      copy.close()
      backups.verify(backups.pathOf(info.id))
    }
    expect(readdirSync(backups.dir).sort()).toEqual([online.id, offline.id].sort())
  })

  it('lists newest first, prunes to the newest N, and sweeps what a crash left behind', async () => {
    const made = []
    for (let i = 0; i < 4; i++) made.push(await backups.create(store.db, 'periodic', 10))
    expect(backups.list().map((b) => b.id)).toEqual(made.map((b) => b.id).reverse())
    backups.prune(2)
    expect(backups.list().map((b) => b.id)).toEqual(made.slice(2).map((b) => b.id).reverse())
    writeFileSync(join(backups.dir, '.partial-abc.db'), 'half')
    writeFileSync(join(backups.dir, `${made[3]!.id}-wal`), '')
    writeFileSync(join(backups.dir, 'notes.txt'), 'not ours')
    backups.sweep()
    expect(readdirSync(backups.dir).sort()).toEqual([...made.slice(2).map((b) => b.id), 'notes.txt'].sort())
    expect(() => backups.pathOf('../stance.db')).toThrow(/no longer exists/)
  })

  it('refuses to seal a damaged copy', () => {
    const bad = join(store.dir, 'bad.db')
    writeFileSync(bad, 'not a database at all, just words'.repeat(10))
    expect(() => backups.verify(bad)).toThrow(/damaged/)
  })
})
