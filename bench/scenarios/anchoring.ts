import { CodePointIndex } from '../../src/shared/anchoring/code-point-index'
import { type AnchorResult, type AnchorSelector, reanchorAll } from '../../src/shared/anchoring/reanchor'
import { QUOTE_CONTEXT } from '../../src/shared/anchoring/text-quote'
import { measure } from '../lib/measure'
import { Random } from '../lib/random'
import { report, type Scenario } from '../lib/scenario'

/** A stored highlight and where it ought to land in the edited text (code points). */
interface Highlight {
  selector: AnchorSelector
  /** Whether a word inside the highlight itself was changed, so that only an approximate match can find it. */
  editedInside: boolean
  intended: { start: number; end: number }
}

/** An article, an edited revision of it, and highlights made on the original. */
interface Corpus {
  original: string
  edited: string
  words: number
  highlights: Highlight[]
}

const SEED = 0x53_33 // "S3"

const COMMON = ['the', 'of', 'and', 'to', 'in', 'a', 'is', 'that', 'for', 'on', 'with', 'as', 'was', 'by', 'not', 'this', 'are', 'from', 'at', 'it', 'be', 'has', 'will', 'said']
const LATIN_SYLLABLES = ['ka', 'to', 're', 'mi', 'sa', 'lo', 'ne', 'vi', 'po', 'da', 'ru', 'fe', 'gi', 'ba', 'tu', 'la', 'mo', 'si', 'te', 'na', 'ri', 'co', 'de', 'pa', 'st', 'an', 'or', 'el', 'in', 'ter', 'con', 'pro', 'ment', 'ing', 'tion']
const CYRILLIC_SYLLABLES = ['ра', 'ко', 'ми', 'на', 'ло', 'ви', 'да', 'пе', 'ст', 'ри', 'то', 'же', 'ще', 'ць', 'ні', 'ва', 'ти', 'ся', 'ов', 'ка']
// Surrogate pairs, a skin tone, flags and a ZWJ sequence, so that code points and UTF-16 units drift apart.
const EMOJI = ['😀', '🔥', '👍🏽', '🚀', '🇺🇦', '🇪🇺', '👨‍👩‍👧', '📈', '✅', '🎉']

function makeWords(random: Random, syllables: readonly string[], count: number): string[] {
  const words = new Set<string>()
  while (words.size < count) {
    let word = ''
    for (let i = random.int(1, 4); i > 0; i--) word += random.pick(syllables)
    words.add(word)
  }
  return [...words]
}

/** Generates the article as words with their trailing separators, paragraph by paragraph. */
function generateWords(random: Random, count: number): { word: string; separator: string }[] {
  const latin = makeWords(random, LATIN_SYLLABLES, 4000)
  const cyrillic = makeWords(random, CYRILLIC_SYLLABLES, 800)
  const nextWord = (): string => {
    const roll = random.next()
    if (roll < 0.4) return random.pick(COMMON)
    if (roll < 0.85) return random.pick(latin)
    if (roll < 0.97) return random.pick(cyrillic)
    return random.pick(EMOJI)
  }
  const out: { word: string; separator: string }[] = []
  while (out.length < count) {
    const paragraph = random.int(40, 160)
    let sentence = 0
    for (let i = 0; i < paragraph && out.length < count; i++) {
      let word = nextWord()
      if (sentence === 0) word = word.charAt(0).toUpperCase() + word.slice(1)
      sentence++
      const last = i === paragraph - 1
      const endsSentence = last || (sentence > 8 && random.chance(0.12))
      if (endsSentence) sentence = 0
      out.push({ word, separator: last ? '.\n' : endsSentence ? '. ' : random.chance(0.08) ? ', ' : ' ' })
    }
  }
  return out
}

/** What happens to one word of the original in the edited revision. */
interface WordEdit {
  insertBefore?: string
  remove?: boolean
  replaceWith?: string
}

/**
 * Builds the article, highlights spread evenly over it, and a revision with edits in the gaps between
 * highlights (never touching a highlight's neighbouring words) and inside every tenth highlight.
 */
