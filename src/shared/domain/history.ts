import type { ArticleId } from './ids'

/** What undo and redo can do next, with the names of the operations for the Edit menu. */
export interface HistoryState {
  canUndo: boolean
  canRedo: boolean
  /** e.g. "Code passage as US stance"; null when there is nothing to undo. */
  undoLabel: string | null
  redoLabel: string | null
}

/** What an undo or redo changed, so windows can reload just that. */
export interface HistoryChange extends HistoryState {
  /** The label of the operation undone or redone; null when there was nothing to do. */
  applied: string | null
  /** Articles whose highlights changed. */
  articleIds: ArticleId[]
  /** Whether the codebook changed. */
  codebookChanged: boolean
}
