import { spawn } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../db/connection'
import { migrate } from '../db/migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../db/migrations'
import { dumpStore } from '../services/test-support'
import { canonicalState, OP_SETTING, OperationEngine, prepareStore, WORKER_BACKUPS, WORKER_DATABASE } from './random-operations'

/**
 * Issue R1, the crash loop: a child process runs random transactions through the real services on a
 * database file and acknowledges each commit; this test kills it with SIGKILL at random moments (in the
 * middle of operations, backups and migrations) and after every kill checks the file: integrity, foreign
 * keys, full-text indexes, the schema at a whole version, every acknowledged commit present and no
 * transaction half applied (the file equals a replica that replayed exactly the committed operations),
 * and every backup either complete and equal to a committed state or absent.
 *
 * A kill during a migration must leave the file absent, empty, or with exactly the schema of migrations
 * 1..v at user_version v. migrate() commits each migration on its own, so with several pending a kill can
 * stop between two of them: such a whole intermediate version is accepted (the next start finishes it,
 * which the next life checks) and counted as intermediateVersions.
 *
 * STANCE_CRASH_KILLS sets the number of kills (default 200), STANCE_CRASH_SEED the operation seed (the kill
 * timing is not reproducible), STANCE_CRASH_DEBUG prints one line per life. On a failure the files are kept
 * and their folder named in the message. SIGKILL ends the process but not the machine: what the OS accepted
 * survives, so this checks atomicity, crash recovery and acknowledgements, not the fsync ordering a power
 * cut would test.
 */

const KILLS = Math.max(1, Number(process.env.STANCE_CRASH_KILLS ?? 200))
const SEED = Number(process.env.STANCE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31))
const ROOT = resolve(import.meta.dirname, '../../..')
const RESOURCES = join(ROOT, 'resources')
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', `stance-crash-${process.pid}`)
const BUNDLE = join(BUNDLE_DIR, 'crash-worker.mjs')
const BACKUP_NAME = /^stance-\d{8}T\d{9}Z-manual\.db$/
/** A worker that has not been killed after this long is killed anyway (it is then a slow life, not a failure). */
const LIFE_LIMIT_MS = 4000

type Mode = 'migration' | 'startup' | 'timer' | 'ack' | 'backup'

interface Plan {
  mode: Mode
  /** Milliseconds after the trigger line (or the spawn, for 'startup'); 0 kills in the line's handler. */
  delay: number
  /** For 'ack': kill after this many acknowledgements. */
  acks: number
  backupChance: number
}

interface Ack {
  op: number
  kind: string
  outcome: string
}

interface LifeOutput {
  lines: string[]
  acks: Ack[]
  /** The highest op number acknowledged when the parent sent the kill (lines drained later may add to acks). */
  ackedAtKill: number | undefined
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
  killSent: boolean
}

interface Lineage {
  index: number
  dir: string
  replica: Db
  /** The op number the replica has replayed to: the committed op number at the last check. */
  position: number
  lives: number
  target: number
  everReady: boolean
  /** Long articles: the library grows to megabytes, so online backups take many steps with commits between them. */
  large: boolean
  verifiedBackups: Set<string>
  partialsAtLastCheck: Set<string>
}

const stats = {
  kills: 0,
  killsDuringBackup: 0,
  killsDuringMigration: 0,
  migrationKillsAtVersion: {} as Record<number, number>,
  killsByMode: {} as Record<string, number>,
  acknowledgedCommitsChecked: 0,
  committedNotAcknowledged: 0,
  opsReplayed: 0,
  refusedOps: 0,
  backupsVerified: 0,
  backupsComparedWithReplica: 0,
  partialBackupFilesSeen: 0,
  partialCompanionFiles: 0,
  sealedBackupsInWalMode: 0,
  lineages: 0,
  largeLineages: 0,
  largestLibraryBytes: 0,
  killsLeavingPartialBackup: 0,
  absentOrEmptyFiles: 0,
  intermediateVersions: 0
}

