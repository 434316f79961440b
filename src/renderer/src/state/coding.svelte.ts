import type { Code } from '../../../shared/domain/code'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId } from '../../../shared/domain/ids'
import { api, unwrap } from '../lib/api'
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
  async code(start: number, end: number, codeId: CodeId): Promise<Highlight | null> {
    const articleId = this.articleId
    if (!articleId) return null
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
  async recode(id: HighlightId, codeIds: CodeId[]): Promise<void> {
    try {
      this.#upsert(await unwrap(api.highlights.update({ id, codeIds })))
      await this.history.refresh()
      this.afterChange()
    } catch (error) {
      this.notices.report('Could not change the codes', error)
    }
  }

  /** Adds or removes one code of a highlight; removing the last code deletes the passage. */
  async toggleCode(highlight: Highlight, codeId: CodeId): Promise<void> {
    const has = highlight.codeIds.includes(codeId)
    const next = has ? highlight.codeIds.filter((id) => id !== codeId) : [...highlight.codeIds, codeId]
    if (next.length === 0) await this.remove(highlight.id)
    else await this.recode(highlight.id, next)
  }

  /** Moves an orphaned (or any) highlight to a new range. */
  async reattach(id: HighlightId, start: number, end: number): Promise<void> {
    try {
      this.#upsert(await unwrap(api.highlights.update({ id, range: { start, end } })))
      this.activeId = id
      await this.history.refresh()
    } catch (error) {
      this.notices.report('Could not re-attach the passage', error)
    }
  }

  /** Deletes a highlight (undoable). */
  async remove(id: HighlightId): Promise<void> {
    try {
      await unwrap(api.highlights.delete({ id }))
      this.highlights = this.highlights.filter((h) => h.id !== id)
      if (this.activeId === id) this.activeId = null
      await this.history.refresh()
      this.afterChange()
    } catch (error) {
      this.notices.report('Could not delete the passage', error)
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

  #upsert(highlight: Highlight): void {
    const others = this.highlights.filter((h) => h.id !== highlight.id)
    this.highlights = [...others, highlight].sort((a, b) => a.start - b.start || a.end - b.end)
  }
}
