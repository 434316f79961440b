/**
 * How well the text beside a candidate match agrees with a selector's stored prefix or suffix.
 *
 * The comparison is an edit distance anchored at the match boundary and free at the far end, so a word
 * inserted into the context costs its length once instead of shifting (and ruining) every later character
 * the way a fixed-width window comparison would.
 */

/** Context longer than this (in UTF-16 units) is cut from the far end: 32 code points, even if all astral. */
export const MAX_CONTEXT_UNITS = 64

// Room for insertions inside the context before they start counting as deletions of the expected text.
const SLACK_UNITS = 16

let previousRow = new Int32Array(MAX_CONTEXT_UNITS + SLACK_UNITS + 1)
let currentRow = new Int32Array(MAX_CONTEXT_UNITS + SLACK_UNITS + 1)

/**
 * Edit distance between `expected` and the best-aligned run of `text` that starts at `boundary` and reads
 * in `direction` (+1 forward, -1 backward); `expected` is read from the boundary outwards as well.
 */
function anchoredDistance(text: string, boundary: number, expected: string, direction: 1 | -1): number {
  const m = expected.length
  const available = direction === 1 ? text.length - boundary : boundary
  const n = Math.min(available, m + SLACK_UNITS)
  if (previousRow.length < n + 1) {
    previousRow = new Int32Array(n + 1)
    currentRow = new Int32Array(n + 1)
  }
  for (let j = 0; j <= n; j++) previousRow[j] = j
  for (let i = 1; i <= m; i++) {
    const want = direction === 1 ? expected.charCodeAt(i - 1) : expected.charCodeAt(m - i)
    currentRow[0] = i
    for (let j = 1; j <= n; j++) {
      const have = direction === 1 ? text.charCodeAt(boundary + j - 1) : text.charCodeAt(boundary - j)
      const substitute = previousRow[j - 1]! + (want === have ? 0 : 1)
      const skipExpected = previousRow[j]! + 1
      const skipText = currentRow[j - 1]! + 1
      currentRow[j] = substitute < skipExpected ? (substitute < skipText ? substitute : skipText) : skipExpected < skipText ? skipExpected : skipText
    }
    const swap = previousRow
    previousRow = currentRow
    currentRow = swap
  }
  // The far end is free: the expected context may align with any length of text.
  let best = m
  for (let j = 0; j <= n; j++) if (previousRow[j]! < best) best = previousRow[j]!
  return best
}

/** Similarity (0–1) of the text just before UTF-16 index `boundary` to a stored prefix; an empty prefix says nothing, so 1. */
export function prefixSimilarity(text: string, boundary: number, prefix: string): number {
  const expected = prefix.length > MAX_CONTEXT_UNITS ? prefix.slice(prefix.length - MAX_CONTEXT_UNITS) : prefix
  if (expected.length === 0) return 1
  if (text.endsWith(expected, boundary)) return 1
  return 1 - anchoredDistance(text, boundary, expected, -1) / expected.length
}

/** Similarity (0–1) of the text just after UTF-16 index `boundary` to a stored suffix; an empty suffix says nothing, so 1. */
export function suffixSimilarity(text: string, boundary: number, suffix: string): number {
  const expected = suffix.length > MAX_CONTEXT_UNITS ? suffix.slice(0, MAX_CONTEXT_UNITS) : suffix
  if (expected.length === 0) return 1
  if (text.startsWith(expected, boundary)) return 1
  return 1 - anchoredDistance(text, boundary, expected, 1) / expected.length
}
