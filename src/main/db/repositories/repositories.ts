import type { Db } from '../connection'
import { ArticleRepository } from './article-repository'
import { CodeRepository } from './code-repository'
import { HighlightRepository } from './highlight-repository'
import { NoteRepository } from './note-repository'
import { SettingsRepository } from './settings-repository'

/** Every repository over one connection. */
export interface Repositories {
  articles: ArticleRepository
  codes: CodeRepository
  highlights: HighlightRepository
  notes: NoteRepository
  settings: SettingsRepository
}

/** Builds the repositories for a migrated connection. */
export function createRepositories(db: Db): Repositories {
  const notes = new NoteRepository(db)
  return {
    articles: new ArticleRepository(db),
    codes: new CodeRepository(db),
    highlights: new HighlightRepository(db, notes),
    notes,
    settings: new SettingsRepository(db)
  }
}
