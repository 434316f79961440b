import type { MatrixAxisItem, StanceMatrix } from '../domain/analysis'
import { csvDocument, csvRow } from '../export/csv-cell'

/** The words of the matrix CSV that are not data: the first header cell and the totals' label. */
export interface MatrixCsvNames {
  /** Heads the row labels (default "Stance"). */
  rows: string
  /** Labels the totals column and row (default "Total"). */
  total: string
}

const DEFAULT_NAMES: MatrixCsvNames = { rows: 'Stance', total: 'Total' }

/** Separates a sub-code from its parents in a path label: "Russian stance ▸ Rejects". */
export const PATH_SEPARATOR = ' ▸ '

/**
 * Each item's label with its parents' before it ("Russian stance ▸ Rejects"), read from the items' tree
 * order and depths (a parent comes right before its sub-codes, one level up), so a spreadsheet that sorts
 * or filters the rows still tells sub-codes of different actors apart.
 */
export function pathLabels(items: readonly MatrixAxisItem[]): string[] {
  const trail: string[] = []
  return items.map((item) => {
    const depth = Math.max(0, Math.min(item.depth, trail.length))
    trail.length = depth
    trail.push(item.label)
    return trail.join(PATH_SEPARATOR)
  })
}

/** An article column's label: its title, then its publication date in parentheses when known. */
export function articleLabel(item: MatrixAxisItem): string {
  return item.publishedAt ? `${item.label} (${item.publishedAt})` : item.label
}

/** The column labels as the exports print them: issue paths, or article titles with their dates. */
export function columnLabels(matrix: StanceMatrix): string[] {
  return matrix.columns === 'articles' ? matrix.columnItems.map(articleLabel) : pathLabels(matrix.columnItems)
}

/**
 * The matrix as CSV: a header ("Stance", the column labels, "Total"), one record per stance row with its
 * full path as label, then a totals record whose last cell is the number of coded passages. RFC 4180 with
 * CRLF after a UTF-8 byte order mark, labels guarded against formula injection like the passages CSV.
 */
export function matrixCsv(matrix: StanceMatrix, names: Partial<MatrixCsvNames> = {}): string {
  const words = { ...DEFAULT_NAMES, ...names }
  const rows = [csvRow([words.rows, ...columnLabels(matrix), words.total])]
  pathLabels(matrix.rows).forEach((label, r) => {
    rows.push(csvRow([label, ...matrix.columnItems.map((_, c) => matrix.counts[r]?.[c] ?? 0), matrix.rowTotals[r] ?? 0]))
  })
  rows.push(csvRow([words.total, ...matrix.columnItems.map((_, c) => matrix.columnTotals[c] ?? 0), matrix.passageCount]))
  return csvDocument(rows)
}
