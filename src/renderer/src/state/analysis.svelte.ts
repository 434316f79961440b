import type { MatrixColumns, PassageRef, StanceMatrix, Timeline } from '../../../shared/domain/analysis'
import type { Code } from '../../../shared/domain/code'
import type { ArticleId, CodeId } from '../../../shared/domain/ids'
import { api, ApiError, unwrap } from '../lib/api'
import type { CodebookState } from './codebook.svelte'
import type { Notices } from './notices.svelte'

/** The two analyses. */
export type AnalysisTab = 'matrix' | 'timeline'
/** Which articles the analyses cover: the whole library, or the articles the library list shows. */
export type AnalysisScopeChoice = 'library' | 'shown'
/** What the matrix exports to. */
export type MatrixExportFormat = 'csv' | 'svg' | 'png'

/** A chosen matrix cell: its row (a stance code) and its column (an issue code or an article). */
export interface MatrixCell {
  rowId: string
  columnId: string
}

/** A code the timeline can follow, with its depth below its group, in codebook order. */
export interface TimelineOption {
  code: Code
  depth: number
}

/** A group of the codebook (stances or issues) and the codes in it that the timeline can follow. */
export interface TimelineGroup {
  group: Code
  options: TimelineOption[]
}

/**
 * The analysis screen: the stance × issue (or × article) matrix with the passages of a chosen cell, a
 * code's timeline, and matrix exports. Everything reloads on `refresh()`, which the workspace calls
 * when the screen opens and after changes made while it is open; nothing reloads while it is hidden.
 */
export class AnalysisState {
  tab = $state<AnalysisTab>('matrix')
  scope = $state<AnalysisScopeChoice>('library')
  columns = $state<MatrixColumns>('issues')
  matrix = $state.raw<StanceMatrix | null>(null)
  matrixLoading = $state(false)
  /** True when the chosen scope holds no article (the library list shows none): nothing to ask main for. */
  scopeEmpty = $state(false)
  cell = $state.raw<MatrixCell | null>(null)
  passages = $state.raw<PassageRef[]>([])
  passagesLoading = $state(false)
  timelineCodeId = $state<CodeId | null>(null)
  timeline = $state.raw<Timeline | null>(null)
  timelineLoading = $state(false)
  exporting = $state<MatrixExportFormat | null>(null)
  /** The last export, for the status line. */
  exported = $state.raw<{ format: MatrixExportFormat; path: string; bytes: number } | null>(null)

