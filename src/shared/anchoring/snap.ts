import type { CodePointIndex } from './code-point-index'
import { codePointLength, codePointToUtf16 } from './code-points'

/**
 * Widening a selection so it never cuts a user-perceived character (or word) in half.
 *
 * Intl.Segmenter is exact but segmenting a 600 KB article for every selection is not, so only a small
 * window around each end is segmented. A window must start and end where the full text is guaranteed to
 * break AND where segmentation restarts in the same state, or regional-indicator pairing (flags), emoji
 * ZWJ sequences and combining marks come out differently from the whole-text answer. Those points are
 * found conservatively below; when in doubt the window just grows.
 */

/** A range of code-point offsets, end exclusive. */
export interface TextRange {
  start: number
  end: number
}

// Grapheme Prepend characters (GB9b) glue to whatever follows, so the character before a window start must
// not be one. The set is tiny; snap.test.ts checks it against the runtime's segmenter.
const PREPEND = new Set([
  0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6dd, 0x70f, 0x890, 0x891, 0x8e2, 0xd4e, 0x110bd, 0x110cd, 0x111c2, 0x111c3, 0x113d1, 0x1193f,
  0x11941, 0x11a3a, 0x11a84, 0x11a85, 0x11a86, 0x11a87, 0x11a88, 0x11a89, 0x11d46, 0x11f02
])

/**
 * Code units that always start a new grapheme cluster (given a non-Prepend before them) and carry no
 * state forward: not Extend, ZWJ, SpacingMark, regional indicator, pictographic, Hangul jamo or Indic
 * consonant. A whitelist of the scripts articles are mostly written in; anything else just keeps looking.
 */
export function startsCleanCluster(unit: number): boolean {
  return (
    unit === 0x09 ||
    unit === 0x0a ||
    (unit >= 0x20 && unit <= 0x7e) ||
    (unit >= 0xc0 && unit <= 0x24f) ||
    (unit >= 0x391 && unit <= 0x3c9) ||
    (unit >= 0x400 && unit <= 0x45f) ||
    (unit >= 0x5d0 && unit <= 0x5ea) ||
    (unit >= 0x621 && unit <= 0x64a) ||
    (unit >= 0x3000 && unit <= 0x3002) ||
    (unit >= 0x3041 && unit <= 0x3096) ||
    (unit >= 0x30a1 && unit <= 0x30fa) ||
    (unit >= 0x4e00 && unit <= 0x9fff) ||
    (unit >= 0xff01 && unit <= 0xff5e)
  )
}

function codePointBefore(text: string, index: number): number {
  const low = text.charCodeAt(index - 1)
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2)
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
  }
  return low
}

/** Whether every grapheme segmentation of any text agrees there is a boundary at UTF-16 index `i`, with fresh state. */
function isSafeGraphemeBreak(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true
  const unit = text.charCodeAt(i)
  if (!startsCleanCluster(unit)) return false
  const before = codePointBefore(text, i)
  if (unit === 0x0a && before === 0x0d) return false
  return before < 0x600 || !PREPEND.has(before)
}

function safeGraphemeBreakAtOrBefore(text: string, i: number, floor = 0): number {
  while (i > floor && !isSafeGraphemeBreak(text, i)) i--
  return i
}

function safeGraphemeBreakAtOrAfter(text: string, i: number, ceiling = text.length): number {
  while (i < ceiling && !isSafeGraphemeBreak(text, i)) i++
  return i
}

let graphemes: Intl.Segmenter | undefined
let words: Intl.Segmenter | undefined

/** Start of the grapheme cluster containing UTF-16 index `i` (which is < text.length). */
function clusterStart(text: string, i: number): number {
  if (isSafeGraphemeBreak(text, i)) return i
  const from = safeGraphemeBreakAtOrBefore(text, i)
  const to = safeGraphemeBreakAtOrAfter(text, i + 1)
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  return from + graphemes.segment(text.slice(from, to)).containing(i - from)!.index
}

/** End of the grapheme cluster containing UTF-16 index `i - 1`, i.e. the first boundary at or after `i` (> 0). */
function clusterEnd(text: string, i: number): number {
  if (isSafeGraphemeBreak(text, i)) return i
  const from = safeGraphemeBreakAtOrBefore(text, i - 1)
  const to = safeGraphemeBreakAtOrAfter(text, i)
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  const segment = graphemes.segment(text.slice(from, to)).containing(i - 1 - from)!
  return from + segment.index + segment.segment.length
}

/** A validated range in UTF-16 units plus what is needed to map results back to code points. */
interface UnitRange {
  start: number
  end: number
  toCodePoint(unit: number): number
}

/** Converts a code-point range to units, or null if it is empty, reversed, fractional or out of bounds. */
function toUnits(text: string, start: number, end: number, index: CodePointIndex | undefined): UnitRange | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start >= end) return null
  if (index) {
    if (end > index.length) return null
    return { start: index.toUtf16(start), end: index.toUtf16(end), toCodePoint: (unit) => index.toCodePoint(unit) }
  }
  const startUnit = codePointToUtf16(text, start)
  const endUnit = startUnit + codePointToUtf16(text.slice(startUnit), end - start)
  if (codePointLength(text.slice(startUnit, endUnit)) !== end - start) return null
  // Results only ever move a little way from the input, so count code points locally instead of from 0.
  return {
    start: startUnit,
    end: endUnit,
    toCodePoint: (unit) => (unit >= startUnit ? start + codePointLength(text.slice(startUnit, unit)) : start - codePointLength(text.slice(unit, startUnit)))
  }
}

