import { CodePointIndex } from '../anchoring/code-point-index'
import { findAttributionCues, type AttributionCue } from './attribution-cues'
import type { CodeDictionary } from './code-dictionary'
import type { CodeSuggestionDraft } from './code-suggestion-draft'
import { maskQuotes } from './quoted-speech'
import { splitSentences } from './sentences'
import { TermMatcher } from './term-matcher'

/** A stance term found in a sentence (UTF-16 indices) and the stance dictionaries that hold it. */
interface Mention {
  index: number
  end: number
  text: string
  codes: readonly number[]
  possessive: boolean
  quoted: boolean
}

/** A sentence with what the engine needs about it; `from`/`to` are UTF-16 indices, `start`/`end` code points. */
interface Sentence {
  start: number
  end: number
  text: string
  from: number
  to: number
  mentions: Mention[]
  issues: Set<number>
  heading: boolean
  question: boolean
  /** Quoted passages that overlap the sentence, as UTF-16 [start, end). */
  quotes: [number, number][]
  hasQuote: boolean
  allQuote: boolean
  /** A quote open at the sentence's end runs on into the next sentence. */
  quoteContinues: boolean
}

/** Who a sentence is attributed to, and why. */
interface Finding {
  speakers: Mention[]
  cue: string | null
  score: number
}

/** The outcome of looking for a cue's subject: actors, someone who is no actor of ours, or nobody. */
type Subject = { kind: 'actors'; actors: Mention[]; anaphor: boolean } | { kind: 'other' } | { kind: 'none' }

/** Confidence by how the speaker was found: a named speaker of a speech verb is surest, a continued quote least. */
const SCORE = { speech: 0.9, according: 0.85, stance: 0.8, anaphor: 0.7, position: 0.65, headline: 0.6, quotation: 0.6, quoteBonus: 0.05 }