/** The parent's own PRNG for kill plans (mulberry32); the worker's operations use the engine's. */
function random(seed: number): () => number {
  let state = seed | 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = random(SEED ^ 0x5eed)
const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1))

function schemaOf(db: Db): string {
  return JSON.stringify(db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all())
}

function memoryStore(): Db {
  return openDatabase(':memory:', { latestVersion: LATEST_SCHEMA_VERSION })
}

/** The schema after migrations 1..v, for every v. */
const REFERENCE_SCHEMAS: string[] = []
let UNSEEDED_STATE = ''
let SEEDED_STATE = ''
let scratchCounter = 0
let root = ''

class CrashLoopFailure extends Error {}
/** Set on the first failure, so the files are kept for inspection. */
let failed = false

function failure(lineage: Lineage, message: string, out?: LifeOutput): CrashLoopFailure {
  failed = true
  const tail = out ? `\n--- worker output (last 15 lines) ---\n${out.lines.slice(-15).join('\n')}\n--- stderr ---\n${out.stderr.slice(-2000)}` : ''
  return new CrashLoopFailure(`[seed ${SEED}, lineage ${lineage.index}, life ${lineage.lives}, kill ${stats.kills}, files in ${lineage.dir}] ${message}${tail}`)
}

function scratchDir(): string {
  const dir = join(root, `scratch-${++scratchCounter}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

function newLineage(index: number): Lineage {
  const dir = join(root, `lineage-${index}`)
  mkdirSync(dir, { recursive: true })
  const replica = memoryStore()
  prepareStore(replica, RESOURCES)
  stats.lineages++
  const large = rand() < 0.3
  if (large) stats.largeLineages++
  return { index, dir, replica, position: 0, lives: 0, target: between(3, 14), large, everReady: false, verifiedBackups: new Set(), partialsAtLastCheck: new Set() }
}

function planLife(lineage: Lineage, fileMigrated: boolean): Plan {
  const quick = () => (rand() < 0.4 ? 0 : between(0, 12))
  if (!fileMigrated && (lineage.lives === 0 || rand() < 0.6)) return { mode: 'migration', delay: quick(), acks: 0, backupChance: 0.03 }
  const roll = rand()
  if (roll < 0.15) return { mode: 'startup', delay: between(0, 200), acks: 0, backupChance: 0.03 }
  if (roll < 0.45) return { mode: 'timer', delay: between(0, 90), acks: 0, backupChance: 0.04 }
  if (roll < 0.7) return { mode: 'ack', delay: rand() < 0.5 ? 0 : between(0, 3), acks: between(1, 25), backupChance: 0.04 }
  return { mode: 'backup', delay: rand() < 0.4 ? 0 : between(0, 6), acks: 0, backupChance: 0.3 }
}

/** Runs one worker life and kills it as planned; resolves once it has exited and its output is drained. */
function runLife(lineage: Lineage, plan: Plan): Promise<LifeOutput> {
  return new Promise((done, reject) => {
    const args = [BUNDLE, lineage.dir, RESOURCES, String(SEED), String(plan.backupChance), lineage.large ? 'large' : 'small']
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: LifeOutput = { lines: [], acks: [], ackedAtKill: undefined, code: null, signal: null, stderr: '', killSent: false }
    const timers: NodeJS.Timeout[] = []
    let acked = 0
    let pending = ''
    const kill = () => {
      if (out.killSent) return
      out.killSent = true
      out.ackedAtKill = out.acks.at(-1)?.op
      child.kill('SIGKILL')
    }
    const killAfter = (ms: number) => {
      if (ms <= 0) kill()
      else timers.push(setTimeout(kill, ms))
    }
    timers.push(setTimeout(kill, LIFE_LIMIT_MS))
    if (plan.mode === 'startup') killAfter(plan.delay)
    const onLine = (line: string) => {
      out.lines.push(line)
      const [word, first, second, third] = line.split(' ')
      if (word === 'ack') {
        out.acks.push({ op: Number(first), kind: second ?? '', outcome: third ?? '' })
        acked++
        if (plan.mode === 'ack' && acked === plan.acks) killAfter(plan.delay)
      } else if (word === 'migrate-start') {
        if (plan.mode === 'migration' && Number(first) < LATEST_SCHEMA_VERSION) killAfter(plan.delay)
      } else if (word === 'ready') {
        if (plan.mode === 'timer' || plan.mode === 'migration') killAfter(plan.mode === 'timer' ? plan.delay : between(0, 40))
        if (plan.mode === 'backup') killAfter(200)
      } else if (word === 'backup-start') {
        if (plan.mode === 'backup') killAfter(plan.delay)
      }
    }
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) onLine(line)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      out.stderr += chunk.toString('utf8')
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer)
      if (pending) onLine(pending)
      out.code = code
      out.signal = signal
      done(out)
    })
  })
}

/** Opens a copy of a database file (and its log, if any) so that checking it never changes the original. */
function openCopy(file: string, withLog: boolean): { db: Db; dir: string } {
  const dir = scratchDir()
  const copy = join(dir, 'copy.db')
  copyFileSync(file, copy)
  if (withLog && existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`)
  return { db: new Database(copy), dir }
}