/** Widens a code-point range so that no grapheme cluster (flag, emoji ZWJ sequence, letter plus combining marks) is cut. */
export function snapToGraphemes(text: string, start: number, end: number, index?: CodePointIndex): TextRange {
  const range = toUnits(text, start, end, index)
  if (!range) return { start, end }
  const from = clusterStart(text, range.start)
  const to = clusterEnd(text, range.end)
  return { start: range.toCodePoint(from), end: range.toCodePoint(to) }
}

// How far to look for a space to start or end a word window before settling for a mere grapheme boundary
// (scripts without spaces, such as Chinese, whose dictionary segmentation is local in practice).
const WORD_WINDOW = 256

function isHorizontalSpace(unit: number): boolean {
  return unit === 0x20 || unit === 0x09 || unit === 0x3000
}

function isWhitespace(unit: number): boolean {
  return isHorizontalSpace(unit) || unit === 0x0a || unit === 0x0d || unit === 0xa0 || unit === 0x0b || unit === 0x0c || (unit >= 0x2000 && unit <= 0x200a) || unit === 0x2028 || unit === 0x2029 || unit === 0x202f || unit === 0x205f || unit === 0x85
}

/** A word window start at or before `i`, never before `floor` (a paragraph start, itself always a word boundary). */
function wordWindowStart(text: string, i: number, floor: number): number {
  const limit = Math.max(floor, i - WORD_WINDOW)
  // After a space and before a plain character no word rule can glue the two, and no rule looks back past a space.
  for (let j = i; j > limit; j--) {
    if (isHorizontalSpace(text.charCodeAt(j - 1)) && !isHorizontalSpace(text.charCodeAt(j)) && startsCleanCluster(text.charCodeAt(j))) return j
  }
  return limit === floor ? floor : safeGraphemeBreakAtOrBefore(text, limit, floor)
}

/** A word window end at or after `i`, never after `ceiling` (a paragraph end). */
function wordWindowEnd(text: string, i: number, ceiling: number): number {
  const limit = Math.min(ceiling, i + WORD_WINDOW)
  for (let j = i; j < limit; j++) {
    if (isHorizontalSpace(text.charCodeAt(j)) && j > 0 && !isHorizontalSpace(text.charCodeAt(j - 1))) return j
  }
  return limit === ceiling ? ceiling : safeGraphemeBreakAtOrAfter(text, limit, ceiling)
}

function paragraphStartOf(text: string, i: number): number {
  return i === 0 ? 0 : text.lastIndexOf('\n', i - 1) + 1
}

function paragraphEndOf(text: string, i: number): number {
  const newline = text.indexOf('\n', i)
  return newline < 0 ? text.length : newline
}

/** The word segment of the paragraph that contains UTF-16 index `i`, segmented within a local window. */
function wordAt(text: string, i: number, paragraphStart: number, paragraphEnd: number): { start: number; end: number } {
  const from = wordWindowStart(text, i, paragraphStart)
  const to = wordWindowEnd(text, i + 1, paragraphEnd)
  words ??= new Intl.Segmenter(undefined, { granularity: 'word' })
  const segment = words.segment(text.slice(from, to)).containing(i - from)
  if (!segment) return { start: i, end: i + 1 }
  return { start: from + segment.index, end: from + segment.index + segment.segment.length }
}

/**
 * Widens a code-point range to whole words, then trims whitespace from both ends; never widens across a
 * line break, so a sloppy selection cannot swallow the neighbouring paragraph.
 */
export function snapToWords(text: string, start: number, end: number, index?: CodePointIndex): TextRange {
  const range = toUnits(text, start, end, index)
  if (!range) return { start, end }
  const from0 = range.start
  const last = range.end - 1
  let from = text.charCodeAt(from0) === 0x0a ? from0 : wordAt(text, from0, paragraphStartOf(text, from0), paragraphEndOf(text, from0)).start
  let to = text.charCodeAt(last) === 0x0a ? range.end : wordAt(text, last, paragraphStartOf(text, last), paragraphEndOf(text, last)).end
  while (from < to && isWhitespace(text.charCodeAt(from))) from++
  while (to > from && isWhitespace(text.charCodeAt(to - 1))) to--
  if (from >= to) return { start, end }
  return { start: range.toCodePoint(from), end: range.toCodePoint(to) }
}

/** Whether a word boundary separates `before` from `after` when they are written one after the other. */
export function breaksBetweenWords(before: string, after: string): boolean {
  if (before.length === 0 || after.length === 0) return true
  // The boundary depends on a few characters either side; more only costs time.
  const left = before.slice(-16)
  words ??= new Intl.Segmenter(undefined, { granularity: 'word' })
  return words.segment(left + after.slice(0, 16)).containing(left.length)!.index === left.length
}
