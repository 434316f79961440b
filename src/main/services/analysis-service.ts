import type { MatrixAxisItem, MatrixColumns, PassageRef, StanceMatrix, StanceShift, Timeline, TimelineEntry } from '../../shared/domain/analysis'
import type { Code } from '../../shared/domain/code'
import { codeDimension } from '../../shared/domain/code-dimension'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import type { Db } from '../db/connection'
import { CodeRepository } from '../db/repositories/code-repository'

/** Which articles an analysis covers; without ids, every article in the library (never the trash). */
export interface ScopeQuery {
  articleIds?: readonly ArticleId[]
}

/** The matrix a caller asks for. */
export interface MatrixQuery extends ScopeQuery {
  columns: MatrixColumns
}

interface ScopedArticle {
  id: string
  title: string
  outlet: string | null
  published_at: string | null
  created_at: string
}

interface ScopedPassage {
  id: string
  article_id: string
  start: number
  end: number
  orphaned: number
}

/** A passage in scope with the codes it carries and the codes it counts for (those plus their ancestors). */
interface Passage {
  row: ScopedPassage
  codeIds: CodeId[]
  credited: Set<string>
}

const ARTICLE_GREY = '#6b7280'

/** The codebook as the analyses need it: codes by id, each code's ancestors, and what each stands for. */
class CodebookView {
  readonly byId: Record<string, Code>
  readonly ancestors = new Map<string, string[]>()

  constructor(readonly codes: readonly Code[]) {
    this.byId = Object.fromEntries(codes.map((code) => [code.id, code]))
    for (const code of codes) {
      const chain: string[] = []
      let parent = code.parentId ? this.byId[code.parentId] : undefined
      while (parent && chain.length < 64) {
        chain.push(parent.id)
        parent = parent.parentId ? this.byId[parent.parentId] : undefined
      }
      this.ancestors.set(code.id, chain)
    }
  }

  dimension(code: Code): ReturnType<typeof codeDimension> {
    return codeDimension(code, this.byId)
  }

  /** Codes of one dimension (groups excluded), in codebook order. */
  ofDimension(kind: 'stance' | 'issue'): Code[] {
    return this.codes.filter((code) => this.dimension(code) === kind)
  }

  /** Depth of a code below its group (0 for the group's own codes, or for ungrouped top-level codes). */
  depthInGroup(code: Code): number {
    const chain = this.ancestors.get(code.id) ?? []
    const groupAt = chain.findIndex((id) => this.byId[id]?.groupKind)
    return groupAt < 0 ? chain.length : groupAt
  }

  /** The actor a stance code belongs to: its ancestor directly below the group (or itself). */
  actorOf(code: Code): Code {
    let current = code
    for (let guard = 0; guard < 64; guard++) {
      const parent = current.parentId ? this.byId[current.parentId] : undefined
      if (!parent || parent.groupKind) return current
      current = parent
    }
    return current
  }

  credit(codeIds: readonly string[]): Set<string> {
    const credited = new Set<string>()
    for (const id of codeIds) {
      credited.add(id)
      for (const ancestor of this.ancestors.get(id) ?? []) credited.add(ancestor)
    }
    return credited
  }
}

/** Oldest first, undated articles last (in the order they were added). */
function byDate(a: ScopedArticle, b: ScopedArticle): number {
  if (a.published_at && b.published_at && a.published_at !== b.published_at) return a.published_at < b.published_at ? -1 : 1
  if (!a.published_at !== !b.published_at) return a.published_at ? -1 : 1
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0
}

/**
 * The read-only analyses over coded passages: the stance × issue matrix, a cell's passages and the timeline
 * of a code. Everything is computed from the live passages (not orphaned) of the articles in scope, so the
 * numbers always agree with the reader; a passage counts for its codes and for every ancestor of them.
 */
export class AnalysisService {
  private readonly codes: CodeRepository

  constructor(private readonly db: Db) {
    this.codes = new CodeRepository(db)
  }