function generateCorpus(wordCount: number, highlightCount: number): Corpus {
  const random = new Random(SEED)
  const words = generateWords(random, wordCount)
  const filler = (n: number): string => Array.from({ length: n }, () => `${random.pick(words).word} `).join('')
  const slot = Math.floor(wordCount / highlightCount)
  const spans: { first: number; last: number; editedInside: boolean }[] = []
  for (let k = 0; k < highlightCount; k++) {
    const editedInside = k % 10 === 5
    const length = editedInside ? random.int(9, 16) : random.int(3, 16)
    const first = k * slot + random.int(2, slot - length - 2)
    spans.push({ first, last: first + length - 1, editedInside })
  }

  const edits = new Map<number, WordEdit>()
  for (let k = 0; k <= highlightCount; k++) {
    // Words strictly inside the gap, keeping one untouched word next to each highlight.
    const from = (k === 0 ? 0 : spans[k - 1]!.last + 1) + 1
    const to = (k === highlightCount ? wordCount : spans[k]!.first) - 2
    if (to - from < 6) continue
    if (random.chance(0.7)) edits.set(random.int(from, to), { insertBefore: filler(random.int(1, 6)) })
    if (random.chance(0.5)) {
      const at = random.int(from, to - 4)
      const count = random.int(1, 4)
      for (let i = at; i < at + count; i++) edits.set(i, { remove: true })
    }
    if (random.chance(0.3)) edits.set(random.int(from, to), { replaceWith: random.pick(words).word })
    if (random.chance(0.02)) edits.set(random.int(from, to), { insertBefore: `${filler(random.int(40, 120)).trimEnd()}.\n` })
  }
  for (const span of spans) {
    if (!span.editedInside) continue
    const at = random.int(span.first + 1, span.last - 1)
    let replacement = random.pick(words).word
    while (replacement === words[at]!.word || replacement.length > 12) replacement = random.pick(words).word
    edits.set(at, { replaceWith: replacement })
  }

  // Both texts are written out once, noting the UTF-16 offsets where highlights begin and end.
  const starts = new Map(spans.map((span, k) => [span.first, k]))
  const ends = new Map(spans.map((span, k) => [span.last, k]))
  const original: string[] = []
  const edited: string[] = []
  let originalLength = 0
  let editedLength = 0
  const originalUnits = spans.map(() => ({ start: 0, end: 0 }))
  const editedUnits = spans.map(() => ({ start: 0, end: 0 }))
  words.forEach(({ word, separator }, i) => {
    const edit = edits.get(i)
    if (edit?.insertBefore) {
      edited.push(edit.insertBefore)
      editedLength += edit.insertBefore.length
    }
    const k = starts.get(i)
    if (k !== undefined) {
      originalUnits[k]!.start = originalLength
      editedUnits[k]!.start = editedLength
    }
    const newWord = edit?.remove ? '' : (edit?.replaceWith ?? word)
    original.push(word + separator)
    edited.push(edit?.remove ? '' : newWord + separator)
    const end = ends.get(i)
    if (end !== undefined) {
      originalUnits[end]!.end = originalLength + word.length
      editedUnits[end]!.end = editedLength + newWord.length
    }
    originalLength += word.length + separator.length
    editedLength += edit?.remove ? 0 : newWord.length + separator.length
  })

  const originalText = original.join('')
  const editedText = edited.join('')
  const originalIndex = new CodePointIndex(originalText)
  const editedIndex = new CodePointIndex(editedText)
  const highlights = spans.map((span, k): Highlight => {
    const units = originalUnits[k]!
    const start = originalIndex.toCodePoint(units.start)
    const end = originalIndex.toCodePoint(units.end)
    // Same result as textQuoteAt, without its walk from the start of the text for every highlight.
    const selector: AnchorSelector = {
      start,
      end,
      exact: originalText.slice(units.start, units.end),
      prefix: originalText.slice(originalIndex.toUtf16(start - QUOTE_CONTEXT), units.start),
      suffix: originalText.slice(units.end, originalIndex.toUtf16(end + QUOTE_CONTEXT))
    }
    const intended = { start: editedIndex.toCodePoint(editedUnits[k]!.start), end: editedIndex.toCodePoint(editedUnits[k]!.end) }
    if (!span.editedInside && editedText.slice(editedUnits[k]!.start, editedUnits[k]!.end) !== selector.exact) {
      throw new Error(`generator bug: highlight ${k} changed although it was not to be edited`)
    }
    return { selector, editedInside: span.editedInside, intended }
  })
  return { original: originalText, edited: editedText, words: wordCount, highlights }
}

