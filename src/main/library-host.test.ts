import { createHash } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RecoveryState } from '../shared/domain/backup'
import type { Result } from '../shared/result'
import { bootstrap, type Stance } from './bootstrap'
import { openDatabase } from './db/connection'
import { migrate } from './db/migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './db/migrations'
import { dispatch } from './ipc/dispatch'
import { options, top } from './ipc/dispatch-test-setup'

const RESOURCES = join(import.meta.dirname, '..', '..', 'resources')

let dir: string
let open: Stance[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stance-host-'))
  open = []
})
afterEach(() => {
  for (const stance of open) stance.close()
  rmSync(dir, { recursive: true, force: true })
})

function start(extra: { backupIntervalMs?: number } = {}): Stance {
  const stance = bootstrap({ dataDir: dir, resourcesDir: RESOURCES, ...extra })
  open.push(stance)
  return stance
}

async function call<T>(stance: Stance, channel: string, payload: unknown = {}): Promise<Result<T>> {
  return (await dispatch(stance.handlers, channel, payload, top, options)) as Result<T>
}

async function value<T>(stance: Stance, channel: string, payload: unknown = {}): Promise<T> {
  const result = await call<T>(stance, channel, payload)
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

/** Every row of every table except the full-text shadow tables, hashed: equal hashes mean equal libraries. */
function contentHash(file: string): string {
  const db = new Database(file, { readonly: true })
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY name").all()
    const hash = createHash('sha256')
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort()
      hash.update(name).update(rows.join('\n'))
    }
    return hash.digest('hex')
  } finally {
    db.close()
  }
}

/** A library with one coded passage, closed, and one start-up backup of it (taken by a second start). */
async function libraryWithBackup(): Promise<{ hash: string; backupId: string }> {
  const first = start()
  const [article] = await value<{ id: string }[]>(first, 'articles:list')
  const [code] = (await value<{ id: string; groupKind: string | null }[]>(first, 'codebook:list')).filter((c) => !c.groupKind)
  await value(first, 'highlights:create', { articleId: article!.id, start: 0, end: 20, codeIds: [code!.id] })
  first.close()
  const second = start()
  await second.host.pendingBackup
  const { backups } = await value<{ backups: { id: string; reason: string }[] }>(second, 'backups:list')
  expect(backups.map((b) => b.reason)).toContain('start')
  second.close()
  return { hash: contentHash(join(dir, 'stance.db')), backupId: backups[0]!.id }
}

async function expectProblem(stance: Stance, kind: string): Promise<Extract<RecoveryState, { state: 'problem' }>> {
  const state = await value<RecoveryState>(stance, 'recovery:state')
  expect(state).toMatchObject({ state: 'problem', problem: { kind } })
  // Nothing else works until the analyst decides, and says why in words.
  expect(await call(stance, 'articles:list')).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('has not opened your library') } })
  return state as Extract<RecoveryState, { state: 'problem' }>
}

function overwrite(file: string, offset: number, bytes: number, fill: number): void {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, Buffer.alloc(bytes, fill), 0, bytes, offset)
  } finally {
    closeSync(fd)
  }
}
const flip = (file: string, offset: number, bytes: number): void => overwrite(file, offset, bytes, 0xa5)
const zero = (file: string, offset: number, bytes: number): void => overwrite(file, offset, bytes, 0)

