import type { Suggestion } from '../../shared/domain/analysis'
import type { Code } from '../../shared/domain/code'
import { codeDimension } from '../../shared/domain/code-dimension'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId } from '../../shared/domain/ids'
import { codePointLength, sliceCodePoints } from '../../shared/anchoring/code-points'
import { suggestCodes } from '../../shared/autocode/suggest-codes'
import type { CodeDictionary } from '../../shared/autocode/code-dictionary'
import { AppError } from '../../shared/result'
import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import { nowIso } from '../db/repositories/clock'
import { ChangeRecorder } from './change-set'
import type { History } from './history'
import { codeRange } from './code-range'
import { LABELS } from './history-labels'

/** A suggestion the analyst accepted, with the codes kept (the proposed stance, changed or not, and issues). */
export interface AcceptedSuggestion {
  start: number
  end: number
  codeIds: readonly CodeId[]
  /** The stance code the suggestion proposed; when the analyst changed it, the proposal counts as rejected. */
  codeId?: CodeId
  /** The sentence as the queue showed it; when the text there differs now, the article changed since the scan. */
  exact?: string
}

/** A suggestion the analyst rejected: the sentence and the stance code proposed for it. */
export interface RejectedSuggestion {
  start: number
  end: number
  codeId: CodeId
  /** The sentence as the queue showed it (see AcceptedSuggestion). */
  exact?: string
}

interface RejectionRow {
  article_id: string
  start: number
  end: number
  code_id: string
  exact: string
  rejected_at: string
}

/** A coded passage covers a sentence when it overlaps at least half of it. */
const COVERED_SHARE = 0.5

/**
 * Autocoding suggestions: runs the suggestion engine over an article with the codebook's dictionaries and
 * leaves out what is already coded or was rejected. Accepting codes passages in one undoable step;
 * rejecting is remembered per article, sentence and code, also undoable. Nothing is coded without accept.
 */
export class SuggestionService {
  constructor(
    private readonly db: Db,
    private readonly repos: Repositories,
    private readonly history: History
  ) {}

  /** The open suggestions for an article, in reading order. */
  list(articleId: ArticleId): Suggestion[] {
    const text = this.liveText(articleId)
    const codes = this.repos.codes.list()
    const byId: Record<string, Code> = Object.fromEntries(codes.map((code) => [code.id, code]))
    const dictionaries: CodeDictionary[] = []
    for (const code of codes) {
      const kind = codeDimension(code, byId)
      if ((kind === 'stance' || kind === 'issue') && code.dictionary.length > 0) dictionaries.push({ codeId: code.id, kind, terms: code.dictionary })
    }
    if (!dictionaries.some((d) => d.kind === 'stance')) return []
    const drafts = suggestCodes(text, dictionaries)
    // A rejection holds for the sentence it was given on: after a new version of the article, other words at
    // the same offsets are asked about afresh.
    const rejected = new Map(
      this.db
        .prepare<[string], RejectionRow>('SELECT * FROM suggestion_rejections WHERE article_id = ?')
        .all(articleId)
        .map((row) => [`${row.start}-${row.end}-${row.code_id}`, row.exact])
    )
    const placed = this.repos.highlights.listByArticle(articleId).filter((h) => !h.orphaned)
    const ancestors = (id: string): string[] => {
      const chain: string[] = []
      for (let parent = byId[id]?.parentId; parent && chain.length < 64; parent = byId[parent]?.parentId) chain.push(parent)
      return chain
    }
    const covered = (start: number, end: number, codeId: string): boolean =>
      placed.some((h) => {
        const overlap = Math.min(end, h.end) - Math.max(start, h.start)
        return overlap >= (end - start) * COVERED_SHARE && h.codeIds.some((id) => id === codeId || ancestors(id).includes(codeId))
      })
    return drafts
      .filter((draft) => rejected.get(`${draft.start}-${draft.end}-${draft.codeId}`) !== draft.exact && !covered(draft.start, draft.end, draft.codeId))
      .map((draft) => ({
        key: `${draft.start}-${draft.end}-${draft.codeId}`,
        articleId,
        start: draft.start,
        end: draft.end,
        exact: draft.exact,
        codeId: draft.codeId as CodeId,
        issueCodeIds: draft.issueCodeIds as CodeId[],
        actor: draft.actor,
        cue: draft.cue,
        score: draft.score
      }))
  }

