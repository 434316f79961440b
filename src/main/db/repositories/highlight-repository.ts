import { randomUUID } from 'node:crypto'
import { codePointLength } from '../../../shared/anchoring/code-points'
import { textQuoteAt } from '../../../shared/anchoring/text-quote'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import { AppError } from '../../../shared/result'
import type { Db } from '../connection'
import { nowIso } from './clock'

interface HighlightRow {
  id: string
  article_id: string
  start: number
  end: number
  exact: string
  prefix: string
  suffix: string
  orphaned: number
  created_at: string
  updated_at: string
  code_ids: string | null
}

/** A new highlight: a code-point range of an article's canonical text and its codes. */
export interface NewHighlight {
  articleId: ArticleId
  start: number
  end: number
  codeIds: CodeId[]
}

const SELECT = `SELECT h.*, (SELECT json_group_array(code_id) FROM (SELECT hc.code_id FROM highlight_codes hc
  JOIN codes c ON c.id = hc.code_id WHERE hc.highlight_id = h.id ORDER BY c.sort_order, c.seq)) AS code_ids
  FROM highlights h`

function toHighlight(row: HighlightRow): Highlight {
  return {
    id: row.id as HighlightId,
    articleId: row.article_id as ArticleId,
    start: row.start,
    end: row.end,
    exact: row.exact,
    prefix: row.prefix,
    suffix: row.suffix,
    orphaned: row.orphaned === 1,
    codeIds: (JSON.parse(row.code_ids ?? '[]') as string[]).map((id) => id as CodeId),
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

/** Stores highlights with their selectors and codes. */
export class HighlightRepository {
  constructor(private readonly db: Db) {}

  /** An article's highlights in reading order. */
  listByArticle(articleId: ArticleId): Highlight[] {
    return this.db.prepare<[string], HighlightRow>(`${SELECT} WHERE h.article_id = ? ORDER BY h.start, h.end, h.seq`).all(articleId).map(toHighlight)
  }

  /** One highlight, or undefined. */
  find(id: HighlightId): Highlight | undefined {
    const row = this.db.prepare<[string], HighlightRow>(`${SELECT} WHERE h.id = ?`).get(id)
    return row ? toHighlight(row) : undefined
  }

  /** Adds a highlight; its quote and context are cut from the stored canonical text, never taken from callers. */
  insert(input: NewHighlight): Highlight {
    const article = this.db.prepare<[string], { text: string }>('SELECT text FROM articles WHERE id = ?').get(input.articleId)
    if (!article) throw new AppError('not-found', `There is no article with id ${input.articleId}.`)
    const length = codePointLength(article.text)
    if (!Number.isInteger(input.start) || !Number.isInteger(input.end) || input.start < 0 || input.end > length || input.start >= input.end) {
      throw new AppError('invalid-input', `The range ${input.start}–${input.end} is not inside the article's text (0–${length}).`)
    }
    const codeIds = [...new Set(input.codeIds)]
    for (const codeId of codeIds) {
      if (!this.db.prepare('SELECT 1 FROM codes WHERE id = ?').get(codeId)) throw new AppError('not-found', `There is no code with id ${codeId}.`)
    }
    const quote = textQuoteAt(article.text, input.start, input.end)
    const id = randomUUID()
    const now = nowIso()
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO highlights (id, article_id, start, end, exact, prefix, suffix, orphaned, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`
        )
        .run(id, input.articleId, input.start, input.end, quote.exact, quote.prefix, quote.suffix, now, now)
      const link = this.db.prepare('INSERT INTO highlight_codes (highlight_id, code_id) VALUES (?, ?)')
      for (const codeId of codeIds) link.run(id, codeId)
    })()
    return this.find(id as HighlightId) as Highlight
  }

  /** Removes a highlight with its codes and note; returns whether it existed. */
  delete(id: HighlightId): boolean {
    return this.db.prepare('DELETE FROM highlights WHERE id = ?').run(id).changes > 0
  }
}
