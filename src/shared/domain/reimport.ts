import type { HighlightId } from './ids'

/** What happens to one highlight when an article's text is replaced by a newer version. */
export interface ReimportItem {
  highlightId: HighlightId
  /** The quote before. */
  before: string
  /** The text it attaches to in the new version (null when orphaned). */
  after: string | null
  status: 'unchanged' | 'moved' | 'changed' | 'orphaned'
  start: number | null
  end: number | null
}

/** The review shown before a re-import is accepted (or the record of one that was applied). */
export interface ReimportReview {
  applied: boolean
  /** Words in the old and the new text. */
  wordsBefore: number
  wordsAfter: number
  items: ReimportItem[]
}

/** Per-file outcome of a batch import. */
export interface ImportOutcome {
  fileName: string
  ok: boolean
  /** The new article's id and title when it came in. */
  articleId: string | null
  title: string | null
  /** Why it did not, in words. */
  error: string | null
}
