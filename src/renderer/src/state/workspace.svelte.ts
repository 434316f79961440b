import { snapToGraphemes, snapToWords } from '../../../shared/anchoring/snap'
import type { Code } from '../../../shared/domain/code'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import type { PaintedHighlight } from '../editor/highlight-decorations'
import type { ReaderSelection } from '../editor/reader-controller'
import type { QuoteInfo } from '../editor/quote-chip'
import { AppInfoState } from './app-info.svelte'
import { CodebookState } from './codebook.svelte'
import { CodingState } from './coding.svelte'
import { HistoryState } from './history.svelte'
import { LibraryState } from './library.svelte'
import { NotesState } from './notes.svelte'
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
  readonly notes = new NotesState(this.notices)
  readonly appInfo = new AppInfoState(this.notices)
  readonly theme = new ThemeState()
  readonly prefs = new ReaderPrefs()

  /** The reader's current non-empty selection, while the code picker may show. */
  selection = $state.raw<ReaderSelection | null>(null)
  /** Escape hides the picker until the selection changes. */
  pickerDismissed = $state(false)
  codebookOpen = $state(false)
  /** What the annotations panel shows: the coded passages or the article memo. */
  panelTab = $state<'passages' | 'memo'>('passages')
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
    const id = this.library.current?.id ?? null
    await Promise.all([this.coding.load(id), this.notes.load(id)])
  }

  /** Opens an article with its highlights. */
  async open(id: ArticleId): Promise<void> {
    this.selection = null
    this.reattaching = null
    // The open note is saved before anything else changes.
    await this.notes.close()
    // Highlights load alongside the article, so they are ready by the time its text is laid out.
    await Promise.all([this.library.open(id), this.coding.load(id), this.notes.load(id)])
    if (this.panelTab === 'memo') await this.notes.openMemo()
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

  /** Switches the panel between passages and the memo, saving whatever note was open. */
  async showTab(tab: 'passages' | 'memo'): Promise<void> {
    this.panelTab = tab
    if (tab === 'memo') await this.notes.openMemo()
    else await this.notes.close()
  }

  /** Opens (or closes, if open) the note on a passage. */
  async toggleNote(id: HighlightId): Promise<void> {
    if (this.notes.isOpen({ highlightId: id })) await this.notes.close()
    else await this.notes.openHighlight(id)
  }

  /** How a quote chip of a highlight should look now; undefined once the highlight is gone. */
  quoteInfo(highlightId: string): QuoteInfo | undefined {
    const highlight = this.coding.highlights.find((h) => h.id === highlightId)
    if (!highlight) return undefined
    const codes = this.codebook.codes.filter((c) => highlight.codeIds.includes(c.id))
    return {
      status: highlight.orphaned ? 'orphaned' : 'live',
      quote: highlight.exact,
      color: codes[0]?.color ?? null,
      codes: codes.map((c) => c.name).join(' · ')
    }
  }

  /** Deletes a passage, and its note's preview with it. */
  async deletePassage(id: HighlightId): Promise<void> {
    if (this.notes.draft && 'highlightId' in this.notes.draft.target && this.notes.draft.target.highlightId === id) await this.notes.close()
    await this.coding.remove(id)
    await this.notes.refresh()
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
    if (current && (change.codebookChanged || change.articleIds.includes(current))) reloads.push(this.coding.refresh(), this.notes.refresh())
    await Promise.all(reloads)
    this.notices.push('info', verb, change.applied ?? '')
  }
}
