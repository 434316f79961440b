import type { MatrixAxisItem, StanceMatrix } from '../domain/analysis'
import { articleLabel, pathLabels } from './matrix-csv'

/** What the matrix picture says about itself: its heading, and where it is drawn more than once, unique ids. */
export interface MatrixSvgOptions {
  title: string
  subtitle?: string
  /** Draw the title and subtitle (default true); off where the page prints its own heading. The <title> keeps them. */
  heading?: boolean
  /** Prefix of the ids that <title> and <desc> are referenced by, unique where several matrices share a page. */
  idPrefix?: string
}

/** The matrix's name as headings print it: "Stances × issues" or "Stances × articles". */
export function matrixTitle(columns: StanceMatrix['columns']): string {
  return columns === 'articles' ? 'Stances × articles' : 'Stances × issues'
}

/** The font stack of the picture: the app's Inter, then faces that cover more scripts. */
export const MATRIX_FONT = "Inter, 'Noto Sans', 'DejaVu Sans', sans-serif"

const PAD = 24
const CELL_W = 46
const CELL_H = 30
const GAP = 3
const SWATCH = 10
const INDENT = 14
const LABEL_FONT = 12
const HEAD_FONT = 11.5
const CELL_FONT = 12
const ROW_LABEL_MAX = 240
const COLUMN_LABEL_MAX = 180
const ARTICLE_LABEL_MAX = 220
const SIN45 = Math.SQRT1_2
const INK = '#1b1b1f'
const MUTED = '#6b6b76'
const RULE = '#e4e4e9'
const TOTAL_FILL = '#f3f3f6'
const RAMP = '#3f3f46'

/**
 * The matrix as a self-contained SVG: stance rows with their colour swatches (sub-codes indented), column
 * labels at 45°, cells filled with the row's colour at an opacity that grows with the count (an empty cell
 * is an outline), counts in a colour that contrasts with the fill, totals, and a legend. Explicit size
 * and viewBox, no external references, every label escaped (and, when cut short with an ellipsis, given
 * whole in a <title>), so it prints, embeds in HTML and rasterizes alike. An empty matrix says so.
 */
