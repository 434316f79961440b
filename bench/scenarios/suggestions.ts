import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootstrap } from '../../src/main/bootstrap'
import { openDatabase } from '../../src/main/db/connection'
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations'
import { createRepositories } from '../../src/main/db/repositories/repositories'
import { dispatch } from '../../src/main/ipc/dispatch'
import { defaultCodeDictionaries } from '../../src/shared/autocode/default-code-dictionaries'
import { DEFAULT_DICTIONARIES } from '../../src/shared/autocode/default-dictionaries'
import { suggestCodes } from '../../src/shared/autocode/suggest-codes'
import type { Suggestion } from '../../src/shared/domain/analysis'
import type { ArticleDoc } from '../../src/shared/domain/article-doc'
import { canonicalText } from '../../src/shared/domain/canonical-text'
import { measure } from '../lib/measure'
import { Random } from '../lib/random'
import { report, type Scenario } from '../lib/scenario'

const ORIGIN = 'app://stance'
const SENDER = { url: `${ORIGIN}/index.html`, isTopFrame: true }
const SEED = 0x53_3130 // "S10"

const STANCE_NAMES = ['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance']
const ISSUE_NAMES = Object.keys(DEFAULT_DICTIONARIES).filter((name) => !STANCE_NAMES.includes(name))
/** How a wildcard term is written out in running text ("sanction*" → "sanctions"). */
const ENDINGS: Record<string, string> = { territor: 'territory', annex: 'annexation', withdraw: 'withdrawal', neutral: 'neutrality', peacekeep: 'peacekeepers', deterren: 'deterrence', participat: 'participation' }
const written = (term: string): string => {
  if (!term.endsWith('*')) return term
  const stem = term.slice(0, -1)
  return ENDINGS[stem] ?? (stem.endsWith('s') ? stem : `${stem}s`)
}
/** The actors, as the dictionaries name them (wildcards written out: "US officials"). */
const ACTORS = STANCE_NAMES.flatMap((name) => DEFAULT_DICTIONARIES[name]!.map(written))
const ISSUES = ISSUE_NAMES.flatMap((name) => DEFAULT_DICTIONARIES[name]!.map(written))

const SPEECH = ['said', 'told reporters', 'insisted', 'warned', 'stressed', 'argued', 'added', 'said in a statement', 'repeated']
const STANCE_VERBS = ['rejects', 'wants', 'opposes', 'ruled out', 'supports', 'is ready to discuss', 'will not accept', 'welcomed', 'pushed for']
const FILLER = (
  'the talks next round of negotiations would depend on progress this week a draft text was still being discussed by officials ' +
  'at the meeting on Tuesday after hours of discussion with no firm timetable for any agreement in the coming months'
).split(' ')
const PLAIN = (
  'the weather in the region turned cold overnight and markets opened lower as traders waited for new figures on inflation ' +
  'while schools reopened and trains ran late because of repairs on the main line near the border crossing'
).split(' ')

function run(random: Random, words: readonly string[], min: number, max: number): string {
  const out: string[] = []
  for (let i = random.int(min, max); i > 0; i--) out.push(random.pick(words))
  return out.join(' ')
}

