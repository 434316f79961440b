import { CodePointIndex } from '../anchoring/code-point-index'

/** A sentence of the canonical text: code-point offsets (end exclusive) and its text, trimmed. */
export interface SentenceSpan {
  start: number
  end: number
  text: string
}

/** Abbreviations that never end a sentence: titles before a name, and Latin shorthands inside one. */
const NEVER_FINAL = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'col', 'lt', 'sgt', 'capt', 'maj', 'adm', 'cmdr', 'st', 'mt', 'fr', 'rev', 'hon', 'pres', 'messrs', 'vs', 'v', 'e.g', 'i.e', 'cf', 'approx', 'ca', 'al', 'viz', 'fig', 'figs', 'vol', 'pp', 'art', 'para', 'ch', 'sec'])
/** Abbreviations that end a sentence only when an obvious sentence opener follows ("… with the U.S. The …"). */
const SOMETIMES_FINAL = new Set(['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'inc', 'ltd', 'co', 'corp', 'bros', 'jr', 'sr', 'etc', 'a.m', 'p.m', 'dept', 'est', 'govt'])
/** Words that open sentences often and names rarely, so a capitalized one after an abbreviation starts anew. */
const OPENERS = new Set(['the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'but', 'and', 'or', 'in', 'on', 'at', 'this', 'that', 'these', 'those', 'there', 'his', 'her', 'its', 'their', 'our', 'my', 'meanwhile', 'however', 'yet', 'so', 'then', 'still', 'after', 'before', 'when', 'while', 'if', 'as', 'for', 'with', 'asked', 'officials', 'some', 'many', 'one', 'no', 'not', 'both', 'neither', 'what', 'why', 'how', 'who', 'where', 'earlier', 'later', 'since', 'until', 'under', 'during', 'despite', 'although', 'though'])

/** A run of sentence-final marks, then any closing quotes or brackets, then space or the end of the line. */
// The look-behind starts a run of marks only at its first mark; without it a long run of dots is rescanned from each one.
const TERMINATOR = /(?:(?<![.!?…])[.!?…]+|[。！？])["'”’»)\]]*(?=\s|$)|[。！？]["'”’»」』)\]]*/gu
const CJK_FINAL = /^[。！？]/u
/** What may open a sentence: anything but a lower-case letter or a mark that continues one. */
const CONTINUES = /^[\p{Ll},;:%)\]}…]/u

/** The word just before a full stop at `dot`, stripped of brackets and quotes ("(U.S." → "U.S"). */
function wordBefore(line: string, dot: number): string {
  let from = dot
  while (from > 0 && !/\s/u.test(line[from - 1]!)) from--
  return line.slice(from, dot).replace(/^[^\p{L}\p{N}]+/u, '').replace(/[^\p{L}\p{N}.]+$/u, '')
}

function nextWord(rest: string): string {
  return /^[\p{L}\p{M}]+/u.exec(rest)?.[0] ?? ''
}

/** Whether the marks at `at` (ending at `after`) end a sentence, given what follows. */
function endsSentence(line: string, at: number, marks: string, after: number, sentenceStart: number): boolean {
  if (CJK_FINAL.test(marks)) return true
  const rest = line.slice(after).trimStart()
  if (rest.length === 0) return true
  if (CONTINUES.test(rest)) return false
  if (!marks.startsWith('.') || marks.startsWith('..')) return true
  const word = wordBefore(line, at)
  const lower = word.toLowerCase()
  // A list number or a lone short token opening the line ("1.", "IV.") is a label, not a sentence.
  if (line.slice(sentenceStart, at).trim() === word && /^(?:\p{N}{1,3}|\p{L}|[IVXLC]{1,4})$/u.test(word)) return false
  if (NEVER_FINAL.has(lower)) return false
  if (/^\p{Lu}$/u.test(word)) return false
  // "No. 10", "Nos. 3 and 4", "Feb. 24": a number after them continues the sentence.
  if (/^\p{N}/u.test(rest) && (word === 'No' || word === 'Nos' || SOMETIMES_FINAL.has(lower))) return false
  const isInitialism = /^(?:\p{L}\.)+\p{L}$/u.test(word)
  if (SOMETIMES_FINAL.has(lower) || isInitialism) return OPENERS.has(nextWord(rest).toLowerCase())
  return true
}

/** Sentence ranges of one line as UTF-16 [start, end) relative to the line, trimmed. */
function lineSentences(line: string): [number, number][] {
  const out: [number, number][] = []
  let start = 0
  const push = (end: number): void => {
    const piece = line.slice(start, end)
    const lead = piece.length - piece.trimStart().length
    const trimmed = piece.trim()
    if (trimmed.length > 0) out.push([start + lead, start + lead + trimmed.length])
    start = end
  }
  TERMINATOR.lastIndex = 0
  for (let match = TERMINATOR.exec(line); match; match = TERMINATOR.exec(line)) {
    const after = match.index + match[0].length
    if (endsSentence(line, match.index, match[0], after, start)) push(after)
  }
  push(line.length)
  return out
}

/**
 * Splits canonical article text into sentences, with offsets in code points. No sentence crosses a block
 * ("\n\n") or a hard line break, so a heading without final punctuation is a sentence of its own.
 * Abbreviations (U.S., Mr., e.g., Jan.), initials, decimals and ellipses inside a sentence do not split it,
 * and closing quotes after the final mark (`."`) stay with their sentence.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const index = new CodePointIndex(text)
  const out: SentenceSpan[] = []
  let lineStart = 0
  for (const line of text.split('\n')) {
    for (const [from, to] of lineSentences(line)) {
      const start = index.toCodePoint(lineStart + from)
      const end = index.toCodePoint(lineStart + to)
      out.push({ start, end, text: line.slice(from, to) })
    }
    lineStart += line.length + 1
  }
  return out
}