  /** The stance × issue (or stance × article) matrix of the articles in scope. */
  matrix(query: MatrixQuery): StanceMatrix {
    const view = new CodebookView(this.codes.list())
    const articles = this.articles(query).sort(byDate)
    const passages = this.passages(view, articles.map((a) => a.id))
    const rowCodes = view.ofDimension('stance')
    const rows: MatrixAxisItem[] = rowCodes.map((code) => ({ id: code.id, label: code.name, color: code.color, depth: view.depthInGroup(code) }))
    const stanceIds = new Set(rowCodes.map((code) => code.id))
    const stancePassages = passages.filter((p) => p.codeIds.some((id) => stanceIds.has(id)))

    let columnItems: MatrixAxisItem[]
    // The columns a passage falls in, listed directly: a per-column test made article columns cost passages × articles.
    let hitsOf: (passage: Passage) => number[]
    if (query.columns === 'issues') {
      const issueCodes = view.ofDimension('issue')
      columnItems = issueCodes.map((code) => ({ id: code.id, label: code.name, color: code.color, depth: view.depthInGroup(code) }))
      hitsOf = (passage) => issueCodes.flatMap((code, c) => (passage.credited.has(code.id) ? [c] : []))
    } else {
      const coded = new Set(stancePassages.map((p) => p.row.article_id))
      const shown = articles.filter((a) => coded.has(a.id))
      columnItems = shown.map((a) => ({ id: a.id, label: a.title, color: ARTICLE_GREY, depth: 0, publishedAt: a.published_at }))
      const columnOf = new Map(shown.map((a, index) => [a.id, index]))
      hitsOf = (passage) => {
        const c = columnOf.get(passage.row.article_id)
        return c === undefined ? [] : [c]
      }
    }

    const counts = rows.map(() => columnItems.map(() => 0))
    const rowTotals = rows.map(() => 0)
    // A passage falls in a column once however many of the column's codes it carries, so totals count passages.
    const columnTotals = columnItems.map(() => 0)
    for (const passage of stancePassages) {
      const hits = hitsOf(passage)
      rows.forEach((row, r) => {
        if (!passage.credited.has(row.id)) return
        rowTotals[r]!++
        for (const c of hits) counts[r]![c]!++
      })
      for (const c of hits) columnTotals[c]!++
    }
    let max = 0
    for (const row of counts) for (const count of row) if (count > max) max = count
    return { columns: query.columns, rows, columnItems, counts, rowTotals, columnTotals, max, articleCount: articles.length, passageCount: stancePassages.length }
  }

  /** The passages in scope that carry every one of the codes (a code counts with its sub-codes), by date and place. */
  passagesWith(codeIds: readonly CodeId[], scope: ScopeQuery): PassageRef[] {
    for (const id of codeIds) this.codes.require(id)
    const view = new CodebookView(this.codes.list())
    const articles = this.articles(scope).sort(byDate)
    const order = new Map(articles.map((a, index) => [a.id, index]))
    const byId = new Map(articles.map((a) => [a.id, a]))
    const chosen = this.passages(view, articles.map((a) => a.id))
      .filter((p) => codeIds.every((id) => p.credited.has(id)))
      .sort((a, b) => order.get(a.row.article_id)! - order.get(b.row.article_id)! || a.row.start - b.row.start)
    return this.refs(chosen, byId)
  }

  /** One code's passages on their articles' dates, with the shifts in stance that concern it. */
  timeline(codeId: CodeId, scope: ScopeQuery): Timeline {
    const code = this.codes.require(codeId)
    if (code.groupKind) throw new AppError('invalid-input', `"${code.name}" is a group; choose one of its codes for the timeline.`)
    const view = new CodebookView(this.codes.list())
    const articles = this.articles(scope).sort(byDate)
    const passages = this.passages(view, articles.map((a) => a.id))
    const entries: TimelineEntry[] = []
    const byArticle = new Map<string, Passage[]>()
    for (const p of passages) if (p.credited.has(codeId)) byArticle.set(p.row.article_id, [...(byArticle.get(p.row.article_id) ?? []), p])
    for (const article of articles) {
      const mine = byArticle.get(article.id) ?? []
      if (mine.length === 0) continue
      entries.push({
        articleId: article.id as ArticleId,
        title: article.title,
        outlet: article.outlet,
        publishedAt: article.published_at,
        passages: this.refs(mine.sort((a, b) => a.row.start - b.row.start), new Map([[article.id, article]]))
      })
    }
    return { codeId, entries, shifts: this.shifts(view, code, articles, passages) }
  }

