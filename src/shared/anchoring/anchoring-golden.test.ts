import { describe, expect, it } from 'vitest'
import golden from './fixtures/anchoring-golden.json'
import { CodePointIndex } from './code-point-index'
import { codePointToUtf16, sliceCodePoints } from './code-points'
import { reanchor, reanchorAll } from './reanchor'
import { textQuoteAt } from './text-quote'

interface GoldenCase {
  name: string
  text: string
  start: number
  end: number
  utf16Start: number
  utf16End: number
  exact: string
  editedText: string
  expected: { status: 'exact' | 'moved' | 'fuzzy'; start: number; end: number; text: string } | { status: 'orphaned' }
}

const cases = golden.cases as GoldenCase[]

describe('anchoring golden fixtures', () => {
  it('covers the scripts and encodings that break naive offsets', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12)
    expect(new Set(cases.map((c) => c.expected.status))).toEqual(new Set(['moved', 'fuzzy', 'orphaned']))
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s: the stored offsets are code points', (_, c) => {
    expect(sliceCodePoints(c.text, c.start, c.end)).toBe(c.exact)
    expect(codePointToUtf16(c.text, c.start)).toBe(c.utf16Start)
    expect(codePointToUtf16(c.text, c.end)).toBe(c.utf16End)
    expect(c.text.slice(c.utf16Start, c.utf16End)).toBe(c.exact)
    // Every astral character (emoji, flag half) before an offset puts UTF-16 one unit further ahead.
    const astralBefore = (units: number): number => [...c.text.slice(0, units)].filter((ch) => ch.length === 2).length
    expect(c.utf16Start - c.start).toBe(astralBefore(c.utf16Start))
    expect(c.utf16End - c.end).toBe(astralBefore(c.utf16End))
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s: re-anchors as expected', (_, c) => {
    const selector = { start: c.start, end: c.end, ...textQuoteAt(c.text, c.start, c.end) }
    expect(reanchor(c.text, selector)).toEqual({ status: 'exact', start: c.start, end: c.end, score: 1 })
    const result = reanchor(c.editedText, selector)
    if (c.expected.status === 'orphaned') {
      expect(result).toEqual({ status: 'orphaned' })
      return
    }
    const { text, ...position } = c.expected
    expect(result).toMatchObject(position)
    expect(sliceCodePoints(c.editedText, c.expected.start, c.expected.end)).toBe(text)
  })

  it('proves the counting on the astral cases: code points and UTF-16 units differ there', () => {
    const astral = cases.filter((c) => /[\u{10000}-\u{10ffff}]/u.test(c.text.slice(0, c.utf16End)))
    expect(astral.map((c) => c.name)).toEqual(expect.arrayContaining(['emoji-moved', 'flags-moved', 'zwj-moved']))
    for (const c of astral) expect(c.utf16End, c.name).toBeGreaterThan(c.end)
    const emoji = cases.find((c) => c.name === 'emoji-moved')!
    if (emoji.expected.status === 'orphaned') throw new Error('emoji-moved must anchor')
    // One rocket fewer: one code point earlier, but two UTF-16 units earlier.
    expect(emoji.start - emoji.expected.start).toBe(1)
    const index = new CodePointIndex(emoji.editedText)
    expect(emoji.utf16Start - index.toUtf16(emoji.expected.start)).toBe(2)
  })

  it('gives the same answers through reanchorAll', () => {
    for (const c of cases) {
      const selector = { start: c.start, end: c.end, ...textQuoteAt(c.text, c.start, c.end) }
      const [result] = reanchorAll(c.editedText, [selector])
      expect(result, c.name).toEqual(reanchor(c.editedText, selector))
    }
  })
})
