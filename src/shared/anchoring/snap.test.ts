import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CodePointIndex } from './code-point-index'
import { codePointLength, codePointToUtf16, sliceCodePoints, utf16ToCodePoint } from './code-points'
import { breaksBetweenWords, snapToGraphemes, snapToWords, startsCleanCluster } from './snap'

const NUM_RUNS = Number(process.env.FC_RUNS ?? 2000)
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const words = new Intl.Segmenter(undefined, { granularity: 'word' })

/** The answer from segmenting the whole text, which the windowed implementation must reproduce. */
function referenceGraphemes(text: string, start: number, end: number): { start: number; end: number } {
  const from = codePointToUtf16(text, start)
  const to = codePointToUtf16(text, end)
  let snappedFrom = from
  let snappedTo = to
  for (const { index, segment } of graphemes.segment(text)) {
    if (index <= from && from < index + segment.length) snappedFrom = index
    if (index < to && to <= index + segment.length) snappedTo = index + segment.length
  }
  return { start: utf16ToCodePoint(text, snappedFrom), end: utf16ToCodePoint(text, snappedTo) }
}

/** Whole-paragraph word segmentation, then trimming: what snapToWords promises. */
function referenceWords(text: string, start: number, end: number): { start: number; end: number } {
  const from = codePointToUtf16(text, start)
  const to = codePointToUtf16(text, end)
  let snappedFrom = from
  let snappedTo = to
  for (const { index, segment } of words.segment(text)) {
    if (index <= from && from < index + segment.length && text[from] !== '\n') snappedFrom = index
    if (index < to && to <= index + segment.length && text[to - 1] !== '\n') snappedTo = index + segment.length
  }
  while (snappedFrom < snappedTo && /\s/.test(text[snappedFrom]!)) snappedFrom++
  while (snappedTo > snappedFrom && /\s/.test(text[snappedTo - 1]!)) snappedTo--
  if (snappedFrom >= snappedTo) return { start, end }
  return { start: utf16ToCodePoint(text, snappedFrom), end: utf16ToCodePoint(text, snappedTo) }
}

/** A random non-empty code-point range of `text`, or null when the text is empty. */
function rangeOf(text: string, a: number, b: number): { start: number; end: number } | null {
  const length = codePointLength(text)
  if (length === 0) return null
  const start = a % length
  return { start, end: start + 1 + (b % (length - start)) }
}

// Units chosen to stress cluster rules: lone regional indicators (pairing parity), ZWJ sequences, skin
// tones, combining marks, Hangul jamo, an Indic conjunct, an Arabic Prepend sign, CR LF.
const clusterUnit = fc.constantFrom(
  'a', ' ', 'Ж', '中', 'ا', '\n', '\r', '\r\n',
  '🇺', '🇦', '🇪', '🇺🇦', '👨', '\u200d', '👩', '👨‍👩‍👧', '👍', '🏽', '\u0301', '\u0327', '\ufe0f',
  '\u1100', '\u1161', '\u11a8', '가', 'क', '\u094d', 'ष', '\u0600', '1', '#', '\u20e3'
)

