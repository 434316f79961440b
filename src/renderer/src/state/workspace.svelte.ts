import { snapToGraphemes, snapToWords } from '../../../shared/anchoring/snap'
import type { Code } from '../../../shared/domain/code'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import type { ImportOutcome, ReimportReview } from '../../../shared/domain/reimport'
import type { PassageRef } from '../../../shared/domain/analysis'
import { MATCH_END, MATCH_START, type SearchGroup, type SearchHit } from '../../../shared/domain/search'
import { codePointLength } from '../../../shared/anchoring/code-points'
import type { PaintedHighlight } from '../editor/highlight-decorations'
import type { ReaderSelection } from '../editor/reader-controller'
import type { QuoteInfo } from '../editor/quote-chip'
import { AnalysisState } from './analysis.svelte'
import { AppInfoState } from './app-info.svelte'
import { CodebookState } from './codebook.svelte'
import { CodingState } from './coding.svelte'
import { HistoryState } from './history.svelte'
import { LibraryState, readFiles, type IncomingDocument } from './library.svelte'
import { NotesState } from './notes.svelte'
import { Notices } from './notices.svelte'
import { ExporterState } from './exporter.svelte'
import { BackupsState } from './backups.svelte'
import { ReaderPrefs } from './reader-prefs.svelte'
import { SearchState } from './search.svelte'
import { SuggestionsState } from './suggestions.svelte'
import { ThemeState } from './theme.svelte'