  // For every (actor, issue) pair: the stance codes the actor's passages on that issue carry in each dated
  // article; where two consecutive articles differ, the actor's stance shifted. Only shifts that concern
  // the chosen code are kept: its actor's, or those on its issue (or a sub-issue).
  private shifts(view: CodebookView, chosen: Code, articles: readonly ScopedArticle[], passages: readonly Passage[]): StanceShift[] {
    const dimension = view.dimension(chosen)
    if (dimension !== 'stance' && dimension !== 'issue') return []
    const chosenActor = dimension === 'stance' ? view.actorOf(chosen).id : null
    const positions = new Map<string, Map<string, Set<string>>>()
    for (const passage of passages) {
      const stances = passage.codeIds.map((id) => view.byId[id]).filter((c): c is Code => !!c && view.dimension(c) === 'stance')
      const issues = passage.codeIds.filter((id) => {
        const c = view.byId[id]
        return !!c && view.dimension(c) === 'issue'
      })
      for (const stance of stances) {
        const actor = view.actorOf(stance).id
        if (chosenActor && actor !== chosenActor) continue
        for (const issue of issues) {
          if (!chosenActor && !view.credit([issue]).has(chosen.id)) continue
          const key = `${actor} ${issue}`
          const byArticle = positions.get(key) ?? new Map<string, Set<string>>()
          positions.set(key, byArticle)
          const set = byArticle.get(passage.row.article_id) ?? new Set<string>()
          byArticle.set(passage.row.article_id, set)
          set.add(stance.id)
        }
      }
    }
    // Articles of one day are one point in time: their stances are pooled, so the order in which two
    // same-day articles were imported can never make (or reverse) a shift.
    const days: { date: string; articles: ScopedArticle[] }[] = []
    for (const article of articles) {
      if (!article.published_at) continue
      const last = days[days.length - 1]
      if (last && last.date === article.published_at) last.articles.push(article)
      else days.push({ date: article.published_at, articles: [article] })
    }
    const codeOrder = new Map<string, number>(view.codes.map((c, index) => [c.id, index]))
    const sorted = (set: Set<string>): CodeId[] => [...set].sort((a, b) => codeOrder.get(a)! - codeOrder.get(b)!) as CodeId[]
    const shifts: StanceShift[] = []
    for (const [key, byArticle] of positions) {
      const [actor, issue] = key.split(' ') as [CodeId, CodeId]
      let previous: { article: ScopedArticle; codes: CodeId[] } | null = null
      for (const day of days) {
        const present = day.articles.filter((a) => byArticle.has(a.id))
        if (present.length === 0) continue
        const codes = sorted(new Set(present.flatMap((a) => [...byArticle.get(a.id)!])))
        const article = present[0]!
        if (previous && previous.codes.join() !== codes.join()) {
          shifts.push({
            actorCodeId: actor,
            issueCodeId: issue,
            from: { articleId: previous.article.id as ArticleId, publishedAt: previous.article.published_at!, codeIds: previous.codes },
            to: { articleId: article.id as ArticleId, publishedAt: article.published_at!, codeIds: codes }
          })
        }
        previous = { article, codes }
      }
    }
    return shifts.sort((a, b) => (a.to.publishedAt < b.to.publishedAt ? -1 : a.to.publishedAt > b.to.publishedAt ? 1 : 0) || (codeOrder.get(a.actorCodeId)! - codeOrder.get(b.actorCodeId)!) || (codeOrder.get(a.issueCodeId)! - codeOrder.get(b.issueCodeId)!))
  }