interface Checked {
  version: number
  committed: number | undefined
  state: string
}

/** The checks every database file must pass, whatever moment it was cut at; returns its version, op and state. */
function checkDatabase(lineage: Lineage, db: Db, what: string, out?: LifeOutput): Checked {
  const integrity = db.pragma('integrity_check', { simple: true })
  if (integrity !== 'ok') throw failure(lineage, `${what}: integrity_check says ${String(integrity)}`, out)
  const quick = db.pragma('quick_check', { simple: true })
  if (quick !== 'ok') throw failure(lineage, `${what}: quick_check says ${String(quick)}`, out)
  const orphans = db.pragma('foreign_key_check') as unknown[]
  if (orphans.length > 0) throw failure(lineage, `${what}: foreign_key_check found ${JSON.stringify(orphans.slice(0, 5))}`, out)
  const version = db.pragma('user_version', { simple: true }) as number
  if (!(version >= 0 && version <= LATEST_SCHEMA_VERSION)) throw failure(lineage, `${what}: user_version ${version}`, out)
  if (schemaOf(db) !== REFERENCE_SCHEMAS[version]) throw failure(lineage, `${what}: at user_version ${version} but its schema is not that of migrations 1..${version} (a migration half applied?)`, out)
  if (version < LATEST_SCHEMA_VERSION) return { version, committed: undefined, state: '' }
  try {
    // Also runs the FTS5 'integrity-check' of every full-text index against its table.
    dumpStore(db)
  } catch (error) {
    throw failure(lineage, `${what}: a full-text index disagrees with its table (${(error as Error).message})`, out)
  }
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(OP_SETTING)
  return { version, committed: row ? (JSON.parse(row.value) as number) : undefined, state: canonicalState(db) }
}

interface BackupState {
  name: string
  committed: number
  state: string
}

function isWalModeFile(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const header = Buffer.alloc(20)
    readSync(fd, header, 0, 20, 0)
    return header[18] === 2 && header[19] === 2
  } finally {
    closeSync(fd)
  }
}

