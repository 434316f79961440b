import type { Db } from '../connection'

/** Stores small JSON settings by key (analyst name, theme, reader preferences). */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** A setting's value, or the fallback when unset. */
  get<T>(key: string, fallback: T): T {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)
    return row ? (JSON.parse(row.value) as T) : fallback
  }

  /** Sets a setting. */
  set(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value))
  }
}
