import { describe, expect, it } from 'vitest'
import type { MatrixAxisItem } from '../domain/analysis'
import { parseCsv } from '../export/csv-reader'
import { matrixCsv, pathLabels } from './matrix-csv'
import { axisItem, matrixOf } from './matrix-fixture'

const HOSTILE = '=HYPERLINK("http://evil.example","x"), <b>'

const item = (id: string, label: string, depth = 0, publishedAt?: string | null): MatrixAxisItem => axisItem(id, label, { depth, publishedAt })

describe('matrixCsv', () => {
  const rows = [item('us', 'US stance'), item('ru', 'Russian stance'), item('rej', 'Rejects', 1), item('hard', 'Outright', 2), item('dem', 'Demands', 1), item('x', HOSTILE)]
  const columns = [item('cease', 'Ceasefire and territory'), item('nato', 'NATO membership'), item('evil', '-1+2, "quoted"\nline')]
  const counts = [
    [2, 0, 1],
    [3, 4, 0],
    [1, 2, 0],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 5]
  ]
  // Fewer passages than the cells add up to: a passage counts under its sub-code and its parent, and under each issue.
  const matrix = matrixOf(rows, columns, counts, { articleCount: 2, passageCount: 9 })
  const csv = matrixCsv(matrix)
  const parsed = parseCsv(csv.slice(1))

  it('writes a UTF-8 BOM and CRLF records that parse back to the header, one row per stance and the totals', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '').includes('\r')).toBe(false)
    expect(parsed).toHaveLength(1 + rows.length + 1)
    expect(parsed.every((r) => r.length === columns.length + 2)).toBe(true)
    expect(parsed[0]).toEqual(['Stance', 'Ceasefire and territory', 'NATO membership', "'-1+2, \"quoted\"\nline", 'Total'])
    expect(parsed[2]).toEqual(['Russian stance', '3', '4', '0', '7'])
    expect(parsed.at(-1)).toEqual(['Total', '7', '7', '6', '9'])
  })

  it('labels sub-codes with their full path so sorted or filtered rows stay readable', () => {
    expect(parsed.slice(1, -1).map((r) => r[0])).toEqual([
      'US stance',
      'Russian stance',
      'Russian stance ▸ Rejects',
      'Russian stance ▸ Rejects ▸ Outright',
      'Russian stance ▸ Demands',
      `'${HOSTILE}`
    ])
  })

  it('guards labels a spreadsheet would run as formulas and quotes commas, quotes and newlines', () => {
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x""), <b>"`)
    for (const record of parsed) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('labels article columns with their title and date', () => {
    const byArticle = matrixOf([item('us', 'US stance')], [item('a1', 'Talks in Riyadh', 0, '2025-02-18'), item('a2', '@Undated', 0, null)], [[1, 2]], { columns: 'articles' })
    expect(parseCsv(matrixCsv(byArticle).slice(1))[0]).toEqual(['Stance', 'Talks in Riyadh (2025-02-18)', "'@Undated", 'Total'])
  })

  it('writes just the header and totals for an empty matrix, and takes other header words', () => {
    const empty = matrixOf([], [], [])
    expect(parseCsv(matrixCsv(empty, { rows: 'Akteur', total: 'Summe' }).slice(1))).toEqual([['Akteur', 'Summe'], ['Summe', '0']])
  })

  it('builds paths from depths even when a sub-code follows a deeper one', () => {
    expect(pathLabels([item('a', 'A'), item('b', 'B', 1), item('c', 'C', 2), item('d', 'D', 1), item('e', 'E'), item('f', 'F', 3)])).toEqual(['A', 'A ▸ B', 'A ▸ B ▸ C', 'A ▸ D', 'E', 'E ▸ F'])
  })
})
