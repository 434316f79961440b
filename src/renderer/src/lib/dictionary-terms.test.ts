import { describe, expect, it } from 'vitest'
import { addTerms, MAX_TERMS, splitTerms } from './dictionary-terms'

describe('splitTerms', () => {
  it('splits on commas and line breaks and tidies spaces', () => {
    expect(splitTerms('Kremlin, Moscow\nLavrov\r\n  foreign   minister ,,')).toEqual(['Kremlin', 'Moscow', 'Lavrov', 'foreign minister'])
  })

  it('gives nothing for blank input', () => {
    expect(splitTerms(' , \n ')).toEqual([])
  })
})

describe('addTerms', () => {
  it('adds new terms at the end and skips duplicates without regard to case', () => {
    const result = addTerms(['Kremlin'], ['kremlin', 'Moscow', 'MOSCOW', 'sanction*'])
    expect(result.terms).toEqual(['Kremlin', 'Moscow', 'sanction*'])
    expect(result.added).toEqual(['Moscow', 'sanction*'])
    expect(result.duplicates).toEqual(['kremlin', 'MOSCOW'])
  })

  it('refuses terms over 200 characters and stops at the limit', () => {
    const long = 'x'.repeat(201)
    expect(addTerms([], [long, 'y'.repeat(200)])).toMatchObject({ tooLong: [long], added: ['y'.repeat(200)] })
    const full = Array.from({ length: MAX_TERMS }, (_, i) => `t${i}`)
    expect(addTerms(full, ['one more'])).toMatchObject({ terms: full, overLimit: ['one more'] })
  })
})
