import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CodePointIndex } from './code-point-index'
import { codePointLength, codePointToUtf16, utf16ToCodePoint } from './code-points'

const NUM_RUNS = Number(process.env.FC_RUNS ?? 2000)

// Lone halves as well as whole pairs, so that halves can meet and form pairs, or sit next to real ones.
const awkwardText = fc.string({ unit: fc.constantFrom('a', 'é', 'Ж', '中', '😀', '🇺🇦', 'e\u0301', '\ud83d', '\ude00', '\udc00', '\udbff', '\n') })

describe('CodePointIndex', () => {
  it('counts and converts like the walking helpers on a mixed text', () => {
    const text = 'x😀y🇪🇺z'
    const index = new CodePointIndex(text)
    expect(index.length).toBe(6)
    expect(index.toUtf16(2)).toBe(3)
    expect(index.toCodePoint(3)).toBe(2)
    expect(index.toUtf16(3)).toBe(4)
    expect(index.toUtf16(5)).toBe(8)
    expect(index.toUtf16(6)).toBe(text.length)
  })

  it('clamps out-of-range offsets', () => {
    const index = new CodePointIndex('a😀b')
    expect(index.toUtf16(-3)).toBe(0)
    expect(index.toUtf16(99)).toBe(4)
    expect(index.toCodePoint(-1)).toBe(0)
    expect(index.toCodePoint(99)).toBe(3)
  })

  it('knows where a pair would be split', () => {
    const index = new CodePointIndex('a😀\ud83db\ude00')
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => index.splitsPair(i))).toEqual([false, false, true, false, false, false, false])
  })

  it('treats lone surrogates as one code point each', () => {
    const index = new CodePointIndex('\ude00\ud83d')
    expect(index.length).toBe(2)
    expect(index.toUtf16(1)).toBe(1)
  })

  it('agrees with codePointToUtf16 and utf16ToCodePoint everywhere', () => {
    fc.assert(
      fc.property(fc.oneof(awkwardText, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (text) => {
        const index = new CodePointIndex(text)
        expect(index.length).toBe(codePointLength(text))
        for (let offset = 0; offset <= index.length + 1; offset++) expect(index.toUtf16(offset)).toBe(codePointToUtf16(text, offset))
        for (let unit = 0; unit <= text.length; unit++) expect(index.toCodePoint(unit)).toBe(utf16ToCodePoint(text, unit))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('stays fast on a long text with many astral characters', () => {
    const text = 'word 😀 слово '.repeat(50_000)
    const started = performance.now()
    const index = new CodePointIndex(text)
    let sum = 0
    for (let i = 0; i < 100_000; i++) sum += index.toUtf16((i * 7919) % index.length)
    expect(sum).toBeGreaterThan(0)
    expect(index.toCodePoint(text.length)).toBe(index.length)
    // Generous: one walking conversion per call would take minutes here.
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
