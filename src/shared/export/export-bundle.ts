import type { StanceMatrix } from '../domain/analysis'
import type { Article } from '../domain/article'
import type { Code } from '../domain/code'
import type { Highlight } from '../domain/highlight'
import type { Note } from '../domain/note'

/** One article as an export sees it: its live highlights in reading order, their notes and the article memo. */
export interface ExportArticle {
  article: Article
  /** Highlights to export, sorted by start offset (orphaned ones excluded by the collector). */
  highlights: Highlight[]
  /** Notes on those highlights, by highlight id. */
  notes: Record<string, Note>
  /** The article memo, if any. */
  memo: Note | null
  /** Its stance × issue matrix, when the export asked for one per article. */
  matrix?: StanceMatrix
}

/** Everything a formatter needs, gathered once from the database so formatters stay pure. */
export interface ExportBundle {
  articles: ExportArticle[]
  /** The whole codebook in tree order (parents before children); formatters pick the codes they need. */
  codes: Code[]
  /** Analyst name from settings; may be empty. */
  analyst: string
  /** Export time as an ISO 8601 string. */
  exportedAt: string
  app: { name: string; version: string }
  /** The stance × issue matrix of all the articles together, when the export asked for it. */
  matrix?: StanceMatrix
}
