import type { ArticleDoc } from './article-doc'
import type { ArticleId } from './ids'

/** Bibliographic fields of an article, all editable by the analyst. */
export interface ArticleMeta {
  title: string
  outlet: string | null
  author: string | null
  /** Publication date as YYYY-MM-DD, when known. */
  publishedAt: string | null
  sourceUrl: string | null
}

/** An article as listed in the library. */
export interface ArticleSummary extends ArticleMeta {
  id: ArticleId
  createdAt: string
  updatedAt: string
  /** Length of the canonical text in Unicode code points. */
  length: number
  /** Number of words in the canonical text. */
  wordCount: number
  /** Live (not detached) highlights per code id, for the library's bar. */
  codeCounts: Record<string, number>
  /** When the article was moved to the trash; null while it is in the library. */
  deletedAt: string | null
}

/** A whole article: its display document and the canonical text derived from it. */
export interface Article extends ArticleSummary {
  doc: ArticleDoc
  text: string
}
