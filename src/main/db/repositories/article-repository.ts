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
  deleted_at: string | null
}

type SummaryRow = Omit<ArticleRow, 'doc_json' | 'text'>

const SUMMARY_COLUMNS = 'id, title, outlet, author, published_at, source_url, length, word_count, created_at, updated_at, deleted_at'

/** Metadata fields an edit may change; omitted ones stay as they are. */
export type ArticleMetaPatch = Partial<ArticleMeta>

function toSummary(row: SummaryRow, codeCounts: Record<string, number>): ArticleSummary {
  return {
    id: row.id as ArticleId,
    title: row.title,
    outlet: row.outlet,
    author: row.author,
    publishedAt: row.published_at,
    sourceUrl: row.source_url,
    length: row.length,
    wordCount: row.word_count,
    codeCounts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at
  }
}

/** Words in a text: runs of letters and digits, with inner apostrophes and hyphens. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0
}

function validDoc(doc: ArticleDoc): ArticleDoc {
  const parsed = articleDocSchema.safeParse(doc)
  if (!parsed.success) throw new AppError('invalid-input', `The article document does not fit the reading schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

function optionalText(value: string | null, field: string, max: number): string | null {
  const trimmed = value?.trim() ?? ''
  if ([...trimmed].length > max) throw new AppError('invalid-input', `The ${field} may have at most ${max} characters.`)
  return trimmed.length > 0 ? trimmed : null
}

function validDate(value: string | null): string | null {
  if (value === null) return null
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new AppError('invalid-input', `“${value}” is not a date of the form YYYY-MM-DD.`)
  }
  return value
}

function validUrl(value: string | null): string | null {
  if (value === null || value.trim() === '') return null
  try {
    const url = new URL(value.trim())
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname && value.length <= 4096) return value.trim()
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid-input', 'The source address must be an http(s) address.')
}

/** Stores articles with their display document and the canonical text derived from it. */
export class ArticleRepository {
  private readonly listStatement
  private readonly trashStatement
  private readonly getStatement
  private readonly countsStatement
  private readonly countsOfStatement

