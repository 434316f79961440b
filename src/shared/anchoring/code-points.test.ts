import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { codePointLength, codePointToUtf16, sliceCodePoints, utf16ToCodePoint } from './code-points'
import { textQuoteAt } from './text-quote'

describe('code points', () => {
  it('counts astral characters once', () => {
    expect(codePointLength('a😀b')).toBe(3)
    expect(codePointLength('🇺🇦')).toBe(2) // a flag is two regional-indicator code points
    expect(codePointLength('Привет')).toBe(6)
    expect(codePointLength('e\u0301')).toBe(2)
  })

  it('converts offsets both ways', () => {
    const text = 'x😀y🇪🇺z'
    expect(codePointToUtf16(text, 2)).toBe(3)
    expect(utf16ToCodePoint(text, 3)).toBe(2)
    expect(sliceCodePoints(text, 1, 2)).toBe('😀')
    expect(sliceCodePoints(text, 3, 5)).toBe('🇪🇺')
  })

  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), fc.nat(), (text, a, b) => {
        const length = codePointLength(text)
        expect(length).toBe([...text].length)
        const start = Math.min(a, b) % (length + 1)
        const end = Math.min(length, start + (Math.max(a, b) % (length + 1)))
        expect(sliceCodePoints(text, start, end)).toBe([...text].slice(start, end).join(''))
        expect(utf16ToCodePoint(text, codePointToUtf16(text, start))).toBe(start)
      }),
      { numRuns: 500 }
    )
  })
})

describe('textQuoteAt', () => {
  it('keeps 32 code points of context on each side', () => {
    const text = `${'α'.repeat(40)}квота${'😀'.repeat(40)}`
    const quote = textQuoteAt(text, 40, 45)
    expect(quote.exact).toBe('квота')
    expect(quote.prefix).toBe('α'.repeat(32))
    expect(quote.suffix).toBe('😀'.repeat(32))
  })

  it('shortens context at the edges', () => {
    expect(textQuoteAt('Kyiv said no', 0, 4)).toEqual({ exact: 'Kyiv', prefix: '', suffix: ' said no' })
  })
})
