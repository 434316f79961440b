import type { Db } from '../db/connection'
import { abbreviateQuote } from '../db/repositories/highlight-repository'
import type { Repositories } from '../db/repositories/repositories'
import type { ArticleId, HighlightId } from '../../shared/domain/ids'
import type { Note, NoteSummary, NoteTarget } from '../../shared/domain/note'
import { noteDocSchema, type NoteDoc } from '../../shared/domain/note-doc'
import { noteToHtml, noteToPlainText, type QuoteInfo, type QuoteLookup } from '../../shared/notes/note-html'
import { notePreview, quoteChips, quotedHighlightIds } from '../../shared/notes/note-summary'
import { AppError } from '../../shared/result'

/**
 * Notes on highlights and article memos. The editor's document is the source: the HTML (for export) and
 * the plain text (for search and CSV/PDF) are derived here with the shared serializer, never taken from
 * callers. Notes are outside the undo history; their version number guards against lost updates.
 */
export class NoteService {
  constructor(
    private readonly db: Db,
    private readonly repos: Repositories
  ) {}

  /** The note on a target, or null when it has none; not-found when the highlight or article does not exist. */
  get(target: NoteTarget): Note | null {
    this.articleOf(target)
    return this.repos.notes.find(target) ?? null
  }

  /**
   * Creates (baseVersion undefined) or replaces (baseVersion = the version edited) the note on a target.
   * A stale or missing version is a conflict and nothing is written. Quote chips may name highlights that
   * no longer exist (they keep their last words), but not highlights of another article.
   */
  save(target: NoteTarget, doc: NoteDoc, baseVersion: number | undefined): Note {
    const parsed = noteDocSchema.safeParse(doc)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
      throw new AppError('invalid-input', `The note does not fit the note editor's schema (${where}${issue?.message ?? 'invalid'}).`)
    }
    const valid = parsed.data
    return this.db.transaction(() => {
      const articleId = this.articleOf(target)
      const quotes = noteQuoteLookup(this.repos, valid, articleId)
      return this.repos.notes.save(target, { doc: valid, html: noteToHtml(valid, quotes), plain: noteToPlainText(valid, quotes) }, baseVersion)
    })()
  }

  /**
   * Deletes the note on a target; `deleted` says whether there was one. With `baseVersion` (the version
   * edited), a note changed in another window since is a conflict and is not deleted.
   */
  delete(target: NoteTarget, baseVersion?: number): { deleted: boolean } {
    return this.db.transaction(() => {
      this.articleOf(target)
      return { deleted: this.repos.notes.delete(target, baseVersion) }
    })()
  }

  /** An article's memo (first) and the notes on its highlights in reading order, as one-line previews. */
  list(articleId: ArticleId): NoteSummary[] {
    this.requireArticle(articleId)
    return this.repos.notes.listByArticle(articleId).map((note) => ({
      target: note.target,
      preview: notePreview(note.plain),
      version: note.version,
      updatedAt: note.updatedAt,
      quotedHighlightIds: quotedHighlightIds(note.doc)
    }))
  }

  /** The article a target belongs to; not-found when the highlight or the article does not exist. */
  private articleOf(target: NoteTarget): ArticleId {
    if ('articleId' in target) return this.requireArticle(target.articleId)
    const highlight = this.repos.highlights.find(target.highlightId)
    if (!highlight) throw new AppError('not-found', `There is no passage with id ${target.highlightId}; it may have been deleted, and its note with it.`)
    return highlight.articleId
  }

  private requireArticle(articleId: ArticleId): ArticleId {
    if (!this.repos.articles.find(articleId)) throw new AppError('not-found', `There is no article with id ${articleId}.`)
    return articleId
  }
}

/**
 * Checks the note's quote chips against the store and returns what each shows now: the highlight's
 * current words and the colour of its first code (in codebook order), "orphaned" when detached, or
 * the chip's stored words as "deleted" when the highlight is gone.
 */
export function noteQuoteLookup(repos: Repositories, doc: NoteDoc, articleId: ArticleId): QuoteLookup {
  const chips = quoteChips(doc)
  const info = new Map<string, QuoteInfo>()
  if (chips.length === 0) return (id) => info.get(id)
  const colors = new Map<string, string>(repos.codes.list().map((code) => [code.id, code.color]))
  for (const chip of chips) {
    if (info.has(chip.highlightId)) continue
    const highlight = repos.highlights.find(chip.highlightId as HighlightId)
    if (!highlight) {
      info.set(chip.highlightId, { quote: chip.quote, status: 'deleted' })
      continue
    }
    if (highlight.articleId !== articleId) {
      const article = repos.articles.find(highlight.articleId)
      const from = article ? `from “${article.title}”` : 'from another article'
      throw new AppError(
        'invalid-input',
        `The quote “${abbreviateQuote(highlight.exact)}” is ${from}; a note can only quote passages of its own article. Remove it or copy its words as text.`
      )
    }
    const firstCode = highlight.codeIds[0]
    const color = firstCode === undefined ? undefined : colors.get(firstCode)
    info.set(chip.highlightId, { quote: highlight.exact, status: highlight.orphaned ? 'orphaned' : 'live', ...(color ? { color } : {}) })
  }
  return (id) => info.get(id)
}
