import type { ArticleId, CodeId, HighlightId } from './ids'

/** What the matrix's columns are: the issue codes, or the articles. */
export type MatrixColumns = 'issues' | 'articles'

/** Which passages an analysis looks at: some articles, or (omitted) every article in the library. */
export interface AnalysisScope {
  articleIds?: ArticleId[]
}

/** One row or column of the matrix: a code (with its depth below its group) or an article. */
export interface MatrixAxisItem {
  /** A code id, or an article id when the columns are articles. */
  id: string
  label: string
  /** #rrggbb: the code's colour; for articles, a neutral grey. */
  color: string
  /** Depth below the group (0 for the group's own codes); 0 for articles. */
  depth: number
  /** For article columns: the publication date (YYYY-MM-DD), when known. */
  publishedAt?: string | null
}

/**
 * The actor × issue (or actor × article) matrix: `counts[r][c]` is the number of distinct passages
 * carrying row code r (or one of its sub-codes) and column code c (or a sub-code) — or, for article
 * columns, lying in article c.
 */
export interface StanceMatrix {
  columns: MatrixColumns
  rows: MatrixAxisItem[]
  columnItems: MatrixAxisItem[]
  counts: number[][]
  rowTotals: number[]
  columnTotals: number[]
  /** The largest cell, for colour intensity (0 when the matrix is empty). */
  max: number
  /** Articles in scope, and passages in scope carrying at least one stance code. */
  articleCount: number
  passageCount: number
}

/** A coded passage as the analysis views list it, with where it comes from. */
export interface PassageRef {
  highlightId: HighlightId
  articleId: ArticleId
  articleTitle: string
  outlet: string | null
  publishedAt: string | null
  start: number
  end: number
  exact: string
  codeIds: CodeId[]
  /** The passage's note as plain text, or null when it has none. */
  note: string | null
  orphaned: boolean
}

/** One article on a timeline: its date and the chosen code's passages in it. */
export interface TimelineEntry {
  articleId: ArticleId
  title: string
  outlet: string | null
  publishedAt: string | null
  passages: PassageRef[]
}

/**
 * A shift: between two dated articles, the stance codes an actor was coded with on one issue changed.
 * The actor is a top-level code of a stances group; its stance is the most specific code under it that
 * the passages carry (a sub-code such as "Russian stance ▸ Rejects", or the actor code itself).
 */
export interface StanceShift {
  actorCodeId: CodeId
  issueCodeId: CodeId
  from: { articleId: ArticleId; publishedAt: string; codeIds: CodeId[] }
  to: { articleId: ArticleId; publishedAt: string; codeIds: CodeId[] }
}

/** The timeline of one code across the library (or a scope), oldest article first, undated ones last. */
export interface Timeline {
  codeId: CodeId
  entries: TimelineEntry[]
  shifts: StanceShift[]
}

/** A sentence-level highlight the autocoder proposes; nothing is coded until the analyst accepts it. */
export interface Suggestion {
  /** Stable within an article: `${start}-${end}-${codeId}`. */
  key: string
  articleId: ArticleId
  start: number
  end: number
  exact: string
  /** The proposed stance code. */
  codeId: CodeId
  /** Issue codes whose dictionary terms the sentence mentions, proposed alongside. */
  issueCodeIds: CodeId[]
  /** The dictionary term that matched the actor, as written in the text. */
  actor: string
  /** The attribution cue that made the actor the speaker or subject ("said", "according to", a quotation), or null. */
  cue: string | null
  /** Between 0 and 1; higher is surer. */
  score: number
}
