// Spreadsheets evaluate a cell starting with one of these as a formula (tab and CR too: some strip them first).
const FORMULA_START = /^[=+\-@\t\r]/
// Leading blanks are trimmed on import by some spreadsheets (LibreOffice's "trim spaces"), exposing the formula.
const FORMULA_AFTER_BLANKS = /^\s+[=+\-@]/

/**
 * One CSV field: a leading apostrophe when spreadsheets could read the text as a formula (it starts with
 * = + - @ tab or CR, or with whitespace followed by = + - @), then RFC 4180 quoting when the text holds
 * a comma, a double quote, CR or LF.
 */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) || FORMULA_AFTER_BLANKS.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/** One CSV record: text cells through `csvCell`, numbers as they are (counts and offsets are never guarded). */
export function csvRow(cells: readonly (string | number)[]): string {
  return cells.map((cell) => (typeof cell === 'number' ? String(cell) : csvCell(cell))).join(',')
}

/** CSV text from records: CRLF after each (RFC 4180), after a UTF-8 byte order mark so Excel reads it as UTF-8. */
export function csvDocument(rows: readonly string[]): string {
  return `\uFEFF${rows.join('\r\n')}\r\n`
}
