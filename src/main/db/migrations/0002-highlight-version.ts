import type { Migration } from '../migration'

/**
 * A change counter on highlights, the token a window sends back (`baseVersion`) so that a recode, move or
 * delete based on what it saw earlier is refused when another window changed the passage since.
 * `updated_at` cannot serve: it has millisecond resolution (two writes in one millisecond share it),
 * undo puts it back to an earlier value, and imported passages take theirs from the file. The counter
 * only ever rises — every write to a highlight, undo and redo included, adds one — so a version seen
 * once never stands for a different state later. Existing rows start at 1.
 */
export const highlightVersion: Migration = {
  version: 2,
  name: '0002-highlight-version',
  up(db) {
    db.exec('ALTER TABLE highlights ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)')
  }
}