/** Checks the backups folder: sealed backups complete, leftovers only under temporary names, sweep working. */
function checkBackups(lineage: Lineage, out: LifeOutput, committed: number): BackupState[] {
  const dir = join(lineage.dir, WORKER_BACKUPS)
  const names = existsSync(dir) ? readdirSync(dir) : []
  const found: BackupState[] = []
  const partials = new Set<string>()
  const swept = out.lines.includes('swept')
  let leftPartial = false
  for (const name of names) {
    if (name.startsWith('.partial-')) {
      stats.partialBackupFilesSeen++
      if (/\.db-(wal|shm)$/.test(name)) stats.partialCompanionFiles++
      else leftPartial = true
      if (swept && lineage.partialsAtLastCheck.has(name)) throw failure(lineage, `sweep() at start left ${name} in the backups folder`, out)
      partials.add(name)
      continue
    }
    if (!BACKUP_NAME.test(name)) throw failure(lineage, `unexpected file in the backups folder: ${name}`, out)
    if (lineage.verifiedBackups.has(name)) continue
    const file = join(dir, name)
    if (isWalModeFile(file)) stats.sealedBackupsInWalMode++
    // A sealed backup must stand alone: open a copy of the file without anything beside it.
    const { db } = openCopy(file, false)
    try {
      const checked = checkDatabase(lineage, db, `backup ${name}`, out)
      if (checked.version !== LATEST_SCHEMA_VERSION) throw failure(lineage, `backup ${name} is at user_version ${checked.version}`, out)
      const op = checked.committed ?? 0
      if (checked.committed === undefined && checked.state !== SEEDED_STATE) throw failure(lineage, `backup ${name} has no op number and is not the seeded library`, out)
      if (op < lineage.position || op > committed) {
        throw failure(lineage, `backup ${name} holds op ${op}, outside what this life committed (${lineage.position}..${committed})`, out)
      }
      found.push({ name, committed: op, state: checked.state })
    } finally {
      db.close()
    }
    lineage.verifiedBackups.add(name)
    stats.backupsVerified++
  }
  const lastDone = out.lines.filter((line) => line.startsWith('backup-done ')).at(-1)?.slice('backup-done '.length)
  if (lastDone && !names.includes(lastDone)) throw failure(lineage, `backup ${lastDone} was reported done but is not in the backups folder`, out)
  lineage.partialsAtLastCheck = partials
  // sweep() ran at this life's start, so a temporary backup file now is one this life was killed writing.
  if (leftPartial) stats.killsLeavingPartialBackup++
  return found
}

/** Replays ops up to `target` on the replica (one History for this life, as the worker had), comparing as it goes. */
async function advanceReplica(lineage: Lineage, target: number, out: LifeOutput, backups: BackupState[]): Promise<void> {
  const engine = new OperationEngine(lineage.replica, SEED, lineage.large, !lineage.large)
  const acks = new Map(out.acks.map((ack) => [ack.op, ack]))
  const compareBackups = () => {
    const due = backups.filter((backup) => backup.committed === lineage.position)
    if (due.length === 0) return
    const state = canonicalState(lineage.replica)
    for (const backup of due) {
      if (backup.state !== state) throw failure(lineage, `backup ${backup.name} (op ${backup.committed}) is not the state committed at op ${backup.committed}`, out)
      stats.backupsComparedWithReplica++
    }
  }
  compareBackups()
  while (lineage.position < target) {
    const n = lineage.position + 1
    let report: Awaited<ReturnType<OperationEngine['run']>>
    try {
      report = await engine.run(n)
    } catch (error) {
      throw failure(lineage, `the replica failed at op ${n}: ${(error as Error).stack ?? String(error)}`, out)
    }
    const ack = acks.get(n)
    if (ack && (ack.kind !== report.kind || ack.outcome !== report.outcome)) {
      throw failure(lineage, `op ${n} diverged: the worker did ${ack.kind} → ${ack.outcome}, the replica ${report.kind} → ${report.outcome}`, out)
    }
    if (report.outcome !== 'ok') stats.refusedOps++
    stats.opsReplayed++
    lineage.position = n
    compareBackups()
  }
}

