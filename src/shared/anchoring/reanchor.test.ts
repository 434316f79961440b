import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import search from 'approx-string-match'
import { codePointLength, codePointToUtf16, sliceCodePoints, utf16ToCodePoint } from './code-points'
import { type AnchorResult, type AnchorSelector, reanchor, reanchorAll } from './reanchor'
import { CodePointIndex } from './code-point-index'
import { QUOTE_CONTEXT, textQuoteAt } from './text-quote'

const NUM_RUNS = Number(process.env.FC_RUNS ?? 2000)

/** The selector a highlight of code points [start, end) of `text` would have stored. */
function selectorAt(text: string, start: number, end: number): AnchorSelector {
  return { start, end, ...textQuoteAt(text, start, end) }
}

/** The code-point range of the first occurrence of `quote` in `text` (after `from` UTF-16 units). */
function rangeOf(text: string, quote: string, from = 0): { start: number; end: number } {
  const at = text.indexOf(quote, from)
  if (at < 0) throw new Error(`"${quote}" not in text`)
  const start = utf16ToCodePoint(text, at)
  return { start, end: start + codePointLength(quote) }
}

function textOf(text: string, result: AnchorResult): string | null {
  return result.status === 'orphaned' ? null : sliceCodePoints(text, result.start, result.end)
}

// Words of the kind articles are made of, with a little Cyrillic and emoji, and none longer than 13 units.
const VOCABULARY = [
  'the', 'of', 'and', 'to', 'in', 'a', 'is', 'that', 'for', 'on', 'with', 'as', 'was', 'by', 'not', 'this', 'are', 'from', 'at', 'be',
  'minister', 'policy', 'budget', 'council', 'report', 'reform', 'energy', 'market', 'prices', 'analysts', 'critics', 'agreement',
  'proposal', 'committee', 'election', 'parliament', 'coalition', 'spending', 'inflation', 'industry', 'workers', 'union', 'court',
  'ruling', 'statement', 'sources', 'officials', 'yesterday', 'announced', 'rejected', 'supported', 'warned', 'argued', 'claimed',
  'denied', 'signed', 'delayed', 'approved', 'funding', 'security', 'border', 'regional', 'national', 'public', 'private', 'local',
  'federal', 'senior', 'former', 'strong', 'weak', 'clear', 'unclear', 'likely', 'several', 'most', 'many', 'few', 'new', 'old',
  'software', 'developers', 'release', 'version', 'framework', 'compiler', 'security', 'patch', 'open', 'source', 'license', 'cloud',
  'data', 'privacy', 'model', 'training', 'users', 'platform', 'browser', 'kernel', 'memory', 'tests', 'bug', 'fix', 'feature',
  'міністр', 'рішення', 'уряд', 'заявив', 'політика', 'бюджет', 'выборы', 'совет', '😀', '👍🏽', '🇺🇦', '🔥', 'naïve', 'café'
]
const SEPARATORS = [' ', ' ', ' ', ' ', ' ', ', ', '. ', '\n']

const word = fc.constantFrom(...VOCABULARY)
const separator = fc.constantFrom(...SEPARATORS)
/** Article text as a list of [word, separator] pairs, so tests can edit by word. */
const wordList = (minLength: number, maxLength: number) => fc.array(fc.tuple(word, separator), { minLength, maxLength })
const joinWords = (words: readonly (readonly [string, string])[]): string => words.map(([w, s]) => w + s).join('')

/** An edit to apply at some distance from a highlight; positions are reduced modulo the allowed zone. */
interface Edit {
  kind: 'insert' | 'delete' | 'replace'
  before: boolean
  at: number
  length: number
  content: string
}

const editContent = fc.oneof(
  wordList(1, 6).map(joinWords),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
)
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const),
  before: fc.boolean(),
  at: fc.nat(),
  length: fc.nat({ max: 60 }),
  content: editContent
})

/**
 * Applies edits that keep at least `margin` code points between themselves and the highlight
 * [start, end), and returns the edited text with the highlight's new position.
 */