/** Every piece of renderer state, and the actions that span more than one of them. */
export class Workspace {
  readonly notices = new Notices()
  readonly history = new HistoryState(this.notices)
  readonly library = new LibraryState(this.notices)
  readonly coding = new CodingState(this.notices, this.history, () => {
    this.#libraryChanged()
    // A passage coded or deleted by hand changes what is left to suggest.
    void this.suggestions.reload()
  })
  readonly search = new SearchState()
  // A codebook edit can recode passages and change the dictionaries behind the suggestions.
  readonly codebook = new CodebookState(this.notices, this.history, () =>
    Promise.all([this.coding.refresh(), this.#refreshAnalysis(), this.suggestions.reload()]).then(() => undefined)
  )
  readonly notes = new NotesState(this.notices)
  /** The autocoding review queue: accepting codes passages, so the passages and the library's bars follow. */
  readonly suggestions = new SuggestionsState(this.notices, this.history, async () => {
    await this.coding.refresh()
    this.#libraryChanged()
  })
  readonly appInfo = new AppInfoState(this.notices)
  readonly theme = new ThemeState()
  readonly prefs = new ReaderPrefs()
  readonly backups = new BackupsState(this.notices, () => this.notes.flush())
  readonly exporter = new ExporterState(
    this.notices,
    {
      current: () => this.library.current?.id ?? null,
      shown: () => this.library.visible.map((a) => a.id),
      library: () => this.library.articles.map((a) => a.id),
      codeIds: () => this.codebook.codes.map((c) => c.id)
    },
    // Imported annotations may add articles, codes, passages and notes anywhere.
    () => Promise.all([this.library.refresh(), this.codebook.load(), this.coding.refresh(), this.notes.refresh()]).then(() => this.#refreshAnalysis())
  )
  readonly analysis = new AnalysisState(this.notices, this.codebook, () => this.library.visible.map((a) => a.id as ArticleId))

  /** What the main area shows: the reader with its annotations panel, or the analysis screen. */
  view = $state<'reader' | 'analysis'>('reader')

  /** The reader's current non-empty selection, while the code picker may show. */
  selection = $state.raw<ReaderSelection | null>(null)
  /** Escape hides the picker until the selection changes. */
  pickerDismissed = $state(false)
  codebookOpen = $state(false)
  /** What the annotations panel shows: the coded passages, the article memo or the suggestions to review. */
  panelTab = $state<'passages' | 'memo' | 'suggestions'>('passages')
  /** An orphaned highlight waiting for the user to select its new text. */
  reattaching = $state<HighlightId | null>(null)

  /** A place in the text for the reader to select and scroll to (a search hit); `seq` makes repeats distinct. */
  textTarget = $state.raw<{ start: number; end: number; seq: number } | null>(null)
  /** A re-import under review: the new document and what it would do to the highlights. */
  reimport = $state.raw<{ doc: IncomingDocument; review: ReimportReview } | null>(null)
  #libraryTimer: ReturnType<typeof setTimeout> | undefined

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

  /** Opens an article with its highlights (in the reader, leaving the analysis screen). */
  async open(id: ArticleId): Promise<void> {
    this.view = 'reader'
    this.selection = null
    this.reattaching = null
    // The open note is saved before anything else changes.
    await this.notes.close()
    // The review queue belongs to the article it was scanned for.
    if (!this.suggestions.isFor(id)) this.suggestions.clear()
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
    // While another article is loading, the selection belongs to the one still shown: code nothing.
    if (!selection || !text || this.library.current?.id !== this.coding.articleId) return false
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
    if (!selection || !id || !text || this.library.current?.id !== this.coding.articleId) return
    const range = snapToGraphemes(text, selection.start, selection.end)
    await this.coding.reattach(id, range.start, range.end)
    this.reattaching = null
    if (this.selection === selection) this.selection = null
  }

  #libraryChanged(): void {
    clearTimeout(this.#libraryTimer)
    this.#libraryTimer = setTimeout(() => void this.library.refresh(), 300)
  }

  /** Imports picked, dropped or pasted documents, reports each outcome, and opens the first that came in. */
  async importDocuments(documents: IncomingDocument[], refused: ImportOutcome[] = []): Promise<void> {
    const outcomes = [...refused, ...(await this.library.importAll(documents))]
    this.reportImports(outcomes)
    const first = outcomes.find((o) => o.ok && o.articleId)
    if (first?.articleId) await this.open(first.articleId as ArticleId)
  }

  /** Imports files from the file picker or a drop. */
  async importFiles(files: Iterable<File>): Promise<void> {
    const { documents, refused } = await readFiles(files)
    await this.importDocuments(documents, refused)
  }

  /** Tells the user what came in and what did not, file by file. */
  reportImports(outcomes: ImportOutcome[]): void {
    const ok = outcomes.filter((o) => o.ok)
    if (ok.length > 0) this.notices.push('info', ok.length === 1 ? 'Imported' : `Imported ${ok.length} articles`, ok.map((o) => o.title ?? o.fileName).join(' · '))
    for (const failure of outcomes.filter((o) => !o.ok)) this.notices.push('error', `Could not import ${failure.fileName}`, failure.error ?? 'Unknown error')
  }

  /** Reads a newer version of the open article and shows what would happen to its passages. */
  async reviewReimport(files: Iterable<File>): Promise<void> {
    const { documents, refused } = await readFiles(files)
    this.reportImports(refused)
    const doc = documents[0]
    if (!doc) return
    await this.notes.close()
    const review = await this.library.replaceText(doc, false)
    if (review) this.reimport = { doc, review }
  }

  /** Accepts the reviewed re-import: replaces the text and re-anchors the passages. */
  async acceptReimport(): Promise<void> {
    const pending = this.reimport
    const id = this.library.current?.id
    if (!pending || !id) return
    const applied = await this.library.replaceText(pending.doc, true)
    this.reimport = null
    if (applied) {
      await Promise.all([this.coding.load(id), this.notes.load(id), this.suggestions.reload()])
      const detached = applied.items.filter((i) => i.status === 'orphaned').length
      this.notices.push('info', 'New version in place', `${applied.items.length - detached} passages re-anchored${detached ? `, ${detached} detached` : ''}.`)
    }
  }

  /** Opens a search hit: its article, then its passage or the matched words. */
  async openHit(group: SearchGroup, hit: SearchHit): Promise<void> {
    this.search.close()
    this.view = 'reader'
    if (this.library.current?.id !== group.article.id) await this.open(group.article.id)
    if (hit.highlightId && this.coding.highlights.some((h) => h.id === hit.highlightId)) {
      this.coding.show(hit.highlightId)
      return
    }
    if (hit.offset !== null) {
      const from = hit.snippet.indexOf(MATCH_START)
      const to = hit.snippet.indexOf(MATCH_END, from)
      const term = from >= 0 && to > from ? hit.snippet.slice(from + 1, to) : ''
      this.textTarget = { start: hit.offset, end: hit.offset + Math.max(1, codePointLength(term)), seq: (this.textTarget?.seq ?? 0) + 1 }
    }
  }

  /** Shows the analysis screen (saving the open note first, since the panel that holds it goes) and reloads it. */
  async showAnalysis(): Promise<void> {
    await this.notes.close()
    this.selection = null
    this.view = 'analysis'
    await this.analysis.refresh()
  }

  /** Back from the analysis screen to the reader. */
  showReader(): void {
    this.view = 'reader'
  }

  /** Jumps from an analysis to a passage's source: the reader opens its article and shows the passage. */
  async openPassage(ref: PassageRef): Promise<void> {
    this.view = 'reader'
    if (this.library.current?.id !== ref.articleId) await this.open(ref.articleId)
    if (this.panelTab !== 'passages') await this.showTab('passages')
    if (this.coding.highlights.some((h) => h.id === ref.highlightId)) this.coding.show(ref.highlightId)
    else this.notices.push('error', 'The passage is gone', 'It was deleted or changed since the analysis was built.')
  }

  #refreshAnalysis(): Promise<void> {
    return this.view === 'analysis' ? this.analysis.refresh() : Promise.resolve()
  }

  /** Switches the panel between passages and the memo, saving whatever note was open. */
  async showTab(tab: 'passages' | 'memo' | 'suggestions'): Promise<void> {
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
    if (current && (change.codebookChanged || change.articleIds.includes(current))) reloads.push(this.coding.refresh(), this.notes.refresh(), this.suggestions.reload())
    await Promise.all(reloads)
    // After the codebook, so the analysis sees the codes as they are now.
    await this.#refreshAnalysis()
    // An undo can remove the passage whose note is open; that note cannot be saved any more.
    const target = this.notes.draft?.target
    if (target && 'highlightId' in target && !this.coding.highlights.some((h) => h.id === target.highlightId)) this.notes.discard()
    this.notices.push('info', verb, change.applied ?? '')
  }
}
