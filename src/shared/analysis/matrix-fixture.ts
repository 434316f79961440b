import type { MatrixAxisItem, StanceMatrix } from '../domain/analysis'

/** A row or column of a test matrix: a code (blue unless told) at depth 0, or an article column with its date. */
export function axisItem(id: string, label: string, fields: { color?: string; depth?: number; publishedAt?: string | null } = {}): MatrixAxisItem {
  const { color = '#0072b2', depth = 0, publishedAt } = fields
  return { id, label, color, depth, ...(publishedAt !== undefined ? { publishedAt } : {}) }
}

/**
 * A stance matrix for the writers' tests, its totals and largest cell worked out from the counts; the passages
 * in scope are the sum of the cells unless told (a passage with two issues counts in two cells but once here).
 */
export function matrixOf(
  rows: MatrixAxisItem[],
  columnItems: MatrixAxisItem[],
  counts: number[][],
  fields: { columns?: StanceMatrix['columns']; articleCount?: number; passageCount?: number } = {}
): StanceMatrix {
  return {
    columns: fields.columns ?? 'issues',
    rows,
    columnItems,
    counts,
    rowTotals: counts.map((row) => row.reduce((a, b) => a + b, 0)),
    columnTotals: columnItems.map((_, c) => counts.reduce((a, row) => a + (row[c] ?? 0), 0)),
    max: Math.max(0, ...counts.flat()),
    articleCount: fields.articleCount ?? 3,
    passageCount: fields.passageCount ?? counts.flat().reduce((a, b) => a + b, 0)
  }
}
