import type { ArticleId, CodeId, HighlightId } from './ids'

/** A coded passage, anchored by a text-position and a text-quote selector over the canonical text. */
export interface Highlight {
  id: HighlightId
  articleId: ArticleId
  /** Start offset in Unicode code points, inclusive. */
  start: number
  /** End offset in Unicode code points, exclusive. */
  end: number
  /** The quoted text at the time it was anchored. */
  exact: string
  /** Up to 32 code points of text before the quote. */
  prefix: string
  /** Up to 32 code points of text after the quote. */
  suffix: string
  /** True when the quote could not be found in the current text. */
  orphaned: boolean
  codeIds: CodeId[]
  createdAt: string
  updatedAt: string
  /**
   * The stored row's change counter: every write to the highlight (undo and redo included) raises it, and it
   * never goes back. A window sends the version it last saw as `baseVersion`, so a change based on an older
   * state is refused as a conflict. Always set on highlights read from the store; optional only so plain
   * fixtures (exporter tests) need not invent one.
   */
  version?: number
}