/** All checks after one kill. */
async function checkAfterKill(lineage: Lineage, out: LifeOutput): Promise<{ migrated: boolean; version: number }> {
  const file = join(lineage.dir, WORKER_DATABASE)
  const lastAck = out.acks.at(-1)?.op
  if (!existsSync(file) || statSync(file).size === 0) {
    if (lineage.everReady) throw failure(lineage, 'the database file vanished or was emptied after it had been set up', out)
    if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) throw failure(lineage, 'a write-ahead log exists without its database', out)
    if (lastAck !== undefined) throw failure(lineage, 'ops were acknowledged but there is no database', out)
    stats.absentOrEmptyFiles++
    checkBackups(lineage, out, 0)
    return { migrated: false, version: 0 }
  }
  const bytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0)
  stats.largestLibraryBytes = Math.max(stats.largestLibraryBytes, bytes)
  const { db } = openCopy(file, true)
  let checked: Checked
  try {
    checked = checkDatabase(lineage, db, 'library', out)
  } finally {
    db.close()
  }
  if (checked.version < LATEST_SCHEMA_VERSION) {
    if (lineage.everReady || lastAck !== undefined) throw failure(lineage, `the library went back to user_version ${checked.version}`, out)
    if (checked.version > 0) stats.intermediateVersions++
    checkBackups(lineage, out, 0)
    return { migrated: false, version: checked.version }
  }
  const committed = checked.committed ?? 0
  if (checked.committed === undefined) {
    if (lineage.position > 0) throw failure(lineage, `the op number vanished (it was ${lineage.position})`, out)
    if (checked.state !== UNSEEDED_STATE && checked.state !== SEEDED_STATE) throw failure(lineage, 'with no op committed the library is neither empty nor the seeded library', out)
  }
  if (committed < lineage.position) throw failure(lineage, `op number went back from ${lineage.position} to ${committed}`, out)
  if (lastAck !== undefined && committed < lastAck) throw failure(lineage, `op ${lastAck} was acknowledged but the file has only committed up to ${committed}: an acknowledged commit is lost`, out)
  const ceiling = Math.max(lastAck ?? lineage.position, lineage.position) + 1
  if (committed > ceiling) throw failure(lineage, `the file holds op ${committed}, more than one past the last acknowledged (${ceiling - 1})`, out)
  if (lastAck !== undefined ? committed === lastAck + 1 : committed === lineage.position + 1) stats.committedNotAcknowledged++
  const backups = checkBackups(lineage, out, committed)
  await advanceReplica(lineage, committed, out, backups)
  const expected = canonicalState(lineage.replica)
  // Killed between the migrations and seeding, before any op: the empty library is whole too.
  const unseeded = checked.committed === undefined && checked.state === UNSEEDED_STATE && !lineage.everReady
  if (checked.state !== expected && !unseeded) {
    throw failure(lineage, `the library at op ${committed} differs from the replica that replayed ops 1..${committed}: a commit is partial or something else is there\n${firstDifference(checked.state, expected)}`, out)
  }
  stats.acknowledgedCommitsChecked += out.acks.length
  return { migrated: true, version: checked.version }
}

function firstDifference(actual: string, expected: string): string {
  let i = 0
  while (i < actual.length && actual[i] === expected[i]) i++
  return `file:    …${actual.slice(Math.max(0, i - 120), i + 200)}\nreplica: …${expected.slice(Math.max(0, i - 120), i + 200)}`
}

/** The end of a lineage: the real file itself (not a copy) opens, recovers and equals the replica. */
function finishLineage(lineage: Lineage): void {
  const db = openDatabase(join(lineage.dir, WORKER_DATABASE), { latestVersion: LATEST_SCHEMA_VERSION })
  try {
    const checked = checkDatabase(lineage, db, 'library (final, in place)')
    if (checked.version !== LATEST_SCHEMA_VERSION) throw failure(lineage, `final file at user_version ${checked.version}`)
    if ((checked.committed ?? 0) !== lineage.position) throw failure(lineage, `final file at op ${String(checked.committed)}, replica at ${lineage.position}`)
    if (checked.state !== canonicalState(lineage.replica)) throw failure(lineage, 'final file differs from the replica')
  } finally {
    db.close()
    lineage.replica.close()
  }
  rmSync(lineage.dir, { recursive: true, force: true })
}