export function matrixSvg(matrix: StanceMatrix, options: MatrixSvgOptions): string {
  const ids = { title: `${options.idPrefix ?? 'stance-matrix'}-title`, desc: `${options.idPrefix ?? 'stance-matrix'}-desc` }
  const title = clean(options.title)
  const subtitle = clean(options.subtitle ?? '')
  const showHeading = options.heading !== false && (title !== '' || subtitle !== '')
  const out: string[] = []
  let y = PAD
  let width = 0
  if (showHeading) {
    if (title) {
      const fitted = fit(title, 900, 16, 600)
      out.push(text(PAD, y + 14, fitted, { size: 16, weight: 600, fill: INK }))
      width = Math.max(width, PAD * 2 + textWidth(fitted.text, 16, 600))
      y += 22
    }
    if (subtitle) {
      const fitted = fit(subtitle, 900, 12, 400)
      out.push(text(PAD, y + 12, fitted, { size: 12, fill: MUTED }))
      width = Math.max(width, PAD * 2 + textWidth(fitted.text, 12, 400))
      y += 18
    }
    y += 14
  }

  if (isEmpty(matrix)) {
    const hint = matrix.columns === 'articles' ? 'Code passages of these articles with a stance to fill the matrix.' : 'Code passages with a stance and an issue to fill the matrix.'
    const boxWidth = Math.ceil(Math.max(360, textWidth(hint, 12) + 48, width - PAD * 2))
    out.push(
      `<rect x="${PAD + 0.5}" y="${y + 0.5}" width="${boxWidth - 1}" height="83" rx="8" fill="#fafafb" stroke="${RULE}" stroke-dasharray="4 3"/>`,
      text(PAD + boxWidth / 2, y + 38, plain('No coded passages'), { size: 14, weight: 600, fill: INK, anchor: 'middle' }),
      text(PAD + boxWidth / 2, y + 58, plain(hint), { size: 12, fill: MUTED, anchor: 'middle' })
    )
    return svgDocument(PAD * 2 + boxWidth, y + 84 + PAD, ids, title, describe(matrix), out)
  }

  const rowLabels = matrix.rows.map((row) => fit(clean(row.label), ROW_LABEL_MAX - row.depth * INDENT - SWATCH - 8, LABEL_FONT, row.depth === 0 ? 600 : 400))
  const rowPaths = pathLabels(matrix.rows)
  const labelWidth = Math.max(72, ...matrix.rows.map((row, r) => row.depth * INDENT + SWATCH + 8 + textWidth(rowLabels[r]?.text ?? '', LABEL_FONT, row.depth === 0 ? 600 : 400)))
  const columnPaths = pathLabels(matrix.columnItems)
  const columnHeads = matrix.columnItems.map((item, c) => columnHead(matrix, item, columnPaths[c] ?? item.label))
  const headWidths = columnHeads.map((head) => head.width)
  const gridX = PAD + labelWidth + 14
  const columnX = (c: number): number => gridX + c * (CELL_W + GAP)
  const totalX = columnX(matrix.columnItems.length) + 8
  const gridRight = totalX + CELL_W
  const headHeight = Math.ceil(headWidths.reduce((widest, w) => Math.max(widest, w), textWidth('Total', HEAD_FONT, 600)) * SIN45 + HEAD_FONT + 14)
  const gridY = y + headHeight
  const headBase = gridY - 12

  // Column heads, read upwards at 45°, each above a bar in the column's colour.
  matrix.columnItems.forEach((item, c) => {
    const cx = columnX(c) + CELL_W / 2
    const head = columnHeads[c]!
    out.push(`<rect x="${columnX(c)}" y="${gridY - 6}" width="${CELL_W}" height="3" rx="1.5" fill="${colour(item.color)}"/>`)
    out.push(`<g transform="rotate(-45 ${cx - 4} ${headBase})">${head.svg(cx - 4, headBase)}</g>`)
    width = Math.max(width, cx + head.width * SIN45 + PAD)
  })
  const totalCx = totalX + CELL_W / 2
  out.push(`<g transform="rotate(-45 ${totalCx - 4} ${headBase})">${text(totalCx - 4, headBase, plain('Total'), { size: HEAD_FONT, weight: 600, fill: MUTED })}</g>`)
  width = Math.max(width, gridRight + PAD, totalCx + textWidth('Total', HEAD_FONT, 600) * SIN45 + PAD)

  // Rows: swatch and label, cells, the row's total.
  matrix.rows.forEach((row, r) => {
    const top = gridY + r * (CELL_H + GAP)
    const middle = top + CELL_H / 2
    const indent = PAD + row.depth * INDENT
    const fill = colour(row.color)
    if (row.depth > 0) out.push(`<rect x="${indent - INDENT + 4}" y="${middle - 0.5}" width="${INDENT - 7}" height="1" fill="${RULE}"/>`)
    out.push(`<rect x="${indent}" y="${middle - SWATCH / 2}" width="${SWATCH}" height="${SWATCH}" rx="2.5" fill="${fill}"${row.depth > 0 ? ' fill-opacity="0.55"' : ''}/>`)
    const label = rowLabels[r]!
    out.push(text(indent + SWATCH + 8, middle + LABEL_FONT * 0.36, label.truncated ? { ...label, full: rowPaths[r] ?? label.full } : label, { size: LABEL_FONT, weight: row.depth === 0 ? 600 : 400, fill: row.depth === 0 ? INK : '#3f3f46' }))
    matrix.columnItems.forEach((item, c) => {
      const count = matrix.counts[r]?.[c] ?? 0
      const x = columnX(c)
      const tip = `<title>${escapeXml(`${rowPaths[r] ?? row.label} × ${matrix.columns === 'articles' ? articleLabel(item) : clean(item.label)}: ${passages(count)}`)}</title>`
      if (count === 0) {
        out.push(`<rect x="${x + 0.5}" y="${top + 0.5}" width="${CELL_W - 1}" height="${CELL_H - 1}" rx="4" fill="#ffffff" stroke="${RULE}">${tip}</rect>`)
        return
      }
      const opacity = cellOpacity(count, matrix.max)
      out.push(`<g><rect x="${x}" y="${top}" width="${CELL_W}" height="${CELL_H}" rx="4" fill="${fill}" fill-opacity="${opacity}"/>${tip}`)
      out.push(`${text(x + CELL_W / 2, middle + CELL_FONT * 0.36, plain(String(count)), { size: CELL_FONT, weight: 600, fill: readableOn(fill, opacity), anchor: 'middle' })}</g>`)
    })
    out.push(`<rect x="${totalX}" y="${top}" width="${CELL_W}" height="${CELL_H}" rx="4" fill="${TOTAL_FILL}"/>`)
    out.push(text(totalCx, middle + CELL_FONT * 0.36, plain(String(matrix.rowTotals[r] ?? 0)), { size: CELL_FONT, weight: 600, fill: INK, anchor: 'middle' }))
  })

  // The totals row: passages per column, and in the corner the coded passages in scope.
  const totalsTop = gridY + matrix.rows.length * (CELL_H + GAP) + 8
  const totalsMiddle = totalsTop + CELL_H / 2
  out.push(`<rect x="${PAD}" y="${totalsTop - 6}" width="${gridRight - PAD}" height="1" fill="${RULE}"/>`)
  out.push(text(PAD, totalsMiddle + LABEL_FONT * 0.36, plain('Total'), { size: LABEL_FONT, weight: 600, fill: MUTED }))
  matrix.columnItems.forEach((_, c) => {
    out.push(`<rect x="${columnX(c)}" y="${totalsTop}" width="${CELL_W}" height="${CELL_H}" rx="4" fill="${TOTAL_FILL}"/>`)
    out.push(text(columnX(c) + CELL_W / 2, totalsMiddle + CELL_FONT * 0.36, plain(String(matrix.columnTotals[c] ?? 0)), { size: CELL_FONT, weight: 600, fill: INK, anchor: 'middle' }))
  })
  out.push(`<rect x="${totalX}" y="${totalsTop}" width="${CELL_W}" height="${CELL_H}" rx="4" fill="#e6e6eb"/>`)
  out.push(text(totalCx, totalsMiddle + CELL_FONT * 0.36, plain(String(matrix.passageCount)), { size: CELL_FONT, weight: 600, fill: INK, anchor: 'middle' }))

  // Legend: the opacity ramp from 1 to the largest cell, then what the numbers count.
  const legendTop = totalsTop + CELL_H + 20
  const legendMiddle = legendTop + 8
  let lx = PAD
  out.push(text(lx, legendMiddle + 4, plain('1'), { size: 11, fill: MUTED }))
  lx += textWidth('1', 11, 400) + 6
  for (const step of [1, 2, 3, 4, 5]) {
    const value = Math.max(1, Math.round((matrix.max * step) / 5))
    out.push(`<rect x="${lx}" y="${legendTop}" width="16" height="16" rx="3" fill="${RAMP}" fill-opacity="${cellOpacity(value, Math.max(1, matrix.max))}"/>`)
    lx += 18
  }
  const maxLabel = `${Math.max(1, matrix.max)} passages per cell`
  out.push(text(lx + 4, legendMiddle + 4, plain(maxLabel), { size: 11, fill: MUTED }))
  lx += 4 + textWidth(maxLabel, 11, 400) + 16
  const scope = `${passages(matrix.passageCount)} with a stance code · ${matrix.articleCount} article${matrix.articleCount === 1 ? '' : 's'}`
  out.push(text(lx, legendMiddle + 4, plain(scope), { size: 11, fill: MUTED }))
  width = Math.max(width, lx + textWidth(scope, 11, 400) + PAD)

  return svgDocument(Math.ceil(width), legendTop + 16 + PAD, ids, title, describe(matrix), out)
}

