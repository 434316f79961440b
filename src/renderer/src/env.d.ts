/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { Api } from '../../shared/ipc/contract'

declare global {
  interface Window {
    /** The bridge the preload (or the e2e harness) exposes: one function per IPC channel. */
    readonly api: Api
  }
}
