import type { Note, NoteTarget } from '../../../shared/domain/note'
import type { NoteDoc } from '../../../shared/domain/note-doc'
import { isNoteEmpty } from '../../../shared/notes/note-summary'
import { api } from '../lib/api'

/** Where a note's latest words are. */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error' | 'conflict'

/** Typing pause after which a note is saved. */
export const SAVE_DELAY_MS = 500
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000]

/** A stable string for a note target (storage keys, comparisons). */
export function targetKey(target: NoteTarget): string {
  return 'highlightId' in target ? `h:${target.highlightId}` : `a:${target.articleId}`
}

interface Backup {
  doc: NoteDoc
  baseVersion: number | null
  at: number
}

/**
 * The saving side of one open note. Edits are kept in memory and in localStorage (so a crash cannot take
 * them), saved 500 ms after typing pauses, sent at once on flush (switching note or article, closing),
 * retried with backoff when the disk refuses, and never overwrite a newer version saved elsewhere.
 */
export class NoteDraft {
  status = $state<SaveStatus>('saved')
  error = $state<string | null>(null)
  /** The stored version this draft is based on; undefined while the note does not exist. */
  version = $state<number | undefined>(undefined)
  savedAt = $state<string | null>(null)
  /** Seconds until the next retry after a failed save. */
  retryIn = $state<number | null>(null)
  /** The document the editor should open with (a recovered draft wins over the stored note). */
  readonly initial: NoteDoc | null
  #pending: NoteDoc | null = null
  #timer: ReturnType<typeof setTimeout> | undefined
  #retry: ReturnType<typeof setTimeout> | undefined
  #attempt = 0
  #inFlight: Promise<void> | null = null
  readonly #key: string

  constructor(
    readonly target: NoteTarget,
    note: Note | null,
    private readonly onSaved: (note: Note | null, target: NoteTarget) => void
  ) {
    this.#key = `stance.noteDraft.${targetKey(target)}`
    this.version = note?.version
    this.savedAt = note?.updatedAt ?? null
    const backup = this.#readBackup()
    if (backup && backup.baseVersion === (note?.version ?? null)) {
      // Words typed before a crash or a lost save, on top of the version still stored: bring them back.
      this.initial = backup.doc
      this.#pending = backup.doc
      this.status = 'pending'
      this.#schedule(0)
    } else if (backup) {
      // Unsaved words from earlier, but the stored note moved on since: never drop them silently.
      this.initial = backup.doc
      this.#pending = backup.doc
      this.status = 'conflict'
      this.error = 'Words typed earlier were not saved, and this note has changed since. Keep yours or load the stored version.'
    } else {
      this.initial = note?.doc ?? null
    }
  }

  /** Records the editor's latest document and schedules a save. */
  change(doc: NoteDoc): void {
    this.#pending = doc
    if (this.status !== 'conflict') this.status = 'pending'
    this.#writeBackup(doc)
    if (this.status !== 'conflict') this.#schedule(SAVE_DELAY_MS)
  }

  /** Sends any unsaved words now; resolves when they are stored (or the attempt failed). */
  flush(): Promise<void> {
    clearTimeout(this.#timer)
    if (this.#inFlight) return this.#inFlight.then(() => (this.#pending && this.status !== 'conflict' ? this.flush() : undefined))
    if (!this.#pending || this.status === 'conflict') return Promise.resolve()
    clearTimeout(this.#retry)
    this.retryIn = null
    this.#inFlight = this.#send().finally(() => (this.#inFlight = null))
    return this.#inFlight
  }

  /** After a conflict: keep these words, saving them over the version stored elsewhere. */
  async keepMine(): Promise<void> {
    const latest = await api.notes.get({ target: this.target })
    if (!latest.ok) {
      this.error = latest.error.message
      return
    }
    this.version = latest.value?.version
    this.status = 'pending'
    this.error = null
    await this.flush()
  }

  /** After a conflict: drop these words and take the stored version; returns it for the editor. */
  async takeTheirs(): Promise<NoteDoc | null> {
    const latest = await api.notes.get({ target: this.target })
    if (!latest.ok) {
      this.error = latest.error.message
      return null
    }
    this.#pending = null
    localStorage.removeItem(this.#key)
    this.version = latest.value?.version
    this.savedAt = latest.value?.updatedAt ?? null
    this.status = 'saved'
    this.error = null
    return latest.value?.doc ?? null
  }

  /** Stops timers (the draft's editor is closing; call flush first). */
  dispose(): void {
    clearTimeout(this.#timer)
    clearTimeout(this.#retry)
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void this.flush(), ms)
  }

  async #send(): Promise<void> {
    const doc = this.#pending
    if (!doc) return
    this.#pending = null
    this.status = 'saving'
    const empty = isNoteEmpty(doc)
    // An emptied note is removed rather than kept as a blank; a note never written is not created.
    if (empty && this.version === undefined) {
      this.#settled(null)
      return
    }
    // Both carry the version this draft is based on: a note changed in another window since is never
    // overwritten or deleted unseen (main answers conflict, and the user chooses).
    const result = empty
      ? await api.notes.delete({ target: this.target, baseVersion: this.version })
      : await api.notes.save({ target: this.target, doc, baseVersion: this.version })
    if (result.ok) {
      const note = 'deleted' in result.value ? null : result.value
      this.version = note?.version
      this.savedAt = note?.updatedAt ?? null
      this.#attempt = 0
      // Words typed during this save are backed up against the new version, so a crash cannot orphan them.
      if (this.#pending) this.#writeBackup(this.#pending)
      this.#settled(note)
      return
    }
    // Keep the words: unless the user typed more meanwhile, these are still the ones to save.
    this.#pending ??= doc
    this.error = result.error.message
    if (result.error.code === 'conflict') {
      this.status = 'conflict'
      return
    }
    this.status = 'error'
    const delay = RETRY_MS[Math.min(this.#attempt++, RETRY_MS.length - 1)]!
    this.retryIn = Math.round(delay / 1000)
    this.#retry = setTimeout(() => void this.flush(), delay)
  }

  #settled(note: Note | null): void {
    this.error = null
    if (this.#pending) {
      this.status = 'pending'
      this.#schedule(SAVE_DELAY_MS)
    } else {
      this.status = 'saved'
      localStorage.removeItem(this.#key)
    }
    this.onSaved(note, this.target)
  }

  #readBackup(): Backup | null {
    try {
      const raw = localStorage.getItem(this.#key)
      return raw ? (JSON.parse(raw) as Backup) : null
    } catch {
      return null
    }
  }

  #writeBackup(doc: NoteDoc): void {
    try {
      localStorage.setItem(this.#key, JSON.stringify({ doc, baseVersion: this.version ?? null, at: Date.now() } satisfies Backup))
    } catch {
      // A full localStorage only loses the crash backup; the save itself still goes to the database.
    }
  }
}
