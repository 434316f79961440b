import type { Repositories } from '../db/repositories/repositories'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId } from '../../shared/domain/ids'
import type { ChangeRecorder } from './change-set'

/** What coding a range did: made a new passage, added codes to the one already there, or nothing. */
export interface RangeCoding {
  highlight: Highlight
  /** Null for a new passage; otherwise the codes added to the existing one (empty: it had them all). */
  added: CodeId[] | null
}

/**
 * Codes an exact range, inside the caller's transaction and recorded by its recorder. A placed passage on
 * exactly that range gets the codes added instead of a second passage over the same words — the rule coding
 * by hand and accepting suggestions share. Codes must already have been checked as applicable.
 */
export function codeRange(repos: Repositories, recorder: ChangeRecorder, articleId: ArticleId, start: number, end: number, codeIds: readonly CodeId[]): RangeCoding {
  const existing = repos.highlights.findByRange(articleId, start, end)
  if (!existing) {
    const highlight = repos.highlights.insert({ articleId, start, end, codeIds: [...codeIds] })
    recorder.trackCreated(highlight.id)
    return { highlight, added: null }
  }
  const added = codeIds.filter((id) => !existing.codeIds.includes(id))
  if (added.length === 0) return { highlight: existing, added }
  recorder.trackHighlight(existing.id)
  return { highlight: repos.highlights.setCodes(existing.id, [...existing.codeIds, ...added]), added }
}