describe('crash loop (R1)', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'stance-crash-'))
    mkdirSync(BUNDLE_DIR, { recursive: true })
    // One bundle per run: spawning plain node on it is several times faster than node --import tsx.
    await build({
      entryPoints: [join(import.meta.dirname, 'crash-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // The native addon loads from node_modules (the bundle sits below it); jsdom does not bundle.
      external: ['better-sqlite3', 'jsdom'],
      outfile: BUNDLE,
      logLevel: 'warning'
    })
    for (let version = 0; version <= LATEST_SCHEMA_VERSION; version++) {
      const db = memoryStore()
      migrate(db, MIGRATIONS.slice(0, version))
      REFERENCE_SCHEMAS[version] = schemaOf(db)
      if (version === LATEST_SCHEMA_VERSION) {
        UNSEEDED_STATE = canonicalState(db)
        prepareStore(db, RESOURCES)
        SEEDED_STATE = canonicalState(db)
      }
      db.close()
    }
  })

  afterAll(() => {
    rmSync(BUNDLE_DIR, { recursive: true, force: true })
    if (failed) console.warn(`crash loop: files kept in ${root}`)
    else if (root) rmSync(root, { recursive: true, force: true })
  })

  it(
    `survives ${KILLS} SIGKILLs with every acknowledged commit whole and nothing half applied`,
    async () => {
      const started = Date.now()
      let lineage = newLineage(0)
      let migrated = false
      // Past the requested kills, go on only until the last library has migrated and opened once.
      while (stats.kills < KILLS || !(lineage.everReady && migrated)) {
        if (lineage.lives >= lineage.target && lineage.everReady && migrated) {
          finishLineage(lineage)
          lineage = newLineage(lineage.index + 1)
          migrated = false
        }
        const plan: Plan = stats.kills < KILLS ? planLife(lineage, migrated) : { mode: 'timer', delay: 20, acks: 0, backupChance: 0 }
        const t0 = Date.now()
        const out = await runLife(lineage, plan)
        const t1 = Date.now()
        lineage.lives++
        const fatal = out.lines.find((line) => line.startsWith('fatal'))
        if (fatal) throw failure(lineage, `the worker failed: ${fatal}`, out)
        if (!out.killSent || out.signal !== 'SIGKILL') {
          throw failure(lineage, `the worker ended by itself (code ${String(out.code)}, signal ${String(out.signal)})`, out)
        }
        stats.kills++
        stats.killsByMode[plan.mode] = (stats.killsByMode[plan.mode] ?? 0) + 1
        const wasReady = lineage.everReady
        const migrating = out.lines.some((line) => line.startsWith('migrate-start') && Number(line.split(' ')[1]) < LATEST_SCHEMA_VERSION) && !out.lines.some((line) => line.startsWith('migrated'))
        const backingUp = out.lines.filter((line) => line.startsWith('backup-start')).length > out.lines.filter((line) => line.startsWith('backup-done')).length
        if (backingUp) stats.killsDuringBackup++
        if (out.lines.some((line) => line.startsWith('ready'))) lineage.everReady = true
        const result = await checkAfterKill(lineage, out)
        if (migrating) {
          stats.killsDuringMigration++
          stats.migrationKillsAtVersion[result.version] = (stats.migrationKillsAtVersion[result.version] ?? 0) + 1
        }
        if (wasReady && !result.migrated) throw failure(lineage, 'a migrated library is no longer migrated', out)
        migrated = result.migrated
        if (process.env.STANCE_CRASH_DEBUG) console.log(plan.mode, plan.delay, plan.acks, 'life', t1 - t0, 'check', Date.now() - t1, 'acks', out.acks.length, out.lines.slice(-1)[0])
        for (const name of readdirSync(root)) if (name.startsWith('scratch-')) rmSync(join(root, name), { recursive: true, force: true })
      }
      finishLineage(lineage)
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      console.info(`crash loop (seed ${SEED}): ${stats.kills} kills in ${seconds}s`, JSON.stringify(stats, null, 2))
      expect(stats.kills).toBeGreaterThanOrEqual(KILLS)
      expect(stats.acknowledgedCommitsChecked).toBeGreaterThan(0)
    },
    Math.max(300_000, KILLS * 1500)
  )
})
