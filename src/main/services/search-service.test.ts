import { afterEach, describe, expect, it } from 'vitest'
import { MATCH_END, MATCH_START, type SearchResult } from '../../shared/domain/search'
import { AppError } from '../../shared/result'
import { SearchService, toFtsQuery } from './search-service'
import { noteContent, openTestLibrary, type TestLibrary } from './test-support'

let lib: TestLibrary
afterEach(() => lib?.store.dispose())

const mark = (term: string): string => `${MATCH_START}${term}${MATCH_END}`

function setUp() {
  lib = openTestLibrary()
  const { store, article, other, codes } = lib
  const range = (text: string, quote: string) => {
    const at = [...text.slice(0, text.indexOf(quote))].length
    return { start: at, end: at + [...quote].length }
  }
  const brussels = store.repos.highlights.insert({ articleId: article.id, ...range(article.text, 'Brussels asked for a seat'), codeIds: [codes[3].id] })
  const lavrov = store.repos.highlights.insert({ articleId: article.id, ...range(article.text, 'Лавров disagreed'), codeIds: [codes[1].id] })
  store.repos.notes.save({ highlightId: brussels.id }, noteContent('The EU wants a negotiating seat of its own.'), undefined)
  store.repos.notes.save({ articleId: other.id }, noteContent('Memo: compare with the Riyadh coverage.'), undefined)
  return { ...lib, brussels, lavrov, search: new SearchService(store.db) }
}

const hitsOf = (result: SearchResult) => result.groups.flatMap((g) => g.hits.map((h) => ({ article: g.article.title, ...h })))

describe('toFtsQuery', () => {
  it('keeps words, prefixes, phrases and operators, and quotes anything else', () => {
    expect(toFtsQuery('ceasefire')).toBe('ceasefire')
    expect(toFtsQuery('negot* "seat at the table" OR Лавров')).toBe('negot* "seat at the table" OR Лавров')
    expect(toFtsQuery('U.S. Kyiv\'s title:x -minus +plus ^caret NEAR(a b)')).toBe('"U.S." "Kyiv\'s" "title:x" "-minus" "+plus" "^caret" "NEAR(a" "b)"')
    expect(toFtsQuery('"unclosed phrase')).toBe('"unclosed phrase"')
    expect(toFtsQuery('"a ""b"" c"*')).toBe('"a" "b" "c"*')
    expect(toFtsQuery('and or not')).toBe('and or not')
    expect(toFtsQuery('* — !!! ""')).toBe('')
    expect(toFtsQuery('café*')).toBe('café*')
  })
})

