import { randomUUID } from 'node:crypto'
import { codePointLength } from '../../../shared/anchoring/code-points'
import { textQuoteAt } from '../../../shared/anchoring/text-quote'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import { AppError } from '../../../shared/result'
import type { Db } from '../connection'
import { nowIso } from './clock'
import type { NoteRepository, NoteSnapshot } from './note-repository'

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
  version: number
  code_ids: string | null
}

/**
 * A highlight exactly as stored — row (seq included), code ids and its note — so undo can put it back.
 * `version` is absent only in snapshots built by hand for a new row (an import); see `restore`.
 */
export interface HighlightSnapshot {
  readonly row: Readonly<Omit<HighlightRow, 'code_ids' | 'version'> & { seq: number; version?: number }>
  /** Sorted, so two snapshots of the same state compare equal. */
  readonly codeIds: readonly CodeId[]
  readonly note: NoteSnapshot | null
}

/** Which parts of an existing highlight `overwrite` puts back. */
export interface HighlightParts {
  /** The code links. */
  codes: boolean
  /** Range, quote, context and the orphaned flag. */
  position: boolean
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
    updatedAt: row.updated_at,
    version: row.version
  }
}

/** Stores highlights with their selectors and codes. */
export class HighlightRepository {
  constructor(
    private readonly db: Db,
    private readonly notes: NoteRepository
  ) {}

  /** An article's highlights in reading order. */
  listByArticle(articleId: ArticleId): Highlight[] {
    return this.db.prepare<[string], HighlightRow>(`${SELECT} WHERE h.article_id = ? ORDER BY h.start, h.end, h.seq`).all(articleId).map(toHighlight)
  }

  /** One highlight, or undefined. */
  find(id: HighlightId): Highlight | undefined {
    const row = this.db.prepare<[string], HighlightRow>(`${SELECT} WHERE h.id = ?`).get(id)
    return row ? toHighlight(row) : undefined
  }

  /** One highlight, or a not-found error naming the id. */
  require(id: HighlightId): Highlight {
    const highlight = this.find(id)
    if (!highlight) throw new AppError('not-found', `There is no highlight with id ${id}.`)
    return highlight
  }

  /**
   * One highlight as a window last saw it: not-found when it is gone, and a conflict when `baseVersion`
   * is given and the stored version has moved on (another window, or an undo, changed it since).
   */
  requireCurrent(id: HighlightId, baseVersion: number | undefined): Highlight {
    const highlight = this.find(id)
    if (!highlight) {
      throw new AppError('not-found', `This passage no longer exists: it was deleted, perhaps in another window (there is no highlight with id ${id}).`)
    }
    if (baseVersion !== undefined && baseVersion !== highlight.version) {
      throw new AppError('conflict', 'This passage was changed in another window since you last saw it, so nothing was changed here. It has been reloaded: look at it again, then try again.')
    }
    return highlight
  }

  /** The placed (not orphaned) highlight covering exactly [start, end) of an article, if any. */
  findByRange(articleId: ArticleId, start: number, end: number): Highlight | undefined {
    const row = this.db
      .prepare<[string, number, number], HighlightRow>(`${SELECT} WHERE h.article_id = ? AND h.start = ? AND h.end = ? AND h.orphaned = 0 ORDER BY h.seq LIMIT 1`)
      .get(articleId, start, end)
    return row ? toHighlight(row) : undefined
  }

  /** Ids of the highlights coded with a code, oldest first. */
  idsWithCode(codeId: CodeId): HighlightId[] {
    return this.db
      .prepare<[string], { id: string }>('SELECT h.id FROM highlights h JOIN highlight_codes hc ON hc.highlight_id = h.id WHERE hc.code_id = ? ORDER BY h.seq')
      .all(codeId)
      .map((row) => row.id as HighlightId)
  }

