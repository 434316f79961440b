import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { AnnotationImportOutcome, W3cImportReport } from '../../shared/export/export-types'
import { AppError } from '../../shared/result'

/** Largest annotation file File ▸ Import Annotations… reads, as the import:w3c contract allows. */
export const MAX_ANNOTATION_FILE_BYTES = 50 * 1024 * 1024

/**
 * Reads a W3C annotation file chosen in File ▸ Import Annotations… and imports it through the import:w3c
 * handler; whatever happens, the outcome comes back in words for the window to show.
 */
export async function importAnnotationFile(path: string, importer: (request: { text: string }) => W3cImportReport | Promise<W3cImportReport>): Promise<AnnotationImportOutcome> {
  const fileName = basename(path)
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new AppError('invalid-input', 'This is not a file.')
    if (info.size > MAX_ANNOTATION_FILE_BYTES) throw new AppError('invalid-input', 'An annotation file may be at most 50 MB.')
    const text = await readFile(path, 'utf8')
    if (text.trim() === '') throw new AppError('invalid-input', 'The file is empty.')
    return { fileName, report: await importer({ text }), error: null }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    const message = error instanceof AppError ? error.message : code === 'ENOENT' ? 'The file is no longer there.' : code === 'EACCES' || code === 'EPERM' ? 'Stance is not allowed to read this file.' : (error as Error)?.message ?? String(error)
    return { fileName, report: null, error: message }
  }
}
