import search from 'approx-string-match'
import { boundedEditDistance } from './bounded-edit-distance'
import { CodePointIndex } from './code-point-index'
import { codePointLength } from './code-points'
import { prefixSimilarity, suffixSimilarity } from './context-similarity'
import { breaksBetweenWords, snapToGraphemes, snapToWords } from './snap'
import { QUOTE_CONTEXT } from './text-quote'

/**
 * Re-anchoring a stored highlight in a text that may have been edited since, in the manner of Hypothesis:
 * trust the stored position if it still holds the quote, else look for the quote verbatim, else
 * approximately, ranking candidates by how well the quote, then its context, then its position agree.
 *
 * Everything inside works in UTF-16 units (what indexOf and approx-string-match speak) and converts to
 * code points only at the edges, through one CodePointIndex per text.
 */

/** A stored highlight: W3C text-position (code points, end exclusive) plus text-quote selector. */
export interface AnchorSelector {
  start: number
  end: number
  exact: string
  prefix: string
  suffix: string
}

/** Where a highlight landed in the current text, in code points, and how sure we are (0–1). */
export type AnchorResult =
  | { status: 'exact'; start: number; end: number; score: 1 }
  | { status: 'moved'; start: number; end: number; score: number }
  | { status: 'fuzzy'; start: number; end: number; score: number }
  | { status: 'orphaned' }

/** Thresholds for accepting an approximate match (see the constants below for why the defaults are what they are). */
export interface ReanchorOptions {
  /** Least share of the quote an approximate match must reproduce (1 − errors / length); default 0.75. */
  minQuoteSimilarity?: number
  /** Least overall score (quote, context and position combined) for an approximate match; default 0.75. */
  minScore?: number
}

// Hypothesis's weights: the quote itself outweighs its context, which outweighs the position hint.
const QUOTE_WEIGHT = 50
const PREFIX_WEIGHT = 20
const SUFFIX_WEIGHT = 20
const POSITION_WEIGHT = 2
// Distance (UTF-16 units) from the expected position at which the position score halves; a few paragraphs,
// so that among equally good candidates a nearby one clearly wins and one across the article barely counts.
const POSITION_SCALE = 2000

// A quarter of the quote may differ (one changed word in a 60-character passage passes). With context at
// chance level (about 0.3–0.45 similarity) the score then stays below 0.75, so a look-alike passage needs
// at least one context side nearly intact before it is accepted.
const DEFAULT_MIN_QUOTE_SIMILARITY = 0.75
const DEFAULT_MIN_SCORE = 0.75
// A long quote reproduced almost whole is evidence enough on its own, even if both contexts were rewritten.
const SELF_EVIDENT_QUOTE_UNITS = 64
const SELF_EVIDENT_QUOTE_SIMILARITY = 0.9
// approx-string-match is O(n · errors / 32); Hypothesis caps errors at 256 as well.
const MAX_ERRORS = 256
// How much of each context, in UTF-16 units, locates the seam a deleted quote leaves, and the share of it
// (1 / divisor) that may differ, since edits near a deletion are common; and how many places are checked.
const SEAM_SIDE_UNITS = 16
const SEAM_ERROR_DIVISOR = 8
const MAX_SEAM_PLACES = 64
// Both contexts must fit a seam this well (chance level is about 0.3–0.45) for it to overrule a match.
const SEAM_MIN_FIT = 0.75
// An end of an approximate match only moves to where the context fits at least this well, and this far.
const REFINE_MIN_FIT = 0.9
const MAX_REFINE_SLACK = 128
// An approximate match's end is pulled out to a word boundary only across a word's worth of code points.
const MAX_WORD_WIDENING = 32
// Scoring an occurrence costs two small edit-distance tables; in a text where the quote occurs thousands of
// times (a single common word) only this many, nearest the expected position, are weighed.
const MAX_SCORED_OCCURRENCES = 1000
// Likewise for approximate matches, which also have their ends refined.
const MAX_APPROXIMATE_CANDIDATES = 50
// Below this score a result is not trusted to tell reanchorAll how far the text has shifted.
const SHIFT_TRUST_SCORE = 0.9

