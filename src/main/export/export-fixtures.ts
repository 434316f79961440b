import { codePointLength } from '../../shared/anchoring/code-points'
import type { Article } from '../../shared/domain/article'
import type { ArticleBlock, ArticleDoc } from '../../shared/domain/article-doc'
import { canonicalText } from '../../shared/domain/canonical-text'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId, HighlightId, NoteId } from '../../shared/domain/ids'
import type { Note } from '../../shared/domain/note'
import type { NoteDoc } from '../../shared/domain/note-doc'

/** The creation time every fixture row carries unless told otherwise. */
export const FIXTURE_TIME = '2025-02-18T09:00:00.000Z'

/** A code for exporter tests (plain values, no database). */
export function codeOf(id: string, name: string, parentId: string | null, fields: Partial<Code> = {}): Code {
  return { id: id as CodeId, name, color: '#336699', description: '', parentId: parentId as CodeId | null, sortOrder: 0, shortcut: null, groupKind: null, dictionary: [], createdAt: FIXTURE_TIME, updatedAt: FIXTURE_TIME, ...fields }
}

/** A paragraph of text runs; null stands for a hard break. */
export function paragraphOf(...parts: (string | null)[]): ArticleBlock {
  return { type: 'paragraph', content: parts.map((part) => (part === null ? { type: 'hardBreak' as const } : { type: 'text' as const, text: part })) }
}

/** An article whose canonical text is derived from its blocks (strings become paragraphs), as the store derives it. */
export function articleOf(id: string, title: string, blocks: (ArticleBlock | string)[], meta: Partial<Article> = {}): Article {
  const doc: ArticleDoc = { type: 'doc', content: blocks.map((block) => (typeof block === 'string' ? paragraphOf(block) : block)) }
  const text = canonicalText(doc)
  return {
    id: id as ArticleId,
    title,
    outlet: null,
    author: null,
    publishedAt: '2025-02-18',
    sourceUrl: null,
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    length: codePointLength(text),
    wordCount: text.split(/\s+/).filter(Boolean).length,
    codeCounts: {},
    deletedAt: null,
    doc,
    text,
    ...meta
  }
}

/** A highlight over the first occurrence of `exact` in the article's text, offsets in code points. */
export function highlightOf(article: Article, id: string, exact: string, codes: readonly Code[], fields: Partial<Highlight> = {}): Highlight {
  const index = article.text.indexOf(exact)
  if (index < 0) throw new Error(`not in text: ${exact}`)
  const start = codePointLength(article.text.slice(0, index))
  return {
    id: id as HighlightId,
    articleId: article.id,
    start,
    end: start + codePointLength(exact),
    exact,
    prefix: '',
    suffix: '',
    orphaned: false,
    codeIds: codes.map((c) => c.id),
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...fields
  }
}

/** A note with the given document (html and plain left for the exporter under test to derive). */
export function noteOf(id: string, doc: NoteDoc, target: Note['target'], fields: Partial<Note> = {}): Note {
  return { id: id as NoteId, target, doc, html: '', plain: '', version: 1, createdAt: FIXTURE_TIME, updatedAt: FIXTURE_TIME, ...fields }
}
