import type { BackupInfo } from '../../../shared/domain/backup'

const REASONS: Record<BackupInfo['reason'], string> = {
  start: 'at start',
  migration: 'before an upgrade',
  periodic: 'while working',
  manual: 'by hand',
  'before-restore': 'before a restore'
}

/** "26 Nov 2026, 23:41 · while working · 412 KB" for a backup row. */
export function backupLabel(backup: BackupInfo): string {
  const when = new Date(backup.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  const size = backup.bytes >= 1024 * 1024 ? `${(backup.bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(backup.bytes / 1024))} KB`
  return `${when} · ${REASONS[backup.reason]} · ${size}`
}
