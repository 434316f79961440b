import { existsSync, statSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, join } from 'node:path'
import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import type { ExportBundle } from '../../shared/export/export-bundle'
import type { ExportFormat, ExportOptions, ExportProgress, ExportResult, ExportedFile } from '../../shared/export/export-types'
import type { ArticleId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import { commitStaged, discardStaged, stageFile, type StagedFile } from './atomic-write'
import { ANALYST_SETTING, collectBundle, type CollectOptions } from './collect-bundle'
import { exportCsv } from './csv-export'
import { exportMarkdown } from './markdown-export'
import { annotatePdf } from './pdf/annotate-pdf'
import { buildPdfDocument } from './pdf/export-document'
import { exportFontCss } from './pdf/export-fonts'
import type { PdfPrinter } from './pdf/pdf-printer'
import { exportQdpx } from './qdpx-export'
import { exportW3c } from './w3c-export'

/** Settings key of the paper size last chosen for PDF exports. */
export const PAPER_SETTING = 'export.paper'

/** Longest a single article may take to print and annotate before the export gives up. */
export const ARTICLE_TIMEOUT_MS = 60_000

/** What the shell is asked when an export needs a destination. */
export interface OutputRequest {
  /** What is written: an export format, or a picture of the analysis matrix (svg, png). */
  format: ExportFormat | 'svg' | 'png'
  /** A file name to propose (or, for one PDF per article, nothing: a folder is chosen). */
  suggestedName: string
  /** What the caller passed, if anything: the harness's temp path, or a starting point for the dialog. */
  requested?: string
  directory: boolean
}

/** The export's collaborators; the shell supplies the printer and the destination chooser. */
export interface ExportServiceDeps {
  db: Db
  repos: Repositories
  app: { name: string; version: string }
  /** Created on first PDF export and reused. */
  printer: () => PdfPrinter
  /** Resolves where to write: a save dialog in the app, the given path in the harness; null when the user cancels. */
  chooseOutput: (request: OutputRequest) => Promise<string | null>
  progress?: (progress: ExportProgress) => void
  articleTimeoutMs?: number
  now?: () => Date
}

/** One export call as the handlers receive it. */
export interface ExportRequest {
  articleIds: ArticleId[]
  outputPath?: string
  options?: ExportOptions
  jobId?: string
}

const EXTENSIONS: Record<ExportFormat, string> = { pdf: '.pdf', markdown: '.md', csv: '.csv', w3c: '.jsonld', qdpx: '.qdpx' }

/**
 * Runs exports: gathers a consistent bundle, formats it, and writes the result under a temporary name that
 * is renamed into place only when everything succeeded, so a failed, timed-out or cancelled export never
 * leaves a partial file. PDF exports report progress and can be cancelled by job id.
 */
export class ExportService {
  private readonly jobs = new Map<string, AbortController>()

  constructor(private readonly deps: ExportServiceDeps) {}

  /** What the export dialog starts from: the remembered analyst name and paper size. */
  defaults(): { analyst: string; paper: 'A4' | 'Letter' } {
    const paper = this.deps.repos.settings.get<string>(PAPER_SETTING, 'A4')
    return { analyst: this.deps.repos.settings.get<string>(ANALYST_SETTING, ''), paper: paper === 'Letter' ? 'Letter' : 'A4' }
  }

  /** Stops a running export; returns whether one with that id was running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    job?.abort(new AppError('cancelled', 'The export was cancelled.'))
    return job !== undefined
  }

  async export(format: ExportFormat, request: ExportRequest): Promise<ExportResult> {
    const options = request.options ?? {}
    const jobId = request.jobId ?? `job-${Date.now()}-${Math.random().toString(36).slice(2)}`
    if (this.jobs.has(jobId)) throw new AppError('conflict', 'An export with this job id is already running.')
    const controller = new AbortController()
    this.jobs.set(jobId, controller)
    try {
      const perArticle = format === 'pdf' && options.perArticle === true && request.articleIds.length > 1
      const matrix = format === 'pdf' && options.includeMatrix === true ? (perArticle ? 'per-article' : 'combined') : undefined
      const bundle = this.collect(request.articleIds, options, matrix)
      const target = await this.destination(format, bundle, request.outputPath, perArticle)
      this.check(controller.signal)
      // Only an export that is going ahead remembers its choices; a refused one changes nothing.
      this.rememberChoices(options)
      if (format === 'pdf') return await this.pdf(bundle, options, target, perArticle, jobId, controller.signal)
      const data = this.format(format, bundle, options)
      this.check(controller.signal)
      const staged = [stageFile(target, data)]
      return this.commit(staged, controller.signal, [{ path: target, bytes: byteLength(data) }], bundle)
    } finally {
      this.jobs.delete(jobId)
    }
  }

  private format(format: Exclude<ExportFormat, 'pdf'>, bundle: ExportBundle, options: ExportOptions): string | Uint8Array {
    const common = { codeIds: options.codeIds, includeNotes: options.includeNotes !== false }
    switch (format) {
      case 'markdown':
        return exportMarkdown(bundle, common)
      case 'csv':
        return exportCsv(bundle, common)
      case 'w3c':
        return exportW3c(bundle, { includeNotes: common.includeNotes, includeSources: options.includeSources !== false })
      case 'qdpx':
        return exportQdpx(bundle, { ...common, projectName: bundle.articles.length === 1 ? bundle.articles[0]?.article.title : 'Stance project' })
    }
  }

  private async pdf(bundle: ExportBundle, options: ExportOptions, target: string, perArticle: boolean, jobId: string, signal: AbortSignal): Promise<ExportResult> {
    const groups: ExportBundle[] = perArticle ? bundle.articles.map((article) => ({ ...bundle, articles: [article], matrix: article.matrix })) : [bundle]
    const total = groups.length * 3 + 1
    let done = 0
    const step = (message: string): void => {
      this.check(signal)
      this.deps.progress?.({ jobId, done, total, message })
      done++
    }
    const staged: StagedFile[] = []
    const files: ExportedFile[] = []
    const names = new Set<string>()
    let unplaced = 0
    try {
      for (const group of groups) {
        const title = group.articles.length === 1 ? (group.articles[0]?.article.title ?? '') : `${group.articles.length} articles`
        step(`Laying out “${title}”`)
        const plan = buildPdfDocument(
          group,
          { includeNotes: options.includeNotes !== false, includeAppendix: options.includeAppendix !== false, paper: options.paper ?? 'A4', includeMatrix: options.includeMatrix === true },
          exportFontCss()
        )
        step(`Printing “${title}”`)
        const limit = (this.deps.articleTimeoutMs ?? ARTICLE_TIMEOUT_MS) * group.articles.length
        const annotated = await withTimeout(signal, limit, `Exporting “${title}” took longer than ${Math.round(limit / 1000)} s and was stopped; nothing was written. Try fewer articles, or export them one file per article.`, async (inner) => {
          const printed = await this.deps.printer().print(plan.html, { headerTitle: plan.headerTitle, signal: inner })
          this.check(inner)
          step(`Adding annotations to “${title}”`)
          const codeNames = [...new Set(group.articles.flatMap((a) => a.highlights.flatMap((h) => h.codeIds)))]
            .map((id) => group.codes.find((c) => c.id === id)?.name)
            .filter((name): name is string => Boolean(name))
          return annotatePdf(printed, plan, group.analyst, {
            title: plan.headerTitle,
            author: group.analyst,
            subject: `Stance export of ${group.articles.map((a) => a.article.title).join('; ')}`.slice(0, 1000),
            keywords: codeNames,
            creator: `${this.deps.app.name} ${this.deps.app.version}`,
            created: new Date(group.exportedAt)
          })
        })
        // A passage with no visible glyph (only spaces, say) has nowhere to put an annotation; it is still in
        // the appendix and the result says how many, rather than failing the whole export.
        unplaced += annotated.missing.length
        const path = perArticle ? join(target, uniqueName(slug(title), names, target)) : target
        staged.push(stageFile(path, annotated.bytes))
        files.push({ path, pages: annotated.pages, annotations: annotated.annotations, bytes: annotated.bytes.byteLength })
      }
      step('Saving')
      this.deps.progress?.({ jobId, done: total, total, message: 'Done' })
    } catch (error) {
      discardStaged(staged)
      throw error
    }
    return { ...this.commit(staged, signal, files, bundle, perArticle ? target : undefined), unplaced }
  }

  private commit(staged: StagedFile[], signal: AbortSignal, files: ExportedFile[], bundle: ExportBundle, folder?: string): ExportResult {
    if (signal.aborted) {
      discardStaged(staged)
      this.check(signal)
    }
    try {
      commitStaged(staged)
    } catch (error) {
      discardStaged(staged)
      throw new AppError('unavailable', `The export could not be saved: ${(error as Error).message}. Nothing was written.`)
    }
    return {
      path: folder ?? files[0]?.path ?? '',
      files,
      pages: files.reduce((sum, f) => sum + (f.pages ?? 0), 0),
      annotations: files.reduce((sum, f) => sum + (f.annotations ?? 0), 0),
      articles: bundle.articles.length,
      highlights: bundle.articles.reduce((sum, a) => sum + a.highlights.length, 0),
      unplaced: 0
    }
  }

  private collect(articleIds: readonly ArticleId[], options: ExportOptions, matrix: CollectOptions['matrix']): ExportBundle {
    return collectBundle(this.deps.db, this.deps.repos, {
      articleIds,
      codeIds: options.codeIds,
      app: this.deps.app,
      analyst: options.analyst,
      matrix,
      now: this.deps.now
    })
  }

  private rememberChoices(options: ExportOptions): void {
    if (options.analyst !== undefined) this.deps.repos.settings.set(ANALYST_SETTING, options.analyst.trim())
    if (options.paper) this.deps.repos.settings.set(PAPER_SETTING, options.paper)
  }

  private async destination(format: ExportFormat, bundle: ExportBundle, requested: string | undefined, directory: boolean): Promise<string> {
    const only = bundle.articles.length === 1 ? bundle.articles[0]?.article.title : undefined
    const suggestedName = directory ? '' : `${only ? slug(only) : `stance-export-${bundle.exportedAt.slice(0, 10)}`}${EXTENSIONS[format]}`
    const chosen = await this.deps.chooseOutput({ format, suggestedName, requested, directory })
    if (chosen === null) throw new AppError('cancelled', 'The export was cancelled.')
    if (!isAbsolute(chosen)) throw new AppError('invalid-input', 'The export destination must be an absolute path.')
    if (directory) {
      if (!existsSync(chosen) || !statSync(chosen).isDirectory()) throw new AppError('not-found', `The folder ${chosen} does not exist.`)
      return chosen
    }
    return fileDestination(chosen, EXTENSIONS[format])
  }

  private check(signal: AbortSignal): void {
    if (!signal.aborted) return
    const reason: unknown = signal.reason
    throw reason instanceof AppError ? reason : new AppError('cancelled', 'The export was cancelled.')
  }
}

/**
 * Checks a chosen absolute file path: its folder exists, it is not a folder, and a name typed without an
 * extension gets `extension`, but never over an existing file (the dialog confirmed overwriting what was
 * typed, not the name with the extension added).
 */
export function fileDestination(chosen: string, extension: string): string {
  if (!isAbsolute(chosen)) throw new AppError('invalid-input', 'The export destination must be an absolute path.')
  const folder = dirname(chosen)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new AppError('not-found', `The folder ${folder} does not exist.`)
  const path = extname(chosen) ? chosen : chosen + extension
  if (existsSync(path) && statSync(path).isDirectory()) throw new AppError('invalid-input', `${basename(path)} is a folder; choose a file name.`)
  if (path !== chosen && existsSync(path)) throw new AppError('conflict', `${basename(path)} already exists; choose another name.`)
  return path
}

/** Runs work with a child signal that aborts on the parent's abort or when the time is up. */
async function withTimeout<T>(parent: AbortSignal, ms: number, message: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const inner = new AbortController()
  const onAbort = (): void => inner.abort(parent.reason)
  parent.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(() => inner.abort(new AppError('timeout', message)), ms)
  try {
    return await Promise.race([
      work(inner.signal),
      new Promise<never>((_, reject) => {
        inner.signal.addEventListener('abort', () => reject(inner.signal.reason instanceof AppError ? inner.signal.reason : new AppError('cancelled', 'The export was cancelled.')), { once: true })
      })
    ])
  } finally {
    clearTimeout(timer)
    parent.removeEventListener('abort', onAbort)
  }
}

function byteLength(data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength
}

/** A file-system-safe name from a title: letters of any script kept, the rest dashes, at most 80 characters. */
export function slug(title: string): string {
  const cleaned = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return cleaned || 'article'
}

/** A file name in the folder that neither this export nor an existing file uses: one PDF per article never overwrites. */
function uniqueName(base: string, taken: Set<string>, folder: string): string {
  let candidate = `${base}.pdf`
  for (let i = 2; taken.has(candidate.toLowerCase()) || existsSync(join(folder, candidate)); i++) candidate = `${base}-${i}.pdf`
  taken.add(candidate.toLowerCase())
  return candidate
}
