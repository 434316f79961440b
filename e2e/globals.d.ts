import type { Api } from '../src/shared/ipc/contract'

declare global {
  interface Window {
    /** The bridge the harness installs, shaped exactly like the preload's. */
    readonly api: Api
  }
}