describe('SearchService', () => {
  it('finds article text with a marked snippet and the code-point offset of the match', () => {
    const { search, article } = setUp()
    const result = search.search('ukraine')
    expect(result.query).toBe('ukraine')
    expect(result.groups.map((g) => g.article)).toEqual([{ id: article.id, title: 'Talks in Riyadh', outlet: 'Wire', publishedAt: '2025-02-17' }])
    const [hit] = result.groups[0]!.hits
    expect(hit).toEqual({ kind: 'text', snippet: `Zelenskyy 🇺🇦 said “Nothing about ${mark('Ukraine')} without ${mark('Ukraine')},” and Лавров disagreed. Brussels asked…`, offset: 33, highlightId: null })
    expect([...article.text].slice(33, 40).join('')).toBe('Ukraine')
  })

  it('computes offsets past an ellipsis, ignoring diacritics and case, for prefixes and phrases', () => {
    const { search, article } = setUp()
    const codePoints = [...article.text]
    for (const [q, word] of [
      ['later', 'later'],
      ['WASHING*', 'Washington'],
      ['"europe would"', 'Europe would'],
      ['лавров', 'Лавров']
    ] as const) {
      const text = hitsOf(search.search(q)).find((h) => h.kind === 'text')
      expect(text?.offset, q).not.toBeNull()
      expect(codePoints.slice(text!.offset!, text!.offset! + [...word].length).join(''), q).toBe(word)
      expect(text?.snippet, q).toContain(mark(word))
    }
  })

  it('finds titles, highlight quotes, notes, memos and code names, grouped by article', () => {
    const { search, brussels, lavrov, other } = setUp()
    expect(hitsOf(search.search('riyadh'))).toEqual([
      { article: 'Talks in Riyadh', kind: 'title', snippet: `Talks in ${mark('Riyadh')}`, offset: null, highlightId: null },
      { article: 'Munich', kind: 'memo', snippet: `Memo: compare with the ${mark('Riyadh')} coverage.`, offset: null, highlightId: null }
    ])
    expect(hitsOf(search.search('seat'))).toEqual([
      { article: 'Talks in Riyadh', kind: 'text', snippet: expect.stringContaining(mark('seat')), offset: brussels.start + 21, highlightId: null },
      { article: 'Talks in Riyadh', kind: 'highlight', snippet: `Brussels asked for a ${mark('seat')}`, offset: brussels.start, highlightId: brussels.id },
      { article: 'Talks in Riyadh', kind: 'note', snippet: `The EU wants a negotiating ${mark('seat')} of its own.`, offset: brussels.start, highlightId: brussels.id }
    ])
    const byCode = hitsOf(search.search('russian'))
    expect(byCode).toEqual([{ article: 'Talks in Riyadh', kind: 'code', snippet: 'Лавров disagreed', offset: lavrov.start, highlightId: lavrov.id }])
    expect(search.search('munich').groups[0]?.article.id).toBe(other.id)
  })

  it('leaves out articles in the trash, and detached passages have no offset', () => {
    const { search, store, article, brussels } = setUp()
    store.repos.highlights.markOrphaned(brussels.id)
    expect(hitsOf(search.search('seat')).filter((h) => h.kind !== 'text').map((h) => h.offset)).toEqual([null, null])
    store.repos.articles.softDelete(article.id)
    expect(search.search('seat')).toEqual({ query: 'seat', groups: [], total: 0 })
    expect(search.search('riyadh').groups.map((g) => g.article.title)).toEqual(['Munich'])
    store.repos.articles.restore(article.id)
    expect(search.search('seat').total).toBe(3)
  })

  it('limits the number of hits and ranks better matches first', () => {
    const { search, store } = setUp()
    for (let i = 0; i < 30; i++) {
      store.repos.articles.insert(
        { title: `Ceasefire report ${i}`, outlet: null, author: null, publishedAt: null, sourceUrl: null },
        { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `${'ceasefire '.repeat(i % 5)}talks and other words ${i}` }] }] }
      )
    }
    const result = search.search('ceasefire', 10)
    expect(result.total).toBe(10)
    expect(result.groups.flatMap((g) => g.hits)).toHaveLength(10)
    expect(search.search('ceasefire').total).toBe(50)
    expect(search.search('ceasefire', 500).total).toBe(54)
  })

  it('turns FTS syntax errors into invalid-input, and never lets typed syntax through', () => {
    const { search } = setUp()
    for (const q of ['NOT seat', 'seat AND', 'seat OR OR talks', '(seat OR']) {
      expect(() => search.search(q), q).toThrow(AppError)
      try {
        search.search(q)
      } catch (error) {
        expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^The search could not be understood: .+\. Use words, "exact phrases" or prefix\*\.$/) })
      }
    }
    for (const q of ['title:seat', 'text : x', '"unclosed', '*', 'NEAR(seat table)', 'seat^', '{title text}: seat', "'; DROP TABLE articles; --", '\u0002seat\u0003']) {
      expect(() => search.search(q), q).not.toThrow()
    }
    expect(search.search('(seat OR table)').total).toBeGreaterThan(0)
    expect(hitsOf(search.search('title:seat'))).toEqual([])
  })

  it('runs every search on the full-text indexes', () => {
    const { search } = setUp()
    const plan = search.explain()
    for (const table of ['articles_fts', 'highlights_fts', 'notes_fts', 'codes_fts']) {
      expect(plan.some((line) => line.includes(`SCAN ${table} VIRTUAL TABLE INDEX`)), table).toBe(true)
    }
    expect(plan.filter((line) => /^SCAN (articles|highlights|notes|codes)\b/.test(line))).toEqual([])
  })
})
