import type { Db } from '../db/connection'
import type { CodeSnapshot } from '../db/repositories/code-repository'
import { abbreviateQuote, type HighlightParts, type HighlightSnapshot } from '../db/repositories/highlight-repository'
import type { Repositories } from '../db/repositories/repositories'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import type { HistoryEntry } from './history'

type Side = 'before' | 'after'

interface CodeChange {
  id: CodeId
  before: CodeSnapshot | undefined
  after: CodeSnapshot | undefined
}

interface HighlightChange {
  id: HighlightId
  before: HighlightSnapshot | undefined
  after: HighlightSnapshot | undefined
  /** For a highlight that exists on both sides: which of its parts the operation changed. */
  parts: HighlightParts
}

const POSITION_COLUMNS = ['start', 'end', 'exact', 'prefix', 'suffix', 'orphaned'] as const
/**
 * The position columns a user (or a re-import) sets; `orphaned`, prefix and suffix also change by automatic
 * repair on read, which an undo adopts rather than refuses.
 */
const PLACE_COLUMNS = ['start', 'end', 'exact'] as const

function sameRow(a: object, b: object): boolean {
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key])
}

function other(side: Side): Side {
  return side === 'before' ? 'after' : 'before'
}

/**
 * What one operation changed, as before/after snapshots of exactly the code and highlight rows it
 * touched; either side can be put back in one transaction, which is all undo and redo are.
 */
export class ChangeSet {
  constructor(
    private readonly db: Db,
    private readonly repos: Repositories,
    private readonly codes: readonly CodeChange[],
    private readonly highlights: readonly HighlightChange[]
  ) {}

  /** Whether the operation changed nothing at all. */
  get isEmpty(): boolean {
    return this.codes.length === 0 && this.highlights.length === 0
  }

  /** Articles whose highlights changed, on either side. */
  get articleIds(): ArticleId[] {
    const ids = new Set<ArticleId>()
    for (const change of this.highlights) {
      for (const snapshot of [change.before, change.after]) if (snapshot) ids.add(snapshot.row.article_id as ArticleId)
    }
    return [...ids]
  }

  /** Whether any code changed. */
  get codebookChanged(): boolean {
    return this.codes.length > 0
  }

  /** A history entry that undoes and redoes this change. */
  toEntry(label: string): HistoryEntry {
    return {
      label,
      articleIds: this.articleIds,
      codebookChanged: this.codebookChanged,
      undo: () => this.apply('before'),
      redo: () => this.apply('after')
    }
  }