/** Share of `a` covered by `b`. */
function coverage(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start)
  return Math.max(0, overlap) / Math.max(1, a.end - a.start)
}

/**
 * A mis-anchor is a highlight attached to the wrong words: an unedited one anywhere but exactly its
 * intended range (which holds its exact quote), or an edited one whose range and intended range do not
 * cover at least 80% of each other. An orphan is counted separately: it attaches to nothing.
 */
function judge(corpus: Corpus, results: readonly AnchorResult[]): { misAnchors: number; orphans: number; statuses: Record<string, number> } {
  let misAnchors = 0
  let orphans = 0
  const statuses: Record<string, number> = {}
  results.forEach((result, i) => {
    const { editedInside, intended } = corpus.highlights[i]!
    statuses[result.status] = (statuses[result.status] ?? 0) + 1
    if (result.status === 'orphaned') orphans++
    else if (editedInside ? coverage(intended, result) < 0.8 || coverage(result, intended) < 0.8 : result.start !== intended.start || result.end !== intended.end) misAnchors++
  })
  return { misAnchors, orphans, statuses }
}

const fmt = (ms: number): string => `${ms.toFixed(2)} ms`

/** S3: re-anchoring every highlight of a long article after edits, against a plain indexOf per quote. */
export const anchoring: Scenario = {
  id: 'S3',
  title: 'reanchorAll after edits vs indexOf per quote',
  async run({ quick }) {
    const corpus = quick ? generateCorpus(10_000, 100) : generateCorpus(100_000, 1_000)
    const { edited } = corpus
    const exactPart = corpus.highlights.filter((h) => !h.editedInside).map((h) => h.selector)
    const fuzzyPart = corpus.highlights.filter((h) => h.editedInside).map((h) => h.selector)
    const everything = corpus.highlights.map((h) => h.selector)
    const options = quick ? { warmup: 1, reps: 5 } : { warmup: 3, reps: 20 }
    // The sum is returned so that the searches have an observable result and cannot be optimized away.
    const indexOfAll = (selectors: readonly AnchorSelector[]) => (): number => {
      let found = 0
      for (const selector of selectors) found += edited.indexOf(selector.exact)
      return found
    }

    const baseline = await measure(indexOfAll(exactPart), options)
    const feature = await measure(() => reanchorAll(edited, exactPart), options)
    const fuzzyBaseline = await measure(indexOfAll(fuzzyPart), options)
    const fuzzyFeature = await measure(() => reanchorAll(edited, fuzzyPart), options)
    const whole = await measure(() => reanchorAll(edited, everything), { warmup: 1, reps: quick ? 3 : 5 })
    const verdict = judge(corpus, reanchorAll(edited, everything))

    const fuzzyRatio = fuzzyFeature.median / fuzzyBaseline.median
    const statuses = Object.entries(verdict.statuses)
      .map(([status, count]) => `${status} ${count}`)
      .join(', ')
    return report(this, {
      feature,
      baseline,
      goal: '≤ 3× exact, ≤ 10× fuzzy, 0 mis-anchors',
      met: (ratio) => ratio <= 3 && fuzzyRatio <= 10 && verdict.misAnchors === 0,
      notes:
        `${corpus.words} words, ${edited.length} UTF-16 units; ${exactPart.length} highlights shifted only, ${fuzzyPart.length} edited inside. ` +
        `Fuzzy subset: ${fmt(fuzzyFeature.median)} vs indexOf ${fmt(fuzzyBaseline.median)} = ${fuzzyRatio.toFixed(2)}×. ` +
        `All ${everything.length}: ${fmt(whole.median)} (${statuses}). Mis-anchors: ${verdict.misAnchors}; orphans: ${verdict.orphans}.`
    })
  }
}
