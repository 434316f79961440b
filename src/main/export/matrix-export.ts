import type { Db } from '../db/connection'
import { matrixCsv } from '../../shared/analysis/matrix-csv'
import { matrixSvg, matrixTitle } from '../../shared/analysis/matrix-svg'
import type { MatrixColumns, StanceMatrix } from '../../shared/domain/analysis'
import type { ArticleId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import { computeMatrix } from '../services/analysis-service'
import { commitStaged, discardStaged, stageFile, type StagedFile } from './atomic-write'
import { fileDestination, type OutputRequest } from './export-service'
import { PNG_SCALE, svgToPng } from './matrix-png'

/** The files the matrix exports to: a spreadsheet, or a picture. */
export type MatrixFormat = 'csv' | 'svg' | 'png'

/** One `analysis:exportMatrix` call as the handler receives it. */
export interface MatrixExportRequest {
  columns: MatrixColumns
  /** The articles counted (every article in the library when absent). */
  articleIds?: ArticleId[]
  format: MatrixFormat
  /** The harness's path, or a starting point for the save dialog. */
  outputPath?: string
}

/** What the matrix export needs: the library, and the shell's way of asking where to write. */
export interface MatrixExportDeps {
  db: Db
  /** Resolves where to write: a save dialog in the app, the given path in the harness; null when the user cancels. */
  chooseOutput: (request: OutputRequest) => Promise<string | null>
  now?: () => Date
}

/**
 * Exports the stance matrix of the articles in scope as CSV, SVG or PNG: computes it, asks where to write
 * (the file name proposed carries the date), and writes under a temporary name renamed into place, so a
 * cancelled or failed export leaves nothing behind.
 */
export async function exportMatrix(deps: MatrixExportDeps, request: MatrixExportRequest): Promise<{ path: string; bytes: number }> {
  const matrix = computeMatrix(deps.db, { columns: request.columns, articleIds: request.articleIds })
  const date = (deps.now?.() ?? new Date()).toISOString().slice(0, 10)
  const data = matrixFile(matrix, request.format, date)
  const suggestedName = `stance-matrix${request.columns === 'articles' ? '-by-article' : ''}-${date}.${request.format}`
  const chosen = await deps.chooseOutput({ format: request.format, suggestedName, requested: request.outputPath, directory: false })
  if (chosen === null) throw new AppError('cancelled', 'The export was cancelled.')
  const path = fileDestination(chosen, `.${request.format}`)
  let staged: StagedFile | undefined
  try {
    staged = stageFile(path, data)
    commitStaged([staged])
  } catch (error) {
    if (staged) discardStaged([staged])
    throw new AppError('unavailable', `The matrix could not be saved: ${(error as Error).message}. Nothing was written.`)
  }
  return { path, bytes: typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength }
}

/** The bytes of a matrix file: CSV or SVG text, or a PNG drawn from the SVG at twice its size. */
export function matrixFile(matrix: StanceMatrix, format: MatrixFormat, date: string): string | Uint8Array {
  if (format === 'csv') return matrixCsv(matrix)
  const articles = `${matrix.articleCount} article${matrix.articleCount === 1 ? '' : 's'}`
  const svg = matrixSvg(matrix, { title: matrixTitle(matrix.columns), subtitle: `${matrix.passageCount} coded passage${matrix.passageCount === 1 ? '' : 's'} in ${articles} · ${date}` })
  if (format === 'svg') return svg
  const size = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg)
  const [width, height] = size ? [Number(size[1]), Number(size[2])] : [0, 0]
  if (width * PNG_SCALE > MAX_PNG_SIDE || height * PNG_SCALE > MAX_PNG_SIDE) {
    throw new AppError(
      'invalid-input',
      `The matrix is too large for a picture (${matrix.rows.length} rows × ${matrix.columnItems.length} columns); export it as SVG or CSV, or choose fewer articles.`
    )
  }
  return svgToPng(svg).png
}

/** The widest or tallest PNG the matrix export draws, in pixels (larger ones take hundreds of megabytes in main). */
export const MAX_PNG_SIDE = 16_000
