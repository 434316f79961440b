import type { Code } from '../../../shared/domain/code'
import { api, unwrap } from '../lib/api'
import type { Notices } from './notices.svelte'

/** The codebook as the renderer shows it. */
export class CodebookState {
  codes = $state.raw<Code[]>([])

  constructor(private readonly notices: Notices) {}

  /** Loads every code. */
  async load(): Promise<void> {
    try {
      this.codes = await unwrap(api.codebook.list({}))
    } catch (error) {
      this.notices.report('Could not load the codebook', error)
    }
  }
}
