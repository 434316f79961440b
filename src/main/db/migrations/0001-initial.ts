import type { Migration } from '../migration'

// Frozen with this migration: later schema changes add their own SQL rather than editing this.
const FTS_TABLES: [table: string, columns: string[]][] = [
  ['articles', ['title', 'text']],
  ['highlights', ['exact']],
  ['notes', ['plain']],
  ['codes', ['name', 'description']]
]

/** An FTS5 table over `table` (external content, rowid = seq) and the triggers that keep it in step. */
function externalContentFts(table: string, columns: string[]): string {
  const fts = `${table}_fts`
  const list = columns.join(', ')
  const values = (row: 'new' | 'old'): string => columns.map((c) => `${row}.${c}`).join(', ')
  const remove = `INSERT INTO ${fts} (${fts}, rowid, ${list}) VALUES ('delete', old.seq, ${values('old')});`
  const add = `INSERT INTO ${fts} (rowid, ${list}) VALUES (new.seq, ${values('new')});`
  return `
    CREATE VIRTUAL TABLE ${fts} USING fts5 (${list}, content = '${table}', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER ${fts}_ai AFTER INSERT ON ${table} BEGIN ${add} END;
    CREATE TRIGGER ${fts}_ad AFTER DELETE ON ${table} BEGIN ${remove} END;
    CREATE TRIGGER ${fts}_au AFTER UPDATE OF ${list} ON ${table} BEGIN ${remove} ${add} END;
  `
}

/** Articles, codebook, highlights with W3C-style selectors, notes, settings and the full-text index. */
export const initial: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE articles (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
        outlet       TEXT,
        author       TEXT,
        published_at TEXT CHECK (published_at IS NULL OR published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        source_url   TEXT,
        doc_json     TEXT NOT NULL CHECK (json_valid(doc_json)),
        text         TEXT NOT NULL,
        length       INTEGER NOT NULL CHECK (length >= 0),
        word_count   INTEGER NOT NULL CHECK (word_count >= 0),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted_at   TEXT
      );
      CREATE INDEX articles_by_date ON articles (deleted_at, published_at DESC, created_at DESC);

      CREATE TABLE codes (
        seq         INTEGER PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
        color       TEXT NOT NULL CHECK (length(color) = 7 AND color GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
        description TEXT NOT NULL DEFAULT '',
        parent_id   TEXT REFERENCES codes (id) ON DELETE RESTRICT,
        sort_order  INTEGER NOT NULL DEFAULT 0,
        shortcut    TEXT CHECK (shortcut IS NULL OR (length(shortcut) = 1 AND shortcut GLOB '[1-9]')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE UNIQUE INDEX codes_sibling_name ON codes (ifnull(parent_id, ''), lower(name));
      CREATE UNIQUE INDEX codes_shortcut ON codes (shortcut) WHERE shortcut IS NOT NULL;
      CREATE INDEX codes_by_parent ON codes (parent_id, sort_order);

      CREATE TABLE highlights (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start      INTEGER NOT NULL CHECK (start >= 0),
        end        INTEGER NOT NULL CHECK (end > start),
        exact      TEXT NOT NULL CHECK (length(exact) > 0),
        prefix     TEXT NOT NULL DEFAULT '',
        suffix     TEXT NOT NULL DEFAULT '',
        orphaned   INTEGER NOT NULL DEFAULT 0 CHECK (orphaned IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX highlights_by_article ON highlights (article_id, start, end);

      CREATE TABLE highlight_codes (
        highlight_id TEXT NOT NULL REFERENCES highlights (id) ON DELETE CASCADE,
        code_id      TEXT NOT NULL REFERENCES codes (id) ON DELETE RESTRICT,
        PRIMARY KEY (highlight_id, code_id)
      ) WITHOUT ROWID;
      CREATE INDEX highlight_codes_by_code ON highlight_codes (code_id);

      CREATE TABLE notes (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        highlight_id TEXT UNIQUE REFERENCES highlights (id) ON DELETE CASCADE,
        article_id   TEXT UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
        doc_json     TEXT NOT NULL CHECK (json_valid(doc_json)),
        html         TEXT NOT NULL,
        plain        TEXT NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        CHECK ((highlight_id IS NULL) <> (article_id IS NULL))
      );

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) WITHOUT ROWID;

    `)
    // Full-text index: external-content tables kept in step by triggers, keyed by each table's seq.
    for (const [table, columns] of FTS_TABLES) db.exec(externalContentFts(table, columns))
  }
}
