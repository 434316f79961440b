import type { HistoryChange } from '../../../shared/domain/history'
import { api, unwrap } from '../lib/api'
import type { Notices } from './notices.svelte'

/** Undo and redo of coding and codebook operations, kept by the main process. */
export class HistoryState {
  canUndo = $state(false)
  canRedo = $state(false)
  undoLabel = $state<string | null>(null)
  redoLabel = $state<string | null>(null)

  constructor(private readonly notices: Notices) {}

  /** Re-reads what can be undone. */
  async refresh(): Promise<void> {
    try {
      this.#apply(await unwrap(api.history.state({})))
    } catch (error) {
      this.notices.report('Could not read the undo history', error)
    }
  }

  /** Undoes the last operation; returns what changed, or null. */
  async undo(): Promise<HistoryChange | null> {
    return this.#run(() => api.history.undo({}), 'Undo failed')
  }

  /** Redoes the last undone operation; returns what changed, or null. */
  async redo(): Promise<HistoryChange | null> {
    return this.#run(() => api.history.redo({}), 'Redo failed')
  }

  async #run(call: () => ReturnType<typeof api.history.undo>, failure: string): Promise<HistoryChange | null> {
    try {
      const change = await unwrap(call())
      this.#apply(change)
      return change.applied ? change : null
    } catch (error) {
      this.notices.report(failure, error)
      await this.refresh()
      return null
    }
  }

  #apply(state: { canUndo: boolean; canRedo: boolean; undoLabel: string | null; redoLabel: string | null }): void {
    this.canUndo = state.canUndo
    this.canRedo = state.canRedo
    this.undoLabel = state.undoLabel
    this.redoLabel = state.redoLabel
  }
}
