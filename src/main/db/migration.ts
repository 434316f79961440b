import type { Db } from './connection'

/** One schema step; never edited once released. */
export interface Migration {
  version: number
  name: string
  up(db: Db): void
}
