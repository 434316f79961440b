import type { RecoveryState } from '../../../shared/domain/backup'
import { api, unwrap } from '../lib/api'

/**
 * What main found wrong with the library at start, and the analyst's way out: restore a backup, start a new
 * library, or (for a set-aside write log) open the library as last saved. After a choice the page reloads
 * so every state is built afresh over the library now open.
 */
export class RecoveryModel {
  state = $state.raw<RecoveryState | null>(null)
  busy = $state(false)
  error = $state<string | null>(null)

  /** Asks main whether the library opened. */
  async load(): Promise<void> {
    try {
      this.state = await unwrap(api.recovery.state({}))
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
    }
  }

  async restore(id: string): Promise<void> {
    await this.#act(() => api.recovery.restore({ id }))
  }

  async startEmpty(): Promise<void> {
    await this.#act(() => api.recovery.startEmpty({}))
  }

  async continueAsSaved(): Promise<void> {
    await this.#act(() => api.recovery.continue({}))
  }

  async #act(call: () => ReturnType<typeof api.recovery.state>): Promise<void> {
    this.busy = true
    this.error = null
    try {
      this.state = await unwrap(call())
      if (this.state.state === 'ok') location.reload()
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error)
    } finally {
      this.busy = false
    }
  }
}