/** A clause in the words of a report, most often about an issue. */
const clause = (random: Random): string => `${run(random, FILLER, 2, 5)} ${random.chance(0.7) ? random.pick(ISSUES) : 'the plan'} ${run(random, FILLER, 3, 7)}`
const capital = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`

/** One sentence: attributed to an actor (several ways), an actor only mentioned, or plain text with no actor. */
function sentence(random: Random): string {
  const actor = random.pick(ACTORS)
  const roll = random.next()
  if (roll < 0.14) return `${capital(actor)} ${random.pick(SPEECH)} that ${clause(random)}.`
  if (roll < 0.22) return `According to ${actor}, ${clause(random)}.`
  if (roll < 0.3) return `“${capital(clause(random))},” ${actor} said.`
  if (roll < 0.42) return `${capital(actor)} ${random.pick(STANCE_VERBS)} ${random.pick(ISSUES)} ${run(random, FILLER, 2, 6)}.`
  if (roll < 0.46) return `He said ${clause(random)}.`
  if (roll < 0.6) return `${capital(run(random, FILLER, 3, 6))} in ${actor} ${run(random, FILLER, 3, 8)}.`
  if (roll < 0.7) return `${capital(clause(random))}.`
  return `${capital(run(random, PLAIN, 8, 18))}.`
}

/** A deterministic report of about `words` words in paragraphs of three to six sentences. */
export function generateAttributedArticle(seed: number, words: number): ArticleDoc {
  const random = new Random(seed)
  const content: ArticleDoc['content'] = []
  let count = 0
  while (count < words) {
    const sentences: string[] = []
    for (let i = random.int(3, 6); i > 0; i--) sentences.push(sentence(random))
    const text = sentences.join(' ')
    count += text.split(/\s+/).length
    content.push({ type: 'paragraph', content: [{ type: 'text', text }] })
  }
  return { type: 'doc', content }
}

/**
 * The keyword autocoding of QualCoder-like tools: one case-insensitive regular expression of every dictionary
 * term, run over the text, collecting the sentence (split at /[.!?]\s/) around each match.
 */
export function keywordAutocoder(): (text: string) => Map<number, Set<string>> {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const terms = Object.values(DEFAULT_DICTIONARIES)
    .flat()
    .sort((a, b) => b.length - a.length)
    .map((term) => escape(term.replace(/\*$/, '')).replace(/ /g, '\\s+') + (term.endsWith('*') ? '[\\p{L}\\p{M}]*' : ''))
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
  return (text) => {
    const ends: number[] = []
    for (const match of text.matchAll(/[.!?]\s/g)) ends.push(match.index + 1)
    ends.push(text.length)
    const found = new Map<number, Set<string>>()
    let s = 0
    for (const match of text.matchAll(pattern)) {
      while (ends[s]! <= match.index) s++
      const start = s === 0 ? 0 : ends[s - 1]!
      const terms = found.get(start) ?? new Set<string>()
      found.set(start, terms)
      terms.add(match[0].toLowerCase())
    }
    return found
  }
}

/**
 * S10: the autocoding suggestions for a long article through the handler — `suggestions:list` through dispatch
 * (sender check, zod, the article and codebook read, sentence splitting, quotes, cue and subject analysis,
 * filtering what is coded or rejected) — against a naive keyword autocoder over the same canonical text.
 */
export const suggestions: Scenario = {
  id: 'S10',
  title: 'suggestions:list on a 10,000-word article vs a naive keyword regex autocoder',
  async run({ quick }) {
    const words = quick ? 2000 : 10_000
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-suggestions-'))
    const stance = bootstrap({ dataDir: dir, resourcesDir: join(import.meta.dirname, '../../resources') })
    const writer = openDatabase(stance.databasePath, { latestVersion: LATEST_SCHEMA_VERSION })
    try {
      const doc = generateAttributedArticle(SEED, words)
      const text = canonicalText(doc)
      const article = createRepositories(writer).articles.insert({ title: 'S10', outlet: 'Wire', author: null, publishedAt: '2025-02-18', sourceUrl: null }, doc)
      writer.close()

      const list = async (): Promise<Suggestion[]> => {
        const result = await dispatch(stance.handlers, 'suggestions:list', { articleId: article.id }, SENDER, { appOrigin: ORIGIN })
        if (!result.ok) throw new Error(`suggestions:list failed: ${result.error.message}`)
        return result.value as Suggestion[]
      }
      const autocode = keywordAutocoder()
      const found = await list()
      if (found.length === 0) throw new Error('suggestions:list found nothing in the generated article')
      const naive = autocode(text)
      const matches = [...naive.values()].reduce((n, terms) => n + terms.size, 0)

      const options = quick ? { warmup: 2, reps: 10 } : { warmup: 5, reps: 50 }
      const baseline = await measure(() => autocode(text), options)
      const feature = await measure(list, options)
      const dictionaries = defaultCodeDictionaries()
      const engine = await measure(() => suggestCodes(text, dictionaries), options)
      const sentences = new Set(found.map((s) => s.start)).size
      const allSentences = [...text.matchAll(/[.!?]\s/g)].length + 1
      const cued = found.filter((s) => s.cue).length
      return report(this, {
        feature,
        baseline,
        goal: '≤ 20×',
        met: (ratio) => ratio <= 20,
        notes:
          `${article.wordCount} words, ${text.length} characters, about ${allSentences} sentences; ${found.length} suggestions on ${sentences} sentences (${cued} with an attribution cue, ` +
          `${found.filter((s) => s.issueCodeIds.length > 0).length} with issues); the keyword regex flags ${naive.size} sentences with ${matches} distinct terms. ` +
          `suggestCodes alone (no IPC, no database) median ${engine.median.toFixed(2)} ms. ${options.reps} runs each after ${options.warmup} warm-up.`
      })
    } finally {
      if (writer.open) writer.close()
      stance.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
