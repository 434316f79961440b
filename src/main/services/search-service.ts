import type { Db } from '../db/connection'
import { codePointLength } from '../../shared/anchoring/code-points'
import type { ArticleId, HighlightId } from '../../shared/domain/ids'
import { MATCH_END, MATCH_START, type SearchGroup, type SearchHit, type SearchHitKind, type SearchResult } from '../../shared/domain/search'
import { AppError } from '../../shared/result'

/** Hits a search returns unless told otherwise. */
export const DEFAULT_SEARCH_LIMIT = 50
/** Tokens of context a snippet shows around its matches. */
const SNIPPET_TOKENS = 12
/** Passages listed for a matching code name, at most (they share the hit limit with everything else). */
const MAX_CODE_HITS = 25
/** Words of a passage quoted in a code hit. */
const CODE_HIT_WORDS = 24
/** Title matches weigh more than matches in the body. */
const TITLE_WEIGHT = 4

/** A term, a phrase or an operator the user typed. */
type Part = { op: 'AND' | 'OR' | 'NOT' } | { term: string }

const BAREWORD = /^[\p{L}\p{N}\p{M}_]+$/u
const HAS_WORD = /[\p{L}\p{N}]/u

const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`

/**
 * Turns what someone typed into an FTS5 query that means what they meant and cannot inject syntax: words
 * stay words (prefix* keeps its star), "quoted phrases" stay phrases (an unclosed quote runs to the end),
 * AND/OR/NOT in capitals are operators, and any token with other characters (U.S., Kyiv's, title:x, -x,
 * parentheses) becomes a quoted phrase, which the tokenizer splits as it split the text. Tokens without a
 * letter or digit are dropped. Returns '' when nothing searchable is left.
 */
export function toFtsQuery(input: string): string {
  const parts: Part[] = []
  const token = /"([^"]*)"?(\*?)|(\S+)/gu
  for (let match = token.exec(input); match; match = token.exec(input)) {
    const [, phrase, phraseStar, bare] = match
    if (phrase !== undefined) {
      const words = phrase.trim()
      if (HAS_WORD.test(words)) parts.push({ term: quote(words) + (phraseStar ? '*' : '') })
      continue
    }
    if (!bare) continue
    if (bare === 'AND' || bare === 'OR' || bare === 'NOT') {
      parts.push({ op: bare })
      continue
    }
    const star = bare.endsWith('*')
    const word = bare.replace(/\*+$/, '')
    if (!HAS_WORD.test(word)) continue
    parts.push({ term: BAREWORD.test(word) ? word + (star ? '*' : '') : quote(word) + (star ? '*' : '') })
  }
  return parts.map((part) => ('op' in part ? part.op : part.term)).join(' ')
}

/** An FTS5 error (a dangling operator, say) as the invalid-input message the search box shows. */
function queryError(error: unknown): never {
  const message = (error as Error)?.message ?? String(error)
  if ((error as { code?: string })?.code === 'SQLITE_ERROR' && /fts5|syntax|no such column|unknown special query|unterminated/i.test(message)) {
    const detail = message.replace(/^fts5:\s*/, '')
    throw new AppError('invalid-input', `The search could not be understood: ${detail}. Use words, "exact phrases" or prefix*.`)
  }
  throw error
}

interface ArticleCols {
  article_id: string
  title: string
  outlet: string | null
  published_at: string | null
}

interface ArticleRow extends ArticleCols {
  seq: number
  score: number
  title_marked: string
  text_snippet: string
}

interface HighlightRow extends ArticleCols {
  highlight_id: string
  start: number
  orphaned: number
  score: number
  snippet: string
}

interface NoteRow extends ArticleCols {
  highlight_id: string | null
  start: number | null
  orphaned: number | null
  score: number
  snippet: string
}

interface CodeRow extends ArticleCols {
  highlight_id: string
  start: number
  orphaned: number
  exact: string
}

interface Scored {
  hit: SearchHit
  score: number
  article: SearchGroup['article']
}

const KIND_ORDER: Record<SearchHitKind, number> = { title: 0, text: 1, highlight: 2, note: 3, memo: 4, code: 5 }

const snippetOf = (table: string, column: number): string => `snippet(${table}, ${column}, char(2), char(3), '…', ${SNIPPET_TOKENS})`

/** Collapses the whitespace of a snippet (paragraph breaks included) for a one-line result. */
const oneLine = (snippet: string): string => snippet.replace(/\s+/g, ' ').trim()

/** The first words of a passage, for a code hit. */
function abbreviate(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ')
  return words.length <= CODE_HIT_WORDS ? words.join(' ') : `${words.slice(0, CODE_HIT_WORDS).join(' ')}…`
}

/**
 * Full-text search over the FTS5 indexes of article titles and text, highlight quotes, notes and memos,
 * and code names and descriptions, restricted to articles not in the trash, ranked by bm25 and grouped
 * by article, best first. Snippets mark matched terms with MATCH_START/MATCH_END (never HTML).
 */
export class SearchService {
  private readonly articles
  private readonly highlights
  private readonly notes
  private readonly codes
  private readonly locate

  constructor(private readonly db: Db) {
    const article = 'a.id AS article_id, a.title, a.outlet, a.published_at'
    // ORDER BY rank on the FTS table itself lets FTS5 sort by bm25 internally (no temp B-tree), so snippet() and
    // highlight() run only for the rows returned, not for every match: half the time on a common word.
    this.articles = db.prepare<{ q: string; limit: number }, ArticleRow>(
      `SELECT a.seq, ${article}, articles_fts.rank AS score,
         highlight(articles_fts, 0, char(2), char(3)) AS title_marked, ${snippetOf('articles_fts', 1)} AS text_snippet
       FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
       WHERE articles_fts MATCH @q AND articles_fts.rank MATCH 'bm25(${TITLE_WEIGHT}.0, 1.0)' AND a.deleted_at IS NULL
       ORDER BY articles_fts.rank LIMIT @limit`
    )
    this.highlights = db.prepare<{ q: string; limit: number }, HighlightRow>(
      `SELECT h.id AS highlight_id, h.start, h.orphaned, ${article}, highlights_fts.rank AS score, ${snippetOf('highlights_fts', 0)} AS snippet
       FROM highlights_fts JOIN highlights h ON h.seq = highlights_fts.rowid JOIN articles a ON a.id = h.article_id
       WHERE highlights_fts MATCH @q AND a.deleted_at IS NULL ORDER BY highlights_fts.rank LIMIT @limit`
    )
    this.notes = db.prepare<{ q: string; limit: number }, NoteRow>(
      `SELECT n.highlight_id, h.start, h.orphaned, ${article}, notes_fts.rank AS score, ${snippetOf('notes_fts', 0)} AS snippet
       FROM notes_fts JOIN notes n ON n.seq = notes_fts.rowid LEFT JOIN highlights h ON h.id = n.highlight_id
         JOIN articles a ON a.id = coalesce(n.article_id, h.article_id)
       WHERE notes_fts MATCH @q AND a.deleted_at IS NULL ORDER BY notes_fts.rank LIMIT @limit`
    )
    this.codes = db.prepare<{ q: string; limit: number }, CodeRow>(
      `WITH matched AS (SELECT c.id, codes_fts.rank AS score FROM codes_fts JOIN codes c ON c.seq = codes_fts.rowid WHERE codes_fts MATCH @q)
       SELECT h.id AS highlight_id, h.start, h.orphaned, h.exact, ${article}
       FROM matched m JOIN highlight_codes hc ON hc.code_id = m.id JOIN highlights h ON h.id = hc.highlight_id JOIN articles a ON a.id = h.article_id
       WHERE a.deleted_at IS NULL ORDER BY m.score, a.seq DESC, h.start LIMIT @limit`
    )
    // SQLite's instr counts characters, i.e. code points, so offsets come back without copying texts out; all
    // the needles of one search go in one call as a JSON array of [seq, needle] pairs.
    this.locate = db.prepare<[string], { i: number; at: number }>(
      `SELECT CAST(j.key AS INTEGER) AS i, instr(a.text, j.value ->> '$[1]') AS at
       FROM json_each(?) AS j JOIN articles a ON a.seq = j.value ->> '$[0]'`
    )
  }

  /** Searches everything for what the user typed; an FTS5 syntax error is invalid-input, never thrown raw. */
  search(q: string, limit = DEFAULT_SEARCH_LIMIT): SearchResult {
    const query = toFtsQuery(q)
    if (!query) return { query: q, groups: [], total: 0 }
    const scored: Scored[] = []
    try {
      this.collectArticles(query, limit, scored)
      this.collectHighlights(query, limit, scored)
      this.collectNotes(query, limit, scored)
      this.collectCodes(query, Math.min(limit, MAX_CODE_HITS), scored)
    } catch (error) {
      queryError(error)
    }
    // bm25 is negative and lower is better; code hits (score 0) fill what is left.
    scored.sort((a, b) => a.score - b.score)
    const kept = scored.slice(0, limit)
    const groups = new Map<string, { group: SearchGroup; score: number }>()
    for (const { hit, score, article } of kept) {
      const entry = groups.get(article.id) ?? { group: { article, hits: [] }, score }
      entry.group.hits.push(hit)
      entry.score = Math.min(entry.score, score)
      groups.set(article.id, entry)
    }
    const ordered = [...groups.values()].sort((a, b) => a.score - b.score).map(({ group }) => group)
    // Within an article: title, text, passages, notes, memo, codes; each in reading order, placeless ones last.
    const place = (hit: SearchHit): number => hit.offset ?? Number.MAX_SAFE_INTEGER
    for (const group of ordered) group.hits.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || place(a) - place(b))
    return { query: q, groups: ordered, total: kept.length }
  }

  /** The query plans of the four searches, one line per step, for tests and benchmarks. */
  explain(): string[] {
    const params = { q: 'x', limit: 1 }
    return [this.articles, this.highlights, this.notes, this.codes].flatMap((statement) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(params) as { detail: string }[]).map((row) => row.detail)
    )
  }

  private collectArticles(query: string, limit: number, out: Scored[]): void {
    const texts: { hit: SearchHit; seq: number; snippet: string }[] = []
    for (const row of this.articles.all({ q: query, limit })) {
      const article = articleOf(row)
      if (row.title_marked.includes(MATCH_START)) out.push({ hit: { kind: 'title', snippet: row.title_marked, offset: null, highlightId: null }, score: row.score, article })
      if (row.text_snippet.includes(MATCH_START)) {
        const hit: SearchHit = { kind: 'text', snippet: oneLine(row.text_snippet), offset: null, highlightId: null }
        texts.push({ hit, seq: row.seq, snippet: row.text_snippet })
        out.push({ hit, score: row.score, article })
      }
    }
    this.locateMatches(texts)
  }

  private collectHighlights(query: string, limit: number, out: Scored[]): void {
    for (const row of this.highlights.all({ q: query, limit })) {
      const hit: SearchHit = { kind: 'highlight', snippet: oneLine(row.snippet), offset: row.orphaned ? null : row.start, highlightId: row.highlight_id as HighlightId }
      out.push({ hit, score: row.score, article: articleOf(row) })
    }
  }

  private collectNotes(query: string, limit: number, out: Scored[]): void {
    for (const row of this.notes.all({ q: query, limit })) {
      const onPassage = row.highlight_id !== null
      const hit: SearchHit = {
        kind: onPassage ? 'note' : 'memo',
        snippet: oneLine(row.snippet),
        offset: onPassage && row.orphaned === 0 ? row.start : null,
        highlightId: onPassage ? (row.highlight_id as HighlightId) : null
      }
      out.push({ hit, score: row.score, article: articleOf(row) })
    }
  }

  private collectCodes(query: string, limit: number, out: Scored[]): void {
    for (const row of this.codes.all({ q: query, limit })) {
      const hit: SearchHit = { kind: 'code', snippet: abbreviate(row.exact), offset: row.orphaned ? null : row.start, highlightId: row.highlight_id as HighlightId }
      out.push({ hit, score: 0, article: articleOf(row) })
    }
  }

  /**
   * Sets each text hit's offset: the code point where its snippet's first match starts in the article text.
   * A snippet is the text verbatim between its ellipses, so the words before the first match plus the match
   * are looked up, then the match alone; the offset stays null if neither is found (it always should be).
   */
  private locateMatches(hits: { hit: SearchHit; seq: number; snippet: string }[]): void {
    // Candidates per hit, most likely first: a leading "…" is snippet()'s unless the text itself has one there.
    const pending = hits.flatMap(({ hit, seq, snippet }) => {
      const open = snippet.indexOf(MATCH_START)
      const close = snippet.indexOf(MATCH_END, open)
      if (open < 0 || close < 0) return []
      const lead = snippet.slice(0, open).replaceAll(MATCH_START, '').replaceAll(MATCH_END, '')
      const term = snippet.slice(open + 1, close)
      const candidates: [needle: string, skip: number][] = []
      if (lead.startsWith('…')) candidates.push([lead.slice(1) + term, codePointLength(lead) - 1])
      candidates.push([lead + term, codePointLength(lead)], [term, 0])
      return [{ hit, seq, candidates }]
    })
    // One round trip per candidate rank, for the hits still without an offset: almost always just the first.
    for (let rank = 0; rank < 3; rank++) {
      const asked = pending.filter((p) => p.hit.offset === null && p.candidates[rank] !== undefined)
      if (asked.length === 0) return
      const needles = asked.map((p) => [p.seq, p.candidates[rank]![0]])
      for (const { i, at } of this.locate.all(JSON.stringify(needles))) {
        const asker = asked[i]
        if (asker && at > 0) asker.hit.offset = at - 1 + asker.candidates[rank]![1]
      }
    }
  }
}

function articleOf(row: ArticleCols): SearchGroup['article'] {
  return { id: row.article_id as ArticleId, title: row.title, outlet: row.outlet, publishedAt: row.published_at }
}
