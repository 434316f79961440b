import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codePointLength, sliceCodePoints } from '../anchoring/code-points'
import { splitSentences } from './sentences'

const texts = (text: string): string[] => splitSentences(text).map((s) => s.text)

describe('splitSentences', () => {
  it('splits on final punctuation followed by a capital, a digit or an opening quote', () => {
    expect(texts('Talks began. They ended! Why? “Nobody knows,” he said. 2025 was long.')).toEqual([
      'Talks began.',
      'They ended!',
      'Why?',
      '“Nobody knows,” he said.',
      '2025 was long.'
    ])
  })

  it('keeps abbreviations, initials and decimals inside the sentence', () => {
    expect(texts('Mr. Peskov met Dr. Smith and Donald J. Trump at 3.5 p.m. on Jan. 5 in the U.S. capital. It went well.')).toEqual([
      'Mr. Peskov met Dr. Smith and Donald J. Trump at 3.5 p.m. on Jan. 5 in the U.S. capital.',
      'It went well.'
    ])
    expect(texts('Plans, e.g. a truce, i.e. a pause, were shown to No. 10 by Gen. Kellogg. Then he left.')).toEqual([
      'Plans, e.g. a truce, i.e. a pause, were shown to No. 10 by Gen. Kellogg.',
      'Then he left.'
    ])
  })

  it('ends a sentence after an abbreviation only when an obvious opener follows', () => {
    expect(texts('The envoy flew to the U.S. The talks resume on Feb. 24. They will be long.')).toEqual([
      'The envoy flew to the U.S.',
      'The talks resume on Feb. 24.',
      'They will be long.'
    ])
    expect(texts('He met U.S. Secretary of State Marco Rubio.')).toEqual(['He met U.S. Secretary of State Marco Rubio.'])
  })

  it('ends a sentence at a lower-case "no." but not at "No. 10"', () => {
    expect(texts('Lavrov said no. Rubio met him at No. 10 Downing Street.')).toEqual(['Lavrov said no.', 'Rubio met him at No. 10 Downing Street.'])
  })

  it('keeps closing quotes after the full stop and handles ellipses', () => {
    expect(texts('He called it “frank.” She said "useful." Then… silence. Wait... and see. Done … Next.')).toEqual([
      'He called it “frank.”',
      'She said "useful."',
      'Then… silence.',
      'Wait... and see.',
      'Done …',
      'Next.'
    ])
  })

  it('never crosses a block or a line break, so a heading without punctuation is a sentence', () => {
    const text = '## Who is at the table\n\nKyiv insists on a seat\n\nFirst line\nsecond line. Third.'
    expect(texts(text)).toEqual(['## Who is at the table', 'Kyiv insists on a seat', 'First line', 'second line.', 'Third.'])
  })

  it('does not treat a list number as a sentence', () => {
    expect(texts('1. Istanbul round ends early')).toEqual(['1. Istanbul round ends early'])
  })

  it('trims whitespace and reports code-point offsets past emoji and combining marks', () => {
    const text = '  🎉 Пу́тин сказал.   Да. \n\n😀😀 Lavrov said so.  '
    const spans = splitSentences(text)
    expect(spans.map((s) => s.text)).toEqual(['🎉 Пу́тин сказал.', 'Да.', '😀😀 Lavrov said so.'])
    for (const span of spans) expect(sliceCodePoints(text, span.start, span.end)).toBe(span.text)
    expect(spans[0]!.start).toBe(2)
    expect(spans[2]!.start).toBe(codePointLength('  🎉 Пу́тин сказал.   Да. \n\n'))
  })

  it('returns nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([])
    expect(splitSentences(' \n\n \n')).toEqual([])
  })

  it('gives ordered, trimmed, in-bounds spans whose text is the code-point slice, for any text', () => {
    const piece = fc.constantFrom('Mr.', 'U.S.', 'said', 'Kyiv', ' ', '  ', '.', '. ', '! ', '? ', '…', '“', '”', '"', '\n', '\n\n', 'A', 'b', '3.5', '😀', 'Пу́тин', '\t', 'e.g.', '1. ')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('')
        const spans = splitSentences(text)
        let last = 0
        for (const span of spans) {
          expect(span.start).toBeGreaterThanOrEqual(last)
          expect(span.end).toBeGreaterThan(span.start)
          expect(span.end).toBeLessThanOrEqual(codePointLength(text))
          expect(sliceCodePoints(text, span.start, span.end)).toBe(span.text)
          expect(span.text).toBe(span.text.trim())
          expect(span.text.includes('\n')).toBe(false)
          last = span.end
        }
        // Nothing but whitespace is left out.
        const covered = spans.map((s) => s.text).join('')
        expect(covered.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''))
      }),
      { numRuns: 300 }
    )
  })
})