  /**
   * Puts every touched row back as it was on one side of the operation. The rows must still be as the
   * other side left them (present or absent); if the world has moved on, this is a conflict and nothing changes.
   */
  apply(side: Side): void {
    try {
      this.db.transaction(() => this.applyInTransaction(side))()
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
        throw new AppError('conflict', `The codebook or passages have changed in a way this step cannot be reconciled with (${code}).`)
      }
      throw error
    }
  }

  private applyInTransaction(side: Side): void {
    const source = other(side)
    const { codes, highlights } = this.repos
    this.refreshFromWorld(source)
    // Parents and codes may briefly be missing while rows are put back in an order that suits the
    // RESTRICT rules; the checks below run before commit instead.
    this.db.pragma('defer_foreign_keys = ON')

    const leaving = this.highlights.filter((change) => change[side] === undefined)
    for (const change of leaving) highlights.delete(change.id)
    const staying = this.highlights.filter((change) => change.before && change.after)
    for (const change of staying) if (change.parts.codes) highlights.unlinkAll(change.id)

    // Codes that stay first take a placeholder name and no key, so that names and keys can change
    // hands between rows without tripping the unique indexes halfway.
    const stayingCodes = this.codes.filter((change) => change.before && change.after)
    for (const change of stayingCodes) {
      const target = change[side] as CodeSnapshot
      codes.restore({ ...target, name: target.id, shortcut: null })
    }
    for (const change of this.deepestFirst(this.codes.filter((c) => c[side] === undefined), source)) codes.remove(change.id)
    for (const change of this.codes) if (change[source] === undefined) codes.restore(change[side] as CodeSnapshot)
    for (const change of stayingCodes) codes.restore(change[side] as CodeSnapshot)

    for (const change of this.highlights) if (change[source] === undefined) highlights.restore(change[side] as HighlightSnapshot)
    for (const change of staying) highlights.overwrite(change[side] as HighlightSnapshot, change.parts)

    for (const table of ['codes', 'highlights', 'highlight_codes', 'notes']) {
      if ((this.db.pragma(`foreign_key_check(${table})`) as unknown[]).length > 0) {
        throw new AppError('conflict', 'A code or passage it depends on no longer exists.')
      }
    }
  }

  // Checks that every touched row is present or absent as `side` says, and re-reads the present ones:
  // putting the other side back and then this one again must return exactly what is there now, even
  // if something outside the history (a note, a position repair) changed those rows in between. What the
  // operation itself changed — a passage's codes, its place — must still be as `side` left it: if something
  // outside this history entry recoded or moved the passage since, putting the other side back would
  // silently undo that work, so it is a conflict.
  private refreshFromWorld(side: Side): void {
    for (const change of this.codes) {
      const expected = change[side]
      const current = this.repos.codes.snapshot(change.id)
      if (expected && !current) throw new AppError('conflict', `The code "${expected.name}" has been deleted since.`)
      if (!expected && current) throw new AppError('conflict', `The code "${current.name}" it would bring back exists again.`)
      if (current) change[side] = current
    }
    for (const change of this.highlights) {
      const expected = change[side]
      const current = this.repos.highlights.snapshot(change.id)
      if (expected && !current) throw new AppError('conflict', `The passage “${abbreviateQuote(expected.row.exact)}” has been deleted since, perhaps with its article.`)
      if (!expected && current) throw new AppError('conflict', `The passage “${abbreviateQuote(current.row.exact)}” it would bring back exists again.`)
      if (expected && current && change.before && change.after) {
        const recoded = change.parts.codes && expected.codeIds.join() !== current.codeIds.join()
        const moved = change.parts.position && PLACE_COLUMNS.some((column) => expected.row[column] !== current.row[column])
        if (recoded || moved) {
          throw new AppError('conflict', `The passage “${abbreviateQuote(current.row.exact)}” has been ${recoded ? 'recoded' : 'moved'} since, perhaps in another window.`)
        }
      }
      if (current) change[side] = current
    }
  }

  // Removes sub-codes before their parents, which the RESTRICT rule on parent_id checks at once.
  private deepestFirst(changes: CodeChange[], side: Side): CodeChange[] {
    const byId = new Map(changes.map((change) => [change.id as string, change]))
    const depth = (change: CodeChange): number => {
      let level = 0
      let parent = change[side]?.parent_id ?? null
      while (parent && byId.has(parent) && level < byId.size) {
        level++
        parent = byId.get(parent)?.[side]?.parent_id ?? null
      }
      return level
    }
    return [...changes].sort((a, b) => depth(b) - depth(a))
  }
}

/**
 * Watches the rows an operation is about to change: snapshot before, run the operation, `finish` to
 * snapshot after and keep only what differs. Use it inside the operation's transaction.
 */
export class ChangeRecorder {
  private codesBefore: Map<CodeId, CodeSnapshot> | undefined
  private readonly highlightsBefore = new Map<HighlightId, HighlightSnapshot | undefined>()

  constructor(
    private readonly db: Db,
    private readonly repos: Repositories
  ) {}

  /** Watches every code; the codebook is small, and an operation may renumber a whole level. */
  trackCodebook(): void {
    this.codesBefore ??= this.repos.codes.snapshotAll()
  }

  /** Watches a highlight that exists now. */
  trackHighlight(id: HighlightId): void {
    if (!this.highlightsBefore.has(id)) this.highlightsBefore.set(id, this.repos.highlights.snapshot(id))
  }

  /** Notes a highlight the operation has just created. */
  trackCreated(id: HighlightId): void {
    this.highlightsBefore.set(id, undefined)
  }

  /** The change between the watched rows then and now. */
  finish(): ChangeSet {
    const codes: CodeChange[] = []
    if (this.codesBefore) {
      const after = this.repos.codes.snapshotAll()
      for (const id of new Set([...this.codesBefore.keys(), ...after.keys()])) {
        const change = { id, before: this.codesBefore.get(id), after: after.get(id) }
        if (!change.before || !change.after || !sameRow(change.before, change.after)) codes.push(change)
      }
    }
    const highlights: HighlightChange[] = []
    for (const [id, before] of this.highlightsBefore) {
      const after = this.repos.highlights.snapshot(id)
      const parts = {
        codes: before !== undefined && after !== undefined && before.codeIds.join() !== after.codeIds.join(),
        position: before !== undefined && after !== undefined && POSITION_COLUMNS.some((column) => before.row[column] !== after.row[column])
      }
      const changed = !before || !after || parts.codes || parts.position || before.row.updated_at !== after.row.updated_at || before.row.version !== after.row.version
      if (changed && (before || after)) highlights.push({ id, before, after, parts })
    }
    return new ChangeSet(this.db, this.repos, codes, highlights)
  }
}