describe('start-up with a damaged or foreign library file', () => {
  for (const [name, kind, damage] of [
    ['a truncated file', 'truncated', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2) + 7)],
    ['flipped bytes in a table page', 'corrupt', (file: string) => flip(file, 4096 + 8, 64)],
    ['a zeroed header', 'not-sqlite', (file: string) => zero(file, 0, 100)],
    ['a file that is not SQLite', 'not-sqlite', (file: string) => writeFileSync(file, 'Notes for the Riyadh piece\n'.repeat(400))]
  ] as const) {
    it(`${name}: keeps the file under a new name, says so, and restores the latest backup`, async () => {
      const { hash, backupId } = await libraryWithBackup()
      const file = join(dir, 'stance.db')
      damage(file)
      const damagedBytes = readFileSync(file)
      const stance = start()
      const state = await expectProblem(stance, kind)
      expect(state.problem.detail).toMatch(/kept as stance\.db\.damaged-/)
      const kept = join(dir, state.problem.keptAs[0]!)
      // The damaged file is kept byte for byte, never overwritten or deleted.
      expect(readFileSync(kept).equals(damagedBytes)).toBe(true)
      expect(state.backups[0]?.id).toBe(backupId)
      expect(await value<RecoveryState>(stance, 'recovery:restore', { id: backupId })).toEqual({ state: 'ok' })
      expect(await value<RecoveryState>(stance, 'recovery:state')).toEqual({ state: 'ok' })
      expect((await value<unknown[]>(stance, 'articles:list')).length).toBe(1)
      stance.close()
      expect(contentHash(file)).toBe(hash)
      expect(readFileSync(kept).equals(damagedBytes)).toBe(true)
    })
  }

  it('a write log from another library: set aside, the library opens as last saved', async () => {
    await libraryWithBackup()
    const file = join(dir, 'stance.db')
    const hash = contentHash(file)
    // Another library with committed changes still in its log.
    const otherDir = mkdtempSync(join(tmpdir(), 'stance-other-'))
    const other = new Database(join(otherDir, 'x.db'))
    other.pragma('journal_mode = WAL')
    other.pragma('wal_autocheckpoint = 0')
    other.exec('CREATE TABLE t (a); CREATE TABLE u (b);')
    for (let i = 0; i < 200; i++) other.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(500))
    copyFileSync(join(otherDir, 'x.db-wal'), `${file}-wal`)
    other.close()
    rmSync(otherDir, { recursive: true, force: true })

    const stance = start()
    const state = await expectProblem(stance, 'foreign-wal')
    expect(state.problem.keptAs[0]).toMatch(/^stance\.db\.damaged-.*-wal$/)
    expect(existsSync(join(dir, state.problem.keptAs[0]!))).toBe(true)
    expect(await value<RecoveryState>(stance, 'recovery:continue')).toEqual({ state: 'ok' })
    expect((await value<unknown[]>(stance, 'articles:list')).length).toBe(1)
    stance.close()
    expect(contentHash(file)).toBe(hash)
  })

  it('a library from a newer Stance: left untouched until the analyst starts empty, then kept aside', async () => {
    await libraryWithBackup()
    const file = join(dir, 'stance.db')
    const db = new Database(file)
    db.pragma('user_version = 99')
    db.close()
    const bytes = readFileSync(file)
    const stance = start()
    const state = await expectProblem(stance, 'newer')
    expect(state.problem.detail).toMatch(/newer version/)
    expect(readFileSync(file).equals(bytes)).toBe(true)
    expect(await value<RecoveryState>(stance, 'recovery:startEmpty')).toEqual({ state: 'ok' })
    const aside = readdirSync(dir).find((name) => name.startsWith('stance.db.newer-'))
    expect(aside).toBeDefined()
    expect(readFileSync(join(dir, aside!)).equals(bytes)).toBe(true)
    // A new library as on first run.
    expect(await value<{ title: string }[]>(stance, 'articles:list')).toHaveLength(1)
    expect(await value<{ state: string }>(stance, 'recovery:state')).toEqual({ state: 'ok' })
  })

  it('after a set-aside log, restoring a backup keeps the readable library under a new name instead of overwriting it', async () => {
    const { backupId } = await libraryWithBackup()
    const file = join(dir, 'stance.db')
    const other = new Database(join(dir, 'other.db'))
    other.pragma('journal_mode = WAL')
    other.pragma('wal_autocheckpoint = 0')
    other.exec('CREATE TABLE t (a);')
    for (let i = 0; i < 100; i++) other.prepare('INSERT INTO t VALUES (?)').run('y'.repeat(300))
    copyFileSync(join(dir, 'other.db-wal'), `${file}-wal`)
    other.close()
    const library = readFileSync(file)
    const stance = start()
    await expectProblem(stance, 'foreign-wal')
    expect(await value<RecoveryState>(stance, 'recovery:restore', { id: backupId })).toEqual({ state: 'ok' })
    const replaced = readdirSync(dir).find((name) => /^stance\.db\.replaced-[^-]+Z?$/.test(name) || (name.startsWith('stance.db.replaced-') && !name.endsWith('-wal')))
    expect(replaced).toBeDefined()
    expect(readFileSync(join(dir, replaced!)).equals(library)).toBe(true)
  })

  it('a newer library stays in place when the chosen backup cannot be restored', async () => {
    await libraryWithBackup()
    const file = join(dir, 'stance.db')
    const db = new Database(file)
    db.pragma('user_version = 99')
    db.close()
    // A backup that is damaged (as one from a newer Stance would be refused).
    writeFileSync(join(dir, 'backups', 'stance-20300101T000000000Z-manual.db'), 'not a database'.repeat(50))
    const stance = start()
    await expectProblem(stance, 'newer')
    expect(await call(stance, 'recovery:restore', { id: 'stance-20300101T000000000Z-manual.db' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(existsSync(file)).toBe(true)
    expect(readdirSync(dir).some((name) => name.startsWith('stance.db.newer-'))).toBe(false)
    expect(await value<RecoveryState>(stance, 'recovery:state')).toMatchObject({ state: 'problem' })
  })

  it('a restore that cannot put the backup in place leaves the library open as it was', async () => {
    const stance = start()
    const backup = await value<{ id: string }>(stance, 'backups:create')
    const [code] = (await value<{ id: string; groupKind: string | null }[]>(stance, 'codebook:list')).filter((c) => !c.groupKind)
    await value(stance, 'codebook:update', { id: code!.id, name: 'Kept' })
    // The staging name is taken by a folder: the copy fails before anything else changes.
    mkdirSync(join(dir, 'stance.db.restoring'))
    expect(await call(stance, 'backups:restore', { id: backup.id })).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    expect((await value<{ name: string; groupKind: string | null }[]>(stance, 'codebook:list')).filter((c) => !c.groupKind)[0]!.name).toBe('Kept')
    expect(await value<RecoveryState>(stance, 'recovery:state')).toEqual({ state: 'ok' })
  })

  it('a write log beside an empty library file is kept, not discarded', async () => {
    writeFileSync(join(dir, 'stance.db'), '')
    writeFileSync(join(dir, 'stance.db-wal'), Buffer.alloc(4096, 7))
    const stance = start()
    const state = await expectProblem(stance, 'stray-wal')
    expect(existsSync(join(dir, state.problem.keptAs[0]!))).toBe(true)
    expect(await call(stance, 'recovery:continue')).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await value<RecoveryState>(stance, 'recovery:startEmpty')).toEqual({ state: 'ok' })
  })

  it('an older library whose log only stamps the Stance id opens normally after a crash', async () => {
    const first = start()
    first.close()
    const file = join(dir, 'stance.db')
    const raw = new Database(file)
    raw.pragma('application_id = 0')
    raw.close()
    // Reopen as this version would (stamping the id into the log), write, and "crash" before a checkpoint.
    const live = new Database(file)
    live.pragma('wal_autocheckpoint = 0')
    live.pragma(`application_id = ${0x5374616e}`)
    live.prepare("INSERT INTO settings (key, value) VALUES ('after', '1')").run()
    const crashed = mkdtempSync(join(tmpdir(), 'stance-crashed-'))
    copyFileSync(file, join(crashed, 'stance.db'))
    copyFileSync(`${file}-wal`, join(crashed, 'stance.db-wal'))
    live.close()
    const stance = bootstrap({ dataDir: crashed, resourcesDir: RESOURCES })
    open.push(stance)
    expect(await value<RecoveryState>(stance, 'recovery:state')).toEqual({ state: 'ok' })
    rmSync(crashed, { recursive: true, force: true })
  })

  it("another program's SQLite file is kept aside untouched, not turned into a library", async () => {
    const file = join(dir, 'stance.db')
    const foreign = new Database(file)
    foreign.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'Ada\');')
    foreign.close()
    const bytes = readFileSync(file)
    const stance = start()
    const state = await expectProblem(stance, 'not-sqlite')
    expect(state.problem.title).toMatch(/another program/)
    expect(readFileSync(join(dir, state.problem.keptAs[0]!)).equals(bytes)).toBe(true)
  })

  it('recovery choices are refused when nothing needs recovering, and unknown backups are not found', async () => {
    const stance = start()
    expect(await call(stance, 'recovery:startEmpty')).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await call(stance, 'backups:restore', { id: 'stance-20260101T000000000Z-manual.db' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await call(stance, 'backups:restore', { id: '../stance.db' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })
})

describe('backups', () => {
  it('backup → change → restore gives back exactly the backed-up content', async () => {
    const stance = start()
    const file = join(dir, 'stance.db')
    const backup = await value<{ id: string; reason: string }>(stance, 'backups:create')
    expect(backup.reason).toBe('manual')
    const before = await value<{ id: string }[]>(stance, 'articles:list')
    stance.close()
    const hash = contentHash(file)
    const again = start()
    await again.host.pendingBackup
    const [code] = (await value<{ id: string; groupKind: string | null }[]>(again, 'codebook:list')).filter((c) => !c.groupKind)
    await value(again, 'highlights:create', { articleId: before[0]!.id, start: 5, end: 30, codeIds: [code!.id] })
    await value(again, 'codebook:update', { id: code!.id, name: 'Renamed' })
    expect(await value<RecoveryState>(again, 'backups:restore', { id: backup.id })).toEqual({ state: 'ok' })
    expect(await value<unknown[]>(again, 'highlights:list', { articleId: before[0]!.id })).toEqual([])
    again.close()
    expect(contentHash(file)).toBe(hash)
    // The state before the restore was kept as a backup too.
    const last = start()
    const { backups } = await value<{ backups: { reason: string }[] }>(last, 'backups:list')
    expect(backups.map((b) => b.reason)).toContain('before-restore')
  })

  it('backs the library up before a migration, at the version it had', async () => {
    const file = join(dir, 'stance.db')
    const old = openDatabase(file, { latestVersion: LATEST_SCHEMA_VERSION })
    migrate(old, MIGRATIONS.slice(0, LATEST_SCHEMA_VERSION - 1))
    old.close()
    const stance = start()
    const { backups } = await value<{ backups: { id: string; reason: string }[] }>(stance, 'backups:list')
    const before = backups.find((b) => b.reason === 'migration')
    expect(before).toBeDefined()
    const copy = new Database(join(dir, 'backups', before!.id), { readonly: true })
    expect(copy.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION - 1)
    copy.close()
    expect((await value<{ schemaVersion: number }>(stance, 'app:info')).schemaVersion).toBe(LATEST_SCHEMA_VERSION)
  })

  it('keeps only the newest N, and backs up periodically only when something changed', async () => {
    const stance = start({ backupIntervalMs: 40 })
    await value(stance, 'backups:configure', { keep: 3 })
    for (let i = 0; i < 5; i++) await value(stance, 'backups:create')
    let list = await value<{ backups: { reason: string }[]; keep: number }>(stance, 'backups:list')
    const initial = list.backups.length
    expect(list.keep).toBe(3)
    expect(initial).toBe(3)
    expect(list.backups).toHaveLength(3)
    // Quiet since the last backup: the timer takes none.
    await new Promise((resolve) => setTimeout(resolve, 150))
    await stance.host.pendingBackup
    list = await value(stance, 'backups:list')
    expect(list.backups.filter((b) => b.reason === 'periodic')).toHaveLength(0)
    // A change: one periodic backup, then quiet again.
    const [code] = (await value<{ id: string; groupKind: string | null }[]>(stance, 'codebook:list')).filter((c) => !c.groupKind)
    await value(stance, 'codebook:update', { id: code!.id, color: '#123456' })
    await new Promise((resolve) => setTimeout(resolve, 150))
    await stance.host.pendingBackup
    list = await value(stance, 'backups:list')
    const periodic = list.backups.filter((b) => b.reason === 'periodic').length
    expect(periodic).toBeGreaterThanOrEqual(1)
    await new Promise((resolve) => setTimeout(resolve, 150))
    await stance.host.pendingBackup
    const after = await value<{ backups: { reason: string }[] }>(stance, 'backups:list')
    expect(after.backups.filter((b) => b.reason === 'periodic').length).toBe(periodic)
    expect(await call(stance, 'backups:configure', { keep: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })
})
