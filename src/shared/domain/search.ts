import type { ArticleId, HighlightId } from './ids'

/** Marks the start and end of a matched term inside a snippet (never HTML, so snippets need no escaping). */
export const MATCH_START = '\u0002'
/** See MATCH_START. */
export const MATCH_END = '\u0003'

/** Where a search hit was found. */
export type SearchHitKind = 'text' | 'title' | 'highlight' | 'note' | 'memo' | 'code'

/** One hit: a snippet with MATCH_START/MATCH_END around matched terms, and where to open it. */
export interface SearchHit {
  kind: SearchHitKind
  snippet: string
  /** Code-point offset in the article's text to scroll to, when the hit has a place in the text. */
  offset: number | null
  highlightId: HighlightId | null
}

/** The hits of one article. */
export interface SearchGroup {
  article: { id: ArticleId; title: string; outlet: string | null; publishedAt: string | null }
  hits: SearchHit[]
}

/** What a search returns, best-ranked articles first. */
export interface SearchResult {
  query: string
  groups: SearchGroup[]
  /** Number of hits over all groups. */
  total: number
}
