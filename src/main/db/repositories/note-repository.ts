import { randomUUID } from 'node:crypto'
import type { ArticleId, HighlightId, NoteId } from '../../../shared/domain/ids'
import type { Note, NoteTarget } from '../../../shared/domain/note'
import { AppError } from '../../../shared/result'
import type { Db } from '../connection'
import { nowIso } from './clock'

interface NoteRow {
  id: string
  highlight_id: string | null
  article_id: string | null
  doc_json: string
  html: string
  plain: string
  version: number
  created_at: string
  updated_at: string
}

/** A note row exactly as stored, seq included, so undo can put it back. */
export interface NoteSnapshot extends Readonly<NoteRow> {
  readonly seq: number
}

/** The content of a note as the editor hands it over. */
export interface NoteContent {
  doc: unknown
  html: string
  plain: string
}

function toNote(row: NoteRow): Note {
  return {
    id: row.id as NoteId,
    target: row.highlight_id ? { highlightId: row.highlight_id as HighlightId } : { articleId: row.article_id as ArticleId },
    doc: JSON.parse(row.doc_json),
    html: row.html,
    plain: row.plain,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

function targetColumns(target: NoteTarget): { column: 'highlight_id' | 'article_id'; id: string } {
  return 'highlightId' in target ? { column: 'highlight_id', id: target.highlightId } : { column: 'article_id', id: target.articleId }
}

/** Stores notes on highlights and article memos, with a version number against lost updates. */
export class NoteRepository {
  constructor(private readonly db: Db) {}

  /** The note on a target, or undefined. */
  find(target: NoteTarget): Note | undefined {
    const { column, id } = targetColumns(target)
    const row = this.db.prepare<[string], NoteRow>(`SELECT * FROM notes WHERE ${column} = ?`).get(id)
    return row ? toNote(row) : undefined
  }

  /**
   * Creates or replaces the note on a target. `baseVersion` is the version the editor started from
   * (undefined for a new note); a mismatch means another window saved in between, which is a conflict.
   */
  save(target: NoteTarget, content: NoteContent, baseVersion: number | undefined): Note {
    const { column, id } = targetColumns(target)
    const parent = column === 'highlight_id' ? 'highlights' : 'articles'
    return this.db.transaction(() => {
      if (!this.db.prepare(`SELECT 1 FROM ${parent} WHERE id = ?`).get(id)) {
        throw new AppError('not-found', `There is no ${column === 'highlight_id' ? 'highlight' : 'article'} with id ${id}.`)
      }
      const current = this.find(target)
      const now = nowIso()
      const docJson = JSON.stringify(content.doc)
      if (!current) {
        if (baseVersion !== undefined) {
          throw new AppError(
            'conflict',
            `This note was deleted in another window since you started editing it (you edited version ${baseVersion}). Copy your text if you want to keep it, then reload.`
          )
        }
        this.db
          .prepare(`INSERT INTO notes (id, ${column}, doc_json, html, plain, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`)
          .run(randomUUID(), id, docJson, content.html, content.plain, now, now)
      } else {
        if (baseVersion === undefined) {
          throw new AppError(
            'conflict',
            `This note was written in another window since you started a new one (now version ${current.version}). Reload it to see the other text.`
          )
        }
        if (baseVersion !== current.version) {
          throw new AppError(
            'conflict',
            `This note was changed in another window since you started editing (now version ${current.version}, you edited version ${baseVersion}). Reload it to see the other changes.`
          )
        }
        this.db
          .prepare('UPDATE notes SET doc_json = ?, html = ?, plain = ?, version = version + 1, updated_at = ? WHERE id = ?')
          .run(docJson, content.html, content.plain, now, current.id)
      }
      return this.find(target) as Note
    })()
  }

  /** An article's memo (first, when there is one) and the notes on its highlights in reading order. */
  listByArticle(articleId: ArticleId): Note[] {
    return this.db
      .prepare<[string, string], NoteRow>(
        `SELECT * FROM (
           SELECT n.*, 0 AS kind, 0 AS h_start, 0 AS h_end, 0 AS h_seq FROM notes n WHERE n.article_id = ?
           UNION ALL
           SELECT n.*, 1, h.start, h.end, h.seq FROM highlights h JOIN notes n ON n.highlight_id = h.id WHERE h.article_id = ?
         ) ORDER BY kind, h_start, h_end, h_seq`
      )
      .all(articleId, articleId)
      .map(toNote)
  }

  /**
   * Deletes the note on a target; returns whether there was one. With `baseVersion` (the version the
   * window last saw), a note saved elsewhere since is a conflict and stays; one already gone is not.
   */
  delete(target: NoteTarget, baseVersion?: number): boolean {
    const { column, id } = targetColumns(target)
    return this.db.transaction(() => {
      const current = this.find(target)
      if (current && baseVersion !== undefined && current.version !== baseVersion) {
        throw new AppError(
          'conflict',
          `This note was changed in another window since you started editing (now version ${current.version}, you edited version ${baseVersion}), so it was not deleted. Reload it to see the other changes.`
        )
      }
      return this.db.prepare(`DELETE FROM notes WHERE ${column} = ?`).run(id).changes > 0
    })()
  }

  /** The stored row of the note on a target, or undefined. */
  snapshot(target: NoteTarget): NoteSnapshot | undefined {
    const { column, id } = targetColumns(target)
    return this.db.prepare<[string], NoteSnapshot>(`SELECT * FROM notes WHERE ${column} = ?`).get(id)
  }

  /** Inserts a note row back under its old id (and seq, when free); its target must exist and have no note. */
  restore(row: NoteSnapshot): void {
    this.db
      .prepare(
        `INSERT INTO notes (seq, id, highlight_id, article_id, doc_json, html, plain, version, created_at, updated_at)
         VALUES ((SELECT CASE WHEN EXISTS (SELECT 1 FROM notes WHERE seq = @seq) THEN NULL ELSE @seq END),
                 @id, @highlight_id, @article_id, @doc_json, @html, @plain, @version, @created_at, @updated_at)`
      )
      .run(row)
  }
}
