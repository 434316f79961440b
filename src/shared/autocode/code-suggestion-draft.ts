/**
 * One proposed highlight: a sentence (code-point offsets over the article's canonical text, end exclusive)
 * and the stance its speaker expresses, with the issues it mentions, the actor and cue that triggered it,
 * and a confidence from 0 to 1.
 */
export interface CodeSuggestionDraft {
  start: number
  end: number
  /** The suggested text: exactly the code-point slice [start, end). */
  exact: string
  codeId: string
  issueCodeIds: string[]
  /**
   * The dictionary term naming the speaker, as written in the text ("Kremlin" of "Kremlin’s", "U.S."); for
   * "he said", the term in the earlier sentence the pronoun points back to.
   */
  actor: string
  /**
   * The attribution cue as written ("said", "according to", "ruled out", or the stance noun of "Moscow’s
   * demand"), ":" for a headline "Kremlin: …", "quotation" for a quoted sentence that continues a speaker's
   * quote, or null.
   */
  cue: string | null
  /** Confidence: 0.9 for a named speaker of a speech verb, down to 0.6 for a headline or a continued quote. */
  score: number
}
