import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { bootstrap } from '../../src/main/bootstrap'
import { openDatabase } from '../../src/main/db/connection'
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations'
import { createRepositories, type Repositories } from '../../src/main/db/repositories/repositories'
import { dispatch } from '../../src/main/ipc/dispatch'
import { SearchService, toFtsQuery } from '../../src/main/services/search-service'
import type { ArticleDoc } from '../../src/shared/domain/article-doc'
import type { SearchResult } from '../../src/shared/domain/search'
import { measure } from '../lib/measure'
import { Random } from '../lib/random'
import { report, type Scenario } from '../lib/scenario'

const ORIGIN = 'app://stance'
const SENDER = { url: `${ORIGIN}/index.html`, isTopFrame: true }
const SEED = 0x53_36 // "S6"

/** Function words: about 40% of running text. */
const COMMON = 'the of and to in a said that for on with as was by not is from at it be has will'.split(' ')

/**
 * Topical vocabulary, most frequent first, drawn with a skew: the words the searches look for, each in a few
 * to a few dozen percent of the articles, as in a corpus about one conflict.
 */
const TOPICAL = (
  'talks minister ceasefire government officials president security war peace Ukraine Russia Europe Washington ' +
  'Kyiv Moscow Brussels sanctions territory delegation agreement negotiations summit proposal statement reporters ' +
  'according guarantees alliance frontline partners spokesman Kremlin envoy reconstruction minerals membership ' +
  'accession troops border energy gas grain exports ports drones missiles air defence aid package parliament vote ' +
  'opposition elections coalition budget inflation markets economy investors companies banks currency diplomats ' +
  'embassy foreign affairs NATO Union commission council treaty referendum occupation refugees humanitarian ' +
  'corridor prisoners exchange monitors observers mission mandate resolution veto ' +
  'Переговоры Москва Киев заявил министр санкции перемирие café naïve Zelenskyy Лавров Brüssel Größe'
).split(' ')

const SYLLABLES = ['ka', 'to', 're', 'mi', 'sa', 'lo', 'ne', 'vi', 'po', 'da', 'ru', 'fe', 'gi', 'ba', 'tu', 'la', 'mo', 'si', 'te', 'na', 'ri', 'co', 'de', 'pa', 'st', 'an', 'or', 'el', 'in', 'ter', 'con', 'pro', 'ment', 'ing', 'tion']

/** The long tail of a real vocabulary: 5,000 made-up words that no search looks for. */
function tail(random: Random): string[] {
  const words = new Set<string>()
  while (words.size < 5000) {
    let word = ''
    for (let i = random.int(2, 4); i > 0; i--) word += random.pick(SYLLABLES)
    if (!TOPICAL.includes(word)) words.add(word)
  }
  return [...words]
}

/** Twenty searches of every shape the box accepts: common and rare words, phrases, prefixes, operators, other scripts. */
export const SEARCHES = [
  'ceasefire',
  'sanctions',
  'Kremlin',
  'brussels',
  '"security guarantees"',
  'negotiat*',
  'minist*',
  'Переговоры',
  'cafe',
  'territory AND sanctions',
  'kyiv OR moscow',
  'reconstruction',
  '"peace talks"',
  'summit',
  'frontline',
  'accession NOT membership',
  'refugees',
  'deleg*',
  'spokesman',
  'humanitarian corridor'
]

interface Vocabulary {
  random: Random
  tail: string[]
}

function word({ random, tail }: Vocabulary): string {
  const roll = random.next()
  if (roll < 0.4) return random.pick(COMMON)
  // Squaring a uniform number favours the front of the list, roughly like word frequencies in text.
  if (roll < 0.55) return TOPICAL[Math.floor(random.next() ** 2 * TOPICAL.length)]!
  return tail[Math.floor(random.next() ** 2 * tail.length)]!
}

function paragraph(vocabulary: Vocabulary, words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(word(vocabulary))
  const text = out.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

const docOf = (paragraphs: string[]): ArticleDoc => ({ type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) })

/** Fills a library with `articles` generated articles (~100 words each), three highlights each, notes and memos. */
export function seedSearchLibrary(repos: Repositories, articles: number): { words: number; highlights: number; notes: number } {
  const codes = repos.codes.list().filter((c) => !c.groupKind)
  const random = new Random(SEED)
  const vocabulary: Vocabulary = { random, tail: tail(random) }
  let highlights = 0
  let notes = 0
  let words = 0
  const note = (plain: string) => ({ doc: docOf([plain]), html: `<p>${plain}</p>`, plain })
  for (let i = 0; i < articles; i++) {
    const paragraphs = [paragraph(vocabulary, random.int(30, 50)), paragraph(vocabulary, random.int(30, 50)), paragraph(vocabulary, random.int(10, 20))]
    const meta = { title: paragraph(vocabulary, random.int(4, 9)).slice(0, -1), outlet: 'Wire', author: null, publishedAt: '2025-02-17', sourceUrl: null }
    const article = repos.articles.insert(meta, docOf(paragraphs))
    words += article.wordCount
    // Three highlights per article, a note on the first, and a memo on every tenth article.
    for (let h = 0; h < 3; h++) {
      const start = h * 60
      const highlight = repos.highlights.insert({ articleId: article.id, start, end: start + random.int(15, 45), codeIds: [random.pick(codes).id] })
      highlights++
      if (h === 0) {
        repos.notes.save({ highlightId: highlight.id }, note(paragraph(vocabulary, random.int(8, 25))), undefined)
        notes++
      }
    }
    if (i % 10 === 0) {
      repos.notes.save({ articleId: article.id }, note(paragraph(vocabulary, random.int(20, 40))), undefined)
      notes++
    }
  }
  return { words, highlights, notes }
}

