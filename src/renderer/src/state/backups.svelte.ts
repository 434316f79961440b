import type { BackupList } from '../../../shared/ipc/contract'
import { backupLabel } from '../lib/backup-labels'
import { api, unwrap } from '../lib/api'
import type { Notices } from './notices.svelte'

/** The backups dialog: the rolling backups, how many are kept, back up now, and restore one. */
export class BackupsState {
  open = $state(false)
  list = $state.raw<BackupList | null>(null)
  busy = $state(false)

  constructor(
    private readonly notices: Notices,
    /** Saves what the open note holds, so the words typed last are in the library the restore backs up first. */
    private readonly beforeRestore: () => Promise<void>
  ) {}

  async show(): Promise<void> {
    this.open = true
    await this.load()
  }

  async load(): Promise<void> {
    try {
      this.list = await unwrap(api.backups.list({}))
    } catch (error) {
      this.notices.report('Could not list the backups', error)
    }
  }

  async create(): Promise<void> {
    await this.#busy('Could not back up', async () => {
      const info = await unwrap(api.backups.create({}))
      this.notices.push('info', 'Backed up', backupLabel(info))
      await this.load()
    })
  }

  async configure(keep: number): Promise<void> {
    await this.#busy('Could not change how many backups are kept', async () => {
      this.list = await unwrap(api.backups.configure({ keep }))
    })
  }

  /** Replaces the library with a backup (main keeps the current state as a backup first), then reloads. */
  async restore(id: string): Promise<void> {
    await this.#busy('Could not restore the backup', async () => {
      await this.beforeRestore()
      await unwrap(api.backups.restore({ id }))
      location.reload()
    })
  }

  async #busy(action: string, work: () => Promise<void>): Promise<void> {
    this.busy = true
    try {
      await work()
    } catch (error) {
      this.notices.report(action, error)
    } finally {
      this.busy = false
    }
  }
}
