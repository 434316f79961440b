import type { Suggestion } from '../../../shared/domain/analysis'
import type { ArticleId, CodeId } from '../../../shared/domain/ids'
import { api, unwrap } from '../lib/api'
import type { HistoryState } from './history.svelte'
import type { Notices } from './notices.svelte'

/** What the analyst made of a suggestion before accepting it: the stance code and the issue codes kept. */
export interface SuggestionChoice {
  codeId: CodeId
  issueCodeIds: CodeId[]
}

/**
 * The review queue of autocoding suggestions for the open article. The main process decides what is
 * proposed (already coded and rejected sentences are left out), so after every change the queue is
 * simply read again; nothing is coded until the analyst accepts.
 */
export class SuggestionsState {
  /** The article the queue was scanned for; null before the first scan of the open article. */
  articleId = $state<ArticleId | null>(null)
  items = $state.raw<Suggestion[]>([])
  scanning = $state(false)
  /** Whether the queue has held suggestions since the scan: an empty queue then means all were reviewed. */
  hadItems = $state(false)
  /** An accept or reject is being saved; the queue's actions wait until it is. */
  saving = $state(false)
  /** The suggestion under review (keyboard focus in the list, dashed underline in the reader). */
  focusedKey = $state<string | null>(null)
  /** Code changes and issue toggles by suggestion key; kept while the article is open, so an undone accept comes back as it was. */
  choices = $state.raw<Record<string, SuggestionChoice>>({})

  focused: Suggestion | null = $derived(this.items.find((i) => i.key === this.focusedKey) ?? null)
  /** Answers to an older request are dropped: the newest reading of the queue wins. */
  #request = 0

  constructor(
    private readonly notices: Notices,
    private readonly history: HistoryState,
    /** Reloads what accepting changed: the article's passages and the library's code bars. */
    private readonly afterCoding: () => Promise<void>
  ) {}

  /** Whether the queue shown belongs to this article. */
  isFor(articleId: ArticleId | null | undefined): boolean {
    return articleId != null && this.articleId === articleId
  }

  /** Scans an article (again): reads its suggestions. */
  async scan(articleId: ArticleId): Promise<void> {
    if (this.articleId !== articleId) this.clear()
    this.articleId = articleId
    this.scanning = true
    try {
      await this.#load(articleId)
    } finally {
      this.scanning = false
    }
  }

  /** Reads the queue again after a change elsewhere (undo, coding, the codebook); nothing when no scan ran. */
  async reload(): Promise<void> {
    if (this.articleId) await this.#load(this.articleId)
  }

  /** Forgets the queue (another article was opened). */
  clear(): void {
    this.#request++
    this.articleId = null
    this.items = []
    this.focusedKey = null
    this.choices = {}
    this.hadItems = false
  }

  /** The codes a suggestion will be accepted with. */
  choiceOf(item: Suggestion): SuggestionChoice {
    return this.choices[item.key] ?? { codeId: item.codeId, issueCodeIds: item.issueCodeIds }
  }

  /** Proposes another stance code for a suggestion. */
  setCode(item: Suggestion, codeId: CodeId): void {
    this.choices = { ...this.choices, [item.key]: { ...this.choiceOf(item), codeId } }
  }

  /** Keeps or drops one of the proposed issue codes. */
  toggleIssue(item: Suggestion, codeId: CodeId): void {
    const choice = this.choiceOf(item)
    const issueCodeIds = choice.issueCodeIds.includes(codeId) ? choice.issueCodeIds.filter((id) => id !== codeId) : [...choice.issueCodeIds, codeId]
    this.choices = { ...this.choices, [item.key]: { ...choice, issueCodeIds: item.issueCodeIds.filter((id) => issueCodeIds.includes(id)) } }
  }

  /** Moves the review to the next (1) or previous (-1) suggestion; returns it. */
  step(direction: 1 | -1): Suggestion | null {
    if (this.items.length === 0) return null
    const current = this.items.findIndex((i) => i.key === this.focusedKey)
    const index = current === -1 ? 0 : Math.min(this.items.length - 1, Math.max(0, current + direction))
    const item = this.items[index] ?? null
    this.focusedKey = item?.key ?? null
    return item
  }

  /** Codes the given suggestions with the codes chosen for each, in one undoable step. */
  accept(items: Suggestion[]): Promise<boolean> {
    const n = items.length
    return this.#change(n === 1 ? 'Could not accept the suggestion' : `Could not accept ${n} suggestions`, async (articleId) => {
      const accepted = items.map((item) => {
        const choice = this.choiceOf(item)
        // The proposed code goes along: when the analyst changed it, main records the proposal as answered.
        return { start: item.start, end: item.end, codeIds: [choice.codeId, ...choice.issueCodeIds.filter((id) => id !== choice.codeId)], codeId: item.codeId, exact: item.exact }
      })
      await unwrap(api.suggestions.accept({ articleId, items: accepted }))
      return true
    })
  }

  /** Rejects suggestions (as proposed), so they are not proposed again, in one undoable step. */
  reject(items: Suggestion[]): Promise<boolean> {
    const n = items.length
    return this.#change(n === 1 ? 'Could not reject the suggestion' : `Could not reject ${n} suggestions`, async (articleId) => {
      await unwrap(api.suggestions.reject({ articleId, items: items.map((item) => ({ start: item.start, end: item.end, codeId: item.codeId, exact: item.exact })) }))
      return false
    })
  }

  /**
   * Runs one accept or reject. On failure the queue stays exactly as it was and the user is told why;
   * on success the undo history, the queue and (after coding) the passages are read again.
   */
  async #change(failure: string, run: (articleId: ArticleId) => Promise<boolean /* coded something */>): Promise<boolean> {
    const articleId = this.articleId
    if (!articleId || this.saving) return false
    this.saving = true
    try {
      let coded: boolean
      try {
        coded = await run(articleId)
      } catch (error) {
        this.notices.report(failure, error)
        return false
      }
      await Promise.all([this.history.refresh(), coded ? this.afterCoding() : Promise.resolve(), this.#load(articleId)])
      return true
    } finally {
      this.saving = false
    }
  }

  async #load(articleId: ArticleId): Promise<void> {
    const request = ++this.#request
    try {
      const items = await unwrap(api.suggestions.list({ articleId }))
      if (request === this.#request && this.articleId === articleId) this.#show(items)
    } catch (error) {
      if (request === this.#request) this.notices.report('Could not suggest codes', error)
    }
  }

  /**
   * Shows a new reading of the queue. Review carries on where it was: when the focused suggestion left
   * (accepted or rejected), the one that took its place is focused; when an undo brought one back, that one is.
   */
  #show(items: Suggestion[]): void {
    const before = this.items
    const known: Record<string, true> = Object.fromEntries(before.map((i) => [i.key, true]))
    const index = before.findIndex((i) => i.key === this.focusedKey)
    this.items = items
    if (items.length > 0) this.hadItems = true
    const returned = before.length > 0 ? items.find((i) => !known[i.key]) : undefined
    if (returned) this.focusedKey = returned.key
    else if (!items.some((i) => i.key === this.focusedKey)) this.focusedKey = items[Math.min(Math.max(index, 0), items.length - 1)]?.key ?? null
  }
}
