import { createHash, randomUUID } from 'node:crypto'
import type { W3cImportReport } from '../../shared/export/export-types'
import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import { noteQuoteLookup } from '../services/note-service'
import type { HighlightSnapshot } from '../db/repositories/highlight-repository'
import { quoteAt } from '../services/library-service'
import { CodePointIndex } from '../../shared/anchoring/code-point-index'
import { isPlaced, reanchorAll, type AnchorResult, type AnchorSelector } from '../../shared/anchoring/reanchor'
import { type ArticleDoc } from '../../shared/domain/article-doc'
import { canonicalText } from '../../shared/domain/canonical-text'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import { type NoteBlock, type NoteDoc, type NoteInline, type NoteListItem } from '../../shared/domain/note-doc'
import { noteToHtml, noteToPlainText } from '../../shared/notes/note-html'
import { quoteChips } from '../../shared/notes/note-summary'
import { AppError } from '../../shared/result'
import type { GroupKind } from '../../shared/domain/code'
import { DICTIONARY_LIMIT, normalizeDictionary } from '../db/repositories/code-repository'
import { readW3cFile, UUID, W3C_IMPORT_BUDGET_MS, type ImportAnnotation, type Source, type Tag, type W3cFile } from './w3c-file'

export { W3C_MAX_ANNOTATIONS, W3C_MAX_PAGES, W3C_MAX_SOURCES, W3C_MAX_STRING } from './w3c-file'
export { htmlToText } from './note-from-html'

export type { W3cImportReport }

// ---------------------------------------------------------------------------------------------------------
// The import itself, inside one transaction.

interface ResolvedArticle {
  id: ArticleId
  text: string
  /** Whether the text is the file's own (so a position without a quote can be trusted). */
  sameText: boolean
  index?: CodePointIndex
}

/** A passage annotation placed in its article, waiting for its codes. */
interface Placement {
  annotation: ImportAnnotation
  article: ResolvedArticle
  start: number
  end: number
}

// Colours for codes that arrive as bare tags: distinct from the default codebook's four.
const TAG_COLORS = ['#cc79a7', '#56b4e9', '#e69f00', '#882255', '#117733', '#332288', '#999933', '#44aa99', '#aa4499', '#6699cc']

/**
 * Imports a W3C Web Annotation file (from Stance or another tool) in one transaction: every annotation's
 * article is found (by id, identical text or source address) or recreated from `stance:sources`; codes are
 * found by id, else by name under the same parent, else created; passages are re-anchored by their quote
 * (their position first) and notes restored from Stance's document or the HTML's text. Ids are kept where
 * they are free, so a round trip into another library restores the same ids, and a second import of the same
 * file changes nothing. Any failure rolls the whole import back, and so does running past the time budget
 * (30 s unless `options` say otherwise, counted from the call), which ends the import with a timeout.
 */
export function importW3c(db: Db, repos: Repositories, json: string, options: W3cImportOptions = {}): W3cImportReport {
  const budget = new Budget(options.budgetMs ?? W3C_IMPORT_BUDGET_MS, options.now ?? (() => performance.now()))
  const file = readW3cFile(json)
  return db.transaction(() => new W3cImport(db, repos, file, budget).run())()
}

export interface W3cImportOptions {
  /** How long the import may take, in milliseconds, before it is stopped and rolled back; 30 s by default. */
  budgetMs?: number
  /** The clock the budget is measured on, in milliseconds; performance.now by default. */
  now?: () => number
}

/**
 * The time an import may take. It runs synchronously in the main process, so a file that is valid but
 * costly (a hundred thousand quotes to look for in long articles) must not freeze the app for minutes:
 * between annotations, the import checks the clock and gives up, rolling back, once the budget is spent.
 */
class Budget {
  private readonly deadline: number

  constructor(
    private readonly ms: number,
    private readonly now: () => number
  ) {
    this.deadline = now() + ms
  }

  /** Throws a timeout AppError (inside the transaction, so nothing is kept) once the budget is spent. */
  check(): void {
    if (this.now() <= this.deadline) return
    const limit = this.ms >= 1000 ? `${Math.round(this.ms / 1000)} s` : `${this.ms} ms`
    throw new AppError(
      'timeout',
      `Importing this file took longer than ${limit} and was stopped; nothing was changed. Split it into smaller files (fewer annotations or articles each) and import them one at a time.`
    )
  }
}