/** Search radius in UTF-16 units around the expected position before the whole text is searched. */
function searchRadius(quoteLength: number): number {
  return quoteLength * 4 + 2000
}

interface Candidate {
  start: number
  end: number
  score: number
}

/** One text prepared for anchoring many selectors. */
class Anchorer {
  private readonly index: CodePointIndex
  private readonly minQuoteSimilarity: number
  private readonly minScore: number

  constructor(
    private readonly text: string,
    options: ReanchorOptions | undefined
  ) {
    this.index = new CodePointIndex(text)
    this.minQuoteSimilarity = options?.minQuoteSimilarity ?? DEFAULT_MIN_QUOTE_SIMILARITY
    this.minScore = options?.minScore ?? DEFAULT_MIN_SCORE
  }

  /** Anchors one selector, expecting it near code point `hint` (its stored start, corrected for known shifts). */
  anchor(selector: AnchorSelector, hint: number): AnchorResult {
    const { text, index } = this
    const { exact } = selector
    const { start, end } = selector
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= index.length) {
      const from = index.toUtf16(start)
      const to = index.toUtf16(end)
      if (to - from === exact.length && text.startsWith(exact, from)) {
        if (exact.length === 0 || (prefixSimilarity(text, from, selector.prefix) === 1 && suffixSimilarity(text, to, selector.suffix) === 1)) {
          return { status: 'exact', start, end, score: 1 }
        }
        // The words are still at the stored offsets but their surroundings changed: after edits elsewhere a
        // short quote can land on the same offsets by coincidence, so let every occurrence compete.
        const best = this.bestOccurrence(selector, from)
        if (!best || best.start === from) return { status: 'exact', start, end, score: 1 }
        return { status: 'moved', start: index.toCodePoint(best.start), end: index.toCodePoint(best.end), score: best.score }
      }
    }
    if (exact.length === 0) return { status: 'orphaned' }
    const expected = index.toUtf16(Number.isFinite(hint) ? Math.min(Math.max(0, Math.round(hint)), index.length) : 0)
    const moved = this.bestOccurrence(selector, expected)
    if (moved) return { status: 'moved', start: index.toCodePoint(moved.start), end: index.toCodePoint(moved.end), score: moved.score }
    const fuzzy = this.bestApproximate(selector, expected)
    if (!fuzzy) return { status: 'orphaned' }
    // Approximate ends can fall anywhere: inside a surrogate pair, a cluster such as a flag, or a word.
    let from = index.toCodePoint(fuzzy.start - (index.splitsPair(fuzzy.start) ? 1 : 0))
    let to = index.toCodePoint(fuzzy.end + (index.splitsPair(fuzzy.end) ? 1 : 0))
    // Where nothing else placed an end (no context there), a highlight that began or ended on a word
    // boundary should again, rather than start with the tail of an edited word ("remier unveils").
    const words = snapToWords(text, from, to, index)
    if (words.start < from && from - words.start <= MAX_WORD_WIDENING && breaksBetweenWords(selector.prefix, selector.exact)) from = words.start
    if (words.end > to && words.end - to <= MAX_WORD_WIDENING && breaksBetweenWords(selector.exact, selector.suffix)) to = words.end
    const snapped = snapToGraphemes(text, from, to, index)
    return { status: 'fuzzy', start: snapped.start, end: snapped.end, score: fuzzy.score }
  }

  /** Normalized score of a candidate; contexts the selector lacks carry no weight rather than a free point. */
  private score(selector: AnchorSelector, quoteSimilarity: number, start: number, end: number, expected: number): number {
    const prefixWeight = selector.prefix.length > 0 ? PREFIX_WEIGHT : 0
    const suffixWeight = selector.suffix.length > 0 ? SUFFIX_WEIGHT : 0
    const raw =
      QUOTE_WEIGHT * quoteSimilarity +
      (prefixWeight > 0 ? prefixWeight * prefixSimilarity(this.text, start, selector.prefix) : 0) +
      (suffixWeight > 0 ? suffixWeight * suffixSimilarity(this.text, end, selector.suffix) : 0) +
      POSITION_WEIGHT * positionScore(Math.abs(start - expected))
    return raw / (QUOTE_WEIGHT + prefixWeight + suffixWeight + POSITION_WEIGHT)
  }

  /** The best score any verbatim occurrence at `distance` from the expected position could still reach. */
  private ceiling(selector: AnchorSelector, distance: number): number {
    const prefixWeight = selector.prefix.length > 0 ? PREFIX_WEIGHT : 0
    const suffixWeight = selector.suffix.length > 0 ? SUFFIX_WEIGHT : 0
    const max = QUOTE_WEIGHT + prefixWeight + suffixWeight + POSITION_WEIGHT
    return (max - POSITION_WEIGHT + POSITION_WEIGHT * positionScore(distance)) / max
  }

  /**
   * The best verbatim occurrence of the quote. Occurrences are scored nearest first, and scoring stops once
   * no farther one could win on position alone. The window around the expected position is searched
   * first; everything outside it is at least a radius away, so a perfect fit inside (the common case of a
   * quote that merely shifted) never costs a scan of the rest of the article.
   */
  private bestOccurrence(selector: AnchorSelector, expected: number): Candidate | null {
    const { text, index } = this
    const { exact } = selector
    const length = exact.length
    const radius = searchRadius(length)
    const windowStart = Math.max(0, expected - radius)
    const windowEnd = Math.min(text.length, expected + length + radius)
    let best: Candidate | null = null
    let budget = MAX_SCORED_OCCURRENCES
    const scoreNearestFirst = (positions: number[]): void => {
      positions.sort((a, b) => Math.abs(a - expected) - Math.abs(b - expected))
      for (const at of positions) {
        if (budget-- <= 0 || (best && best.score >= this.ceiling(selector, Math.abs(at - expected)))) return
        // A lone surrogate in the quote can match half of a pair, which no code-point range can express.
        if (index.splitsPair(at) || index.splitsPair(at + length)) continue
        const score = this.score(selector, 1, at, at + length, expected)
        if (!best || score > best.score) best = { start: at, end: at + length, score }
      }
    }
    // Slicing is cheap in V8 (no copy) and bounds the scan, which indexOf alone cannot.
    const window = text.slice(windowStart, windowEnd)
    const near: number[] = []
    for (let at = window.indexOf(exact); at >= 0; at = window.indexOf(exact, at + 1)) near.push(windowStart + at)
    scoreNearestFirst(near)
    const found = best as Candidate | null
    if ((windowStart === 0 && windowEnd === text.length) || (found && found.score >= this.ceiling(selector, radius + 1))) return found
    const far: number[] = []
    for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
      if (at < windowStart || at + length > windowEnd) far.push(at)
    }
    scoreNearestFirst(far)
    return best
  }

  /** The best acceptable approximate match, looked for near the expected position first and then everywhere. */
  private bestApproximate(selector: AnchorSelector, expected: number): Candidate | null {
    const { text } = this
    const length = selector.exact.length
    // Matches below the similarity floor are rejected anyway, and fewer allowed errors make the search cheaper.
    const maxErrors = Math.min(MAX_ERRORS, Math.floor(length / 2), Math.floor(length * (1 - this.minQuoteSimilarity) + 1e-9))
    if (maxErrors < 1) return null
    const radius = searchRadius(length)
    const windowStart = Math.max(0, expected - radius)
    const windowEnd = Math.min(text.length, expected + length + radius)
    const local = this.bestApproximateIn(selector, expected, maxErrors, windowStart, windowEnd)
    if (local || (windowStart === 0 && windowEnd === text.length)) return local
    return this.bestApproximateIn(selector, expected, maxErrors, 0, text.length)
  }

  /**
   * Moves the ends of an approximate match to where the stored context fits best. The matcher only knows
   * the quote, and with a changed word near an end it happily stops short ("that be of" matching "that
   * nenep" in "that nenepa of"); the context says where the passage really ends. Ends move at most
   * `slack` units, only to where the context fits nearly verbatim (a rewritten context would just pull
   * the ends around at random) and strictly better, so the nearest of equally good ends wins. A missing
   * context means the passage touched that end of the text, which the end may reach again.
   */
  private refine(selector: AnchorSelector, matchStart: number, matchEnd: number, maxErrors: number): { start: number; end: number } {
    // The matched span can sit further from the true one than its error count ("sa the" -> "sa gisato"
    // matches from "sato" at 3 errors, five units late), so let ends travel twice the error budget, within
    // reason: each step costs two context comparisons.
    const slack = Math.min(2 * maxErrors, MAX_REFINE_SLACK)
    const { text } = this
    // Context shorter than textQuoteAt keeps was cut short by the edge of the text, so it must sit against
    // that edge again: a stray repeat of a short context elsewhere ("committee a. committee") is no fit.
    const suffixFit = codePointLength(selector.suffix) < QUOTE_CONTEXT
      ? (at: number): number => rootedFit(selector.suffix, text.slice(at))
      : (at: number): number => suffixSimilarity(text, at, selector.suffix)
    const prefixFit = codePointLength(selector.prefix) < QUOTE_CONTEXT
      ? (at: number): number => rootedFit(selector.prefix, text.slice(0, at))
      : (at: number): number => prefixSimilarity(text, at, selector.prefix)
    let end = matchEnd
    if (selector.suffix.length > 0) {
      let fit = suffixFit(end)
      for (let step = 1; step <= slack && fit < 1; step++) {
        for (const at of [matchEnd + step, matchEnd - step]) {
          if (at <= matchStart || at > text.length) continue
          const candidateFit = suffixFit(at)
          if (candidateFit > fit && candidateFit >= REFINE_MIN_FIT) {
            fit = candidateFit
            end = at
          }
        }
      }
    } else if (end < text.length && text.length - end <= slack && boundedEditDistance(selector.exact, text.slice(matchStart), maxErrors) !== null) {
      // No suffix: the passage ran to the end of the text. If the quote still aligns that far within the
      // error budget, the match merely stopped short at an edited last word; else something new follows.
      end = text.length
    }
    let start = matchStart
    if (selector.prefix.length > 0) {
      let fit = prefixFit(start)
      for (let step = 1; step <= slack && fit < 1; step++) {
        for (const at of [matchStart - step, matchStart + step]) {
          if (at < 0 || at >= end) continue
          const candidateFit = prefixFit(at)
          if (candidateFit > fit && candidateFit >= REFINE_MIN_FIT) {
            fit = candidateFit
            start = at
          }
        }
      }
    } else if (start > 0 && start <= slack && boundedEditDistance(selector.exact, text.slice(0, end), maxErrors) !== null) {
      // Likewise for a passage that began the text, unless what now precedes the match is new (a heading).
      start = 0
    }
    return { start, end }
  }

  private bestApproximateIn(selector: AnchorSelector, expected: number, maxErrors: number, from: number, to: number): Candidate | null {
    const length = selector.exact.length
    let best: Candidate | null = null
    const matches = search(this.text.slice(from, to), selector.exact, maxErrors)
    // In repetitive text every position can match equally well; the nearest ones are the plausible ones.
    matches.sort((a, b) => Math.abs(from + a.start - expected) - Math.abs(from + b.start - expected))
    for (const match of matches.slice(0, MAX_APPROXIMATE_CANDIDATES)) {
      const quoteSimilarity = 1 - match.errors / length
      if (match.start >= match.end || quoteSimilarity < this.minQuoteSimilarity) continue
      const { start, end } = this.refine(selector, from + match.start, from + match.end, maxErrors)
      const score = this.score(selector, quoteSimilarity, start, end, expected)
      const selfEvident = length >= SELF_EVIDENT_QUOTE_UNITS && quoteSimilarity >= SELF_EVIDENT_QUOTE_SIMILARITY
      if (score < this.minScore && !selfEvident) continue
      if (this.isSeam(selector, start, end)) continue
      if (!best || score > best.score) best = { start, end, score }
    }
    return best
  }

  /**
   * Whether the stored prefix and suffix meet in or around an approximate match, fitting there well and at
   * least as well as around the match. Then the quote was deleted and the "match" is the seam the two
   * contexts left, which a short quote can resemble closely enough to pass every threshold ("vire ru po"
   * deleted from "lalo vire vire ru po vi poka" leaves "vire vi po": 80% similar, contexts nearly intact).
   */
  private isSeam(selector: AnchorSelector, start: number, end: number): boolean {
    const { text } = this
    const { prefix, suffix } = selector
    if (prefix.length === 0 || suffix.length === 0) return false
    const from = Math.max(0, start - 2 * SEAM_SIDE_UNITS)
    const to = Math.min(text.length, end + 2 * SEAM_SIDE_UNITS)
    const region = text.slice(from, to)
    // Where a seam could be: just after the end of the prefix, or just before the start of the suffix,
    // each located by whichever of the two survived nearby edits. Several of either kind are weighed.
    const places = new Set<number>()
    const head = suffix.slice(0, SEAM_SIDE_UNITS)
    const tail = prefix.slice(-SEAM_SIDE_UNITS)
    for (const m of search(region, head, Math.floor(head.length / SEAM_ERROR_DIVISOR))) {
      for (let at = m.start - m.errors; at <= m.start + m.errors; at++) places.add(from + at)
    }
    for (const m of search(region, tail, Math.floor(tail.length / SEAM_ERROR_DIVISOR))) {
      for (let at = m.end - m.errors; at <= m.end + m.errors; at++) places.add(from + at)
    }
    if (places.size === 0) return false
    const prefixFit = Math.max(SEAM_MIN_FIT, prefixSimilarity(text, start, prefix))
    const suffixFit = Math.max(SEAM_MIN_FIT, suffixSimilarity(text, end, suffix))
    let checked = 0
    for (const at of places) {
      if (at < 0 || at > text.length || checked++ >= MAX_SEAM_PLACES) continue
      if (prefixSimilarity(text, at, prefix) >= prefixFit && suffixSimilarity(text, at, suffix) >= suffixFit) return true
    }
    return false
  }
}

