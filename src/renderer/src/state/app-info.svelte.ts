import type { AppInfo } from '../../../shared/ipc/contract'
import { api, unwrap } from '../lib/api'
import type { Notices } from './notices.svelte'

/** Facts about the running app (version, where data lives). */
export class AppInfoState {
  info = $state.raw<AppInfo | null>(null)

  constructor(private readonly notices: Notices) {}

  /** Loads the facts once. */
  async load(): Promise<void> {
    try {
      this.info = await unwrap(api.app.info({}))
    } catch (error) {
      this.notices.report('Could not read app information', error)
    }
  }
}
