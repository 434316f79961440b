import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ExportBundle } from '../../shared/export/export-bundle'
import { noteToPlainText, type QuoteLookup } from '../../shared/notes/note-html'
import { isNoteEmpty } from '../../shared/notes/note-summary'
import { csvDocument, csvRow } from '../../shared/export/csv-cell'

export { csvCell } from '../../shared/export/csv-cell'

/** What a CSV export includes. */
export interface CsvExportOptions {
  /** Only these codes (all codes when absent). */
  codeIds?: readonly string[]
  /** Fill the note column; on unless false (the column stays either way). */
  includeNotes?: boolean
}

/** The header row, in column order. */
export const CSV_COLUMNS = [
  'article_id',
  'article_title',
  'outlet',
  'published',
  'code',
  'code_parent',
  'quote',
  'note',
  'start',
  'end',
  'highlight_id',
  'created',
  'updated'
] as const

/**
 * Writes a bundle as CSV: a header row (CSV_COLUMNS), then one row per highlight and exported code, codes in
 * codebook order within each highlight, articles and highlights in bundle order. RFC 4180 with CRLF
 * records, preceded by a UTF-8 byte order mark so Excel reads it as UTF-8; the note column is the note's plain text.
 */
export function exportCsv(bundle: ExportBundle, options: CsvExportOptions): string {
  const wanted = options.codeIds ? new Set(options.codeIds) : undefined
  const selected = bundle.codes.filter((code) => !wanted || wanted.has(code.id))
  const parents = new Map(bundle.codes.map((code) => [code.id as string, code.name]))
  const includeNotes = options.includeNotes !== false

  const rows = [csvRow(CSV_COLUMNS)]
  for (const { article, highlights, notes } of bundle.articles) {
    const quotes = quoteLookup(highlights)
    for (const highlight of highlights) {
      const codes = selected.filter((code) => highlight.codeIds.includes(code.id))
      if (codes.length === 0) continue
      const note = includeNotes ? notes[highlight.id] : undefined
      const noteText = note && !isNoteEmpty(note.doc) ? noteToPlainText(note.doc, quotes) : ''
      for (const code of codes) {
        rows.push(
          csvRow([
            article.id,
            article.title,
            article.outlet ?? '',
            article.publishedAt ?? '',
            code.name,
            parentName(code, parents),
            highlight.exact,
            noteText,
            highlight.start,
            highlight.end,
            highlight.id,
            highlight.createdAt,
            highlight.updatedAt
          ])
        )
      }
    }
  }
  return csvDocument(rows)
}

function parentName(code: Code, names: ReadonlyMap<string, string>): string {
  return code.parentId ? (names.get(code.parentId) ?? '') : ''
}

function quoteLookup(highlights: readonly Highlight[]): QuoteLookup {
  const byId = new Map(highlights.map((highlight) => [highlight.id as string, highlight.exact]))
  return (id) => {
    const quote = byId.get(id)
    return quote === undefined ? undefined : { quote }
  }
}