/** The fill opacity of a cell: none for 0, then from 0.14 for one passage up to 1 for the largest cell. */
export function cellOpacity(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0
  return round(0.14 + 0.86 * Math.min(1, count / max), 3)
}

// Nothing to draw: no stance or no column, or no passage at all. A matrix whose passages carry a stance but
// no issue still draws its grid, since its row totals say something.
function isEmpty(matrix: StanceMatrix): boolean {
  return matrix.rows.length === 0 || matrix.columnItems.length === 0 || (matrix.max === 0 && matrix.passageCount === 0)
}

function describe(matrix: StanceMatrix): string {
  const what = matrix.columns === 'articles' ? 'articles' : 'issues'
  if (isEmpty(matrix)) {
    return `No coded passages: nothing to count for stances × ${what}.`
  }
  return `${matrix.rows.length} stance${matrix.rows.length === 1 ? '' : 's'} by ${matrix.columnItems.length} ${what}; ${passages(matrix.passageCount)} with a stance code in ${matrix.articleCount} article${matrix.articleCount === 1 ? '' : 's'}; the largest cell holds ${passages(matrix.max)}.`
}

function passages(n: number): string {
  return `${n} passage${n === 1 ? '' : 's'}`
}

function svgDocument(width: number, height: number, ids: { title: string; desc: string }, title: string, desc: string, body: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeXml(ids.title)} ${escapeXml(ids.desc)}" font-family="${escapeXml(MATRIX_FONT)}">` +
    `<title id="${escapeXml(ids.title)}">${escapeXml(title || 'Stance matrix')}</title><desc id="${escapeXml(ids.desc)}">${escapeXml(desc)}</desc>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${body.join('')}</svg>`
  )
}

interface Fitted {
  text: string
  /** The whole label, for the <title> of a shortened one. */
  full: string
  truncated: boolean
}

interface Head {
  width: number
  svg: (x: number, y: number) => string
}

