import { codePointLength, codePointToUtf16, sliceCodePoints } from './code-points'

/** How many code points of context a quote selector keeps on each side. */
export const QUOTE_CONTEXT = 32

/** A W3C-style text-quote selector. */
export interface TextQuote {
  exact: string
  prefix: string
  suffix: string
}

/** Builds the quote selector for a code-point range of a text. */
export function textQuoteAt(text: string, start: number, end: number): TextQuote {
  const startUnit = codePointToUtf16(text, start)
  const endUnit = startUnit + codePointToUtf16(text.slice(startUnit), end - start)
  const before = text.slice(0, startUnit)
  const beforeLength = codePointLength(before)
  return {
    exact: text.slice(startUnit, endUnit),
    prefix: sliceCodePoints(before, Math.max(0, beforeLength - QUOTE_CONTEXT), beforeLength),
    suffix: sliceCodePoints(text.slice(endUnit), 0, QUOTE_CONTEXT)
  }
}