  private articles(scope: ScopeQuery): ScopedArticle[] {
    const columns = 'id, title, outlet, published_at, created_at'
    if (!scope.articleIds) return this.db.prepare<[], ScopedArticle>(`SELECT ${columns} FROM articles WHERE deleted_at IS NULL`).all()
    const found = this.db
      .prepare<[string], ScopedArticle>(`SELECT ${columns} FROM articles WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(scope.articleIds))
    if (found.length < new Set(scope.articleIds).size) {
      const known = new Set(found.map((a) => a.id))
      const missing = scope.articleIds.find((id) => !known.has(id))
      throw new AppError('not-found', `There is no article with id ${missing} in the library.`)
    }
    return found
  }

  // The listed passages with their quotes and notes, read in one query for just these.
  private refs(passages: readonly Passage[], articles: ReadonlyMap<string, ScopedArticle>): PassageRef[] {
    if (passages.length === 0) return []
    const texts = new Map(
      this.db
        .prepare<[string], { id: string; exact: string; note: string | null }>(
          'SELECT h.id, h.exact, n.plain AS note FROM highlights h LEFT JOIN notes n ON n.highlight_id = h.id WHERE h.id IN (SELECT value FROM json_each(?))'
        )
        .all(JSON.stringify(passages.map((p) => p.row.id)))
        .map((row) => [row.id, row])
    )
    return passages.map((p) => toRef(p, articles.get(p.row.article_id)!, texts.get(p.row.id) ?? { exact: '', note: null }))
  }

  private passages(view: CodebookView, articleIds: readonly string[]): Passage[] {
    if (articleIds.length === 0) return []
    // One row per passage and code, grouped here: a JSON array per passage built and parsed again cost more
    // than the counting itself. Quotes and notes are read only for the passages a view lists (see refs).
    const rows = this.db
      .prepare<[string], { id: string; article_id: string; start: number; end: number; code_id: string }>(
        `SELECT h.id, h.article_id, h.start, h.end, hc.code_id
         FROM highlights h JOIN highlight_codes hc ON hc.highlight_id = h.id
         WHERE h.orphaned = 0 AND h.article_id IN (SELECT value FROM json_each(?))`
      )
      .all(JSON.stringify(articleIds))
    const order = new Map(view.codes.map((c, index) => [c.id as string, index]))
    // Passages mostly share a few code combinations; each combination's credit is worked out once.
    const credits = new Map<string, Set<string>>()
    const grouped = new Map<string, { row: ScopedPassage; codeIds: CodeId[] }>()
    for (const row of rows) {
      let entry = grouped.get(row.id)
      if (!entry) grouped.set(row.id, (entry = { row: { id: row.id, article_id: row.article_id, start: row.start, end: row.end, orphaned: 0 }, codeIds: [] }))
      entry.codeIds.push(row.code_id as CodeId)
    }
    return [...grouped.values()].map(({ row, codeIds }) => {
      codeIds.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      const key = codeIds.join()
      let credited = credits.get(key)
      if (!credited) credits.set(key, (credited = view.credit(codeIds)))
      return { row, codeIds, credited }
    })
  }

}

function toRef(passage: Passage, article: ScopedArticle, text: { exact: string; note: string | null }): PassageRef {
  const { row } = passage
  return {
    highlightId: row.id as HighlightId,
    articleId: row.article_id as ArticleId,
    articleTitle: article.title,
    outlet: article.outlet,
    publishedAt: article.published_at,
    start: row.start,
    end: row.end,
    exact: text.exact,
    codeIds: passage.codeIds,
    note: text.note && text.note.trim() ? text.note : null,
    orphaned: row.orphaned === 1
  }
}

/** The matrix of the articles in scope; what exports use. */
export function computeMatrix(db: Db, query: MatrixQuery): StanceMatrix {
  return new AnalysisService(db).matrix(query)
}