/** A column's rotated label: the issue (its path in the tooltip), or an article's date (so dates line up) and title. */
function columnHead(matrix: StanceMatrix, item: MatrixAxisItem, path: string): Head {
  const label = clean(item.label)
  if (matrix.columns !== 'articles') {
    const fitted = fit(label, COLUMN_LABEL_MAX, HEAD_FONT, 400)
    const full = fitted.truncated ? { ...fitted, full: clean(path) } : fitted
    return { width: textWidth(fitted.text, HEAD_FONT, 400), svg: (x, y) => text(x, y, full, { size: HEAD_FONT, fill: INK }) }
  }
  const date = clean(item.publishedAt ?? '') || 'undated'
  const dateWidth = textWidth(date, HEAD_FONT - 1.5, 400) + 6
  const fitted = fit(label, ARTICLE_LABEL_MAX - dateWidth, HEAD_FONT, 400)
  const tip = fitted.truncated ? `<title>${escapeXml(`${label} (${date})`)}</title>` : ''
  return {
    width: dateWidth + textWidth(fitted.text, HEAD_FONT, 400),
    svg: (x, y) =>
      `<text x="${round(x, 2)}" y="${round(y, 2)}" font-size="${HEAD_FONT}" fill="${INK}">${tip}<tspan font-size="${HEAD_FONT - 1.5}" fill="${MUTED}">${escapeXml(date)}</tspan><tspan dx="6">${escapeXml(fitted.text)}</tspan></text>`
  }
}

function plain(value: string): Fitted {
  return { text: value, full: value, truncated: false }
}

function text(x: number, y: number, label: Fitted, style: { size: number; weight?: number; fill: string; anchor?: 'middle' | 'end' }): string {
  const attributes = [`x="${round(x, 2)}"`, `y="${round(y, 2)}"`, `font-size="${style.size}"`, `fill="${style.fill}"`]
  if (style.weight && style.weight !== 400) attributes.push(`font-weight="${style.weight}"`)
  if (style.anchor) attributes.push(`text-anchor="${style.anchor}"`)
  const tip = label.truncated ? `<title>${escapeXml(label.full)}</title>` : ''
  return `<text ${attributes.join(' ')}>${tip}${escapeXml(label.text)}</text>`
}

/** Shortens a label to fit the width, ending it with an ellipsis; cuts between grapheme clusters, so a flag stays whole. */
function fit(value: string, maxWidth: number, size: number, weight: number): Fitted {
  if (textWidth(value, size, weight) <= maxWidth) return plain(value)
  const clusters = graphemes(value)
  let kept = ''
  for (const cluster of clusters) {
    if (textWidth(`${kept}${cluster}…`, size, weight) > maxWidth) break
    kept += cluster
  }
  return { text: `${kept.trimEnd()}…`, full: value, truncated: true }
}

function graphemes(value: string): string[] {
  if (typeof Intl.Segmenter === 'function') return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value), (s) => s.segment)
  return Array.from(value)
}

/**
 * An estimate of the drawn width of text in Inter (no font metrics in plain TypeScript): generous per
 * character class, so labels are cut a little early rather than run into the grid.
 */
export function textWidth(value: string, size: number, weight = 400): number {
  let em = 0
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0
    if (code >= 0x2e80) em += code >= 0x1f000 ? 1.2 : 1.0
    else if (/[iIl.,:;|!'`·]/.test(ch)) em += 0.3
    else if (/[fjrt()[\]{}\s-]/.test(ch)) em += 0.4
    else if (/[mwMW@%]/.test(ch)) em += 0.9
    else if (/[A-Z]/.test(ch)) em += 0.7
    else if (/[0-9]/.test(ch)) em += 0.62
    else if (/[\u0300-\u036f\u200b-\u200f]/.test(ch)) em += 0
    else em += 0.6
  }
  return em * size * (weight >= 600 ? 1.05 : 1)
}

// The characters XML 1.0 cannot hold (C0 controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates), and DEL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** A label as one line of text: characters XML cannot hold gone, runs of whitespace one space. */
function clean(value: string): string {
  return value.replace(NOT_XML, '').replace(/\s+/g, ' ').trim()
}

/** Escapes text for XML element content and attribute values, dropping characters XML cannot hold. */
export function escapeXml(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch)
}

/** A `#rrggbb` colour as given, or neutral grey for anything else: a colour is written into an attribute unescaped. */
function colour(value: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : '#888888'
}

/** Dark or white text, whichever contrasts more with the colour laid over white at this opacity. */
function readableOn(hex: string, opacity: number): string {
  const channel = (i: number): number => {
    const blended = (255 * (1 - opacity) + parseInt(hex.slice(i, i + 2), 16) * opacity) / 255
    return blended <= 0.04045 ? blended / 12.92 : ((blended + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  const onWhite = 1.05 / (luminance + 0.05)
  const onDark = (luminance + 0.05) / 0.0616
  return onDark >= onWhite ? INK : '#ffffff'
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