function editOutside(text: string, start: number, end: number, edits: readonly Edit[], margin = 1): { text: string; start: number; end: number } {
  const points = [...text]
  for (const { kind, before, at, length, content } of edits) {
    const zone = before ? { from: 0, to: start - margin } : { from: end + margin, to: points.length }
    if (zone.to < zone.from) continue
    const inserted = [...content]
    let position = zone.from + (at % (zone.to - zone.from + 1))
    let removed = 0
    if (kind !== 'insert') {
      if (zone.to === zone.from) continue
      position = zone.from + (at % (zone.to - zone.from))
      removed = Math.min(zone.to - position, 1 + (length % 20))
    }
    points.splice(position, removed, ...(kind === 'delete' ? [] : inserted))
    const delta = (kind === 'delete' ? 0 : inserted.length) - removed
    if (before) {
      start += delta
      end += delta
    }
  }
  return { text: points.join(''), start, end }
}

/** Code-point starts of every occurrence of `quote` whose stored context matches exactly. */
function perfectOccurrences(text: string, selector: AnchorSelector): number[] {
  const found: number[] = []
  const length = codePointLength(selector.exact)
  for (let at = text.indexOf(selector.exact); at >= 0; at = text.indexOf(selector.exact, at + 1)) {
    const start = utf16ToCodePoint(text, at)
    if (codePointToUtf16(text, start) !== at) continue
    const quote = textQuoteAt(text, start, start + length)
    if (quote.prefix === selector.prefix && quote.suffix === selector.suffix) found.push(start)
  }
  return found
}

function occurrences(text: string, quote: string): number {
  let count = 0
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) count++
  return count
}

