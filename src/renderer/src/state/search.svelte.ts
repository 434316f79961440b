import type { SearchResult } from '../../../shared/domain/search'
import { api } from '../lib/api'

/** The search box and its results; errors (such as a query FTS cannot parse) are explained, not thrown. */
export class SearchState {
  query = $state('')
  open = $state(false)
  result = $state.raw<SearchResult | null>(null)
  error = $state<string | null>(null)
  busy = $state(false)
  #timer: ReturnType<typeof setTimeout> | undefined
  #seq = 0

  /** Updates the query and searches after a short pause. */
  type(query: string): void {
    this.query = query
    this.open = true
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.run(), 150)
  }

  /** Searches now. */
  async run(): Promise<void> {
    const q = this.query.trim()
    const seq = ++this.#seq
    if (!q) {
      this.result = null
      this.error = null
      return
    }
    this.busy = true
    const result = await api.search.query({ q, limit: 100 })
    if (seq !== this.#seq) return
    this.busy = false
    if (result.ok) {
      this.result = result.value
      this.error = null
    } else {
      this.result = null
      this.error = result.error.message
    }
  }

  /** Closes the results. */
  close(): void {
    this.open = false
  }
}
