import type { ArticleId, HighlightId, NoteId } from './ids'

/** What a note is attached to: one highlight, or an article (its memo). */
export type NoteTarget = { highlightId: HighlightId } | { articleId: ArticleId }

/** A rich-text note: ProseMirror JSON for editing, sanitized HTML for export, plain text for search. */
export interface Note {
  id: NoteId
  target: NoteTarget
  doc: unknown
  html: string
  plain: string
  /** Incremented on every save; a save based on an older version is a conflict. */
  version: number
  createdAt: string
  updatedAt: string
}
