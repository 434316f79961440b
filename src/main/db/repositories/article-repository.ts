import { randomUUID } from 'node:crypto'
import type { Article, ArticleMeta, ArticleSummary } from '../../../shared/domain/article'
import { articleDocSchema, type ArticleDoc } from '../../../shared/domain/article-doc'
import { canonicalText } from '../../../shared/domain/canonical-text'
import type { ArticleId } from '../../../shared/domain/ids'
import { codePointLength } from '../../../shared/anchoring/code-points'
import { AppError } from '../../../shared/result'
import type { Db } from '../connection'
import { nowIso } from './clock'

interface ArticleRow {
  id: string
  title: string
  outlet: string | null
  author: string | null
  published_at: string | null
  source_url: string | null
  doc_json: string
  text: string
  length: number
  word_count: number
  created_at: string
  updated_at: string
}

type SummaryRow = Omit<ArticleRow, 'doc_json' | 'text'>

const SUMMARY_COLUMNS = 'id, title, outlet, author, published_at, source_url, length, word_count, created_at, updated_at'

function toSummary(row: SummaryRow): ArticleSummary {
  return {
    id: row.id as ArticleId,
    title: row.title,
    outlet: row.outlet,
    author: row.author,
    publishedAt: row.published_at,
    sourceUrl: row.source_url,
    length: row.length,
    wordCount: row.word_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0
}

/** Stores articles with their display document and the canonical text derived from it. */
export class ArticleRepository {
  private readonly listStatement
  private readonly getStatement

  constructor(private readonly db: Db) {
    this.listStatement = db.prepare<[], SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM articles WHERE deleted_at IS NULL
       ORDER BY published_at IS NULL, published_at DESC, created_at DESC`
    )
    this.getStatement = db.prepare<[string], ArticleRow>(`SELECT * FROM articles WHERE id = ? AND deleted_at IS NULL`)
  }

  /** Adds an article; the document is validated and its canonical text computed here, never taken from callers. */
  insert(meta: ArticleMeta, doc: ArticleDoc): Article {
    const parsed = articleDocSchema.safeParse(doc)
    if (!parsed.success) throw new AppError('invalid-input', `The article document does not fit the reading schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    if (!meta.title.trim()) throw new AppError('invalid-input', 'An article needs a title.')
    const text = canonicalText(parsed.data)
    const now = nowIso()
    const id = randomUUID()
    this.db
      .prepare(
        `INSERT INTO articles (id, title, outlet, author, published_at, source_url, doc_json, text, length, word_count, created_at, updated_at)
         VALUES (@id, @title, @outlet, @author, @publishedAt, @sourceUrl, @doc, @text, @length, @wordCount, @now, @now)`
      )
      .run({
        id,
        title: meta.title.trim(),
        outlet: meta.outlet,
        author: meta.author,
        publishedAt: meta.publishedAt,
        sourceUrl: meta.sourceUrl,
        doc: JSON.stringify(parsed.data),
        text,
        length: codePointLength(text),
        wordCount: countWords(text),
        now
      })
    return this.require(id as ArticleId)
  }

  /** Articles not in the trash, newest publication first. */
  list(): ArticleSummary[] {
    return this.listStatement.all().map(toSummary)
  }

  /** One article, or undefined when there is none (or it is in the trash). */
  find(id: ArticleId): Article | undefined {
    const row = this.getStatement.get(id)
    if (!row) return undefined
    // Documents are validated when written; re-validating a long article on every read cost tens of milliseconds.
    return { ...toSummary(row), doc: JSON.parse(row.doc_json) as ArticleDoc, text: row.text }
  }

  /** One article, or a not-found error naming the id. */
  require(id: ArticleId): Article {
    const article = this.find(id)
    if (!article) throw new AppError('not-found', `There is no article with id ${id}.`)
    return article
  }

  /** The canonical text of an article not in the trash, without parsing its document; not-found otherwise. */
  textOf(id: ArticleId): string {
    const row = this.db.prepare<[string], { text: string }>('SELECT text FROM articles WHERE id = ? AND deleted_at IS NULL').get(id)
    if (!row) throw new AppError('not-found', `There is no article with id ${id}.`)
    return row.text
  }

  /** Number of articles, trash included. */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n
  }
}
