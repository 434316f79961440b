import type { ArticleId, HighlightId, NoteId } from './ids'
import type { NoteDoc } from './note-doc'

/** What a note is attached to: one highlight, or an article (its memo). */
export type NoteTarget = { highlightId: HighlightId } | { articleId: ArticleId }

/** A rich-text note: ProseMirror JSON for editing, sanitized HTML for export, plain text for search. */
export interface Note {
  id: NoteId
  target: NoteTarget
  doc: NoteDoc
  html: string
  plain: string
  /** Incremented on every save; a save based on an older version is a conflict. */
  version: number
  createdAt: string
  updatedAt: string
}

/** A note as the annotations panel lists it: where it is, a one-line preview, and its version. */
export interface NoteSummary {
  target: NoteTarget
  /** The start of its plain text, at most 160 characters. */
  preview: string
  version: number
  updatedAt: string
  /** Highlights this note quotes (memos' live quotes). */
  quotedHighlightIds: HighlightId[]
}