// Whitespace as the reader's selection snapping (snapToWords) trims it; every one is a single UTF-16 unit.
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/

/**
 * A placed range without the whitespace at its ends, as a passage selected in the reader would be: a quote
 * that begins with a block separator ("\n\nSecond") lands on "Second". Null when nothing but whitespace is left.
 */
function trimRange(index: CodePointIndex, start: number, end: number): { start: number; end: number } | null {
  const { text } = index
  let from = index.toUtf16(start)
  let to = index.toUtf16(end)
  while (from < to && SPACE.test(text.charAt(from))) from++
  while (to > from && SPACE.test(text.charAt(to - 1))) to--
  return from < to ? { start: index.toCodePoint(from), end: index.toCodePoint(to) } : null
}

/** A key that is the same for two selectors exactly when they are (the lengths keep the parts apart). */
function selectorKey(s: AnchorSelector): string {
  return `${s.start}:${s.end}:${s.exact.length}:${s.prefix.length}:${s.exact}${s.prefix}${s.suffix}`
}

/**
 * How many selectors are anchored at a time, between two checks of the time budget. Each group costs one
 * pass over the text (reanchorAll indexes it) and one selector at worst a few passes (a quote far from its
 * hint, or found only approximately), so both scale with the text: groups of about 20 million UTF-16 units
 * between them keep a check every second or so at worst, and the indexing a small share of the work.
 */
function anchorGroupSize(text: string): number {
  return Math.min(256, Math.max(4, Math.floor(20_000_000 / Math.max(1, text.length))))
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64')
}

class W3cImport {
  private readonly report: W3cImportReport = {
    articles: { matched: 0, created: 0 },
    codes: { matched: 0, created: 0 },
    highlights: { created: 0, duplicates: 0, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 },
    notes: { created: 0, kept: 0 }
  }
  private readonly articles = new Map<string, ResolvedArticle | null>()
  // Sets, so that an article or code met again (or created earlier in this import) is counted once.
  private readonly matchedArticles = new Set<string>()
  private readonly createdArticles = new Set<string>()
  private readonly codes = new Map<string, CodeId | null>()
  private readonly matchedCodes = new Set<string>()
  private readonly createdCodes = new Set<string>()
  /** Placed highlights per article by "start:end", read once per article and kept up to date here. */
  private readonly ranges = new Map<ArticleId, Map<string, { id: HighlightId; codeIds: CodeId[] }>>()
  private readonly resolvingCodes = new Set<string>()
  /** The file's highlight ids → the highlight that holds that passage here, for notes and quote chips. */
  private readonly highlightIds = new Map<string, HighlightId>()

  /**
   * Live articles by the SHA-256 of their text and by their address, the earliest (by seq) for each, as
   * `ORDER BY seq LIMIT 1` would find them; read once, when first needed, and kept up to date with the
   * articles this import creates, so that no source costs a scan of the table.
   */
  private liveByText: Map<string, string> | null = null
  private liveByUrl: Map<string, string> | null = null

  // Prepared once: an import may run these a hundred thousand times.
  private readonly statements

  constructor(
    private readonly db: Db,
    private readonly repos: Repositories,
    private readonly file: W3cFile,
    private readonly budget: Budget
  ) {
    this.statements = {
      highlightExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM highlights WHERE id = ?'),
      nextHighlightSeq: db.prepare<[], { next: number }>('SELECT ifnull(max(seq), 0) + 1 AS next FROM highlights'),
      liveArticle: db.prepare<[string], { id: string; text: string }>('SELECT id, text FROM articles WHERE id = ? AND deleted_at IS NULL'),
      liveTexts: db.prepare<[], { id: string; text: string }>('SELECT id, text FROM articles WHERE deleted_at IS NULL ORDER BY seq'),
      liveUrls: db.prepare<[], { id: string; url: string }>('SELECT id, source_url AS url FROM articles WHERE deleted_at IS NULL AND source_url IS NOT NULL ORDER BY seq'),
      articleExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM articles WHERE id = ?'),
      codeExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM codes WHERE id = ?'),
      rekeyArticle: db.prepare<[string, string]>('UPDATE articles SET id = ? WHERE id = ?'),
      rekeyCode: db.prepare<[string, string]>('UPDATE codes SET id = ? WHERE id = ?'),
      shortcutTaken: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM codes WHERE shortcut = ?')
    }
  }

