/** Why a backup was taken. */
export type BackupReason = 'start' | 'migration' | 'periodic' | 'manual' | 'before-restore'

/** One backup of the library, as the backups list shows it. */
export interface BackupInfo {
  /** The file name, which is also its id. */
  id: string
  reason: BackupReason
  /** When it was taken, ISO 8601. */
  createdAt: string
  bytes: number
}

/** What Stance found wrong with the library file at start, in words for the analyst. */
export interface StartupProblem {
  kind: 'not-sqlite' | 'truncated' | 'corrupt' | 'newer' | 'foreign-wal' | 'stray-wal' | 'unopenable'
  /** One line: what happened. */
  title: string
  /** Plain sentences: what it means and what was done with the file. */
  detail: string
  /** Names under which the damaged files were kept (never overwritten or deleted). */
  keptAs: string[]
}

/** Whether the library opened, and if not, why and what the analyst can do. */
export type RecoveryState = { state: 'ok' } | { state: 'problem'; problem: StartupProblem; backups: BackupInfo[] }
