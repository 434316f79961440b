import type { AnnotationImportOutcome, ExportFormat, ExportProgress, ExportResult, W3cImportReport } from '../../../shared/export/export-types'
import type { ArticleId, CodeId } from '../../../shared/domain/ids'
import { api, ApiError, unwrap } from '../lib/api'
import type { Notices } from './notices.svelte'

/** Which articles an export covers. */
export type ExportScope = 'current' | 'shown' | 'library'

/** The export dialog's choices. */
export interface ExportChoices {
  format: ExportFormat
  scope: ExportScope
  /** Every code, including codes added later; otherwise only `codeIds`. */
  allCodes: boolean
  codeIds: CodeId[]
  includeNotes: boolean
  includeAppendix: boolean
  /** PDF: the stance × issue matrix of the exported articles after the title block. */
  includeMatrix: boolean
  paper: 'A4' | 'Letter'
  perArticle: boolean
  analyst: string
}

/** Where each scope's articles come from; the workspace supplies it. */
export interface ExportSource {
  current(): ArticleId | null
  shown(): ArticleId[]
  library(): ArticleId[]
  /** Ids of the codes in the codebook now. */
  codeIds(): CodeId[]
}

/**
 * The export dialog's state: the choices (analyst and paper remembered by main), the running job with its
 * progress and cancel, and the outcome. Also imports W3C annotation files back.
 */
export class ExporterState {
  open = $state(false)
  choices = $state<ExportChoices>({ format: 'pdf', scope: 'current', allCodes: true, codeIds: [], includeNotes: true, includeAppendix: true, includeMatrix: false, paper: 'A4', perArticle: false, analyst: '' })
  running = $state<ExportProgress | null>(null)
  result = $state<ExportResult | null>(null)
  error = $state<string | null>(null)
  importing = $state(false)
  #defaultsLoaded = false
  /** The scope was moved off "this article" only because none was open. */
  #scopeFallback = false

  constructor(
    private readonly notices: Notices,
    private readonly source: ExportSource,
    private readonly afterImport: () => Promise<void>
  ) {
    api.export.onProgress((progress) => {
      if (this.running && progress.jobId === this.running.jobId) this.running = progress
    })
  }

  /** The articles the current scope names. */
  articleIds(scope: ExportScope = this.choices.scope): ArticleId[] {
    if (scope === 'current') {
      const id = this.source.current()
      return id ? [id] : []
    }
    return scope === 'shown' ? this.source.shown() : this.source.library()
  }

  /** Opens the dialog, loading the remembered analyst name and paper size the first time. */
  async show(): Promise<void> {
    this.result = null
    this.error = null
    this.#dropDeletedCodes()
    if (!this.source.current() && this.choices.scope === 'current') {
      this.choices.scope = 'library'
      this.#scopeFallback = true
    } else if (this.source.current() && this.#scopeFallback) {
      this.choices.scope = 'current'
      this.#scopeFallback = false
    }
    this.open = true
    if (this.#defaultsLoaded) return
    try {
      const defaults = await unwrap(api.export.defaults({}))
      this.choices.analyst = defaults.analyst
      this.choices.paper = defaults.paper
      this.#defaultsLoaded = true
    } catch (error) {
      this.notices.report('Could not load export settings', error)
    }
  }

  /** Runs the export with the current choices; main asks where to save. */
  async run(outputPath?: string): Promise<ExportResult | null> {
    if (this.running) return null
    const articleIds = this.articleIds()
    if (articleIds.length === 0) {
      this.error = 'There are no articles to export in this scope.'
      return null
    }
    this.#dropDeletedCodes()
    const c = this.choices
    if (!c.allCodes && c.codeIds.length === 0) {
      this.error = 'Choose at least one code to export.'
      return null
    }
    const jobId = `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
    this.running = { jobId, done: 0, total: 1, message: 'Starting…' }
    this.result = null
    this.error = null
    const request = {
      articleIds,
      outputPath,
      jobId,
      options: {
        codeIds: c.allCodes ? undefined : [...c.codeIds],
        includeNotes: c.includeNotes,
        includeAppendix: c.includeAppendix,
        includeMatrix: c.format === 'pdf' && c.includeMatrix,
        paper: c.paper,
        perArticle: c.perArticle,
        analyst: c.analyst
      }
    }
    try {
      const call = {
        pdf: () => api.export.pdf(request),
        markdown: () => api.export.markdown(request),
        csv: () => api.export.csv(request),
        w3c: () => api.export.w3c(request),
        qdpx: () => api.export.qdpx(request)
      }[c.format]
      this.result = await unwrap(call())
      return this.result
    } catch (error) {
      // Cancelling (here or in the save dialog) is the user's choice, not an error to shout about.
      if (error instanceof ApiError && error.code === 'cancelled') this.error = null
      else this.error = error instanceof Error ? error.message : String(error)
      return null
    } finally {
      this.running = null
    }
  }

  // A code deleted since it was chosen would make main refuse the export; it simply leaves the choice.
  #dropDeletedCodes(): void {
    const live: readonly string[] = this.source.codeIds()
    if (this.choices.codeIds.some((id) => !live.includes(id))) this.choices.codeIds = this.choices.codeIds.filter((id) => live.includes(id))
  }

  /** Asks main to stop the running export. */
  async cancel(): Promise<void> {
    const job = this.running
    if (!job) return
    try {
      await unwrap(api.export.cancel({ jobId: job.jobId }))
    } catch (error) {
      this.notices.report('Could not cancel the export', error)
    }
  }

  /** Imports a W3C Web Annotation file chosen in the dialog and reports what changed. */
  async importAnnotations(file: File): Promise<W3cImportReport | null> {
    this.importing = true
    try {
      const report = await unwrap(api.import.w3c({ text: await file.text() }))
      await this.reportImport({ fileName: file.name, report, error: null })
      return report
    } catch (error) {
      await this.reportImport({ fileName: file.name, report: null, error: error instanceof Error ? error.message : String(error) })
      return null
    } finally {
      this.importing = false
    }
  }

  /** Says in words what an annotation import did (from the dialog or File ▸ Import Annotations…) and reloads what it touched. */
  async reportImport(outcome: AnnotationImportOutcome): Promise<void> {
    const report = outcome.report
    if (!report) {
      this.notices.push('error', `Could not import ${outcome.fileName}`, outcome.error ?? 'Unknown error')
      return
    }
    const h = report.highlights
    const parts = [`${h.created} passage${h.created === 1 ? '' : 's'} added`]
    if (h.duplicates) parts.push(`${h.duplicates} already here`)
    if (h.merged) parts.push(`${h.merged} given extra codes`)
    if (h.orphaned) parts.push(`${h.orphaned} not found in the text`)
    if (h.unresolved) parts.push(`${h.unresolved} for articles not in this library`)
    if (h.uncoded) parts.push(`${h.uncoded} without a code skipped`)
    if (report.articles.created) parts.push(`${report.articles.created} article${report.articles.created === 1 ? '' : 's'} added`)
    if (report.codes.created) parts.push(`${report.codes.created} code${report.codes.created === 1 ? '' : 's'} added`)
    this.notices.push('info', `Imported ${outcome.fileName}`, parts.join(' · '))
    await this.afterImport()
  }
}