  /** Stance and issue groups with the codes under them, for the timeline's code choice. */
  timelineGroups: TimelineGroup[] = $derived.by(() => {
    const codes = this.codebook.codes
    const groups = codes.filter((c) => c.groupKind === 'stance' || c.groupKind === 'issue')
    return groups
      .map((group) => ({ group, options: this.#descendants(group.id as CodeId, codes, 0) }))
      .filter((g) => g.options.length > 0)
  })

  /** The row and column of the chosen cell, while they are still in the matrix. */
  chosen = $derived.by(() => {
    const m = this.matrix
    const cell = this.cell
    if (!m || !cell) return null
    const r = m.rows.findIndex((row) => row.id === cell.rowId)
    const c = m.columnItems.findIndex((col) => col.id === cell.columnId)
    if (r < 0 || c < 0) return null
    return { r, c, row: m.rows[r]!, column: m.columnItems[c]!, count: m.counts[r]![c]! }
  })

  #matrixSeq = 0
  #passagesSeq = 0
  #timelineSeq = 0

  constructor(
    private readonly notices: Notices,
    private readonly codebook: CodebookState,
    /** The ids of the articles the library list shows now. */
    private readonly shownIds: () => ArticleId[]
  ) {}

  /** The articles in scope: undefined for the whole library, null when the chosen scope is empty. */
  #scopeIds(): ArticleId[] | undefined | null {
    if (this.scope === 'library') return undefined
    const ids = this.shownIds()
    return ids.length > 0 ? ids : null
  }

  #descendants(parentId: CodeId, codes: Code[], depth: number): TimelineOption[] {
    return codes.filter((c) => c.parentId === parentId).flatMap((code) => [{ code, depth }, ...this.#descendants(code.id as CodeId, codes, depth + 1)])
  }

  /** Reloads what the open tab shows (the matrix and its chosen cell, or the timeline). */
  async refresh(): Promise<void> {
    if (this.tab === 'matrix') await this.loadMatrix()
    else await this.loadTimeline()
  }

  /** Switches between the matrix and the timeline, loading the one shown. */
  async showTab(tab: AnalysisTab): Promise<void> {
    this.tab = tab
    await this.refresh()
  }

  /** Chooses which articles the analyses cover. */
  async chooseScope(scope: AnalysisScopeChoice): Promise<void> {
    this.scope = scope
    await this.refresh()
  }

  /** Switches the matrix's columns between issues and articles; the chosen cell goes (its column is gone). */
  async chooseColumns(columns: MatrixColumns): Promise<void> {
    if (this.columns === columns) return
    this.columns = columns
    this.cell = null
    this.passages = []
    await this.loadMatrix()
  }

  /** Loads the matrix, then the chosen cell's passages if that cell is still there. */
  async loadMatrix(): Promise<void> {
    const seq = ++this.#matrixSeq
    const articleIds = this.#scopeIds()
    this.scopeEmpty = articleIds === null
    if (articleIds === null) {
      this.matrix = null
      this.cell = null
      this.passages = []
      return
    }
    this.matrixLoading = true
    try {
      const matrix = await unwrap(api.analysis.matrix({ columns: this.columns, articleIds }))
      if (seq !== this.#matrixSeq) return
      this.matrix = matrix
      if (this.cell && !this.chosen) {
        this.cell = null
        this.passages = []
      }
    } catch (error) {
      if (seq === this.#matrixSeq) this.notices.report('Could not build the matrix', error)
    } finally {
      if (seq === this.#matrixSeq) this.matrixLoading = false
    }
    if (seq === this.#matrixSeq && this.cell) await this.#loadPassages(this.cell)
  }

  /** Chooses a cell and lists its passages. */
  async selectCell(cell: MatrixCell): Promise<void> {
    this.cell = cell
    await this.#loadPassages(cell)
  }

  async #loadPassages(cell: MatrixCell): Promise<void> {
    const seq = ++this.#passagesSeq
    const scope = this.#scopeIds()
    if (scope === null) return
    // An article column is the row code's passages within that one article.
    const request =
      this.columns === 'articles'
        ? { codeIds: [cell.rowId as CodeId], articleIds: [cell.columnId as ArticleId] }
        : { codeIds: [cell.rowId as CodeId, cell.columnId as CodeId], articleIds: scope }
    this.passagesLoading = true
    try {
      const passages = await unwrap(api.analysis.passages(request))
      if (seq === this.#passagesSeq) this.passages = passages
    } catch (error) {
      if (seq === this.#passagesSeq) {
        this.passages = []
        this.notices.report('Could not list the passages', error)
      }
    } finally {
      if (seq === this.#passagesSeq) this.passagesLoading = false
    }
  }

  /** Follows a code on the timeline. */
  async chooseTimelineCode(id: CodeId): Promise<void> {
    this.timelineCodeId = id
    await this.loadTimeline()
  }

  /** Loads the timeline of the chosen code (the first stance code, until the analyst picks one). */
  async loadTimeline(): Promise<void> {
    const options = this.timelineGroups.flatMap((g) => g.options)
    if (!options.some((o) => o.code.id === this.timelineCodeId)) {
      const first = this.timelineGroups.find((g) => g.group.groupKind === 'stance') ?? this.timelineGroups[0]
      this.timelineCodeId = (first?.options[0]?.code.id as CodeId | undefined) ?? null
    }
    const seq = ++this.#timelineSeq
    const codeId = this.timelineCodeId
    const articleIds = this.#scopeIds()
    this.scopeEmpty = articleIds === null
    if (!codeId || articleIds === null) {
      this.timeline = null
      return
    }
    this.timelineLoading = true
    try {
      const timeline = await unwrap(api.analysis.timeline({ codeId, articleIds }))
      if (seq === this.#timelineSeq) this.timeline = timeline
    } catch (error) {
      if (seq !== this.#timelineSeq) return
      // The code was deleted (from another window, or before the codebook reloaded): start over from the default.
      if (error instanceof ApiError && error.code === 'not-found') {
        this.timelineCodeId = null
        this.timeline = null
      } else this.notices.report('Could not build the timeline', error)
    } finally {
      if (seq === this.#timelineSeq) this.timelineLoading = false
    }
  }

  /** Exports the matrix as shown (same columns and scope); in the app main asks where to save it. */
  async exportMatrix(format: MatrixExportFormat): Promise<void> {
    const articleIds = this.#scopeIds()
    if (articleIds === null || this.exporting) return
    this.exporting = format
    try {
      const saved = await unwrap(api.analysis.exportMatrix({ columns: this.columns, articleIds, format }))
      this.exported = { format, ...saved }
    } catch (error) {
      // Cancelling the save dialog is a choice, not a failure.
      if (!(error instanceof ApiError && error.code === 'cancelled')) this.notices.report(`Could not export the matrix as ${format.toUpperCase()}`, error)
    } finally {
      this.exporting = null
    }
  }
}
