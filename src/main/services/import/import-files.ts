import { stat, readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Article } from '../../../shared/domain/article'
import type { ImportOutcome } from '../../../shared/domain/reimport'
import { AppError } from '../../../shared/result'
import { importError, unsupportedTypeError } from './errors'
import { MAX_IMPORT_BYTES, TOO_BIG } from './decode'
import { kindForFileName, type ImportRequest } from './index'

/** Imports one document as a new article: the function behind `articles:import`. */
export type ArticleImporter = (request: ImportRequest) => Promise<Pick<Article, 'id' | 'title'>> | Pick<Article, 'id' | 'title'>

function reasonOf(error: unknown, fileName: string): string {
  if (error instanceof AppError) return error.message
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return `“${fileName}”: The file is no longer there.`
  if (code === 'EACCES' || code === 'EPERM') return `“${fileName}”: Stance is not allowed to read this file.`
  return `“${fileName}”: The file could not be imported (${(error as Error)?.message ?? String(error)}).`
}

/**
 * Reads and imports files one after the other (File ▸ Import…), so one bad file never stops the rest:
 * the type comes from the extension, the size is checked before anything is read, and each file's
 * outcome — the new article, or why not, in words — is reported in the order given.
 */
export async function importFiles(paths: readonly string[], importer: ArticleImporter): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = []
  for (const path of paths) {
    const fileName = basename(path)
    try {
      const kind = kindForFileName(fileName)
      if (!kind) throw unsupportedTypeError(fileName)
      const info = await stat(path)
      if (!info.isFile()) throw importError(fileName, 'This is not a file.')
      if (info.size > MAX_IMPORT_BYTES) throw importError(fileName, TOO_BIG)
      // A copy with its own ArrayBuffer, as the articles:import contract types it (Buffers may share a pool).
      const content = new Uint8Array(await readFile(path))
      const article = await importer({ kind, content, fileName })
      outcomes.push({ fileName, ok: true, articleId: article.id, title: article.title, error: null })
    } catch (error) {
      outcomes.push({ fileName, ok: false, articleId: null, title: null, error: reasonOf(error, fileName) })
    }
  }
  return outcomes
}
