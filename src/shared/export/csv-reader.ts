/**
 * A strict RFC 4180 reader, for tests to read back what the CSV writers produce: quoted fields with doubled
 * quotes, CRLF after every record, nothing else (a bare quote or LF, or a missing CRLF, throws).
 */
export function parseCsv(input: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  while (i < input.length) {
    let cell = ''
    if (input[i] === '"') {
      i++
      for (;;) {
        if (i >= input.length) throw new Error('unterminated quoted field')
        if (input[i] === '"' && input[i + 1] !== '"') break
        if (input[i] === '"') i++
        cell += input[i++]
      }
      i++
    } else {
      while (i < input.length && input[i] !== ',' && input[i] !== '\r') {
        if (input[i] === '"' || input[i] === '\n') throw new Error(`bare ${JSON.stringify(input[i])} at ${i}`)
        cell += input[i++]
      }
    }
    row.push(cell)
    if (input[i] === ',') {
      i++
      continue
    }
    if (input.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`)
    i += 2
    rows.push(row)
    row = []
  }
  return rows
}
