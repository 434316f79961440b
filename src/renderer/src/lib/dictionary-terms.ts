/** Longest dictionary entry the codebook accepts (the main process checks the same). */
export const MAX_TERM_LENGTH = 200
/** Most entries one code's dictionary may hold. */
export const MAX_TERMS = 500

/** What adding typed or pasted terms to a dictionary did. */
export interface TermsAdded {
  /** The dictionary with the new terms at the end. */
  terms: string[]
  added: string[]
  /** Terms already in the dictionary (compared without case) or repeated in the input. */
  duplicates: string[]
  tooLong: string[]
  /** Terms left out because the dictionary was full. */
  overLimit: string[]
}

/** Splits typed or pasted text into terms: commas and line breaks separate them, spaces inside a term collapse. */
export function splitTerms(text: string): string[] {
  return text
    .split(/[,\n\r\t]+/)
    .map((term) => term.replace(/\s+/g, ' ').trim())
    .filter((term) => term.length > 0)
}

/** Adds terms to a dictionary, skipping case-insensitive duplicates, over-long terms and anything past the limit. */
export function addTerms(current: readonly string[], incoming: readonly string[]): TermsAdded {
  const seen = new Set(current.map((term) => term.toLocaleLowerCase()))
  const result: TermsAdded = { terms: [...current], added: [], duplicates: [], tooLong: [], overLimit: [] }
  for (const term of incoming) {
    const key = term.toLocaleLowerCase()
    if (seen.has(key)) result.duplicates.push(term)
    else if (term.length > MAX_TERM_LENGTH) result.tooLong.push(term)
    else if (result.terms.length >= MAX_TERMS) result.overLimit.push(term)
    else {
      seen.add(key)
      result.terms.push(term)
      result.added.push(term)
    }
  }
  return result
}