  run(): W3cImportReport {
    // Every article the file carries comes in, even one without annotations, as it was exported.
    for (const source of this.file.sources.values()) {
      this.budget.check()
      this.articleFor({ articleId: source.id, sourceUrl: source.sourceUrl ?? null })
    }
    const placements = this.place()
    this.resolveCodebook(placements)
    const noted: { annotation: ImportAnnotation; highlightId: HighlightId; articleId: ArticleId }[] = []
    for (const placement of placements) {
      this.budget.check()
      const highlightId = this.store(placement)
      if (highlightId) noted.push({ annotation: placement.annotation, highlightId, articleId: placement.article.id })
    }
    for (const { annotation, highlightId, articleId } of noted) {
      if (!annotation.note) continue
      this.budget.check()
      this.saveNote({ highlightId }, articleId, annotation.note)
    }
    for (const annotation of this.file.annotations) {
      if (annotation.passage || !annotation.note) continue
      this.budget.check()
      const article = this.articleFor(annotation)
      if (article) this.saveNote({ articleId: article.id }, article.id, annotation.note)
    }
    this.keepGroupsOffPassages()
    this.report.articles.matched = [...this.matchedArticles].filter((id) => !this.createdArticles.has(id)).length
    this.report.articles.created = this.createdArticles.size
    this.report.codes.matched = [...this.matchedCodes].filter((id) => !this.createdCodes.has(id)).length
    this.report.codes.created = this.createdCodes.size
    return this.report
  }

  // Groups are never applied. A file whose passages carry a code it also calls a group gets that code as an
  // ordinary code; a passage tagged with a group already in the library refuses the whole import.
  private keepGroupsOffPassages(): void {
    const applied = this.db
      .prepare<[], { id: string; name: string }>('SELECT DISTINCT c.id, c.name FROM codes c JOIN highlight_codes hc ON hc.code_id = c.id WHERE c.group_kind IS NOT NULL')
      .all()
    for (const code of applied) {
      if (!this.createdCodes.has(code.id)) throw new AppError('invalid-input', `The file codes passages with "${code.name}", which is a group in this library; groups are never applied to passages.`)
      this.db.prepare('UPDATE codes SET group_kind = NULL WHERE id = ?').run(code.id)
    }
  }

  // --- articles ------------------------------------------------------------------------------------------

  private articleFor(ref: { articleId: string | null; sourceUrl: string | null }): ResolvedArticle | null {
    const key = ref.articleId !== null ? `id:${ref.articleId}` : ref.sourceUrl !== null ? `url:${ref.sourceUrl}` : null
    if (key === null) return null
    if (!this.articles.has(key)) this.articles.set(key, this.findOrCreateArticle(ref))
    return this.articles.get(key) ?? null
  }

  private findOrCreateArticle(ref: { articleId: string | null; sourceUrl: string | null }): ResolvedArticle | null {
    const source = ref.articleId !== null ? this.file.sources.get(ref.articleId) : undefined
    const sourceText = source ? canonicalText(source.doc) : null
    const byId = ref.articleId !== null ? this.statements.liveArticle.get(ref.articleId) : undefined
    if (byId) return this.matchedArticle(byId, sourceText === null || sourceText === byId.text)
    if (sourceText !== null) {
      const sameId = this.textIndex().get(sha256(sourceText))
      const same = sameId !== undefined ? this.statements.liveArticle.get(sameId) : undefined
      if (same && same.text === sourceText) return this.matchedArticle(same, true)
    }
    const url = source?.sourceUrl ?? ref.sourceUrl
    if (url) {
      const sameUrlId = this.urlIndex().get(url)
      const sameUrl = sameUrlId !== undefined ? this.statements.liveArticle.get(sameUrlId) : undefined
      if (sameUrl) return this.matchedArticle(sameUrl, sourceText === sameUrl.text)
    }
    return source ? this.createArticle(source) : null
  }

