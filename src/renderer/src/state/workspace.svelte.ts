import { snapToGraphemes, snapToWords } from '../../../shared/anchoring/snap'
import type { Code } from '../../../shared/domain/code'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import type { PaintedHighlight } from '../editor/highlight-decorations'
import type { ReaderSelection } from '../editor/reader-controller'
import { AppInfoState } from './app-info.svelte'
import { CodebookState } from './codebook.svelte'
import { CodingState } from './coding.svelte'
import { HistoryState } from './history.svelte'
import { LibraryState } from './library.svelte'
import { Notices } from './notices.svelte'
import { ReaderPrefs } from './reader-prefs.svelte'
import { ThemeState } from './theme.svelte'

/** Every piece of renderer state, and the actions that span more than one of them. */
export class Workspace {
  readonly notices = new Notices()
  readonly history = new HistoryState(this.notices)
  readonly library = new LibraryState(this.notices)
  readonly coding = new CodingState(this.notices, this.history)
  readonly codebook = new CodebookState(this.notices, this.history, () => this.coding.refresh())
  readonly appInfo = new AppInfoState(this.notices)
  readonly theme = new ThemeState()
  readonly prefs = new ReaderPrefs()

  /** The reader's current non-empty selection, while the code picker may show. */
  selection = $state.raw<ReaderSelection | null>(null)
  /** Escape hides the picker until the selection changes. */
  pickerDismissed = $state(false)
  codebookOpen = $state(false)
  /** An orphaned highlight waiting for the user to select its new text. */
  reattaching = $state<HighlightId | null>(null)

  /** Highlights as the reader paints them, with their codes in codebook order. */
  painted: PaintedHighlight[] = $derived(
    this.coding.placed.map((h) => ({
      id: h.id,
      start: h.start,
      end: h.end,
      codes: this.codebook.codes.flatMap((c, rank) => (h.codeIds.includes(c.id) ? [{ id: c.id, name: this.codebook.path(c), color: c.color, rank }] : []))
    }))
  )

  /** Loads everything the first screen needs. */
  async start(): Promise<void> {
    await Promise.all([this.library.load(), this.codebook.load(), this.appInfo.load(), this.history.refresh()])
    await this.coding.load(this.library.current?.id ?? null)
  }

  /** Opens an article with its highlights. */
  async open(id: ArticleId): Promise<void> {
    this.selection = null
    this.reattaching = null
    // Highlights load alongside the article, so they are ready by the time its text is laid out.
    await Promise.all([this.library.open(id), this.coding.load(id)])
  }

  /** Records the reader's selection (null when it collapses). */
  select(selection: ReaderSelection | null): void {
    this.selection = selection
    this.pickerDismissed = false
  }

  /** Codes the current selection with a code, snapping it to whole graphemes (and words, for drags, when on). */
  async codeSelection(code: Code): Promise<boolean> {
    const selection = this.selection
    const text = this.library.current?.text
    if (!selection || !text) return false
    const range =
      selection.source === 'pointer' && this.prefs.snapToWords
        ? snapToWords(text, selection.start, selection.end)
        : snapToGraphemes(text, selection.start, selection.end)
    const highlight = await this.coding.code(range.start, range.end, code.id as CodeId)
    // The user may already have selected the next passage while this one was saved; keep that selection.
    if (highlight && this.selection === selection) this.selection = null
    return highlight !== null
  }

  /** The code applied by a key 1–9, if any. */
  codeForKey(key: string): Code | undefined {
    return this.codebook.byShortcut[key]
  }

  /** Moves the orphan being re-attached to the current selection. */
  async reattachSelection(): Promise<void> {
    const selection = this.selection
    const id = this.reattaching
    const text = this.library.current?.text
    if (!selection || !id || !text) return
    const range = snapToGraphemes(text, selection.start, selection.end)
    await this.coding.reattach(id, range.start, range.end)
    this.reattaching = null
    if (this.selection === selection) this.selection = null
  }

  /** Undoes the last coding or codebook operation and reloads what it touched. */
  async undo(): Promise<void> {
    await this.#afterHistory(await this.history.undo(), 'Undone')
  }

  /** Redoes the last undone operation. */
  async redo(): Promise<void> {
    await this.#afterHistory(await this.history.redo(), 'Redone')
  }

  async #afterHistory(change: Awaited<ReturnType<HistoryState['undo']>>, verb: string): Promise<void> {
    if (!change) return
    const reloads: Promise<void>[] = []
    if (change.codebookChanged) reloads.push(this.codebook.load())
    const current = this.library.current?.id
    if (current && (change.codebookChanged || change.articleIds.includes(current))) reloads.push(this.coding.refresh())
    await Promise.all(reloads)
    this.notices.push('info', verb, change.applied ?? '')
  }
}
