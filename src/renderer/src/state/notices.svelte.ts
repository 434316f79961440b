import { ApiError } from '../lib/api'

/** A message shown to the user. */
export interface Notice {
  id: number
  kind: 'error' | 'info'
  title: string
  message: string
}

/** Messages for the user: every failed call lands here in words, never swallowed. */
export class Notices {
  items = $state<Notice[]>([])
  #next = 1

  /** Shows a message. */
  push(kind: Notice['kind'], title: string, message: string): void {
    const id = this.#next++
    this.items = [...this.items, { id, kind, title, message }]
    // Confirmations fade on their own; errors stay until the user has read and dismissed them.
    if (kind === 'info') setTimeout(() => this.dismiss(id), 4000)
  }

  /** Shows an error from a failed action, naming what the user was doing. */
  report(action: string, error: unknown): void {
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error)
    this.push('error', action, message)
  }

  /** Removes a message. */
  dismiss(id: number): void {
    this.items = this.items.filter((item) => item.id !== id)
  }
}