  private textIndex(): Map<string, string> {
    if (!this.liveByText) {
      const index = new Map<string, string>()
      for (const row of this.statements.liveTexts.iterate()) {
        const hash = sha256(row.text)
        if (!index.has(hash)) index.set(hash, row.id)
      }
      this.liveByText = index
    }
    return this.liveByText
  }

  private urlIndex(): Map<string, string> {
    if (!this.liveByUrl) {
      const index = new Map<string, string>()
      for (const row of this.statements.liveUrls.iterate()) if (!index.has(row.url)) index.set(row.url, row.id)
      this.liveByUrl = index
    }
    return this.liveByUrl
  }

  private matchedArticle(row: { id: string; text: string }, sameText: boolean): ResolvedArticle {
    this.matchedArticles.add(row.id)
    return { id: row.id as ArticleId, text: row.text, sameText }
  }

  private createArticle(source: Source): ResolvedArticle {
    const optional = (value: string | null | undefined): string | null => (value?.trim() ? value.trim() : null)
    const doc: ArticleDoc = source.doc
    const article = this.repos.articles.insert(
      {
        title: source.title,
        outlet: optional(source.outlet),
        author: optional(source.author),
        publishedAt: source.publishedAt ?? null,
        sourceUrl: optional(source.sourceUrl)
      },
      doc
    )
    const id = this.rekey('articles', article.id, source.id) as ArticleId
    this.createdArticles.add(id)
    // Later in the import, sources with the same text or address find this article, as they would by SQL.
    const hash = this.liveByText ? sha256(article.text) : null
    if (this.liveByText && hash !== null && !this.liveByText.has(hash)) this.liveByText.set(hash, id)
    if (this.liveByUrl && article.sourceUrl !== null && !this.liveByUrl.has(article.sourceUrl)) this.liveByUrl.set(article.sourceUrl, id)
    return { id, text: article.text, sameText: true }
  }

  /**
   * Gives a row that was just inserted (so nothing refers to it yet) the file's id, when that is a UUID no
   * row of the table has: the repositories mint fresh ids, and a round trip should keep the old ones.
   */
  private rekey(table: 'articles' | 'codes', fresh: string, wanted: string | null): string {
    if (wanted === null || !UUID.test(wanted)) return fresh
    const id = wanted.toLowerCase()
    const [exists, update] = table === 'articles' ? [this.statements.articleExists, this.statements.rekeyArticle] : [this.statements.codeExists, this.statements.rekeyCode]
    if (exists.get(id)) return fresh
    update.run(id, fresh)
    return id
  }

  // --- anchoring -----------------------------------------------------------------------------------------

  /** Every passage annotation placed in its article's current text, in file order; the rest are counted. */
  private place(): Placement[] {
    const byArticle = new Map<ResolvedArticle, ImportAnnotation[]>()
    for (const annotation of this.file.annotations) {
      if (!annotation.passage) continue
      const article = this.articleFor(annotation)
      if (!article) {
        this.report.highlights.unresolved++
        continue
      }
      const list = byArticle.get(article) ?? []
      list.push(annotation)
      byArticle.set(article, list)
    }
    const placed = new Map<ImportAnnotation, Placement>()
    // A range is placed without the whitespace at its ends; one that is nothing but whitespace is not.
    const put = (annotation: ImportAnnotation, article: ResolvedArticle, start: number, end: number): void => {
      const range = trimRange(article.index!, start, end)
      if (range) placed.set(annotation, { annotation, article, ...range })
    }
    for (const [article, annotations] of byArticle) {
      const index = (article.index ??= new CodePointIndex(article.text))
      // Quotes with a position are anchored together, so each one's search starts where the shift of the
      // previous ones predicts; quotes without one would only mislead that prediction, so they go alone.
      const positioned = annotations.filter((a) => a.passage?.quote && a.passage.position)
      const quoteOnly = annotations.filter((a) => a.passage?.quote && !a.passage.position)
      const anchor = (list: ImportAnnotation[]): void => {
        const selectors = list.map((a): AnchorSelector => ({ ...a.passage!.quote!, start: a.passage!.position?.start ?? 0, end: a.passage!.position?.end ?? 0 }))
        const results = this.anchorAll(article.text, selectors)
        list.forEach((annotation, i) => {
          const result = results[i]
          if (isPlaced(result, index.length)) put(annotation, article, result.start, result.end)
        })
      }
      anchor(positioned)
      anchor(quoteOnly)
      for (const annotation of annotations) {
        const position = annotation.passage?.position
        // A bare position says nothing about the words, so it is trusted only on the very text it was made on.
        if (!annotation.passage?.quote && position && article.sameText && position.end <= index.length) put(annotation, article, position.start, position.end)
      }
    }
    const out: Placement[] = []
    for (const annotation of this.file.annotations) {
      if (!annotation.passage || !this.articleFor(annotation)) continue
      const placement = placed.get(annotation)
      if (placement) out.push(placement)
      else this.report.highlights.orphaned++
    }
    return out
  }