  /** Adds a highlight; its quote and context are cut from the stored canonical text, never taken from callers. */
  insert(input: NewHighlight): Highlight {
    const text = this.articleText(input.articleId)
    assertRange(text, input.start, input.end)
    const codeIds = this.existingCodes(input.codeIds)
    const quote = textQuoteAt(text, input.start, input.end)
    const id = randomUUID()
    const now = nowIso()
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO highlights (id, article_id, start, end, exact, prefix, suffix, orphaned, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`
        )
        .run(id, input.articleId, input.start, input.end, quote.exact, quote.prefix, quote.suffix, now, now)
      this.link(id, codeIds)
    })()
    return this.find(id as HighlightId) as Highlight
  }

  /** Replaces a highlight's codes (at least one, each existing). */
  setCodes(id: HighlightId, codeIds: readonly CodeId[]): Highlight {
    this.require(id)
    const codes = this.existingCodes(codeIds)
    if (codes.length === 0) throw new AppError('invalid-input', 'A highlight needs at least one code.')
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM highlight_codes WHERE highlight_id = ?').run(id)
      this.link(id, codes)
      this.db.prepare('UPDATE highlights SET updated_at = ?, version = version + 1 WHERE id = ?').run(nowIso(), id)
    })()
    return this.find(id) as Highlight
  }

  /** Moves a highlight to a new range of its article, cutting quote and context afresh; it is no longer orphaned. */
  move(id: HighlightId, start: number, end: number): Highlight {
    const highlight = this.require(id)
    const text = this.articleText(highlight.articleId)
    assertRange(text, start, end)
    const quote = textQuoteAt(text, start, end)
    this.db
      .prepare('UPDATE highlights SET start = ?, end = ?, exact = ?, prefix = ?, suffix = ?, orphaned = 0, updated_at = ?, version = version + 1 WHERE id = ?')
      .run(start, end, quote.exact, quote.prefix, quote.suffix, nowIso(), id)
    return this.find(id) as Highlight
  }

  /** Marks a highlight whose quote can no longer be found; range and quote stay as the last known place. */
  markOrphaned(id: HighlightId): Highlight {
    this.require(id)
    this.db.prepare('UPDATE highlights SET orphaned = 1, updated_at = ?, version = version + 1 WHERE id = ? AND orphaned = 0').run(nowIso(), id)
    return this.find(id) as Highlight
  }

  /** Removes a highlight with its codes and note; returns whether it existed. */
  delete(id: HighlightId): boolean {
    return this.db.prepare('DELETE FROM highlights WHERE id = ?').run(id).changes > 0
  }

  /** The stored state of a highlight with its code ids and note, or undefined. */
  snapshot(id: HighlightId): HighlightSnapshot | undefined {
    const row = this.db.prepare<[string], HighlightSnapshot['row']>('SELECT * FROM highlights WHERE id = ?').get(id)
    if (!row) return undefined
    const codeIds = this.db
      .prepare<[string], { code_id: string }>('SELECT code_id FROM highlight_codes WHERE highlight_id = ? ORDER BY code_id')
      .all(id)
      .map((link) => link.code_id as CodeId)
    return { row, codeIds, note: this.notes.snapshot({ highlightId: id }) ?? null }
  }

  /**
   * Inserts a deleted highlight back under its old id (and seq, when free) with its codes and note.
   * Its article and codes must still exist, else the world has moved on and this is a conflict.
   * It comes back one version past the snapshot's (1 for a snapshot without one), never at a version a
   * window may have seen before the delete.
   */
  restore(snapshot: HighlightSnapshot): void {
    const { row } = snapshot
    if (!this.db.prepare('SELECT 1 FROM articles WHERE id = ?').get(row.article_id)) {
      throw new AppError('conflict', `The passage “${abbreviateQuote(row.exact)}” cannot come back because its article no longer exists.`)
    }
    this.assertCodesStillExist(snapshot)
    this.db
      .prepare(
        `INSERT INTO highlights (seq, id, article_id, start, end, exact, prefix, suffix, orphaned, created_at, updated_at, version)
         VALUES ((SELECT CASE WHEN EXISTS (SELECT 1 FROM highlights WHERE seq = @seq) THEN NULL ELSE @seq END),
                 @id, @article_id, @start, @end, @exact, @prefix, @suffix, @orphaned, @created_at, @updated_at, @version + 1)`
      )
      .run({ ...row, version: row.version ?? 0 })
    this.link(row.id, snapshot.codeIds)
    if (snapshot.note) this.notes.restore(snapshot.note)
  }

  /**
   * Puts parts of an existing highlight back as snapshotted, with its updated_at; the note and
   * anything not named stay as they are, so edits made outside the undo history survive. The version
   * is not put back but raised, like any other write.
   */
  overwrite(snapshot: HighlightSnapshot, parts: HighlightParts): void {
    const { row } = snapshot
    if (parts.codes) {
      this.assertCodesStillExist(snapshot)
      this.db.prepare('DELETE FROM highlight_codes WHERE highlight_id = ?').run(row.id)
      this.link(row.id, snapshot.codeIds)
    }
    if (parts.position) {
      this.db
        .prepare('UPDATE highlights SET start = @start, end = @end, exact = @exact, prefix = @prefix, suffix = @suffix, orphaned = @orphaned WHERE id = @id')
        .run(row)
    }
    this.db.prepare('UPDATE highlights SET updated_at = ?, version = version + 1 WHERE id = ?').run(row.updated_at, row.id)
  }

  /** Removes the code links of a highlight, so the codes can be deleted before new links are made. */
  unlinkAll(id: HighlightId): void {
    this.db.prepare('DELETE FROM highlight_codes WHERE highlight_id = ?').run(id)
  }

  private articleText(articleId: ArticleId): string {
    const article = this.db.prepare<[string], { text: string }>('SELECT text FROM articles WHERE id = ?').get(articleId)
    if (!article) throw new AppError('not-found', `There is no article with id ${articleId}.`)
    return article.text
  }

  private existingCodes(codeIds: readonly CodeId[]): CodeId[] {
    const unique = [...new Set(codeIds)]
    const exists = this.db.prepare('SELECT 1 FROM codes WHERE id = ?')
    for (const codeId of unique) if (!exists.get(codeId)) throw new AppError('not-found', `There is no code with id ${codeId}.`)
    return unique
  }

  private assertCodesStillExist(snapshot: HighlightSnapshot): void {
    const exists = this.db.prepare('SELECT 1 FROM codes WHERE id = ?')
    if (snapshot.codeIds.some((codeId) => !exists.get(codeId))) {
      throw new AppError('conflict', `The passage “${abbreviateQuote(snapshot.row.exact)}” cannot get its codes back because one of them no longer exists.`)
    }
  }

  private link(id: string, codeIds: readonly string[]): void {
    const link = this.db.prepare('INSERT INTO highlight_codes (highlight_id, code_id) VALUES (?, ?)')
    for (const codeId of codeIds) link.run(id, codeId)
  }
}

function assertRange(text: string, start: number, end: number): void {
  const length = codePointLength(text)
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > length || start >= end) {
    throw new AppError('invalid-input', `The range ${start}–${end} is not inside the article's text (0–${length}).`)
  }
}

/** A quote cut to 40 code points, so messages stay readable when a passage runs to paragraphs. */
export function abbreviateQuote(text: string): string {
  const points = [...text]
  return points.length <= 40 ? text : `${points.slice(0, 39).join('')}…`
}
