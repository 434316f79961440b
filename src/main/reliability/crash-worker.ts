/**
 * The child process of the crash loop (issue R1): it opens (or creates and migrates) the library in a data
 * folder and runs the deterministic operations of random-operations.ts through the real services until it
 * is killed, now and then taking a backup. Every line it prints is written synchronously, and "ack n" only
 * after operation n's transaction has committed, so whatever the parent has read is a promise about the file.
 *
 *   node crash-worker.mjs <dataDir> <resourcesDir> <seed> [backupChance] [large]
 *
 * Lines: "start", "swept", "migrate-start <from>", "migrated <to>", "ready <committed>", "ack <n> <kind> <outcome>",
 * "backup-start <async|now>", "backup-done <file>", "fatal <message>".
 */
import { mkdirSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { BackupStore } from '../db/backup-store'
import { openDatabase } from '../db/connection'
import { migrate } from '../db/migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../db/migrations'
import { createRepositories } from '../db/repositories/repositories'
import { seedLibrary } from '../services/seed-library'
import { OperationEngine, WORKER_BACKUP_KEEP, WORKER_BACKUPS, WORKER_DATABASE } from './random-operations'

function say(line: string): void {
  // Synchronous, so the line is in the pipe before the worker does anything else.
  writeSync(1, `${line}\n`)
}

async function main(): Promise<void> {
  const [dataDir, resourcesDir, seedText, backupChanceText, profile] = process.argv.slice(2)
  if (!dataDir || !resourcesDir || !seedText) throw new Error('usage: crash-worker <dataDir> <resourcesDir> <seed> [backupChance] [large]')
  const seed = Number(seedText)
  const backupChance = Number(backupChanceText ?? '0.04')
  say('start')
  mkdirSync(dataDir, { recursive: true })
  const backups = new BackupStore(join(dataDir, WORKER_BACKUPS))
  backups.sweep()
  say('swept')
  const db = openDatabase(join(dataDir, WORKER_DATABASE), { latestVersion: LATEST_SCHEMA_VERSION })
  say(`migrate-start ${String(db.pragma('user_version', { simple: true }))}`)
  const report = migrate(db, MIGRATIONS)
  say(`migrated ${report.to}`)
  seedLibrary(db, createRepositories(db), resourcesDir)
  const engine = new OperationEngine(db, seed, profile === 'large')
  let n = engine.committed()
  say(`ready ${n}`)

  let backup: Promise<void> | undefined
  // A safety stop in case the parent never kills this process.
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (!backup && Math.random() < backupChance) {
      if (Math.random() < 0.8) {
        // The online backup runs in steps between operations, which keep committing meanwhile.
        say('backup-start async')
        backup = backups.create(db, 'manual', WORKER_BACKUP_KEEP).then((info) => {
          say(`backup-done ${info.id}`)
          backup = undefined
        })
        backup.catch(fail)
      } else {
        say('backup-start now')
        const info = backups.createNow(db, 'manual', WORKER_BACKUP_KEEP)
        say(`backup-done ${info.id}`)
      }
    }
    n++
    const done = await engine.run(n)
    say(`ack ${done.op} ${done.kind} ${done.outcome}`)
    // Let a running backup take its next step.
    await new Promise((resolve) => setImmediate(resolve))
  }
  await backup
  db.close()
  say('deadline')
}

function fail(error: unknown): void {
  say(`fatal ${(error as Error).stack ?? String(error)}`.replace(/\n/g, ' | '))
  process.exit(1)
}

main().catch(fail)