  /**
   * reanchorAll over one text, with the time budget checked between small groups of selectors. A selector
   * met again (the same passage annotated twice) is anchored once. The groups follow reanchorAll's own
   * order (by stored start) and each begins again with the last selector of the group before (its second
   * result unused), so that the shift of the text that selector finds carries over into the next group
   * much as it would in a single call.
   */
  private anchorAll(text: string, selectors: readonly AnchorSelector[]): AnchorResult[] {
    const unique: AnchorSelector[] = []
    const slot = new Map<string, number>()
    const of = selectors.map((selector) => {
      const key = selectorKey(selector)
      let at = slot.get(key)
      if (at === undefined) {
        at = unique.push(selector) - 1
        slot.set(key, at)
      }
      return at
    })
    // Stable, like reanchorAll's, so a group's lead (at or before every other start in it) stays first.
    const order = unique.map((_, i) => i).sort((a, b) => unique[a]!.start - unique[b]!.start)
    const results = new Array<AnchorResult>(unique.length)
    const size = anchorGroupSize(text)
    for (let from = 0; from < order.length; from += size) {
      this.budget.check()
      const group = order.slice(from, from + size)
      const lead = from > 0 ? [order[from - 1]!] : []
      const found = reanchorAll(text, [...lead, ...group].map((i) => unique[i]!))
      group.forEach((i, k) => (results[i] = found[lead.length + k]!))
    }
    return of.map((i) => results[i]!)
  }

  // --- codes ---------------------------------------------------------------------------------------------

  /**
   * Resolves the codebook entries the placed passages use in the file's codebook order, so codes created
   * here keep the order (and nesting) they had; codes of passages that found no place are not created.
   */
  private resolveCodebook(placements: readonly Placement[]): void {
    const needed = new Set<string>()
    for (const { annotation } of placements) for (const tag of annotation.tags) if (tag.stance?.id) needed.add(tag.stance.id)
    for (const entry of this.file.codebook.values()) if (needed.has(entry.id)) this.codeById(entry.id, null)
  }

  private codeForTag(tag: Tag): CodeId | null {
    return tag.stance?.id ? this.codeById(tag.stance.id, tag) : this.codeByName(tag.name)
  }

  /** A code of the file by its Stance id: the same id here, else the same name under the same parent, else a new code. */
  private codeById(id: string, tag: Tag | null): CodeId | null {
    const key = `id:${id}`
    if (this.codes.has(key)) return this.codes.get(key) ?? null
    // A parent chain that loops back (a corrupt codebook) ends at the top level instead of recursing forever.
    if (this.resolvingCodes.has(key)) return null
    this.resolvingCodes.add(key)
    const resolved = this.findOrCreateCode(id, tag)
    this.resolvingCodes.delete(key)
    this.codes.set(key, resolved)
    return resolved
  }

  private findOrCreateCode(id: string, tag: Tag | null): CodeId | null {
    const existing = this.repos.codes.find(id as CodeId)
    if (existing) {
      this.matchedCodes.add(existing.id)
      return existing.id
    }
    const entry = this.file.codebook.get(id)
    const name = entry?.name ?? tag?.name
    if (!name) return null
    const parentRef = entry ? (entry.parentId ?? null) : (tag?.stance?.parent ?? null)
    const parentId = parentRef !== null && (this.file.codebook.has(parentRef) || this.repos.codes.find(parentRef as CodeId)) ? this.codeById(parentRef, null) : null
    // A file from before groups (or from another tool) has its codes at the top level, where this library
    // keeps them inside a group: a code of that name directly in a group is the same code.
    const sibling = this.siblingNamed(parentId, name) ?? (parentId === null && !entry?.groupKind ? this.groupMemberNamed(name) : null)
    if (sibling) {
      this.matchedCodes.add(sibling)
      return sibling
    }
    // A group must stay top-level; under an existing code it comes in as an ordinary code.
    const groupKind = parentId === null ? (entry?.groupKind ?? null) : null
    return this.createCode({
      name,
      color: entry?.color ?? tag?.stance?.color ?? null,
      description: entry?.description ?? '',
      parentId,
      shortcut: groupKind ? null : (entry?.shortcut ?? null),
      id,
      groupKind,
      dictionary: entry?.dictionary ?? []
    })
  }

