import type { Db } from '../db/connection'
import type { ArticleMetaPatch } from '../db/repositories/article-repository'
import type { Repositories } from '../db/repositories/repositories'
import { CodePointIndex } from '../../shared/anchoring/code-point-index'
import { isPlaced, reanchorAll, type AnchorResult } from '../../shared/anchoring/reanchor'
import { QUOTE_CONTEXT, textQuoteAt, type TextQuote } from '../../shared/anchoring/text-quote'
import type { Article } from '../../shared/domain/article'
import { canonicalText } from '../../shared/domain/canonical-text'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId } from '../../shared/domain/ids'
import type { ReimportItem, ReimportReview } from '../../shared/domain/reimport'
import { AppError } from '../../shared/result'
import { countWords } from '../db/repositories/article-repository'
import { nowIso } from '../db/repositories/clock'
import { importDocument, type ImportRequest } from './import'

/**
 * The quote selector of a code-point range, as textQuoteAt cuts it, but read from a window around the
 * range so that re-anchoring hundreds of highlights in a long article stays linear.
 */
export function quoteAt(index: CodePointIndex, start: number, end: number): TextQuote {
  const { text } = index
  const startUnit = index.toUtf16(start)
  const endUnit = index.toUtf16(end)
  // 2 units per code point at most, plus one so the window never begins or ends inside the context.
  const reach = 2 * QUOTE_CONTEXT + 2
  let from = Math.max(0, startUnit - reach)
  let to = Math.min(text.length, endUnit + reach)
  if (index.splitsPair(from)) from--
  if (index.splitsPair(to)) to++
  const window = text.slice(from, to)
  const offset = index.toCodePoint(from)
  return textQuoteAt(window, start - offset, end - offset)
}


/** One highlight's fate in a re-import, with what to store for it. */
interface Plan {
  item: ReimportItem
  quote: TextQuote | null
  highlight: Highlight
}

/**
 * The library: importing documents as articles, editing their metadata, the trash, and re-importing a
 * newer version of an article's text with its highlights re-anchored. None of these are undo entries:
 * the trash is its own undo, and a re-import is reviewed before it is applied.
 */
export class LibraryService {
  constructor(
    private readonly db: Db,
    private readonly repos: Repositories
  ) {}

  /** Imports one document as a new article (see importDocument for what is accepted and refused). */
  async import(request: ImportRequest): Promise<Article> {
    const { meta, doc } = await importDocument(request)
    return this.repos.articles.insert(meta, doc)
  }

  /** Edits an article's metadata (in the library or the trash). */
  update(id: ArticleId, patch: ArticleMetaPatch): Article {
    return this.repos.articles.update(id, patch)
  }

  /** Moves an article to the trash; its highlights and notes stay as they are. */
  delete(id: ArticleId): { id: ArticleId } {
    this.repos.articles.softDelete(id)
    return { id }
  }

  /** Brings an article back from the trash. */
  restore(id: ArticleId): Article {
    return this.repos.articles.restore(id)
  }

  /** Deletes a trashed article for good; an article still in the library is a conflict. */
  purge(id: ArticleId): { id: ArticleId } {
    this.repos.articles.purge(id)
    return { id }
  }

  /**
   * Re-imports a newer version of an article's text. Every highlight (detached ones too) is re-anchored in
   * the new text and classified: unchanged (same place, same words), moved (same words elsewhere), changed
   * (found approximately: its words differ) or orphaned (not found). With `apply` false nothing changes;
   * with `apply` true the document, text and every highlight are replaced in one transaction — moved and
   * changed highlights get their new range with quote and context cut from the new text, orphaned ones keep
   * their last quote and are flagged. The title and other metadata stay as the analyst left them.
   */
  async replaceText(id: ArticleId, request: ImportRequest, apply: boolean): Promise<ReimportReview> {
    // Fail fast for an unknown article, before parsing a possibly large document.
    this.repos.articles.isTrashed(id)
    const { doc } = await importDocument(request)
    // Everything from here on is synchronous, so the review describes exactly the state it is applied to.
    const before = this.db.prepare<[string], { word_count: number }>('SELECT word_count FROM articles WHERE id = ?').get(id)
    // The article may have been purged while the document was read.
    if (!before) throw new AppError('not-found', `There is no article with id ${id}.`)
    const text = canonicalText(doc)
    const index = new CodePointIndex(text)
    const highlights = this.repos.highlights.listByArticle(id)
    const results = highlights.length > 0 ? reanchorAll(text, highlights) : []
    const plans = highlights.map((highlight, i): Plan => this.plan(highlight, results[i], index))
    const review = (applied: boolean): ReimportReview => ({
      applied,
      wordsBefore: before.word_count,
      wordsAfter: countWords(text),
      items: plans.map((plan) => plan.item)
    })
    if (!apply) return review(false)
    this.db.transaction(() => {
      this.repos.articles.replaceDocument(id, doc)
      const now = nowIso()
      // Every write raises the highlight's version, so a window still showing the old place cannot act on it unseen.
      const place = this.db.prepare('UPDATE highlights SET start = ?, end = ?, exact = ?, prefix = ?, suffix = ?, orphaned = 0, updated_at = ?, version = version + 1 WHERE id = ?')
      const orphan = this.db.prepare('UPDATE highlights SET orphaned = 1, updated_at = ?, version = version + 1 WHERE id = ? AND orphaned = 0')
      for (const { item, quote, highlight } of plans) {
        if (item.status === 'orphaned' || !quote || item.start === null || item.end === null) {
          orphan.run(now, highlight.id)
        } else if (item.status !== 'unchanged' || quote.prefix !== highlight.prefix || quote.suffix !== highlight.suffix) {
          // An unchanged highlight keeps its updated_at unless its context moved around it.
          place.run(item.start, item.end, quote.exact, quote.prefix, quote.suffix, item.status === 'unchanged' ? highlight.updatedAt : now, highlight.id)
        }
      }
    })()
    return review(true)
  }

  private plan(highlight: Highlight, result: AnchorResult | undefined, index: CodePointIndex): Plan {
    const base = { highlightId: highlight.id, before: highlight.exact }
    if (!isPlaced(result, index.length)) {
      return { item: { ...base, after: null, status: 'orphaned', start: null, end: null }, quote: null, highlight }
    }
    const quote = quoteAt(index, result.start, result.end)
    const samePlace = !highlight.orphaned && result.start === highlight.start && result.end === highlight.end
    const status: ReimportItem['status'] = quote.exact !== highlight.exact ? 'changed' : samePlace ? 'unchanged' : 'moved'
    return { item: { ...base, after: quote.exact, status, start: result.start, end: result.end }, quote, highlight }
  }
}
