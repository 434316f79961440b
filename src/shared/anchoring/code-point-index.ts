/**
 * The helpers in code-points.ts walk the string on every call, which is fine once but quadratic when a
 * whole article's highlights are converted; this index pays one pass and then answers in O(log n).
 * It agrees with those helpers exactly, lone surrogates counting as one code point each.
 */

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff
}

/** Converts between code-point offsets and UTF-16 indices of one text in O(log n) per call. */
export class CodePointIndex {
  /** The text's length in code points. */
  readonly length: number
  /** UTF-16 index of the high half of every well-formed surrogate pair, ascending. */
  private readonly pairs: Uint32Array

  constructor(readonly text: string) {
    const found: number[] = []
    for (let i = 0; i < text.length - 1; i++) {
      if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
        found.push(i)
        i++
      }
    }
    this.pairs = Uint32Array.from(found)
    this.length = text.length - found.length
  }

  /** UTF-16 index of a code-point offset, clamped to [0, text.length] like codePointToUtf16. */
  toUtf16(offset: number): number {
    if (offset <= 0) return 0
    if (offset >= this.length) return this.text.length
    // The k-th pair sits at code point pairs[k] - k, which strictly increases, so count pairs before `offset`.
    let lo = 0
    let hi = this.pairs.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.pairs[mid]! - mid < offset) lo = mid + 1
      else hi = mid
    }
    return offset + lo
  }

  /** Code-point offset of a UTF-16 index; an index inside a pair counts the pair as before it, like utf16ToCodePoint. */
  toCodePoint(index: number): number {
    if (index <= 0) return 0
    if (index >= this.text.length) return this.length
    // Only pairs that end at or before `index` (pairs[k] + 2 <= index) have a unit to discount.
    let lo = 0
    let hi = this.pairs.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.pairs[mid]! + 2 <= index) lo = mid + 1
      else hi = mid
    }
    return index - lo
  }

  /** Whether a UTF-16 index falls between the two halves of a surrogate pair. */
  splitsPair(index: number): boolean {
    return index > 0 && index < this.text.length && isLowSurrogate(this.text.charCodeAt(index)) && isHighSurrogate(this.text.charCodeAt(index - 1))
  }
}
