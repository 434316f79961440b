import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './connection'
import { migrate } from './migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations'
import { openTestDatabase, type TestDatabase } from './open-test-database'
import { createRepositories } from './repositories/repositories'
import type { HighlightId } from '../../shared/domain/ids'

let store: TestDatabase
afterEach(() => store?.dispose())

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('migrations', () => {
  it('bring a fresh database to the latest version with the pragmas Stance relies on', () => {
    store = openTestDatabase()
    const { db } = store
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name)
    for (const name of ['articles', 'codes', 'highlights', 'highlight_codes', 'notes', 'settings', 'articles_fts', 'highlights_fts', 'notes_fts', 'codes_fts']) {
      expect(tables).toContain(name)
    }
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('are a no-op when run again', () => {
    store = openTestDatabase()
    expect(migrate(store.db, MIGRATIONS)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] })
  })

  it('roll back a failing migration together with its version bump', () => {
    store = openTestDatabase()
    const broken = { version: LATEST_SCHEMA_VERSION + 1, name: 'broken', up: (db: Database.Database) => db.exec('CREATE TABLE half (x); SELECT * FROM missing_table') }
    expect(() => migrate(store.db, [...MIGRATIONS, broken])).toThrow(/missing_table/)
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 })
  })

  it('0003 moves an existing codebook under a Stances group and adds the default issues and dictionaries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stance-migrate-'))
    const db = openDatabase(join(dir, 'stance.db'), { latestVersion: LATEST_SCHEMA_VERSION })
    try {
      migrate(db, MIGRATIONS.slice(0, 2))
      const now = '2025-02-17T10:00:00.000Z'
      const add = db.prepare(`INSERT INTO codes (id, name, color, parent_id, sort_order, shortcut, created_at, updated_at) VALUES (?, ?, '#112233', ?, ?, ?, ?, ?)`)
      ;['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance'].forEach((name, i) => add.run(`c${i}`, name, null, i, String(i + 1), now, now))
      add.run('sub', 'Rejects', 'c1', 0, null, now, now)
      add.run('mine', 'Issues', null, 4, '5', now, now)
      db.prepare(`INSERT INTO articles (id, title, doc_json, text, length, word_count, created_at, updated_at) VALUES ('a', 'T', '{}', 'Some words', 10, 2, ?, ?)`).run(now, now)
      db.prepare(`INSERT INTO highlights (id, article_id, start, end, exact, created_at, updated_at) VALUES ('h', 'a', 0, 4, 'Some', ?, ?)`).run(now, now)
      db.prepare(`INSERT INTO highlight_codes (highlight_id, code_id) VALUES ('h', 'c1'), ('h', 'sub')`).run()
      migrate(db, MIGRATIONS)
      const repos = createRepositories(db)
      const codes = repos.codes.list()
      const path = (name: string): string => {
        const code = codes.find((c) => c.name === name)!
        return code.parentId ? `${codes.find((c) => c.id === code.parentId)!.name} ▸ ${name}` : name
      }
      expect(codes.filter((c) => c.groupKind).map((c) => [c.name, c.groupKind])).toEqual([['Stances', 'stance'], ['Issues 2', 'issue']])
      expect(['US stance', 'EU stance', 'Issues'].map(path)).toEqual(['Stances ▸ US stance', 'Stances ▸ EU stance', 'Stances ▸ Issues'])
      expect(path('Rejects')).toBe('Russian stance ▸ Rejects')
      expect(codes.find((c) => c.name === 'Russian stance')!.dictionary).toContain('Kremlin')
      // Key 5 was taken by the user's own code; the first default issue goes without.
      expect(codes.filter((c) => codes.find((p) => p.id === c.parentId)?.name === 'Issues 2').map((c) => [c.name, c.shortcut])).toEqual([
        ['Ceasefire and territory', null],
        ['NATO membership', '6'],
        ['Security guarantees', '7'],
        ['Sanctions', '8'],
        ['Minerals and reconstruction', '9'],
        ['Who sits at the table', null]
      ])
      expect(repos.highlights.require('h' as HighlightId).codeIds).toEqual(expect.arrayContaining(['c1', 'sub']))
      expect(db.pragma('foreign_key_check')).toEqual([])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('0003 leaves a custom codebook without the default issues, and an empty one empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stance-migrate-'))
    const db = openDatabase(join(dir, 'stance.db'), { latestVersion: LATEST_SCHEMA_VERSION })
    const empty = openDatabase(join(dir, 'empty.db'), { latestVersion: LATEST_SCHEMA_VERSION })
    try {
      migrate(db, MIGRATIONS.slice(0, 2))
      const now = '2025-02-17T10:00:00.000Z'
      db.prepare(`INSERT INTO codes (id, name, color, created_at, updated_at) VALUES ('x', 'Hawkish', '#112233', ?, ?)`).run(now, now)
      migrate(db, MIGRATIONS)
      expect(createRepositories(db).codes.list().map((c) => [c.name, c.groupKind, c.dictionary])).toEqual([
        ['Stances', 'stance', []],
        ['Hawkish', null, []]
      ])
      migrate(empty, MIGRATIONS)
      expect(createRepositories(empty).codes.list()).toEqual([])
    } finally {
      db.close()
      empty.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('0002 gives the highlights of an existing library a version, starting at 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stance-migrate-'))
    const db = openDatabase(join(dir, 'stance.db'), { latestVersion: LATEST_SCHEMA_VERSION })
    try {
      expect(migrate(db, MIGRATIONS.slice(0, 1))).toMatchObject({ to: 1, applied: ['0001-initial'] })
      const now = '2025-02-17T10:00:00.000Z'
      db.prepare(`INSERT INTO articles (id, title, doc_json, text, length, word_count, created_at, updated_at) VALUES ('a', 'T', '{}', 'Some words', 10, 2, ?, ?)`).run(now, now)
      db.prepare(`INSERT INTO highlights (id, article_id, start, end, exact, created_at, updated_at) VALUES ('h', 'a', 0, 4, 'Some', ?, ?)`).run(now, now)
      expect(migrate(db, MIGRATIONS)).toMatchObject({ from: 1, to: LATEST_SCHEMA_VERSION, applied: expect.arrayContaining(['0002-highlight-version']) })
      expect(db.prepare('SELECT id, version, updated_at FROM highlights').all()).toEqual([{ id: 'h', version: 1, updated_at: now }])
      expect(() => db.prepare("UPDATE highlights SET version = 0 WHERE id = 'h'").run()).toThrow(/CHECK constraint/)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuse a database from a newer Stance without touching the file', () => {
    store = openTestDatabase()
    store.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`)
    store.db.close()
    const before = sha(store.file)
    expect(() => openDatabase(store.file, { latestVersion: LATEST_SCHEMA_VERSION })).toThrow(/newer version of Stance/)
    expect(sha(store.file)).toBe(before)
  })

  it('explain a file that is not a database', () => {
    store = openTestDatabase()
    store.db.close()
    const file = `${store.dir}/not-a-db.db`
    writeFileSync(file, 'this is plain text, not SQLite '.repeat(200))
    expect(() => openDatabase(file, { latestVersion: LATEST_SCHEMA_VERSION })).toThrow(/not a readable Stance database/)
  })
})