/** Search through the whole IPC wrapper, with ranking, grouping and snippets over four indexes, vs the same ranked, snippeted MATCHes run raw. */
export const search: Scenario = {
  id: 'S6',
  title: 'search:query with snippets vs raw ranked FTS5 MATCH with snippet()',
  async run({ quick }) {
    const articles = quick ? 100 : 1000
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-search-'))
    const stance = bootstrap({ dataDir: dir, resourcesDir: join(import.meta.dirname, '../../resources') })
    const writer = openDatabase(stance.databasePath, { latestVersion: LATEST_SCHEMA_VERSION })
    let raw: Database.Database | undefined
    try {
      const { words, highlights, notes } = writer.transaction(() => seedSearchLibrary(createRepositories(writer), articles))()
      writer.close()

      raw = new Database(stance.databasePath, { readonly: true })
      const bare = raw.prepare<[string], { rowid: number }>('SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?')
      // The same question asked of SQLite directly: each of the four indexes ranked by bm25 with a snippet of
      // every returned row, 50 rows at most — the raw FTS5 MATCH the service is built on, without the service.
      const rankedRaw = [
        ['articles_fts', 1],
        ['highlights_fts', 0],
        ['notes_fts', 0],
        ['codes_fts', 0]
      ].map(([table, column]) =>
        raw!.prepare<[string]>(`SELECT rowid, snippet(${table}, ${column}, char(2), char(3), '…', 12) AS s FROM ${table} WHERE ${table} MATCH ? ORDER BY rank LIMIT 50`)
      )
      const queries = SEARCHES.map((q) => ({ q, fts: toFtsQuery(q) }))
      // Every search must work, and find something, before it is timed.
      let totalHits = 0
      for (const { q } of queries) {
        const result = await dispatch(stance.handlers, 'search:query', { q }, SENDER, { appOrigin: ORIGIN })
        if (!result.ok) throw new Error(`search "${q}" failed: ${result.error.message}`)
        totalHits += (result.value as SearchResult).total
      }
      const plan = new SearchService(raw).explain()
      const onIndex = ['articles_fts', 'highlights_fts', 'notes_fts', 'codes_fts'].every((table) => plan.some((line) => line.includes(`SCAN ${table} VIRTUAL TABLE INDEX`)))
      const tableScans = plan.filter((line) => /^SCAN (articles|highlights|notes|codes)\b/.test(line))

      const options = quick ? { warmup: 20, reps: 100 } : { warmup: 200, reps: 2000 }
      let n = 0
      const baseline = await measure(() => {
        const fts = queries[n++ % queries.length]!.fts
        for (const statement of rankedRaw) statement.all(fts)
      }, options)
      n = 0
      const rowidsOnly = await measure(() => bare.all(queries[n++ % queries.length]!.fts), options)
      n = 0
      const feature = await measure(() => dispatch(stance.handlers, 'search:query', { q: queries[n++ % queries.length]!.q }, SENDER, { appOrigin: ORIGIN }), options)
      // Two reference points for the notes: the service without IPC, and bare MATCHes on all four indexes.
      const service = new SearchService(raw)
      n = 0
      const direct = await measure(() => service.search(queries[n++ % queries.length]!.q), options)
      const bareAll = ['articles_fts', 'highlights_fts', 'notes_fts', 'codes_fts'].map((table) => raw!.prepare<[string]>(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`))
      n = 0
      const fourBare = await measure(() => {
        const fts = queries[n++ % queries.length]!.fts
        for (const statement of bareAll) statement.all(fts)
      }, options)
      return report(this, {
        feature,
        baseline,
        goal: '≤ 3×, p95 ≤ 50 ms',
        met: (ratio) => ratio <= 3 && feature.p95 <= 50,
        notes:
          `${articles} articles (${words} words), ${highlights} highlights, ${notes} notes and memos; ${SEARCHES.length} searches, ` +
          `${(totalHits / SEARCHES.length).toFixed(1)} hits each on average (limit 50). ` +
          `EXPLAIN QUERY PLAN: ${onIndex ? 'all four searches use their FTS5 index (VIRTUAL TABLE INDEX)' : 'NOT all searches use their FTS5 index'}` +
          `${tableScans.length ? `; full scans: ${tableScans.join(', ')}` : ', no full table scan'}. ` +
          `Baseline: raw bm25-ranked MATCH with snippet() on each of the four indexes (LIMIT 50). Other medians: SearchService.search without IPC ${direct.median.toFixed(3)} ms; ` +
          `bare MATCH listing rowids of all four indexes ${fourBare.median.toFixed(3)} ms, of the article index alone ${rowidsOnly.median.toFixed(3)} ms (the feature is ${(feature.median / rowidsOnly.median).toFixed(0)}× that).`
      })
    } finally {
      raw?.close()
      if (writer.open) writer.close()
      stance.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
