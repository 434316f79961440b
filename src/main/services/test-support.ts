import type { Db } from '../db/connection'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import { CodebookService } from './codebook-service'
import { CodingService } from './coding-service'
import { DEFAULT_STANCES } from './default-codebook'
import { History } from './history'

/**
 * Every row that coding and codebook operations may touch, in a stable order, for before/after comparisons
 * in tests; unless told otherwise it first checks that the full-text indexes agree with their tables.
 * A highlight's `version` is left out: it is a change counter that only ever rises (undo and redo raise it
 * too, so a window's stale view is still refused), not part of what undo puts back.
 */
export function dumpStore(db: Db, options: { checkIndexes?: boolean } = {}): Record<string, unknown[]> {
  if (options.checkIndexes !== false) {
    for (const fts of ['articles_fts', 'highlights_fts', 'notes_fts', 'codes_fts']) db.prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`).run()
  }
  return {
    codes: db.prepare('SELECT * FROM codes ORDER BY id').all(),
    highlights: (db.prepare('SELECT * FROM highlights ORDER BY id').all() as { version?: number }[]).map(({ version: _version, ...row }) => row),
    highlight_codes: db.prepare('SELECT * FROM highlight_codes ORDER BY highlight_id, code_id').all(),
    notes: db.prepare('SELECT * FROM notes ORDER BY id').all()
  }
}

/** A test library: the default codebook, two articles and the services over one history. */
export interface TestLibrary {
  store: TestDatabase
  history: History
  coding: CodingService
  codebook: CodebookService
  /** The default codes in order: US, Russian, Ukrainian, EU stance. */
  codes: [Code, Code, Code, Code]
  article: Article
  other: Article
}

/** Opens a fresh database with the default codebook and two articles. */
export function openTestLibrary(): TestLibrary {
  const store = openTestDatabase()
  // One transaction, so the hundreds of libraries the randomized test opens are cheap.
  const { codes, article, other } = store.db.transaction(() => {
    const codes = DEFAULT_STANCES.map((code) => store.repos.codes.insert(code)) as [Code, Code, Code, Code]
    const paragraph = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })
    const article = store.repos.articles.insert(
      { title: 'Talks in Riyadh', outlet: 'Wire', author: null, publishedAt: '2025-02-17', sourceUrl: null },
      {
        type: 'doc',
        content: [
          paragraph('Zelenskyy 🇺🇦 said “Nothing about Ukraine without Ukraine,” and Лавров disagreed.'),
          paragraph('Brussels asked for a seat at the table; Washington said Europe would be consulted later.')
        ]
      }
    )
    const other = store.repos.articles.insert(
      { title: 'Munich', outlet: null, author: null, publishedAt: '2025-02-14', sourceUrl: null },
      { type: 'doc', content: [paragraph('The vice-president spoke in Munich about free speech and European security.')] }
    )
    return { codes, article, other }
  })()
  const history = new History()
  return {
    store,
    history,
    coding: new CodingService(store.db, store.repos, history),
    codebook: new CodebookService(store.db, store.repos, history),
    codes,
    article,
    other
  }
}

/** A note body for tests. */
export function noteContent(plain: string): { doc: unknown; html: string; plain: string } {
  return { doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: plain }] }] }, html: `<p>${plain}</p>`, plain }
}
