import { AppError } from '../result'

/**
 * How many characters of terms one scan compiles, over every dictionary: ten times the default codebook's,
 * and far below what makes a regex too large for the engine (a few hundred thousand characters did).
 */
export const TERM_BUDGET = 30_000

/** One dictionary term found in a text, by UTF-16 index. */
export interface TermMatch {
  /** UTF-16 index of the first character. */
  index: number
  /** UTF-16 index just past the match (a possessive "’s" is not included). */
  end: number
  /** The match as written in the text. */
  text: string
  /** Indices of the dictionaries (as passed in) that hold this term. */
  owners: readonly number[]
  /** Whether the match is followed by a possessive ending ("Russia’s", "Europeans’"). */
  possessive: boolean
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u
const BEFORE_WORD = '(?<![\\p{L}\\p{M}\\p{N}_])'
const AFTER_WORD = '(?![\\p{L}\\p{M}\\p{N}])'
const WORD_ENDING = '[\\p{L}\\p{M}]*'
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g
/** An acronym term: "US", "EU", "NATO", or its dotted spelling "U.S.", "E.U.". */
const ACRONYM = /^(?:\p{Lu}{2,5}|(?:\p{Lu}\.){2,5})$/u
const POSSESSIVE = /^['’](?:s(?![\p{L}\p{M}\p{N}]))?/u

/** Lower case without changing any UTF-16 index (a letter whose lower case is longer, like "İ", stays as it is). */
function lowerInPlace(text: string): string {
  const lower = text.toLowerCase()
  if (lower.length === text.length) return lower
  let out = ''
  for (const char of text) {
    const l = char.toLowerCase()
    out += l.length === char.length ? l : char
  }
  return out
}

function escapeChar(char: string): string {
  if (char === "'" || char === '’') return "['’]"
  return char.replace(REGEX_SPECIAL, '\\$&')
}

/** A letter of either case, for the few case-sensitive terms (those with an acronym in them). */
function eitherCase(char: string): string {
  const lower = char.toLowerCase()
  const upper = char.toUpperCase()
  if (lower === upper || lower.length !== char.length || upper.length !== char.length) return escapeChar(char)
  return `[${lower}${upper}]`
}

/**
 * Acronyms match only in capitals, dotted or not: "US" and "U.S." both find "U.S." and "US" but never "us".
 * From four letters on, the house style that capitalizes only the first ("Nato") matches too.
 */
function acronymPattern(word: string): string {
  const letters = [...word.replace(/\./g, '')]
  const forms = [letters.map((l) => `${l}\\.`).join(''), letters.join('') + AFTER_WORD]
  if (letters.length >= 4) forms.push(letters[0] + letters.slice(1).join('').toLowerCase() + AFTER_WORD)
  return `(?:${forms.join('|')})`
}

/** A term cleaned up, its regex source (and, case-insensitive, the same as units), and whether it must run case-sensitively (it holds an acronym); null for no word. */
function termPattern(raw: string): { term: string; star: boolean; source: string; units: string[]; caseSensitive: boolean } | null {
  let term = raw.trim().replace(/\s+/g, ' ')
  const star = term.endsWith('*')
  term = term.replace(/\*/g, '').trim()
  if (!WORD_CHAR.test(term)) return null
  const words = term.split(' ')
  const caseSensitive = words.some((w) => ACRONYM.test(w))
  const body = words
    .map((w) => (caseSensitive ? (ACRONYM.test(w) ? acronymPattern(w) : [...w].map(eitherCase).join('')) : [...lowerInPlace(w)].map(escapeChar).join('')))
    .join('\\s+')
  const units = caseSensitive ? [] : words.flatMap((w, i) => [...(i > 0 ? ['\\s+'] : []), ...[...lowerInPlace(w)].map(escapeChar)])
  if (star && !caseSensitive) units.push(WORD_ENDING)
  return { term, star, source: star ? body + WORD_ENDING : body, units, caseSensitive }
}

/** A node of the prefix tree the case-insensitive terms are compiled from. */
interface TrieNode {
  children: Map<string, TrieNode>
  /** A term ends here. */
  end: boolean
}

/**
 * One regex for many terms, shaped as their prefix tree: terms that share a beginning share its pattern, so
 * at each place in the text the engine follows one branch instead of trying every term in turn (hundreds of
 * terms with a long common start made a flat alternation take seconds per article). A term that ends where
 * a longer one continues makes the rest optional and greedy, so the longer still wins, as before.
 */
function trieSource(termUnits: readonly (readonly string[])[]): string {
  const root: TrieNode = { children: new Map(), end: false }
  for (const units of termUnits) {
    let node = root
    for (const unit of units) {
      let next = node.children.get(unit)
      if (!next) node.children.set(unit, (next = { children: new Map(), end: false }))
      node = next
    }
    node.end = true
  }
  // Iterative, so a long term cannot exhaust the stack: each frame renders one node once its children are done.
  const rendered = new Map<TrieNode, string>()
  const stack: { node: TrieNode; expanded: boolean }[] = [{ node: root, expanded: false }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    if (!frame.expanded) {
      frame.expanded = true
      for (const child of frame.node.children.values()) stack.push({ node: child, expanded: false })
      continue
    }
    stack.pop()
    // Literal continuations first, the open word ending last, so "sanctions regime" is tried before "sanction*".
    const branches = [...frame.node.children].sort(([a], [b]) => (a === WORD_ENDING ? 1 : 0) - (b === WORD_ENDING ? 1 : 0)).map(([unit, child]) => unit + rendered.get(child)!)
    let source = ''
    if (branches.length === 1 && !frame.node.end) source = branches[0]!
    else if (branches.length > 0) source = `(?:${branches.join('|')})${frame.node.end ? '?' : ''}`
    rendered.set(frame.node, source)
  }
  return rendered.get(root)!
}

/** A compiled family of terms: one regex of alternatives and a way to tell which dictionaries a match belongs to. */
interface Family {
  regex: RegExp
  /** Runs over the lower-cased text. */
  lowered: boolean
  owners(match: RegExpExecArray): readonly number[]
}

/** Longest first, so "White House" wins over a shorter term starting at the same place. */
function alternation(sources: readonly string[], capture: boolean): RegExp {
  const sorted = [...sources].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
  // One boundary check around the whole alternation: a check inside each alternative makes the regex slow to compile.
  return new RegExp(`${BEFORE_WORD}(?:${sorted.map((p) => (capture ? `(${p})` : p)).join('|')})${AFTER_WORD}`, 'gu')
}

function lookupKey(lowered: string): string {
  return lowered.replace(/\s+/g, ' ').replace(/'/g, '’')
}

/** The case-sensitive family (terms with an acronym): few terms, so one capture group each says which matched. */
function casedFamily(patterns: Map<string, number[]>): Family {
  const sources = [...patterns.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
  const owners = sources.map((p) => patterns.get(p) ?? [])
  return {
    regex: alternation(sources, true),
    lowered: false,
    owners: (match) => owners[match.findIndex((g, i) => i > 0 && g !== undefined) - 1] ?? []
  }
}

/**
 * The case-insensitive family, run over a lower-cased copy (far cheaper to compile than the "i" flag with
 * Unicode classes). Captures for hundreds of terms would cost an array slot each per match, so a match is
 * looked up instead: every term it spells out, or whose stem it extends, owns it.
 */
function loweredFamily(terms: readonly { term: string; star: boolean; units: readonly string[]; owner: number }[]): Family {
  const exact = new Map<string, number[]>()
  const stems: { stem: string; owners: number[] }[] = []
  const seen = new Map<string, number[]>()
  for (const { term, star, owner } of terms) {
    const key = lookupKey(term)
    if (star) {
      const entry = stems.find((s) => s.stem === key)
      if (entry) entry.owners.push(owner)
      else stems.push({ stem: key, owners: [owner] })
    } else {
      exact.set(key, [...(exact.get(key) ?? []), owner])
    }
  }
  return {
    regex: new RegExp(`${BEFORE_WORD}(?:${trieSource(terms.map((t) => t.units))})${AFTER_WORD}`, 'gu'),
    lowered: true,
    owners: (match) => {
      // The same few names recur all through an article, so each spelling is looked up once.
      const cached = seen.get(match[0])
      if (cached) return cached
      const key = lookupKey(match[0])
      const found = new Set(exact.get(key))
      for (const { stem, owners } of stems) if (key.startsWith(stem) && !/[^\p{L}\p{M}]/u.test(key.slice(stem.length))) for (const o of owners) found.add(o)
      const result = [...found].sort((x, y) => x - y)
      seen.set(match[0], result)
      return result
    }
  }
}

/**
 * Finds the terms of many dictionaries in one pass: every term is compiled once into a regex of
 * alternatives (longest first, so "White House" wins over a shorter term at the same place). Matching is
 * case-insensitive on whole words, except that acronyms match only in capitals; "*" at the end of a term
 * matches any word ending, and a possessive ending is allowed after any term.
 */
export class TermMatcher {
  private readonly families: Family[] = []

  constructor(dictionaries: readonly (readonly string[])[]) {
    const total = dictionaries.reduce((sum, terms) => sum + terms.reduce((n, term) => n + term.length, 0), 0)
    if (total > TERM_BUDGET) {
      throw new AppError(
        'invalid-input',
        `The dictionaries are too large to scan with: ${total.toLocaleString('en')} characters of terms, at most ${TERM_BUDGET.toLocaleString('en')}. Shorten them in the codebook.`
      )
    }
    const plain: { term: string; star: boolean; units: readonly string[]; owner: number }[] = []
    const cased = new Map<string, number[]>()
    dictionaries.forEach((terms, owner) => {
      for (const term of terms) {
        const pattern = termPattern(term)
        if (pattern === null) continue
        if (!pattern.caseSensitive) {
          plain.push({ term: lowerInPlace(pattern.term), star: pattern.star, units: pattern.units, owner })
          continue
        }
        const list = cased.get(pattern.source) ?? []
        if (!list.includes(owner)) list.push(owner)
        cased.set(pattern.source, list)
      }
    })
    if (plain.length > 0) this.families.push(loweredFamily(plain))
    if (cased.size > 0) this.families.push(casedFamily(cased))
  }

  /** Every match in `text`, left to right; where two overlap, the one starting first (or the longer) wins. */
  findAll(text: string): TermMatch[] {
    const found: TermMatch[] = []
    let lower: string | null = null
    for (const family of this.families) {
      const subject = family.lowered ? (lower ??= lowerInPlace(text)) : text
      const regex = family.regex
      regex.lastIndex = 0
      for (let match = regex.exec(subject); match; match = regex.exec(subject)) {
        if (match[0].length === 0) {
          regex.lastIndex++
          continue
        }
        const end = match.index + match[0].length
        found.push({
          index: match.index,
          end,
          text: text.slice(match.index, end),
          owners: family.owners(match),
          possessive: POSSESSIVE.test(text.slice(end, end + 3))
        })
      }
    }
    if (this.families.length < 2) return found
    found.sort((a, b) => a.index - b.index || b.end - a.end)
    const out: TermMatch[] = []
    for (const match of found) if (out.length === 0 || match.index >= out[out.length - 1]!.end) out.push(match)
    return out
  }
}