  /** A bare tag: a top-level code of that name, else one anywhere in the codebook, else a new top-level code. */
  private codeByName(name: string): CodeId | null {
    const key = `name:${name.toLowerCase()}`
    if (this.codes.has(key)) return this.codes.get(key) ?? null
    const folded = name.toLowerCase()
    // Groups are never applied, so a tag never means one, even when it bears a group's name.
    const found = this.siblingNamed(null, name, false) ?? this.repos.codes.list().find((code) => !code.groupKind && code.name.toLowerCase() === folded)?.id
    if (found) this.matchedCodes.add(found)
    // Beside a group of the same name the new code needs a name of its own (names are unique at a level).
    const free = this.siblingNamed(null, name) ? `${name} (tag)` : name
    const resolved = found ?? this.createCode({ name: free, color: null, description: '', parentId: null, shortcut: null, id: null })
    this.codes.set(key, resolved)
    return resolved
  }

  // Folded in JavaScript like the code repository does, since SQLite's lower() folds only ASCII.
  private siblingNamed(parentId: CodeId | null, name: string, groups = true): CodeId | null {
    const folded = name.trim().toLowerCase()
    return this.repos.codes.children(parentId).find((code) => (groups || !code.groupKind) && code.name.toLowerCase() === folded)?.id ?? null
  }

  // The one code of that name directly inside a group, if exactly one group has such a code.
  private groupMemberNamed(name: string): CodeId | null {
    const folded = name.trim().toLowerCase()
    const found = this.repos.codes
      .children(null)
      .filter((group) => group.groupKind)
      .flatMap((group) => this.repos.codes.children(group.id).filter((code) => code.name.toLowerCase() === folded))
    return found.length === 1 ? found[0]!.id : null
  }

  private createCode(input: {
    name: string
    color: string | null
    description: string
    parentId: CodeId | null
    shortcut: string | null
    id: string | null
    groupKind?: GroupKind | null
    dictionary?: readonly string[]
  }): CodeId {
    const shortcut = input.shortcut !== null && /^[1-9]$/.test(input.shortcut) && !this.statements.shortcutTaken.get(input.shortcut) ? input.shortcut : null
    const code = this.repos.codes.insert({
      name: input.name,
      color: (input.color ?? this.freeTagColor()).toLowerCase(),
      description: input.description,
      parentId: input.parentId,
      shortcut,
      groupKind: input.groupKind ?? null,
      dictionary: normalizeDictionary(input.dictionary ?? []).slice(0, DICTIONARY_LIMIT)
    })
    const id = this.rekey('codes', code.id, input.id) as CodeId
    this.createdCodes.add(id)
    return id
  }

  private freeTagColor(): string {
    const used = new Set(this.repos.codes.list().map((code) => code.color))
    return TAG_COLORS.find((c) => !used.has(c)) ?? TAG_COLORS[used.size % TAG_COLORS.length]!
  }

  // --- highlights ----------------------------------------------------------------------------------------

