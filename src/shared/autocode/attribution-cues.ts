/**
 * How a cue ties a speaker to a sentence: `speech` (said, told, insisted; subject before it, or after it in
 * "…,” said Peskov"), `according` (the source follows: "according to the Kremlin"), `stance` (a stance verb
 * whose subject holds the position: wants, refuses, ruled out), `neutral` (the subject speaks but takes no
 * position: declined to comment).
 */
export type CueKind = 'speech' | 'according' | 'stance' | 'neutral'

/** One attribution cue found outside quotes, by UTF-16 index. */
export interface AttributionCue {
  index: number
  end: number
  /** The cue as written. */
  text: string
  kind: CueKind
}

const NEUTRAL = [
  'declined',
  'declines',
  'refused to (?:comment|say|answer|confirm|discuss|elaborate)',
  'would not (?:comment|say|confirm|discuss|elaborate)',
  'did not (?:comment|respond|say|reply)',
  'gave no details',
  'no comment'
]
const ACCORDING = ['according to']
// Nouns that share a form with a verb ("demands", "claims", "notes", "support") are left out on purpose.
const SPEECH = [
  'said in a statement',
  'in a statement',
  'said',
  'says',
  'say',
  'saying',
  'told',
  'tells',
  'telling',
  'added',
  'adds',
  'adding',
  'insisted',
  'insists',
  'insist',
  'insisting',
  'argued',
  'argues',
  'argue',
  'arguing',
  'warned',
  'warns',
  'warning that',
  'stressed',
  'stresses',
  'stressing',
  'noted',
  'noting',
  'claimed',
  'claiming',
  'denied',
  'denies',
  'denying',
  'rejected',
  'rejects',
  'rejecting',
  'demanded',
  'demanding',
  'urged',
  'urges',
  'urging',
  'proposed',
  'proposes',
  'announced',
  'announces',
  'called for',
  'calls for',
  'calling for',
  'called on',
  'calls on',
  'calling on',
  'called',
  'described',
  'describes',
  'describing',
  'dismissed',
  'dismisses',
  'criticised',
  'criticized',
  'criticises',
  'criticizes',
  'repeated',
  'repeats',
  'reiterated',
  'reiterates',
  'accused',
  'accuses',
  'pledged',
  'vowed',
  'signalled',
  'signaled',
  'suggested',
  'suggests',
  'declared',
  'declares',
  'confirmed',
  'confirms',
  'explained',
  'asserted',
  'emphasised',
  'emphasized',
  'complained',
  'acknowledged',
  'conceded',
  'admitted',
  'replied',
  'countered',
  'wrote',
  'posted',
  'floated',
  'brushed'
]
const STANCE = [
  'wants',
  'want',
  'wanted',
  'seeks',
  'seek',
  'sought',
  'seeking',
  'opposes',
  'oppose',
  'opposed',
  'supports',
  'supported',
  'refuses',
  'refuse',
  'refused',
  'agrees',
  'agree',
  'agreed',
  'accepts',
  'accepted',
  'ruled out',
  'rules out',
  'rule out',
  'will not(?! be\b)',
  "won['’]t(?! be\b)",
  'would not(?! be\b)',
  'will never',
  'would never',
  "cannot accept",
  "can['’]t accept",
  '(?:is|are|was|were|stands?|stood) (?:ready|prepared|willing) to',
  'expects',
  'expect',
  'expected',
  'believes',
  'believe',
  'hopes',
  'hoped',
  'plans to',
  'planned to',
  'intends to',
  'intend to',
  'aims to',
  'threatened',
  'threatens',
  'welcomed',
  'welcomes',
  'condemned',
  'condemns',
  'pressed',
  'pushed for',
  'pushes for',
  'push for',
  'push back',
  'pushed back',
  'pushes back',
  'favours',
  'favors',
  'favoured',
  'favored',
  'prefers',
  'preferred',
  'doubts',
  'doubted'
]

function group(phrases: readonly string[]): string {
  const sorted = [...phrases].sort((a, b) => b.length - a.length)
  return `(${sorted.map((p) => p.replace(/ /g, '\\s+')).join('|')})`
}

const KINDS: readonly CueKind[] = ['neutral', 'according', 'speech', 'stance']
const CUE = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}'’-])(?:${[NEUTRAL, ACCORDING, SPEECH, STANCE].map(group).join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'giu')
/** Past forms that read as passives after a form of "be" ("was expected", "were told"): no speaker then. */
const PAST_FORM = /^(?:\p{L}+ed|told|said|sought|wrote)$/iu
/** "has not said", "never told": a speech verb under negation attributes nothing. */
const NEGATED_BEFORE = /(?:\bnot|\bnever|n['’]t)\s+$/iu
const PASSIVE_BEFORE = /\b(?:is|are|was|were|be|been|being)\s+(?:(?:also|widely|reportedly|not|never|now|still|already|repeatedly|long|often|later)\s+)*$/iu

/** The attribution cues in `masked` (text with quotes blanked) between UTF-16 indices `from` and `to`, in order. */
export function findAttributionCues(masked: string, from: number, to: number): AttributionCue[] {
  const out: AttributionCue[] = []
  const text = masked.slice(from, to)
  CUE.lastIndex = 0
  for (let match = CUE.exec(text); match; match = CUE.exec(text)) {
    const kind = KINDS[match.slice(1).findIndex((g) => g !== undefined)]
    if (!kind) continue
    const first = match[0].split(/\s+/)[0] ?? ''
    if (PAST_FORM.test(first) && PASSIVE_BEFORE.test(text.slice(Math.max(0, match.index - 40), match.index))) continue
    const negated = kind === 'speech' && NEGATED_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))
    out.push({ index: from + match.index, end: from + match.index + match[0].length, text: match[0], kind: negated ? 'neutral' : kind })
  }
  return out
}
