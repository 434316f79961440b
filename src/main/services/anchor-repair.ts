import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import { CodePointIndex } from '../../shared/anchoring/code-point-index'
import { isPlaced, reanchorAll } from '../../shared/anchoring/reanchor'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId } from '../../shared/domain/ids'

/**
 * An article's highlights in reading order, first repairing any whose quote no longer sits at its stored
 * place: found again → moved there with quote and context cut afresh; not found → marked orphaned with
 * its last quote kept. Repairs are bookkeeping, not user operations, so they are not undoable.
 */
export function listAnchoredHighlights(db: Db, repos: Repositories, articleId: ArticleId): Highlight[] {
  const text = repos.articles.textOf(articleId)
  const highlights = repos.highlights.listByArticle(articleId)
  // One pass over the text, then each check is a binary search and a string compare: the usual case,
  // where every quote is still in place, costs next to nothing.
  const index = new CodePointIndex(text)
  const holdsQuote = (h: Highlight): boolean => h.end <= index.length && text.slice(index.toUtf16(h.start), index.toUtf16(h.end)) === h.exact
  const stale = highlights.filter((h) => !h.orphaned && !holdsQuote(h))
  // An orphan is not searched for again on every read (that is the analyst's call, by re-attaching it),
  // but if the text at its old place is back, so is the passage.
  const returned = highlights.filter((h) => h.orphaned && holdsQuote(h))
  if (stale.length === 0 && returned.length === 0) return highlights
  const results = stale.length > 0 ? reanchorAll(text, stale) : []
  db.transaction(() => {
    for (const h of returned) repos.highlights.move(h.id, h.start, h.end)
    stale.forEach((h, i) => {
      const result = results[i]
      if (isPlaced(result, index.length)) {
        repos.highlights.move(h.id, result.start, result.end)
      } else {
        repos.highlights.markOrphaned(h.id)
      }
    })
  })()
  return repos.highlights.listByArticle(articleId)
}