  /**
   * Codes accepted suggestions in one undoable step. A sentence someone already coded over exactly that
   * range gets the codes added instead of a second passage, as coding by hand does.
   */
  accept(articleId: ArticleId, items: readonly AcceptedSuggestion[]): Highlight[] {
    const text = this.liveText(articleId)
    const now = nowIso()
    const { results, set, replaced } = this.db.transaction(() => {
      const recorder = new ChangeRecorder(this.db, this.repos)
      const results: Highlight[] = []
      // A proposal whose code the analyst changed is answered: it is remembered as rejected in the same step.
      const replaced: RejectionRow[] = []
      for (const item of items) {
        assertSameText(text, item)
        const codeIds = [...new Set(item.codeIds)]
        for (const id of codeIds) this.repos.codes.requireApplicable(id)
        if (item.codeId && !codeIds.includes(item.codeId)) {
          this.repos.codes.requireApplicable(item.codeId)
          const row = { article_id: articleId, start: item.start, end: item.end, code_id: item.codeId, exact: sliceCodePoints(text, item.start, item.end), rejected_at: now }
          if (this.statements().insert.run(row).changes === 1) replaced.push(row)
        }
        results.push(codeRange(this.repos, recorder, articleId, item.start, item.end, codeIds).highlight)
      }
      return { results, set: recorder.finish(), replaced }
    })()
    if (!set.isEmpty || replaced.length > 0) {
      const entry = set.toEntry(LABELS.acceptSuggestions(items.length))
      const { insert, remove } = this.statements()
      this.history.record({
        ...entry,
        undo: () =>
          this.db.transaction(() => {
            entry.undo()
            for (const row of replaced) remove.run(row)
          })(),
        redo: () =>
          this.db.transaction(() => {
            if (!this.db.prepare('SELECT 1 FROM articles WHERE id = ?').get(articleId)) throw new AppError('conflict', 'Its article has been deleted since.')
            entry.redo()
            for (const row of replaced) if (this.repos.codes.find(row.code_id as CodeId)) insert.run(row)
          })()
      })
    }
    return results
  }

  /** Remembers rejected suggestions so they are not proposed again; one undoable step. */
  reject(articleId: ArticleId, items: readonly RejectedSuggestion[]): { rejected: number } {
    const text = this.liveText(articleId)
    const length = codePointLength(text)
    for (const item of items) {
      if (item.end > length) throw new AppError('invalid-input', `The suggestion ${item.start}–${item.end} lies beyond the end of the article (${length} characters).`)
      assertSameText(text, item)
      this.repos.codes.requireApplicable(item.codeId)
    }
    const now = nowIso()
    const { insert, remove } = this.statements()
    const rows: RejectionRow[] = this.db.transaction(() =>
      items
        .map((item) => ({ article_id: articleId, start: item.start, end: item.end, code_id: item.codeId, exact: sliceCodePoints(text, item.start, item.end), rejected_at: now }))
        .filter((row) => insert.run(row).changes === 1)
    )()
    if (rows.length > 0) {
      this.history.record({
        label: LABELS.rejectSuggestions(rows.length),
        articleIds: [articleId],
        codebookChanged: false,
        undo: () => this.db.transaction(() => rows.forEach((row) => remove.run(row)))(),
        redo: () =>
          this.db.transaction(() => {
            if (!this.db.prepare('SELECT 1 FROM articles WHERE id = ?').get(articleId)) throw new AppError('conflict', 'Its article has been deleted since.')
            for (const row of rows) {
              if (!this.repos.codes.find(row.code_id as CodeId)) throw new AppError('conflict', 'A code it rejected has been deleted since.')
              insert.run(row)
            }
          })()
      })
    }
    return { rejected: rows.length }
  }

  private statements() {
    return {
      insert: this.db.prepare(
        'INSERT OR IGNORE INTO suggestion_rejections (article_id, start, end, code_id, exact, rejected_at) VALUES (@article_id, @start, @end, @code_id, @exact, @rejected_at)'
      ),
      remove: this.db.prepare('DELETE FROM suggestion_rejections WHERE article_id = @article_id AND start = @start AND end = @end AND code_id = @code_id')
    }
  }

  private liveText(articleId: ArticleId): string {
    const article = this.db.prepare<[string], { text: string; deleted_at: string | null }>('SELECT text, deleted_at FROM articles WHERE id = ?').get(articleId)
    if (!article) throw new AppError('not-found', `There is no article with id ${articleId}.`)
    if (article.deleted_at) throw new AppError('invalid-input', 'This article is in the trash; restore it to work on suggestions.')
    return article.text
  }
}

// The queue's offsets are only good for the text they were found in.
function assertSameText(text: string, item: { start: number; end: number; exact?: string }): void {
  if (item.exact !== undefined && sliceCodePoints(text, item.start, item.end) !== item.exact) {
    throw new AppError('conflict', 'The article’s text has changed since these suggestions were made; scan again.')
  }
}
