import type { Code } from '../../../shared/domain/code'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import { api, ApiError, unwrap } from '../lib/api'
import type { HistoryState } from './history.svelte'
import type { Notices } from './notices.svelte'

/** A request for the reader to scroll to a highlight and flash it; `seq` makes repeats distinct. */
export interface RevealRequest {
  id: HighlightId
  seq: number
}

/** The highlights of the open article and every coding action on them. */
export class CodingState {
  articleId = $state<ArticleId | null>(null)
  highlights = $state.raw<Highlight[]>([])
  /** The highlight under the caret or chosen in the panel. */
  activeId = $state<HighlightId | null>(null)
  reveal = $state.raw<RevealRequest | null>(null)
  #seq = 0
  /** Changes run one after another, so each is based on the version the one before it left. */
  #queue: Promise<unknown> = Promise.resolve()

  /** Live highlights (not orphaned), in reading order. */
  placed = $derived(this.highlights.filter((h) => !h.orphaned))
  /** Highlights whose text could not be found any more. */
  orphans = $derived(this.highlights.filter((h) => h.orphaned))

  constructor(
    private readonly notices: Notices,
    private readonly history: HistoryState,
    /** Runs after every change of passages (the library's per-code bars follow). */
    private readonly afterChange: () => void = () => {}
  ) {}

  /** Loads the highlights of an article (null clears). */
  async load(articleId: ArticleId | null): Promise<void> {
    this.articleId = articleId
    this.activeId = null
    if (!articleId) {
      this.highlights = []
      return
    }
    try {
      const highlights = await unwrap(api.highlights.list({ articleId }))
      if (this.articleId === articleId) this.highlights = highlights
    } catch (error) {
      this.notices.report('Could not load the highlights', error)
    }
  }

  /** Reloads the open article's highlights (after undo/redo or a codebook change). */
  refresh(): Promise<void> {
    return this.load(this.articleId).then(() => undefined)
  }

  /** Codes a range with one code; returns the resulting highlight. */
  code(start: number, end: number, codeId: CodeId): Promise<Highlight | null> {
    const articleId = this.articleId
    if (!articleId) return Promise.resolve(null)
    // A new passage builds on no earlier version, so it need not wait behind queued changes.
    return this.#code(articleId, start, end, codeId)
  }

  async #code(articleId: ArticleId, start: number, end: number, codeId: CodeId): Promise<Highlight | null> {
    try {
      const highlight = await unwrap(api.highlights.create({ articleId, start, end, codeIds: [codeId] }))
      this.#upsert(highlight)
      this.activeId = highlight.id
      await this.history.refresh()
      this.afterChange()
      return highlight
    } catch (error) {
      this.notices.report('Could not code the passage', error)
      return null
    }
  }

  /** Replaces the codes of a highlight. */
  recode(id: HighlightId, codeIds: CodeId[]): Promise<void> {
    return this.#serial(() => this.#recode(id, codeIds))
  }

  async #recode(id: HighlightId, codeIds: CodeId[]): Promise<void> {
    try {
      this.#upsert(await unwrap(api.highlights.update({ id, codeIds, baseVersion: this.#versionOf(id) })))
      await this.history.refresh()
      this.afterChange()
    } catch (error) {
      await this.#failed('Could not change the codes', error)
    }
  }

  /**
   * Adds or removes one code of a highlight; removing the last code deletes the passage. The codes are
   * read when the change runs, so a click made while an earlier change was saving builds on that one.
   */
  toggleCode(highlight: Highlight, codeId: CodeId): Promise<void> {
    return this.#serial(async () => {
      const current = this.highlights.find((h) => h.id === highlight.id) ?? highlight
      const has = current.codeIds.includes(codeId)
      const next = has ? current.codeIds.filter((id) => id !== codeId) : [...current.codeIds, codeId]
      if (next.length === 0) await this.#remove(current.id)
      else await this.#recode(current.id, next)
    })
  }

  /** Moves an orphaned (or any) highlight to a new range. */
  reattach(id: HighlightId, start: number, end: number): Promise<void> {
    return this.#serial(async () => {
      try {
        this.#upsert(await unwrap(api.highlights.update({ id, range: { start, end }, baseVersion: this.#versionOf(id) })))
        this.activeId = id
        await this.history.refresh()
      } catch (error) {
        await this.#failed('Could not re-attach the passage', error)
      }
    })
  }

  /** Deletes a highlight (undoable). */
  remove(id: HighlightId): Promise<void> {
    return this.#serial(() => this.#remove(id))
  }

  async #remove(id: HighlightId): Promise<void> {
    try {
      await unwrap(api.highlights.delete({ id, baseVersion: this.#versionOf(id) }))
      this.highlights = this.highlights.filter((h) => h.id !== id)
      if (this.activeId === id) this.activeId = null
      await this.history.refresh()
      this.afterChange()
    } catch (error) {
      await this.#failed('Could not delete the passage', error)
    }
  }

  /** Asks the reader to scroll to a highlight and flash it. */
  show(id: HighlightId): void {
    this.activeId = id
    this.reveal = { id, seq: ++this.#seq }
  }

  /** The innermost live highlight covering an offset, if any. */
  at(offset: number): Highlight | undefined {
    let best: Highlight | undefined
    for (const h of this.placed) {
      if (h.start <= offset && offset < h.end && (!best || h.end - h.start < best.end - best.start)) best = h
    }
    return best
  }

  /** The next (or previous) live highlight in reading order after the active one. */
  step(direction: 1 | -1): Highlight | undefined {
    const list = this.placed
    if (list.length === 0) return undefined
    const current = list.findIndex((h) => h.id === this.activeId)
    const index = current === -1 ? (direction === 1 ? 0 : list.length - 1) : (current + direction + list.length) % list.length
    return list[index]
  }

  /** Codes in codebook order for a highlight. */
  codesOf(highlight: Highlight, codes: Code[]): Code[] {
    return codes.filter((c) => highlight.codeIds.includes(c.id))
  }

  /** The version of a highlight this window last saw (sent so main can refuse a change based on an older state). */
  #versionOf(id: HighlightId): number | undefined {
    return this.highlights.find((h) => h.id === id)?.version
  }

  /** Runs one change after the ones already queued. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /**
   * Reports a failed change. When the passage was changed or deleted in another window (a conflict, or it
   * is gone), this window's copy is out of date: the article's passages are reloaded so the user sees the
   * other window's work before trying again.
   */
  async #failed(action: string, error: unknown): Promise<void> {
    if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'not-found')) {
      await this.refresh()
      this.afterChange()
    }
    this.notices.report(action, error)
  }

  #upsert(highlight: Highlight): void {
    // A change that finished after another article was opened belongs to that article's list, not this one.
    if (highlight.articleId !== this.articleId) return
    const others = this.highlights.filter((h) => h.id !== highlight.id)
    this.highlights = [...others, highlight].sort((a, b) => a.start - b.start || a.end - b.end)
  }
}
