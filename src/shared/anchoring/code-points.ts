/**
 * Offsets in Stance count Unicode code points (as the W3C selectors and REFI-QDA do), while JavaScript
 * strings index UTF-16 code units; these helpers convert between the two.
 */

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff
}

/** Any surrogate: without one, code points and UTF-16 units coincide (all Latin, Cyrillic, Arabic, CJK text). */
const SURROGATE = /[\uD800-\uDFFF]/

/** Number of code points in a string. */
export function codePointLength(text: string): number {
  // The regex engine scans far faster than a JavaScript loop; most article text has no astral characters.
  if (!SURROGATE.test(text)) return text.length
  let count = 0
  for (let i = 0; i < text.length; i++) {
    if (!(isLowSurrogate(text.charCodeAt(i)) && i > 0 && isHighSurrogate(text.charCodeAt(i - 1)))) count++
  }
  return count
}

/** UTF-16 index of a code-point offset; offsets past the end clamp to the string's length. */
export function codePointToUtf16(text: string, offset: number): number {
  if (!SURROGATE.test(text)) return Math.max(0, Math.min(offset, text.length))
  let cp = 0
  let i = 0
  while (i < text.length && cp < offset) {
    i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1
    cp++
  }
  return i
}

/** Code-point offset of a UTF-16 index; an index inside a surrogate pair counts the pair as before it. */
export function utf16ToCodePoint(text: string, index: number): number {
  return codePointLength(text.slice(0, index))
}

/** Slice by code-point offsets, end exclusive. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const from = codePointToUtf16(text, start)
  return text.slice(from, from + codePointToUtf16(text.slice(from), end - start))
}
