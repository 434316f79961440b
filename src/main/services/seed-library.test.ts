import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import { parseSampleArticle } from './sample-article'
import { SAMPLE_ARTICLE_PATH, seedLibrary } from './seed-library'

const RESOURCES = join(__dirname, '../../../resources')
let store: TestDatabase
afterEach(() => store?.dispose())

describe('seedLibrary', () => {
  it('gives a new library the sample article and the default codebook, once', () => {
    store = openTestDatabase()
    expect(seedLibrary(store.db, store.repos, RESOURCES)).toBe(true)
    expect(seedLibrary(store.db, store.repos, RESOURCES)).toBe(false)
    const [article, ...others] = store.repos.articles.list()
    expect(others).toEqual([])
    expect(article?.title).toMatch(/Riyadh/)
    expect(article?.publishedAt).toBe('2025-02-17')
    const codes = store.repos.codes.list()
    expect(codes.map((c) => [c.name, c.groupKind, c.shortcut])).toEqual([
      ['Stances', 'stance', null],
      ['US stance', null, '1'],
      ['Russian stance', null, '2'],
      ['Ukrainian stance', null, '3'],
      ['EU stance', null, '4'],
      ['Issues', 'issue', null],
      ['Ceasefire and territory', null, '5'],
      ['NATO membership', null, '6'],
      ['Security guarantees', null, '7'],
      ['Sanctions', null, '8'],
      ['Minerals and reconstruction', null, '9'],
      ['Who sits at the table', null, null]
    ])
    const [stances, issues] = codes.filter((c) => c.groupKind)
    for (const code of codes.filter((c) => !c.groupKind)) {
      expect(code.parentId).toBe(code.shortcut && Number(code.shortcut) <= 4 ? stances!.id : issues!.id)
      expect(code.dictionary.length, code.name).toBeGreaterThan(2)
    }
    expect(codes.find((c) => c.name === 'Russian stance')?.dictionary).toEqual(expect.arrayContaining(['Kremlin', 'Moscow', 'Lavrov']))
  })

  it('does not re-add the sample after the user removed it', () => {
    store = openTestDatabase()
    seedLibrary(store.db, store.repos, RESOURCES)
    store.db.prepare('DELETE FROM articles').run()
    seedLibrary(store.db, store.repos, RESOURCES)
    expect(store.repos.articles.list()).toEqual([])
  })
})

describe('the bundled sample article', () => {
  const parsed = parseSampleArticle(readFileSync(join(RESOURCES, SAMPLE_ARTICLE_PATH), 'utf8'))
  const body = parsed.doc.content.map((b) => ('content' in b && b.content ? b.content.map((n) => ('text' in n ? n.text : '')).join('') : '')).join(' ')

  it('is a news report of 800–1,200 words with full metadata', () => {
    const words = body.split(/\s+/).filter(Boolean).length
    expect(words).toBeGreaterThanOrEqual(800)
    expect(words).toBeLessThanOrEqual(1200)
    expect(parsed.meta).toMatchObject({ outlet: expect.any(String), author: expect.any(String), publishedAt: '2025-02-17' })
  })

  it('quotes a speaker from each side', () => {
    for (const speaker of ['Rubio', 'Lavrov', 'Zelenskyy', 'Kallas']) expect(body).toContain(speaker)
    expect(body.match(/“[^”]+”/g)?.length ?? 0).toBeGreaterThanOrEqual(12)
  })
})
