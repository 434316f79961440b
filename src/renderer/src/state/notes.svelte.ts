import type { ArticleId, HighlightId } from '../../../shared/domain/ids'
import type { Note, NoteSummary, NoteTarget } from '../../../shared/domain/note'
import { notePreview, quotedHighlightIds } from '../../../shared/notes/note-summary'
import { api, unwrap } from '../lib/api'
import { NoteDraft, targetKey } from './note-draft.svelte'
import type { Notices } from './notices.svelte'

/** The notes of the open article: previews for the panel, and the one note being edited. */
export class NotesState {
  articleId = $state<ArticleId | null>(null)
  summaries = $state.raw<NoteSummary[]>([])
  /** The note open in an editor, with its saving state. */
  draft = $state.raw<NoteDraft | null>(null)
  /** Bumped when an open editor must reload its document (conflict resolved in favour of the stored one). */
  reloads = $state(0)

  /** Note previews by highlight id. */
  byHighlight: Readonly<Record<string, NoteSummary>> = $derived(
    Object.fromEntries(this.summaries.flatMap((s) => ('highlightId' in s.target ? [[s.target.highlightId, s]] : [])))
  )
  /** The article memo's preview, if it has one. */
  memo = $derived(this.summaries.find((s) => 'articleId' in s.target) ?? null)

  constructor(private readonly notices: Notices) {}

  /** Loads the previews of an article's notes (saving and closing any open note first). */
  async load(articleId: ArticleId | null): Promise<void> {
    await this.close()
    this.articleId = articleId
    this.summaries = []
    await this.refresh()
  }

  /** Re-reads the previews without touching the open note (after undo, redo or a deleted passage). */
  async refresh(): Promise<void> {
    const articleId = this.articleId
    if (!articleId) return
    try {
      const summaries = await unwrap(api.notes.list({ articleId }))
      if (this.articleId === articleId) this.summaries = summaries
    } catch (error) {
      this.notices.report('Could not load the notes', error)
    }
  }

  /** Whether the given target's note is the open one. */
  isOpen(target: NoteTarget): boolean {
    return this.draft !== null && targetKey(this.draft.target) === targetKey(target)
  }

  /** Opens a note for editing, saving the one open before. */
  async open(target: NoteTarget): Promise<void> {
    if (this.isOpen(target)) return
    await this.close()
    try {
      const note = await unwrap(api.notes.get({ target }))
      this.draft = new NoteDraft(target, note, (saved, at) => this.#saved(saved, at))
    } catch (error) {
      this.notices.report('Could not open the note', error)
    }
  }

  /** Opens the note on a highlight. */
  openHighlight(highlightId: HighlightId): Promise<void> {
    return this.open({ highlightId })
  }

  /** Opens the open article's memo. */
  openMemo(): Promise<void> {
    return this.articleId ? this.open({ articleId: this.articleId }) : Promise.resolve()
  }

  /** Saves and closes the open note. */
  async close(): Promise<void> {
    const draft = this.draft
    if (!draft) return
    await draft.flush()
    draft.dispose()
    if (this.draft === draft) this.draft = null
  }

  /** Closes the open note without saving (its passage is gone); its words stay in the local backup. */
  discard(): void {
    this.draft?.dispose()
    this.draft = null
  }

  /** Sends the open note's unsaved words now (switching away, unloading, closing the window). */
  flush(): Promise<void> {
    return this.draft?.flush() ?? Promise.resolve()
  }

  #saved(note: Note | null, target: NoteTarget): void {
    const key = targetKey(target)
    const others = this.summaries.filter((s) => targetKey(s.target) !== key)
    if (!note) {
      this.summaries = others
      return
    }
    this.summaries = [...others, { target, preview: notePreview(note.plain), version: note.version, updatedAt: note.updatedAt, quotedHighlightIds: quotedHighlightIds(note.doc) }]
  }
}
