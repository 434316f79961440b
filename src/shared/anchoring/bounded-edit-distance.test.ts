import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { boundedEditDistance } from './bounded-edit-distance'

const NUM_RUNS = Number(process.env.FC_RUNS ?? 2000)

/** Textbook full-matrix Levenshtein distance, as the oracle. */
function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), row[j]! + 1, next[j - 1]! + 1))
    row = next
  }
  return row[b.length]!
}

describe('boundedEditDistance', () => {
  it('computes small distances and gives up past the limit', () => {
    expect(boundedEditDistance('kitten', 'sitting', 3)).toBe(3)
    expect(boundedEditDistance('kitten', 'sitting', 2)).toBeNull()
    expect(boundedEditDistance('', 'abc', 3)).toBe(3)
    expect(boundedEditDistance('same', 'same', 0)).toBe(0)
    expect(boundedEditDistance('a', 'b', -1)).toBeNull()
  })

  it('agrees with the full Levenshtein distance whenever that is within the limit', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '😀', 'ж'), maxLength: 30 })
    fc.assert(
      fc.property(text, text, fc.nat({ max: 12 }), (a, b, limit) => {
        const exact = levenshtein(a, b)
        expect(boundedEditDistance(a, b, limit)).toBe(exact <= limit ? exact : null)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