/** Similarity of a context cut short by the edge of the text to everything between that edge and a boundary. */
function rootedFit(expected: string, actual: string): number {
  const distance = boundedEditDistance(expected, actual, Math.floor(expected.length * (1 - REFINE_MIN_FIT)))
  return distance === null ? 0 : 1 - distance / expected.length
}

/** 1 at the expected position, halving every POSITION_SCALE units away. */
function positionScore(distance: number): number {
  return 1 / (1 + distance / POSITION_SCALE)
}

/** Finds where a stored highlight belongs in `text` (which may have been edited since it was made). */
export function reanchor(text: string, selector: AnchorSelector, options?: ReanchorOptions): AnchorResult {
  return new Anchorer(text, options).anchor(selector, selector.start)
}

/**
 * Re-anchors every highlight of one text, sharing one code-point index. Highlights are visited in stored
 * order and each one's search starts where the previous one's shift predicts, because edits before a
 * highlight move everything after it by the same amount.
 */
export function reanchorAll(text: string, selectors: readonly AnchorSelector[], options?: ReanchorOptions): AnchorResult[] {
  const anchorer = new Anchorer(text, options)
  const key = (i: number): number => {
    const start = selectors[i]!.start
    return Number.isFinite(start) ? start : 0
  }
  const order = selectors.map((_, i) => i).sort((a, b) => key(a) - key(b))
  const results: AnchorResult[] = new Array<AnchorResult>(selectors.length)
  let shift = 0
  for (const i of order) {
    const selector = selectors[i]!
    const result = anchorer.anchor(selector, key(i) + shift)
    if (result.status !== 'orphaned' && result.score >= SHIFT_TRUST_SCORE) shift = result.start - key(i)
    results[i] = result
  }
  return results
}

/**
 * Whether a re-anchoring result is a proper range inside a text of `length` code points; anything else
 * (orphaned, or a range that would not fit) is treated as "not found" rather than trusted.
 */
export function isPlaced(result: AnchorResult | undefined, length: number): result is Extract<AnchorResult, { start: number }> {
  return (
    result !== undefined &&
    result.status !== 'orphaned' &&
    Number.isInteger(result.start) &&
    Number.isInteger(result.end) &&
    0 <= result.start &&
    result.start < result.end &&
    result.end <= length
  )
}
