import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import { computeMatrix } from '../services/analysis-service'
import { listAnchoredHighlights } from '../services/anchor-repair'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'
import type { ArticleId, CodeId } from '../../shared/domain/ids'
import type { Note } from '../../shared/domain/note'
import { AppError } from '../../shared/result'

/** Settings key of the analyst name that exports sign with. */
export const ANALYST_SETTING = 'export.analyst'

/** What to gather: the articles in the caller's order and, optionally, only highlights carrying one of these codes. */
export interface CollectOptions {
  articleIds: readonly ArticleId[]
  codeIds?: readonly CodeId[]
  app: { name: string; version: string }
  /** Overrides the stored analyst name (the export dialog passes what the analyst typed). */
  analyst?: string
  /** Also count the stance × issue matrix: of all the articles together, or of each article. */
  matrix?: 'combined' | 'per-article'
  now?: () => Date
}

/**
 * Reads everything an export needs in one read transaction, so a formatter never sees half of a concurrent
 * edit. Anchors are repaired first (as the reader would), orphaned passages are left out because they have
 * no place in the text, and an unknown or trashed article is an error rather than a silently shorter export.
 */
export function collectBundle(db: Db, repos: Repositories, options: CollectOptions): ExportBundle {
  if (options.articleIds.length === 0) throw new AppError('invalid-input', 'Choose at least one article to export.')
  const wanted = options.codeIds ? new Set<string>(options.codeIds) : null
  if (wanted) {
    for (const id of wanted) {
      if (!repos.codes.find(id as CodeId)) throw new AppError('not-found', 'A code chosen for the export no longer exists; reopen the export dialog.')
    }
  }
  // Repairs write, so they run before the read transaction.
  const anchored = new Map<ArticleId, ReturnType<typeof listAnchoredHighlights>>()
  for (const id of options.articleIds) {
    const article = repos.articles.find(id)
    if (!article) throw new AppError('not-found', 'An article chosen for the export no longer exists.')
    if (article.deletedAt) throw new AppError('invalid-input', `“${article.title}” is in the trash; restore it to export it.`)
    anchored.set(id, listAnchoredHighlights(db, repos, id))
  }
  return db.transaction((): ExportBundle => {
    const articles = options.articleIds.map((id): ExportArticle => {
      const article = repos.articles.require(id)
      const highlights = (anchored.get(id) ?? [])
        .filter((h) => !h.orphaned && h.codeIds.length > 0)
        .map((h) => (wanted ? { ...h, codeIds: h.codeIds.filter((c) => wanted.has(c)) } : h))
        .filter((h) => h.codeIds.length > 0)
        .sort((a, b) => a.start - b.start || a.end - b.end)
      const kept = new Set<string>(highlights.map((h) => h.id))
      const notes: Record<string, Note> = {}
      let memo: Note | null = null
      for (const note of repos.notes.listByArticle(id)) {
        if ('articleId' in note.target) memo = note
        else if (kept.has(note.target.highlightId)) notes[note.target.highlightId] = note
      }
      const matrix = options.matrix === 'per-article' ? computeMatrix(db, { columns: 'issues', articleIds: [id] }) : undefined
      return { article, highlights, notes, memo, ...(matrix ? { matrix } : {}) }
    })
    const matrix = options.matrix === 'combined' ? computeMatrix(db, { columns: 'issues', articleIds: options.articleIds }) : undefined
    return {
      articles,
      codes: repos.codes.list(),
      analyst: (options.analyst ?? repos.settings.get<string>(ANALYST_SETTING, '')).trim(),
      exportedAt: (options.now?.() ?? new Date()).toISOString(),
      app: options.app,
      ...(matrix ? { matrix } : {})
    }
  })()
}
