import { describe, expect, it } from 'vitest'
import { MAX_CONTEXT_UNITS, prefixSimilarity, suffixSimilarity } from './context-similarity'

describe('context similarity', () => {
  const text = 'the minister said on Monday that the budget would change'
  const at = text.indexOf('the budget')

  it('is 1 for an intact context and for a missing one', () => {
    expect(prefixSimilarity(text, at, 'said on Monday that ')).toBe(1)
    expect(suffixSimilarity(text, at + 3, ' budget would')).toBe(1)
    expect(prefixSimilarity(text, at, '')).toBe(1)
  })

  it('charges an inserted word once instead of misaligning everything after it', () => {
    const edited = text.replace('on Monday', 'on Monday morning')
    const boundary = edited.indexOf('the budget')
    // 8 units inserted into a 20-unit context: 1 − 8/20.
    expect(prefixSimilarity(edited, boundary, 'said on Monday that ')).toBeCloseTo(0.6)
    expect(suffixSimilarity('xx budget would change', 2, ' budget would')).toBe(1)
  })

  it('falls to chance level for an unrelated context and stops at the edges of the text', () => {
    expect(prefixSimilarity(text, at, 'zzzzzzzzzz')).toBe(0)
    expect(prefixSimilarity(text, 3, 'said on Monday that ')).toBeLessThan(0.2)
    expect(suffixSimilarity(text, text.length, ' and more')).toBe(0)
  })

  it('compares at most MAX_CONTEXT_UNITS next to the boundary', () => {
    const long = `${'q'.repeat(500)}said on Monday that `
    expect(prefixSimilarity(text, at, long)).toBeCloseTo(1 - (MAX_CONTEXT_UNITS - 20) / MAX_CONTEXT_UNITS)
  })
})
