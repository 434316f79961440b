import type { HistoryChange, HistoryState } from '../../shared/domain/history'
import type { ArticleId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'

/** One undoable operation: its name for the Edit menu, what it touches, and how to take it back or do it again. */
export interface HistoryEntry {
  label: string
  /** Articles whose highlights the operation changed. */
  articleIds: readonly ArticleId[]
  codebookChanged: boolean
  /** Each runs in one transaction; they throw AppError('conflict') when the data no longer allows it. */
  undo(): void
  redo(): void
}

/** How many operations can be undone; older ones are forgotten. */
export const HISTORY_LIMIT = 200

/**
 * The process's undo/redo journal for coding and codebook operations. It lives in memory only:
 * after a restart there is nothing to undo, which is what people expect of an Edit menu.
 */
export class History {
  private readonly done: HistoryEntry[] = []
  private undone: HistoryEntry[] = []

  constructor(private readonly limit = HISTORY_LIMIT) {}

  /** Adds a finished operation; anything that was undone can no longer be redone. */
  record(entry: HistoryEntry): void {
    this.done.push(entry)
    if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit)
    this.undone = []
  }

  /** What can be undone or redone next. */
  state(): HistoryState {
    const undo = this.done.at(-1)
    const redo = this.undone.at(-1)
    return { canUndo: undo !== undefined, canRedo: redo !== undefined, undoLabel: undo?.label ?? null, redoLabel: redo?.label ?? null }
  }

  /** Undoes the last operation; an operation the data no longer allows is dropped with a conflict. */
  undo(): HistoryChange {
    return this.step(this.done, this.undone, 'undo')
  }

  /** Redoes the last undone operation; an operation the data no longer allows is dropped with a conflict. */
  redo(): HistoryChange {
    return this.step(this.undone, this.done, 'redo')
  }

  /** Forgets everything, e.g. when the library is replaced. */
  clear(): void {
    this.done.length = 0
    this.undone = []
  }

  private step(from: HistoryEntry[], to: HistoryEntry[], direction: 'undo' | 'redo'): HistoryChange {
    const entry = from.pop()
    if (!entry) return { ...this.state(), applied: null, articleIds: [], codebookChanged: false }
    try {
      entry[direction]()
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') {
        // The entry stays dropped: retrying could only fail again or, worse, half-apply later.
        throw new AppError('conflict', `“${entry.label}” can no longer be ${direction === 'undo' ? 'undone' : 'redone'}: ${error.message} It has been removed from the history.`)
      }
      // Anything else (a full disk, a bug) may pass; keep the entry so the user can try again.
      from.push(entry)
      throw error
    }
    to.push(entry)
    return { ...this.state(), applied: entry.label, articleIds: [...entry.articleIds], codebookChanged: entry.codebookChanged }
  }
}