/** Words before an actor that make it a place or an object rather than a speaker ("in Moscow", "to Kyiv"). */
const PREPOSITIONS = new Set(['in', 'at', 'from', 'to', 'into', 'onto', 'with', 'without', 'against', 'toward', 'towards', 'on', 'upon', 'over', 'about', 'for', 'between', 'across', 'through', 'throughout', 'under', 'among', 'near', 'after', 'before', 'via', 'than', 'like', 'within', 'around', 'behind', 'beyond', 'inside', 'outside', 'despite'])
/** People and roles that turn "in X", "for X" back into a speaker: "officials in Kyiv", "a spokesman for the Kremlin". */
const PEOPLE = new Set(
  (
    'officials official diplomats diplomat sources authorities leaders leader leadership negotiators negotiator government ministers ' +
    'minister policymakers spokesman spokeswoman spokesperson adviser advisor aide envoy ambassador representative head chief'
  ).split(' ')
)
/** Words that open a clause whose subject is not the sentence's speaker (conditions, questions, relatives). */
const SUBORDINATORS = new Set(['if', 'whether', 'unless', 'until', 'once', 'when', 'whenever', 'while', 'whereas', 'because', 'although', 'though', 'since', 'after', 'before', 'where', 'who', 'whom', 'whose', 'which'])
/** Words that may stand between a subject and its verb without being a subject themselves. */
const LIGHT = new Set(
  (
    'has have had is are was were will would could can may might should must shall do does did not also later then again now already ' +
    'repeatedly still previously earlier separately meanwhile however too only just reportedly publicly privately firmly flatly once ' +
    'twice yesterday today tonight on last this week weekend month year monday tuesday wednesday thursday friday saturday sunday ' +
    'morning evening afternoon night in a an the for its their his her part own turn both all each so far long ever never openly ' +
    'quickly briefly sharply strongly clearly further gone been being'
  ).split(' ')
)
/** Subject pronouns that point back to the last speaker ("he said"). */
const PRONOUNS = new Set(['he', 'she', 'they'])
/** Words opening a coordinated clause (", and he has said…"), which is no closing attribution. */
const COORDINATORS = new Set(['and', 'but', 'or', 'nor', 'yet', 'so', 'while', 'whereas'])
/** Bare roles that point back to the last speaker ("the president said"). */
const ROLE_ANAPHOR = /^the\s+(?:president|prime\s+minister|foreign\s+minister|minister|chancellor|spokes(?:man|woman|person)|official|leader|envoy|secretary)$/iu
/** Stance nouns after a possessive actor: "Moscow’s demand", "Kyiv’s position". */
const POSITION_NOUN =
  /^['’]s?\s+(?:[\p{L}-]+\s+)?(positions?|views?|stance|demands?|proposals?|plan|offer|insistence|refusal|calls?|conditions?|terms|red\s+lines?|objections?|opposition)(?![\p{L}\p{M}\p{N}])/iu
/** A live-blog time stamp or bullet before a headline: "09:24 ", "🔴 14:05 GMT ". */
const HEADLINE_LEAD = /^[^\p{L}\p{N}]*(?:\d{1,2}[:.]\d{2}\s*(?:[A-Z]{2,4}\s+)?)?[^\p{L}\p{N}]*/u
const WORDS = /[\p{L}\p{M}][\p{L}\p{M}'’.-]*/gu
const TERMINAL = /[.!?…]["'”’»)\]]*$/u

function words(span: string): string[] {
  return (span.match(WORDS) ?? []).map((w) => w.replace(/[.’']+$/u, '').toLowerCase())
}

function heavyWords(span: string): string[] {
  return words(span).filter((w) => !LIGHT.has(w))
}

/** Index just past the last clause boundary (; : — –, or a closing quote) in [from, before), or `from`. */
function clauseStart(masked: string, s: Sentence, before: number): number {
  const from = s.from
  let start = from
  for (let i = before - 1; i >= from; i--) {
    const char = masked[i]!
    if (char === ';' || char === '—' || char === '–' || (char === ':' && !(/\d/.test(masked[i - 1] ?? '') && /\d/.test(masked[i + 1] ?? '')))) {
      start = i + 1
      break
    }
  }
  for (const [, end] of s.quotes) if (end > start && end <= before) start = end
  return start
}

const LETTER = /[\p{L}\p{M}]/u

/**
 * The two words right before `at` (lower case, nearest first), skipping one "the"; a mark other than space
 * between them ends the run, since "Moscow, Kyiv" does not make "Moscow" a preposition's object.
 */
function wordsBefore(text: string, at: number, floor: number): string[] {
  const out: string[] = []
  let i = at
  while (out.length < 3) {
    let end = i
    while (end > floor && /\s/.test(text[end - 1]!)) end--
    if (end === i) break
    let start = end
    while (start > floor && LETTER.test(text[start - 1]!)) start--
    if (start === end) break
    out.push(text.slice(start, end).toLowerCase())
    i = start
  }
  if (out[0] === 'the') out.shift()
  return out.slice(0, 2)
}

class SentenceReader {
  constructor(private readonly masked: string) {}

  /** Whether an actor can be a speaker here: not quoted, not a place or object after a preposition, not inside a subordinate clause. */
  eligible(m: Mention, s: Sentence, afterPreposition = false): boolean {
    if (m.quoted) return false
    if (afterPreposition) return !this.subordinate(m.index, s)
    const [prev, owner] = wordsBefore(this.masked, m.index, s.from)
    if (prev && PREPOSITIONS.has(prev) && !(owner && PEOPLE.has(owner))) return false
    return !this.subordinate(m.index, s)
  }

  /** Whether a position sits after "if", "whether", "who"… within its comma-delimited stretch. */
  subordinate(at: number, s: Sentence): boolean {
    let from = clauseStart(this.masked, s, at)
    const comma = this.masked.lastIndexOf(',', at - 1)
    if (comma >= from) from = comma + 1
    return words(this.masked.slice(from, at)).some((w) => SUBORDINATORS.has(w))
  }

  /** The first eligible actor in [from, to) and any joined to it by "and" or a list comma. */
  actorsIn(s: Sentence, from: number, to: number, afterPreposition = false): Mention[] {
    const found: Mention[] = []
    for (const m of s.mentions) {
      if (m.index < from || m.end > to || !this.eligible(m, s, afterPreposition)) continue
      const last = found.at(-1)
      if (!last) {
        found.push(m)
        continue
      }
      const gap = this.masked.slice(last.end, m.index).replace(/^['’]s?/u, '')
      const joined = /^[\s,]*(?:(?:and|as\s+well\s+as|&)\s+)?(?:(?:the|many|several|other|some|most|its|their)\s+)?$/iu.test(gap)
      if (!joined || (m.possessive && !/\band\b/iu.test(gap))) break
      found.push(m)
    }
    return found
  }

  /** The subject of a cue: before it for verbs, after it for "according to" and "…,” said Peskov". */
  subject(cue: AttributionCue, s: Sentence, topic: Mention[] | null): Subject {
    if (cue.kind === 'according') return this.after(cue, s)
    const start = clauseStart(this.masked, s, cue.index)
    let from = start
    const comma = this.masked.lastIndexOf(',', cue.index - 1)
    // "…, officials said": a full noun phrase right before the verb is its subject; after an appositive
    // ("Andriy Yermak, Zelenskyy’s chief of staff, ruled out") the subject opens the clause.
    if (comma >= start && heavyWords(this.masked.slice(comma + 1, cue.index)).length > 0) from = comma + 1
    const span = this.masked.slice(from, cue.index)
    const actors = this.actorsIn(s, from, cue.index)
    if (actors.length > 0) return { kind: 'actors', actors, anaphor: false }
    const heavy = heavyWords(span)
    if (heavy.length === 0) return cue.kind === 'speech' ? this.after(cue, s) : { kind: 'none' }
    const anaphor = heavy.every((w) => PRONOUNS.has(w)) || ROLE_ANAPHOR.test(span.trim())
    if (!anaphor) return { kind: 'other' }
    // "Lavrov has been blunter: he told…" points back inside the sentence; otherwise to the last speaker.
    const inside = start > s.from ? this.actorsIn(s, s.from, start) : []
    const antecedent = inside.length > 0 ? inside : topic
    return antecedent && antecedent.length > 0 ? { kind: 'actors', actors: antecedent, anaphor: inside.length === 0 } : { kind: 'other' }
  }

  private after(cue: AttributionCue, s: Sentence): Subject {
    const rest = this.masked.slice(cue.end, s.to)
    const stop = /[,.;:!?()]|\s{2,}/u.exec(rest)
    let to = cue.end + (stop ? stop.index : rest.length)
    // "…,” said Heorhii Tykhyi, a spokesman for Ukraine’s foreign ministry": a name, then the role that places it.
    if (stop?.[0] === ',' && this.actorsIn(s, cue.end, to, cue.kind === 'according').length === 0) {
      const next = /[,.;:!?()]|\s{2,}/u.exec(rest.slice(stop.index + 1))
      to = cue.end + stop.index + 1 + (next ? next.index : rest.length - stop.index - 1)
    }
    // "according to the Kremlin" ends in a preposition, so the actor right after it is the source.
    const actors = this.actorsIn(s, cue.end, to, cue.kind === 'according').filter((m) => m.index - cue.end <= 80)
    if (actors.length > 0) return { kind: 'actors', actors, anaphor: false }
    return heavyWords(this.masked.slice(cue.end, to)).length > 0 && cue.kind !== 'according' ? { kind: 'other' } : { kind: 'none' }
  }

  /** Whether a speech cue is a closing attribution: ", Rubio said." after a clause, with little after it. */
  closesSentence(cue: AttributionCue, s: Sentence): boolean {
    const comma = this.masked.lastIndexOf(',', cue.index - 1)
    if (comma < clauseStart(this.masked, s, cue.index)) return false
    // ", and he has said…" goes on with the same subject; it is no attribution of what came before.
    const subject = heavyWords(this.masked.slice(comma + 1, cue.index))
    if (subject.length === 0 || COORDINATORS.has(subject[0]!)) return false
    const rest = this.masked.slice(cue.end, s.to)
    return !rest.includes(',') && words(rest).length <= 6
  }

  /** "Kremlin: summit is ‘theatre’" — a headline that opens with an actor and a colon. */
  headline(s: Sentence): Finding | null {
    const first = s.mentions[0]
    if (!first || first.quoted) return null
    const lead = HEADLINE_LEAD.exec(this.masked.slice(s.from, first.index))?.[0].length ?? 0
    if (first.index !== s.from + lead) return null
    const colon = /^(?:['’]s?)?\s*:/u.exec(this.masked.slice(first.end, s.to))
    return colon ? { speakers: [first], cue: ':', score: SCORE.headline } : null
  }

  /** "Moscow’s demand for a neutral Ukraine stands" when no verb gave a speaker: a possessive actor and a stance noun. */
  position(s: Sentence): Finding | null {
    for (const m of s.mentions) {
      if (!m.possessive || !this.eligible(m, s)) continue
      const noun = POSITION_NOUN.exec(this.masked.slice(m.end, s.to))
      if (noun) return { speakers: [m], cue: noun[1]!, score: SCORE.position }
    }
    return null
  }
}

/** What one sentence yields, and who the next sentence's "he" or "the president" would be. */
function readSentence(reader: SentenceReader, masked: string, s: Sentence, topic: Mention[] | null): { finding: Finding | null; topic: Mention[] | null } {
  if (s.question || s.allQuote) return { finding: null, topic }
  // Without an actor in the sentence or a speaker to point back to, nothing here can name a speaker.
  if (s.mentions.length === 0 && !topic) return { finding: null, topic: null }
  const headline = reader.headline(s)
  if (headline) return { finding: headline, topic: s.heading ? null : headline.speakers }
  const cues = findAttributionCues(masked, s.from, s.to).filter((cue) => !reader.subordinate(cue.index, s))
  // "Russia will not accept it, Rubio said.": an attribution closing the sentence names the speaker of all of it.
  const closing = cues.findLast((cue) => cue.kind === 'speech')
  const ordered = closing && reader.closesSentence(closing, s) ? [closing] : cues
  for (const cue of ordered) {
    const subject = reader.subject(cue, s, topic)
    if (subject.kind === 'actors') {
      if (cue.kind === 'neutral') return { finding: null, topic: subject.actors }
      const base = subject.anaphor ? SCORE.anaphor : SCORE[cue.kind]
      const score = Math.min(1, base + (s.hasQuote && cue.kind === 'speech' ? SCORE.quoteBonus : 0))
      return { finding: { speakers: subject.actors, cue: cue.text, score }, topic: subject.actors }
    }
    // Someone who is no actor of ours speaks ("NATO's chief said…"); what follows is their report.
    if (subject.kind === 'other' && (cue.kind === 'speech' || cue.kind === 'neutral')) return { finding: null, topic: null }
  }
  const position = reader.position(s)
  if (position) return { finding: position, topic: position.speakers }
  const opener = s.mentions.find((m) => reader.eligible(m, s) && /^\s*(?:the\s+)?$/iu.test(masked.slice(s.from, m.index)))
  return { finding: null, topic: opener && !s.heading ? [opener] : null }
}

function inherit(from: Finding): Finding {
  return { speakers: from.speakers, cue: 'quotation', score: SCORE.quotation }
}

/** Reads sentences, their actor and issue mentions, and quote layout. */
function prepare(text: string, dictionaries: readonly CodeDictionary[], masked: string, quotes: readonly [number, number][]): Sentence[] {
  const index = new CodePointIndex(text)
  const matches = new TermMatcher(dictionaries.map((d) => d.terms)).findAll(text)
  const sentences: Sentence[] = []
  let m = 0
  let q = 0
  for (const span of splitSentences(text)) {
    const from = index.toUtf16(span.start)
    const to = index.toUtf16(span.end)
    const mentions: Mention[] = []
    const issues = new Set<number>()
    while (m < matches.length && matches[m]!.index < from) m++
    for (let k = m; k < matches.length && matches[k]!.index < to; k++) {
      const match = matches[k]!
      if (match.end > to) continue
      const codes = match.owners.filter((o) => dictionaries[o]!.kind === 'stance')
      for (const o of match.owners) if (dictionaries[o]!.kind === 'issue') issues.add(o)
      if (codes.length > 0) {
        const quoted = masked[match.index] === ' ' && text[match.index] !== ' '
        mentions.push({ index: match.index, end: match.end, text: match.text, codes, possessive: match.possessive, quoted })
      }
    }
    while (q < quotes.length && quotes[q]![1] <= from) q++
    const inSentence: [number, number][] = []
    for (let k = q; k < quotes.length && quotes[k]![0] < to; k++) inSentence.push(quotes[k]!)
    const own = masked.slice(from, to)
    const lineStart = from === 0 || text[from - 1] === '\n'
    const lineEnd = to === text.length || text[to] === '\n'
    sentences.push({
      ...span,
      from,
      to,
      mentions,
      issues,
      quotes: inSentence,
      heading: lineStart && lineEnd && !TERMINAL.test(span.text),
      question: /\?["'”’»)\]]*$/u.test(own.trimEnd()),
      hasQuote: inSentence.length > 0,
      allQuote: inSentence.length > 0 && !/[\p{L}\p{N}]/u.test(own),
      quoteContinues: inSentence.some(([, b]) => b > to)
    })
  }
  return sentences
}

/** The longest sentence (in code points) the engine reads; longer ones are never proposed. */
export const MAX_SENTENCE = 2_000

/**
 * Proposes stance codes for the sentences of an article's canonical text. A sentence gets a stance when
 * one of that stance's actors is its speaker (bound to an attribution cue: "said", "told", "according to",
 * a headline "Kremlin: …") or the subject of a stance verb ("Moscow insisted", "Kyiv refuses"); actors that
 * are only mentioned — as places, objects, background or inside a condition — do not count. "He said" and
 * "the president said" take the previous sentence's speaker, and a sentence that is all quotation takes the
 * speaker of the quote it continues. Issue dictionaries never suggest on their own; every issue a suggested
 * sentence mentions is listed with it. Offsets are code points; the output is sorted by start, then code id.
 */
export function suggestCodes(text: string, dictionaries: readonly CodeDictionary[]): CodeSuggestionDraft[] {
  if (!dictionaries.some((d) => d.kind === 'stance' && d.terms.length > 0)) return []
  const { masked, spans: quotes } = maskQuotes(text)
  const sentences = prepare(text, dictionaries, masked, quotes)
  const reader = new SentenceReader(masked)
  const findings: (Finding | null)[] = []
  let topic: Mention[] | null = null
  for (const s of sentences) {
    // A "sentence" this long is a table, a list run together or hostile text, not a statement to attribute;
    // reading one costs time that grows with the square of its length.
    if (s.end - s.start > MAX_SENTENCE) {
      findings.push(null)
      topic = null
      continue
    }
    const read = readSentence(reader, masked, s, s.heading ? null : topic)
    findings.push(read.finding)
    topic = s.heading ? null : read.topic
  }
  // Quotes that run over several sentences: a bare quoted sentence belongs to the attribution that closes its
  // quote ("“We will go. We will listen,” he said.")…
  for (let i = sentences.length - 2; i >= 0; i--) {
    const next = findings[i + 1]
    if (!findings[i] && sentences[i]!.allQuote && sentences[i]!.quoteContinues && next && sentences[i + 1]!.hasQuote) findings[i] = inherit(next)
  }
  // …or else continues the quote of the sentence before ("“We are ready,” Peskov said. “But not at any price.”").
  for (let i = 1; i < sentences.length; i++) {
    const prev = findings[i - 1]
    if (!findings[i] && sentences[i]!.allQuote && prev && sentences[i - 1]!.hasQuote && !sentences[i - 1]!.heading) findings[i] = inherit(prev)
  }
  const out: CodeSuggestionDraft[] = []
  sentences.forEach((s, i) => {
    const finding = findings[i]
    if (!finding) return
    const issueCodeIds = dictionaries.flatMap((d, k) => (s.issues.has(k) ? [d.codeId] : []))
    const seen = new Set<string>()
    for (const speaker of finding.speakers) {
      for (const code of speaker.codes) {
        const codeId = dictionaries[code]!.codeId
        if (seen.has(codeId)) continue
        seen.add(codeId)
        out.push({ start: s.start, end: s.end, exact: s.text, codeId, issueCodeIds: [...new Set(issueCodeIds)], actor: speaker.text, cue: finding.cue, score: finding.score })
      }
    }
  })
  return out.sort((a, b) => a.start - b.start || (a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : 0))
}