  /** Stores one placed passage and returns the highlight that now holds it (null when it was skipped). */
  private store({ annotation, article, start, end }: Placement): HighlightId | null {
    const codeIds = [...new Set(annotation.tags.map((tag) => this.codeForTag(tag)).filter((id): id is CodeId => id !== null))]
    if (codeIds.length === 0) {
      this.report.highlights.uncoded++
      return null
    }
    // The app keeps one placed highlight per exact range (coding it again adds codes), and so does an import.
    const ranges = this.rangesOf(article.id)
    const range = `${start}:${end}`
    const occupant = ranges.get(range)
    let held: HighlightId
    if (occupant) {
      const missing = codeIds.filter((id) => !occupant.codeIds.includes(id))
      if (missing.length === 0) this.report.highlights.duplicates++
      else {
        occupant.codeIds = this.repos.highlights.setCodes(occupant.id, [...occupant.codeIds, ...missing]).codeIds
        this.report.highlights.merged++
      }
      held = occupant.id
    } else {
      // The file's id is kept unless it is taken: by another passage, or by this one somewhere else.
      const taken = annotation.id === null || this.statements.highlightExists.get(annotation.id) !== undefined
      const id = (taken ? randomUUID() : annotation.id!) as HighlightId
      const quote = quoteAt(article.index ?? (article.index = new CodePointIndex(article.text)), start, end)
      const now = new Date().toISOString()
      const seq = this.statements.nextHighlightSeq.get()?.next ?? 1
      // restore() is the repository's way to insert a highlight under a given id; the seq is the one SQLite
      // would pick, and the quote is cut from this library's text, as insert() does.
      const snapshot: HighlightSnapshot = {
        row: {
          seq,
          id,
          article_id: article.id,
          start,
          end,
          exact: quote.exact,
          prefix: quote.prefix,
          suffix: quote.suffix,
          orphaned: 0,
          created_at: annotation.created ?? now,
          updated_at: annotation.modified ?? now
        },
        codeIds,
        note: null
      }
      this.repos.highlights.restore(snapshot)
      this.report.highlights.created++
      ranges.set(range, { id, codeIds })
      held = id
    }
    if (annotation.id !== null) this.highlightIds.set(annotation.id, held)
    return held
  }

  private rangesOf(articleId: ArticleId): Map<string, { id: HighlightId; codeIds: CodeId[] }> {
    let ranges = this.ranges.get(articleId)
    if (!ranges) {
      ranges = new Map()
      // Reading order with ties by seq, so the first kept for a range is the one findByRange would give.
      for (const h of this.repos.highlights.listByArticle(articleId)) {
        const key = `${h.start}:${h.end}`
        if (!h.orphaned && !ranges.has(key)) ranges.set(key, { id: h.id, codeIds: h.codeIds })
      }
      this.ranges.set(articleId, ranges)
    }
    return ranges
  }

  // --- notes ---------------------------------------------------------------------------------------------

  private saveNote(target: { highlightId: HighlightId } | { articleId: ArticleId }, articleId: ArticleId, doc: NoteDoc): void {
    if (this.repos.notes.find(target)) {
      this.report.notes.kept++
      return
    }
    const valid = this.retargetChips(doc, articleId)
    const quotes = noteQuoteLookup(this.repos, valid, articleId)
    this.repos.notes.save(target, { doc: valid, html: noteToHtml(valid, quotes), plain: noteToPlainText(valid, quotes) }, undefined)
    this.report.notes.created++
  }

  /**
   * Points quote chips at the highlights that hold their passages here (a passage may have come in under a
   * new id). A chip quoting a passage of another article becomes its words in quotation marks, because the
   * note service refuses such a chip and the analyst could never save the note again.
   */
  private retargetChips(doc: NoteDoc, articleId: ArticleId): NoteDoc {
    if (quoteChips(doc).length === 0) return doc
    const inline = (node: NoteInline): NoteInline => {
      if (node.type !== 'quoteChip') return node
      const highlightId = this.highlightIds.get(node.attrs.highlightId) ?? node.attrs.highlightId
      const highlight = this.repos.highlights.find(highlightId as HighlightId)
      if (highlight && highlight.articleId !== articleId) return { type: 'text', text: `“${node.attrs.quote}”` }
      return { type: 'quoteChip', attrs: { highlightId, quote: node.attrs.quote } }
    }
    const item = (node: NoteListItem): NoteListItem => ({ ...node, content: node.content.map(block) })
    const block = (node: NoteBlock): NoteBlock => {
      switch (node.type) {
        case 'paragraph':
        case 'heading':
          return node.content ? { ...node, content: node.content.map(inline) } : node
        case 'blockquote':
          return { ...node, content: node.content.map(block) }
        case 'bulletList':
        case 'orderedList':
          return { ...node, content: node.content.map(item) }
        default:
          return node
      }
    }
    return { type: 'doc', content: doc.content.map(block) }
  }
}