describe('snapToGraphemes', () => {
  it('widens over a flag, a ZWJ family and combining marks', () => {
    expect(snapToGraphemes('a🇺🇦🇪🇺b', 2, 4)).toEqual({ start: 1, end: 5 })
    expect(snapToGraphemes('x👨‍👩‍👧y', 2, 3)).toEqual({ start: 1, end: 6 })
    expect(snapToGraphemes('cafe\u0301s', 3, 4)).toEqual({ start: 3, end: 5 })
    expect(snapToGraphemes('e\u0301\u0327t', 1, 2)).toEqual({ start: 0, end: 3 })
    expect(snapToGraphemes('👍🏽 ok', 1, 2)).toEqual({ start: 0, end: 2 })
  })

  it('pairs regional indicators from the start of their run, however long', () => {
    const run = '🇺🇦'.repeat(300)
    expect(snapToGraphemes(`a${run}`, 400, 401)).toEqual({ start: 399, end: 401 })
    expect(snapToGraphemes(`a${run}`, 401, 402)).toEqual({ start: 401, end: 403 })
    // One more character before the run flips the pairing 400 code points later.
    expect(snapToGraphemes(`ab${run}`, 401, 402)).toEqual({ start: 400, end: 402 })
  })

  it('leaves ranges that cut nothing, and empty or invalid ranges, alone', () => {
    expect(snapToGraphemes('hello world', 0, 5)).toEqual({ start: 0, end: 5 })
    expect(snapToGraphemes('a🇺🇦b', 2, 2)).toEqual({ start: 2, end: 2 })
    expect(snapToGraphemes('a🇺🇦b', 3, 1)).toEqual({ start: 3, end: 1 })
    expect(snapToGraphemes('a🇺🇦b', 2, 9)).toEqual({ start: 2, end: 9 })
    expect(snapToGraphemes('a🇺🇦b', 1.5, 3)).toEqual({ start: 1.5, end: 3 })
  })

  it('matches whole-text segmentation on cluster-heavy texts', () => {
    fc.assert(
      fc.property(fc.string({ unit: clusterUnit, minLength: 1, maxLength: 120 }), fc.nat(), fc.nat(), fc.boolean(), (text, a, b, useIndex) => {
        const range = rangeOf(text, a, b)
        if (!range) return
        const expected = referenceGraphemes(text, range.start, range.end)
        expect(snapToGraphemes(text, range.start, range.end, useIndex ? new CodePointIndex(text) : undefined)).toEqual(expected)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('matches whole-text segmentation on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 })), fc.nat(), fc.nat(), (text, a, b) => {
        const range = rangeOf(text, a, b)
        if (!range) return
        expect(snapToGraphemes(text, range.start, range.end)).toEqual(referenceGraphemes(text, range.start, range.end))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('has a complete Prepend table for this runtime', () => {
    // A Prepend character glues to the next one; the window logic must know every one of them.
    const missing: string[] = []
    for (let cp = 0x80; cp <= 0x1ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue
      const text = `${String.fromCodePoint(cp)}a`
      const glued = graphemes.segment(text).containing(text.length - 1)!.index === 0
      if (glued && snapToGraphemes(text, 1, 2).start !== 0) missing.push(cp.toString(16))
    }
    expect(missing).toEqual([])
  })

  it('only treats as clean cluster starts characters that really start one', () => {
    const before = ['a', '\u1100', '\u1161', '\u11a8', '가', '🇺', '👨\u200d', '\u200d', 'क\u094d', '\r', '\u0301', ' ']
    const wrong: string[] = []
    for (let unit = 0; unit <= 0xffff; unit++) {
      if (!startsCleanCluster(unit) || unit === 0x0a) continue
      const char = String.fromCharCode(unit)
      for (const x of before) {
        const text = x + char
        if (graphemes.segment(text).containing(text.length - 1)!.index !== x.length) wrong.push(`${JSON.stringify(x)}+${unit.toString(16)}`)
      }
    }
    expect(wrong).toEqual([])
  })
})

describe('snapToWords', () => {
  it('widens to whole words and trims whitespace', () => {
    const text = 'The quick brown fox'
    expect(snapToWords(text, 5, 12)).toEqual({ start: 4, end: 15 })
    expect(snapToWords(text, 3, 10)).toEqual({ start: 4, end: 9 })
    expect(snapToWords("don't stop", 1, 2)).toEqual({ start: 0, end: 5 })
  })

  it('never widens across a line break', () => {
    const text = 'alpha beta\ngamma delta'
    expect(snapToWords(text, 8, 10)).toEqual({ start: 6, end: 10 })
    expect(snapToWords(text, 6, 11)).toEqual({ start: 6, end: 10 })
    expect(snapToWords(text, 10, 13)).toEqual({ start: 11, end: 16 })
    expect(snapToWords(text, 9, 13)).toEqual({ start: 6, end: 16 })
  })

  it('handles Cyrillic, Arabic with diacritics, CJK and emoji', () => {
    expect(snapToWords('Министр заявил сегодня', 3, 5)).toEqual({ start: 0, end: 7 })
    const arabic = 'قَالَ الوَزِيرُ إِنَّ'
    // "الوَزِيرُ" with its vowel marks is code points 6–15; a click on its third letter takes all of it.
    expect(snapToWords(arabic, 8, 9)).toEqual({ start: 6, end: 15 })
    expect(sliceCodePoints(arabic, 6, 15)).toBe('الوَزِيرُ')
    const chinese = '我们今天讨论新的政策。'
    expect(sliceCodePoints(chinese, snapToWords(chinese, 9, 10).start, snapToWords(chinese, 9, 10).end)).toBe('政策')
    const japanese = 'きょうは新しい政策について話します。'
    const snapped = snapToWords(japanese, 5, 6)
    expect(sliceCodePoints(japanese, snapped.start, snapped.end)).toBe('新しい')
    expect(snapToWords('great 👍🏽 idea', 7, 8)).toEqual({ start: 6, end: 8 })
  })

  it('returns the input when there is nothing but whitespace, or nothing at all', () => {
    expect(snapToWords('a   b', 1, 4)).toEqual({ start: 1, end: 4 })
    expect(snapToWords('a b', 2, 2)).toEqual({ start: 2, end: 2 })
    expect(snapToWords('a b', 0, 9)).toEqual({ start: 0, end: 9 })
  })

  it('matches whole-text segmentation, and stays inside the paragraph', () => {
    const token = fc.constantFrom('policy', 'Kyiv', "don't", '3.14', 'co-operate', 'Министр', 'заявил', 'الوَزِيرُ', '政策', 'について', '😀', '👍🏽', '🇺🇦', 'café', 'cafe\u0301', ',', '.', '—', '"')
    const gap = fc.constantFrom(' ', ' ', ' ', '  ', '\n', ', ', '\t')
    const paragraphText = fc.array(fc.tuple(token, gap), { minLength: 1, maxLength: 80 }).map((parts) => parts.map(([t, g]) => t + g).join(''))
    fc.assert(
      fc.property(paragraphText, fc.nat(), fc.nat(), (text, a, b) => {
        const range = rangeOf(text, a, b)
        if (!range) return
        const snapped = snapToWords(text, range.start, range.end)
        expect(snapped).toEqual(referenceWords(text, range.start, range.end))
        if (snapped.start < range.start) expect(sliceCodePoints(text, snapped.start, range.start)).not.toContain('\n')
        if (snapped.end > range.end) expect(sliceCodePoints(text, range.end, snapped.end)).not.toContain('\n')
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('agrees with whole-text segmentation inside long paragraphs without spaces', () => {
    // Past WORD_WINDOW without a space the window is cut at a mere grapheme boundary; dictionary
    // segmentation of Chinese and Japanese is local enough that this changes nothing near the selection.
    const phrase = fc.constantFrom('我们今天讨论新的政策', '政府宣布了改革计划', '专家认为这个决定很重要', '市场反应非常积极', 'きょうは新しい政策について話します', '経済の専門家は', '、', '。')
    const longParagraph = fc.array(phrase, { minLength: 60, maxLength: 120 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(longParagraph, fc.nat(), fc.nat({ max: 12 }), (text, a, width) => {
        const start = a % (text.length - 13)
        expect(snapToWords(text, start, start + 1 + width)).toEqual(referenceWords(text, start, start + 1 + width))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('only segments near the ends of a selection in a long article', () => {
    const text = 'Seventy analysts read the long article 😀 again. '.repeat(12_000)
    const index = new CodePointIndex(text)
    const started = performance.now()
    for (let i = 0; i < 1000; i++) {
      const start = (i * 577) % (index.length - 100)
      const snapped = snapToWords(text, start, start + 40, index)
      expect(snapped.end - snapped.start).toBeLessThan(60)
    }
    // Segmenting the whole 600 KB text even once per call would take tens of seconds.
    expect(performance.now() - started).toBeLessThan(3000)
  })
})

describe('breaksBetweenWords', () => {
  it('tells a word boundary from the inside of a word', () => {
    expect(breaksBetweenWords('the ', 'minister')).toBe(true)
    expect(breaksBetweenWords('the mini', 'ster')).toBe(false)
    expect(breaksBetweenWords("don", "'t")).toBe(false)
    expect(breaksBetweenWords('', 'anything')).toBe(true)
    expect(breaksBetweenWords('Министр', ', ')).toBe(true)
    expect(breaksBetweenWords('我们今天讨论新的', '政策')).toBe(true)
    expect(breaksBetweenWords('我们今天讨论新的政', '策')).toBe(false)
  })
})