  constructor(private readonly db: Db) {
    this.listStatement = db.prepare<[], SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM articles WHERE deleted_at IS NULL
       ORDER BY published_at IS NULL, published_at DESC, created_at DESC`
    )
    this.trashStatement = db.prepare<[], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM articles WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, seq DESC`)
    this.getStatement = db.prepare<[string], ArticleRow>(`SELECT * FROM articles WHERE id = ?`)
    // One grouped pass over the live highlights of every listed article, not one query per article.
    this.countsStatement = db.prepare<[number], { article_id: string; code_id: string; n: number }>(
      `SELECT h.article_id, hc.code_id, count(*) AS n
       FROM articles a JOIN highlights h ON h.article_id = a.id JOIN highlight_codes hc ON hc.highlight_id = h.id
       WHERE (a.deleted_at IS NOT NULL) = ? AND h.orphaned = 0
       GROUP BY h.article_id, hc.code_id`
    )
    this.countsOfStatement = db.prepare<[string], { code_id: string; n: number }>(
      `SELECT hc.code_id, count(*) AS n FROM highlights h JOIN highlight_codes hc ON hc.highlight_id = h.id
       WHERE h.article_id = ? AND h.orphaned = 0 GROUP BY hc.code_id`
    )
  }

  /** Adds an article; the document is validated and its canonical text computed here, never taken from callers. */
  insert(meta: ArticleMeta, doc: ArticleDoc): Article {
    const valid = validDoc(doc)
    if (!meta.title.trim()) throw new AppError('invalid-input', 'An article needs a title.')
    const text = canonicalText(valid)
    const now = nowIso()
    const row: SummaryRow = {
      id: randomUUID(),
      title: meta.title.trim(),
      outlet: meta.outlet,
      author: meta.author,
      published_at: meta.publishedAt,
      source_url: meta.sourceUrl,
      length: codePointLength(text),
      word_count: countWords(text),
      created_at: now,
      updated_at: now,
      deleted_at: null
    }
    this.db
      .prepare(
        `INSERT INTO articles (id, title, outlet, author, published_at, source_url, doc_json, text, length, word_count, created_at, updated_at)
         VALUES (@id, @title, @outlet, @author, @published_at, @source_url, @doc, @text, @length, @word_count, @created_at, @updated_at)`
      )
      .run({ ...row, doc: JSON.stringify(valid), text })
    // Built from what was written rather than read back, so a long document is not parsed again.
    return { ...toSummary(row, {}), doc: valid, text }
  }

  /**
   * The library (articles not in the trash, newest publication first, undated last) or, with `trash`,
   * the trash (most recently deleted first); each with its live highlights counted per code.
   */
  list(options: { trash?: boolean } = {}): ArticleSummary[] {
    const trash = options.trash === true
    const counts = new Map<string, Record<string, number>>()
    for (const row of this.countsStatement.all(trash ? 1 : 0)) {
      let perCode = counts.get(row.article_id)
      if (!perCode) counts.set(row.article_id, (perCode = {}))
      perCode[row.code_id] = row.n
    }
    return (trash ? this.trashStatement : this.listStatement).all().map((row) => toSummary(row, counts.get(row.id) ?? {}))
  }

  /** One article, in the library or in the trash (so the trash can show what it holds), or undefined. */
  find(id: ArticleId): Article | undefined {
    const row = this.getStatement.get(id)
    if (!row) return undefined
    // Documents are validated when written; re-validating a long article on every read cost tens of milliseconds.
    return { ...toSummary(row, this.codeCounts(id)), doc: JSON.parse(row.doc_json) as ArticleDoc, text: row.text }
  }

  /** One article, or a not-found error naming the id. */
  require(id: ArticleId): Article {
    const article = this.find(id)
    if (!article) throw new AppError('not-found', `There is no article with id ${id}.`)
    return article
  }

  /** The canonical text of an article (in the library or the trash) without parsing its document; not-found otherwise. */
  textOf(id: ArticleId): string {
    const row = this.db.prepare<[string], { text: string }>('SELECT text FROM articles WHERE id = ?').get(id)
    if (!row) throw new AppError('not-found', `There is no article with id ${id}.`)
    return row.text
  }

  /** Live (not orphaned) highlights of one article per code id. */
  codeCounts(id: ArticleId): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const row of this.countsOfStatement.all(id)) counts[row.code_id] = row.n
    return counts
  }

  /** Edits title, outlet, author, date (YYYY-MM-DD) or source address; empty optional fields become null. */
  update(id: ArticleId, patch: ArticleMetaPatch): Article {
    const row = this.db.prepare<[string], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM articles WHERE id = ?`).get(id)
    if (!row) throw new AppError('not-found', `There is no article with id ${id}.`)
    const current = toSummary(row, {})
    const next: ArticleMeta = {
      title: patch.title === undefined ? current.title : (optionalText(patch.title, 'title', 1000) ?? ''),
      outlet: patch.outlet === undefined ? current.outlet : optionalText(patch.outlet, 'outlet', 500),
      author: patch.author === undefined ? current.author : optionalText(patch.author, 'author', 500),
      publishedAt: patch.publishedAt === undefined ? current.publishedAt : validDate(patch.publishedAt),
      sourceUrl: patch.sourceUrl === undefined ? current.sourceUrl : validUrl(patch.sourceUrl)
    }
    if (!next.title) throw new AppError('invalid-input', 'An article needs a title.')
    const unchanged =
      next.title === current.title &&
      next.outlet === current.outlet &&
      next.author === current.author &&
      next.publishedAt === current.publishedAt &&
      next.sourceUrl === current.sourceUrl
    if (unchanged) return this.require(id)
    this.db
      .prepare(
        `UPDATE articles SET title = @title, outlet = @outlet, author = @author, published_at = @publishedAt, source_url = @sourceUrl, updated_at = @now
         WHERE id = @id`
      )
      .run({ ...next, id, now: nowIso() })
    return this.require(id)
  }

  /**
   * Replaces an article's document (a re-import): the canonical text, length and word count follow it, and the
   * full-text index follows the text (trigger). Highlights are the caller's business.
   */
  replaceDocument(id: ArticleId, doc: ArticleDoc): { text: string; length: number; wordCount: number } {
    const valid = validDoc(doc)
    const text = canonicalText(valid)
    const length = codePointLength(text)
    const wordCount = countWords(text)
    const changes = this.db
      .prepare('UPDATE articles SET doc_json = ?, text = ?, length = ?, word_count = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(valid), text, length, wordCount, nowIso(), id).changes
    if (changes === 0) throw new AppError('not-found', `There is no article with id ${id}.`)
    return { text, length, wordCount }
  }

  /** Moves an article to the trash with its highlights and notes untouched; an article already there stays as it is. */
  softDelete(id: ArticleId): void {
    this.isTrashed(id)
    this.db.prepare('UPDATE articles SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(nowIso(), id)
  }

  /** Brings an article back from the trash, intact; an article not in the trash stays as it is. */
  restore(id: ArticleId): Article {
    this.isTrashed(id)
    this.db.prepare('UPDATE articles SET deleted_at = NULL WHERE id = ?').run(id)
    return this.require(id)
  }

  /** Deletes a trashed article for good, with its highlights, their codes and notes, and its memo (cascades). */
  purge(id: ArticleId): void {
    if (!this.isTrashed(id)) throw new AppError('conflict', 'Move the article to the trash first.')
    this.db.prepare('DELETE FROM articles WHERE id = ? AND deleted_at IS NOT NULL').run(id)
  }

  /** Whether an article is in the trash; not-found when there is none. */
  isTrashed(id: ArticleId): boolean {
    const row = this.db.prepare<[string], { deleted_at: string | null }>('SELECT deleted_at FROM articles WHERE id = ?').get(id)
    if (!row) throw new AppError('not-found', `There is no article with id ${id}.`)
    return row.deleted_at !== null
  }

  /** Number of articles, trash included. */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n
  }
}