describe('reanchor', () => {
  const article =
    'The minister announced the budget on Monday. Critics said the budget ignored regional workers 🇺🇦, and the union warned of strikes. ' +
    'Later the minister defended the budget again.'

  it('keeps a highlight whose text is unchanged', () => {
    const { start, end } = rangeOf(article, 'ignored regional workers 🇺🇦')
    expect(reanchor(article, selectorAt(article, start, end))).toEqual({ status: 'exact', start, end, score: 1 })
  })

  it('follows a highlight that moved', () => {
    const { start, end } = rangeOf(article, 'ignored regional workers 🇺🇦')
    const edited = `BREAKING 🔥: ${article}`
    const result = reanchor(edited, selectorAt(article, start, end))
    expect(result).toMatchObject({ status: 'moved', start: start + 12, end: end + 12 })
    expect(textOf(edited, result)).toBe('ignored regional workers 🇺🇦')
  })

  it('uses the context to pick the right one of several occurrences', () => {
    for (const [nth, from] of [
      [0, 0],
      [1, article.indexOf('said the budget')],
      [2, article.indexOf('defended')]
    ] as const) {
      const { start, end } = rangeOf(article, 'the budget', from)
      const edited = `Updated. ${article.replace('Monday', 'Tuesday evening')}`
      const result = reanchor(edited, selectorAt(article, start, end))
      const expected = rangeOf(edited, 'the budget', [0, edited.indexOf('said the budget'), edited.indexOf('defended')][nth])
      expect(result, `occurrence ${nth}`).toMatchObject({ status: 'moved', ...expected })
    }
  })

  it('does not trust a short quote that lands on its old offsets by coincidence', () => {
    const text = 'Later the council voted.'
    const { start, end } = rangeOf(text, 'the')
    // A new sentence in front puts a different "the" exactly where the highlighted one used to be.
    const edited = 'Today the mayor spoke. Later the council voted.'
    expect(sliceCodePoints(edited, start, end)).toBe('the')
    expect(reanchor(edited, selectorAt(text, start, end))).toMatchObject({ status: 'moved', start: rangeOf(edited, 'the council').start, end: rangeOf(edited, 'the council').start + 3 })
  })

  it('anchors approximately after a word inside the highlight changed', () => {
    const quote = 'Critics said the budget ignored regional workers 🇺🇦, and the union warned of strikes.'
    const { start, end } = rangeOf(article, quote)
    const edited = article.replace('regional workers', 'rural workers')
    const result = reanchor(edited, selectorAt(article, start, end))
    expect(result).toMatchObject({ status: 'fuzzy', ...rangeOf(edited, quote.replace('regional', 'rural')) })
    expect((result as { score: number }).score).toBeGreaterThan(0.75)
  })

  it('reaches back to the start of the text for an edited first word, but not over a new heading', () => {
    const text = 'Minister unveils the new budget for regional schools and hospitals, officials said today.'
    const quote = 'Minister unveils the new budget for regional schools and hospitals'
    const selector = selectorAt(text, 0, codePointLength(quote))
    const renamed = text.replace('Minister unveils', 'Premier unveils')
    expect(reanchor(renamed, selector)).toMatchObject({ status: 'fuzzy', start: 0, end: codePointLength(quote) - 1 })
    const headed = `Breaking news today\n${renamed}`
    expect(reanchor(headed, selector)).toMatchObject({ status: 'fuzzy', ...rangeOf(headed, quote.replace('Minister', 'Premier')) })
  })

  it('orphans a highlight whose text was deleted', () => {
    const { start, end } = rangeOf(article, 'and the union warned of strikes. ')
    const edited = article.replace('and the union warned of strikes. ', '')
    expect(reanchor(edited, selectorAt(article, start, end))).toEqual({ status: 'orphaned' })
  })

  it('orphans rather than attach a short deleted quote to the seam its contexts leave', () => {
    const text = 'on pa be tode bategi mo fe lalo vire vire ru po vi poka mina mimipo katu by napate'
    const { start, end } = rangeOf(text, 'vire ru po')
    const edited = text.replace('vire ru po ', '')
    expect(reanchor(edited, selectorAt(text, start, end))).toEqual({ status: 'orphaned' })
  })

  it('never attaches a lone surrogate to half of a pair', () => {
    const text = 'abc \ude00x def'
    const { start, end } = rangeOf(text, '\ude00x')
    const edited = 'zzz 😀x def'
    expect(edited.includes('\ude00x')).toBe(true)
    expect(reanchor(edited, selectorAt(text, start, end))).toEqual({ status: 'orphaned' })
  })

  it('widens an approximate match rather than cut a flag or an emoji sequence', () => {
    const text = 'Support for the proposal stayed firm across the regions, officials said 🇺🇦 today and again tomorrow'
    const quote = 'proposal stayed firm across the regions, officials said 🇺'
    const { start, end } = rangeOf(text, quote)
    const edited = text.replace('stayed firm', 'remained firm')
    const result = reanchor(edited, selectorAt(text, start, end))
    expect(result.status).toBe('fuzzy')
    expect(textOf(edited, result)).toBe('proposal remained firm across the regions, officials said 🇺🇦')
  })

  it('honours a stricter quote-similarity threshold', () => {
    const quote = 'Critics said the budget ignored regional workers'
    const { start, end } = rangeOf(article, quote)
    const edited = article.replace('ignored regional', 'overlooked rural')
    const selector = selectorAt(article, start, end)
    expect(reanchor(edited, selector).status).toBe('fuzzy')
    expect(reanchor(edited, selector, { minQuoteSimilarity: 0.9 })).toEqual({ status: 'orphaned' })
  })

  it('handles empty and out-of-range selectors without throwing', () => {
    expect(reanchor('abc', { start: 1, end: 1, exact: '', prefix: 'a', suffix: 'bc' })).toEqual({ status: 'exact', start: 1, end: 1, score: 1 })
    expect(reanchor('abc', { start: 7, end: 7, exact: '', prefix: '', suffix: '' })).toEqual({ status: 'orphaned' })
    expect(reanchor('abc', { start: 5, end: 2, exact: 'bc', prefix: 'a', suffix: '' })).toMatchObject({ status: 'moved', start: 1, end: 3 })
    expect(reanchor('', { start: 0, end: 1, exact: 'x', prefix: '', suffix: '' })).toEqual({ status: 'orphaned' })
  })

  it('(i) round-trips every range of an unchanged text exactly', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
      fc.string({ unit: fc.constantFrom('a', ' ', '😀', '🇺🇦', '👨‍👩‍👧', 'e\u0301', 'ж', '\ud83d', '\ude00'), minLength: 1, maxLength: 200 }),
      wordList(1, 60).map(joinWords)
    )
    fc.assert(
      fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
        const length = codePointLength(text)
        const start = a % (length + 1)
        const end = start + (b % (length - start + 1))
        expect(reanchor(text, selectorAt(text, start, end))).toEqual({ status: 'exact', start, end, score: 1 })
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('(ii) finds the very same words after edits outside the highlight', () => {
    fc.assert(
      fc.property(wordList(10, 250), fc.nat(), fc.nat(), fc.array(edit, { minLength: 1, maxLength: 6 }), (words, a, b, edits) => {
        const text = joinWords(words)
        const length = codePointLength(text)
        const start = a % length
        const end = start + 1 + (b % Math.min(60, length - start))
        const selector = selectorAt(text, start, end)
        const moved = editOutside(text, start, end, edits)
        const result = reanchor(moved.text, selector)
        expect(['exact', 'moved']).toContain(result.status)
        expect(textOf(moved.text, result)).toBe(selector.exact)
        // Where the quote is unique, or its context singles out the true occurrence, nothing else will do.
        const perfect = perfectOccurrences(moved.text, selector)
        if (occurrences(moved.text, selector.exact) === 1 || (perfect.length === 1 && perfect[0] === moved.start)) {
          expect(result).toMatchObject({ start: moved.start, end: moved.end })
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('(iii) orphans a highlight whose words were deleted', () => {
    fc.assert(
      fc.property(
        wordList(10, 250),
        fc.nat(),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: 9999 }),
        fc.array(edit, { maxLength: 4 }),
        (words, a, span, tokenAt, token, edits) => {
          const first = a % words.length
          const last = Math.min(words.length, first + span)
          const quoteWords = words.slice(first, last).map(([w, s]) => [w, s] as [string, string])
          // A token found nowhere else makes sure the quote cannot legitimately be found again.
          quoteWords.splice(tokenAt % (quoteWords.length + 1), 0, [`QX${token}`, ' '])
          const before = joinWords(words.slice(0, first))
          const quote = joinWords(quoteWords).trimEnd()
          const after = quoteWords.length > 0 ? ` ${joinWords(words.slice(last))}` : joinWords(words.slice(last))
          const text = before + quote + after
          const start = codePointLength(before)
          const end = start + codePointLength(quote)
          const gone = editOutside(before + after, start, start, edits.map((e) => ({ ...e, content: e.content.replace(/Q/g, 'q') })))
          expect(reanchor(gone.text, selectorAt(text, start, end))).toEqual({ status: 'orphaned' })
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('(iv) anchors approximately, on the edited passage, after one word inside a long highlight changed', () => {
    fc.assert(
      fc.property(wordList(30, 250), fc.nat(), fc.nat(), word, fc.array(edit, { maxLength: 4 }), (words, a, pick, replacement, edits) => {
        const first = a % (words.length - 20)
        let last = first + 3
        while (last < words.length && joinWords(words.slice(first, last)).trimEnd().length < 60) last++
        const quoteText = joinWords(words.slice(first, last)).trimEnd()
        fc.pre(quoteText.length >= 60 && last < words.length)
        const changed = first + 1 + (pick % (last - first - 2))
        fc.pre(words[changed]![0] !== replacement)
        const before = joinWords(words.slice(0, first))
        const text = joinWords(words)
        const start = codePointLength(before)
        const selector = selectorAt(text, start, start + codePointLength(quoteText))
        fc.pre(occurrences(text, quoteText) === 1)
        const newWords = words.map((w, i) => (i === changed ? ([replacement, w[1]] as const) : w))
        const newQuote = joinWords(newWords.slice(first, last)).trimEnd()
        // Edits far enough away to leave the stored context intact, so that it can place the ends exactly.
        const edited = editOutside(joinWords(newWords), start, start + codePointLength(newQuote), edits, 40)
        // Where another passage is as close to the quote as the edited one (shrinking loves "the the the…"),
        // either answer is defensible; only unambiguous cases are held to the exact range.
        const from = codePointToUtf16(edited.text, edited.start)
        const to = codePointToUtf16(edited.text, edited.end)
        const elsewhere = edited.text.slice(0, from) + '\u0000'.repeat(to - from) + edited.text.slice(to)
        fc.pre(search(elsewhere, quoteText, Math.floor(quoteText.length / 4)).length === 0)
        const result = reanchor(edited.text, selector)
        expect(result).toMatchObject({ status: 'fuzzy', start: edited.start, end: edited.end })
        expect(textOf(edited.text, result)).toBe(newQuote)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('(v) never answers with a range outside the text or one that misquotes', () => {
    const unit = fc.constantFrom('a', 'b', ' ', '😀', '😁', '🇺🇦', '🇺', 'e\u0301', 'ж', '\ud83d', '\ude00', '\ude01', '\n')
    const awkward = fc.string({ unit, maxLength: 80 })
    const randomSelector = fc.record({ start: fc.integer({ min: -5, max: 100 }), end: fc.integer({ min: -5, max: 100 }), exact: awkward, prefix: awkward, suffix: awkward })
    const storedThenEdited = fc.tuple(awkward, fc.nat(), fc.nat(), awkward, fc.nat(), fc.nat()).map(([text, a, b, insert, at, cut]) => {
      const length = codePointLength(text)
      const start = a % (length + 1)
      const end = start + (b % (length - start + 1))
      const points = [...text]
      // Any edit at all, inside the highlight too, and halves of pairs that may join up with their neighbours.
      points.splice(at % (length + 1), cut % 5, insert)
      return { text: points.join(''), selector: selectorAt(text, start, end) }
    })
    fc.assert(
      fc.property(fc.oneof(storedThenEdited, fc.tuple(awkward, randomSelector).map(([text, selector]) => ({ text, selector }))), ({ text, selector }) => {
        const result = reanchor(text, selector)
        if (result.status === 'orphaned') return
        const length = codePointLength(text)
        expect(Number.isInteger(result.start) && Number.isInteger(result.end)).toBe(true)
        expect(0 <= result.start && result.start <= result.end && result.end <= length).toBe(true)
        if (result.status === 'fuzzy') expect(result.start).toBeLessThan(result.end)
        else expect(sliceCodePoints(text, result.start, result.end)).toBe(selector.exact)
        if (result.status === 'exact') expect(result).toMatchObject({ start: selector.start, end: selector.end })
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('reanchorAll', () => {
  it('answers in input order and agrees with reanchor one by one', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'
    const quotes = ['sigma', 'beta gamma', 'iota kappa', 'alpha', 'pi rho']
    const selectors = quotes.map((q) => {
      const { start, end } = rangeOf(text, q)
      return selectorAt(text, start, end)
    })
    const edited = `Greek letters: ${text.replace('iota kappa', 'iota kappa!').replace('epsilon', 'eps')}`
    const results = reanchorAll(edited, selectors)
    expect(results.map((r) => textOf(edited, r))).toEqual(quotes)
    // Only the position hint differs (reanchorAll carries the shift forward), which moves scores a hair.
    const withoutScore = (r: AnchorResult): unknown => (r.status === 'orphaned' ? r : { status: r.status, start: r.start, end: r.end })
    expect(results.map(withoutScore)).toEqual(selectors.map((s) => withoutScore(reanchor(edited, s))))
  })

  it('re-anchors a thousand highlights of a long, shifted article quickly', () => {
    const paragraph = (i: number): string => `Paragraph ${i}: the committee reviewed funding 😀 for regional energy projects and the minister replied ${i * 7}.\n`
    const text = Array.from({ length: 5000 }, (_, i) => paragraph(i)).join('')
    // textQuoteAt walks the text on every call; building 1,000 selectors through an index keeps the test quick.
    const index = new CodePointIndex(text)
    const selectors: AnchorSelector[] = []
    for (let i = 0; i < 5000; i += 5) {
      const exact = `reviewed funding 😀 for regional energy projects and the minister replied ${i * 7}.`
      const at = text.indexOf(exact, text.indexOf(`Paragraph ${i}:`))
      const start = index.toCodePoint(at)
      const end = index.toCodePoint(at + exact.length)
      const prefix = text.slice(index.toUtf16(start - QUOTE_CONTEXT), at)
      const suffix = text.slice(at + exact.length, index.toUtf16(end + QUOTE_CONTEXT))
      selectors.push({ start, end, exact, prefix, suffix })
    }
    expect(selectors[7]).toEqual(selectorAt(text, selectors[7]!.start, selectors[7]!.end))
    const edited = text.replace(/Paragraph (\d+)0:/g, 'Section $10, revised:')
    const editedIndex = new CodePointIndex(edited)
    const started = performance.now()
    const results = reanchorAll(edited, selectors)
    const elapsed = performance.now() - started
    const texts = results.map((r) => (r.status === 'orphaned' ? null : edited.slice(editedIndex.toUtf16(r.start), editedIndex.toUtf16(r.end))))
    expect(texts).toEqual(selectors.map((s) => s.exact))
    expect(results.filter((r) => r.status === 'moved').length).toBeGreaterThan(900)
    // Generous (it takes well under a second); a code-point walk per candidate would take minutes.
    expect(elapsed).toBeLessThan(5000)
  })
})
