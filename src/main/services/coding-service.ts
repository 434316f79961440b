import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import { ChangeRecorder } from './change-set'
import type { History } from './history'
import { codeRange } from './code-range'
import { LABELS } from './history-labels'
import { runUndoable, type Outcome } from './undoable'

/** A passage to code: a code-point range of an article and the codes to give it. */
export interface PassageToCode {
  articleId: ArticleId
  start: number
  end: number
  codeIds: readonly CodeId[]
}

/** A change to a highlight: new codes, a new range, or both. */
export interface PassageChange {
  id: HighlightId
  codeIds?: readonly CodeId[]
  range?: { start: number; end: number }
  /** The highlight's version the caller last saw; when given and stale, the change is a conflict. */
  baseVersion?: number
}

/** Codes passages of articles: creating, recoding, moving and deleting highlights, each undoable. */
export class CodingService {
  constructor(
    private readonly db: Db,
    private readonly repos: Repositories,
    private readonly history: History
  ) {}

  /**
   * Codes a range. When a placed highlight already covers exactly that range, the codes are added to it
   * and that highlight is returned (same id) instead of a second one over the same text.
   */
  create(input: PassageToCode): Highlight {
    return this.run(() => {
      const codeIds = [...new Set(input.codeIds)]
      const names = codeIds.map((id) => this.repos.codes.requireApplicable(id).name)
      const recorder = new ChangeRecorder(this.db, this.repos)
      const { highlight: value, added } = codeRange(this.repos, recorder, input.articleId, input.start, input.end, codeIds)
      if (added === null) return { value, change: { set: recorder.finish(), label: LABELS.codePassage(names) } }
      if (added.length === 0) return { value }
      const addedNames = added.map((id) => names[codeIds.indexOf(id)] ?? '')
      return { value, change: { set: recorder.finish(), label: LABELS.addToPassage(addedNames) } }
    })
  }

  /**
   * Replaces a highlight's codes and/or moves it to a new range (which re-attaches an orphan). A range
   * another placed highlight already covers is refused: its codes belong on that one. A `baseVersion`
   * other than the stored one (another window changed the passage since) is a conflict, checked in the
   * same transaction as the write.
   */
  update(input: PassageChange): Highlight {
    return this.run(() => {
      const current = this.repos.highlights.requireCurrent(input.id, input.baseVersion)
      const codeIds = input.codeIds ? [...new Set(input.codeIds)] : undefined
      for (const id of codeIds ?? []) this.repos.codes.requireApplicable(id)
      const recodes = codeIds !== undefined && (codeIds.length !== current.codeIds.length || codeIds.some((id) => !current.codeIds.includes(id)))
      const range = input.range
      const moves = range !== undefined && (range.start !== current.start || range.end !== current.end || current.orphaned)
      if (!recodes && !moves) return { value: current }
      if (moves) {
        const occupant = this.repos.highlights.findByRange(current.articleId, range.start, range.end)
        if (occupant && occupant.id !== current.id) {
          throw new AppError('conflict', `Another passage already covers exactly ${range.start}–${range.end}; add the codes to that one instead.`)
        }
      }
      const recorder = new ChangeRecorder(this.db, this.repos)
      recorder.trackHighlight(current.id)
      if (recodes) this.repos.highlights.setCodes(current.id, codeIds)
      if (moves) this.repos.highlights.move(current.id, range.start, range.end)
      const label = !moves ? LABELS.recodePassage() : current.orphaned ? LABELS.reattachPassage() : recodes ? LABELS.moveAndRecodePassage() : LABELS.movePassage()
      return { value: this.repos.highlights.require(current.id), change: { set: recorder.finish(), label } }
    })
  }

  /**
   * Deletes a highlight with its codes and note; undo brings all three back. A stale `baseVersion`
   * (another window changed the passage since) is a conflict and nothing is deleted.
   */
  delete(id: HighlightId, baseVersion?: number): { id: HighlightId } {
    return this.run(() => {
      this.repos.highlights.requireCurrent(id, baseVersion)
      const recorder = new ChangeRecorder(this.db, this.repos)
      recorder.trackHighlight(id)
      this.repos.highlights.delete(id)
      return { value: { id }, change: { set: recorder.finish(), label: LABELS.deletePassage() } }
    })
  }

  private run<T>(operation: () => Outcome<T>): T {
    return runUndoable(this.db, this.history, operation)
  }
}
