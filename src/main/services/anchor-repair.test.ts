import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as anchoring from '../../shared/anchoring/reanchor'
import { reanchorAll } from '../../shared/anchoring/reanchor'
import type { ArticleId } from '../../shared/domain/ids'
import { listAnchoredHighlights } from './anchor-repair'
import { dumpStore, openTestLibrary, type TestLibrary } from './test-support'

vi.mock('../../shared/anchoring/reanchor', async (importOriginal) => {
  const actual = await importOriginal<typeof anchoring>()
  return { ...actual, reanchorAll: vi.fn(actual.reanchorAll) }
})

const SENTENCE = 'Zelenskyy 🇺🇦 said “Nothing about Ukraine without Ukraine,” and Лавров disagreed.'
let lib: TestLibrary
beforeEach(() => {
  vi.mocked(reanchorAll).mockClear()
})
afterEach(() => lib?.store.dispose())

// Stands in for an edit of the article's text (the document is not what re-anchoring reads).
function setText(text: string): void {
  lib.store.db.prepare('UPDATE articles SET text = ?, length = ? WHERE id = ?').run(text, [...text].length, lib.article.id)
}

function list() {
  return listAnchoredHighlights(lib.store.db, lib.store.repos, lib.article.id)
}

function setup() {
  lib = openTestLibrary()
  const [us, ru] = lib.codes
  const cps = [...SENTENCE]
  const start = cps.indexOf('“')
  const quote = lib.coding.create({ articleId: lib.article.id, start, end: cps.indexOf('”') + 1, codeIds: [us.id] })
  const lavrov = lib.coding.create({ articleId: lib.article.id, start: cps.indexOf('Л'), end: cps.indexOf('Л') + 6, codeIds: [ru.id] })
  return { quote, lavrov }
}

describe('listAnchoredHighlights', () => {
  it('does no work and writes nothing when every quote is still in place', () => {
    const { quote, lavrov } = setup()
    const before = dumpStore(lib.store.db)
    expect(list()).toEqual([quote, lavrov])
    expect(reanchorAll).not.toHaveBeenCalled()
    expect(dumpStore(lib.store.db)).toEqual(before)
  })

  it('moves highlights whose text moved, cutting quote and context afresh, without an undo entry', () => {
    const { quote, lavrov } = setup()
    const history = lib.history.state()
    setText(`Breaking: ${SENTENCE}`)
    const [movedQuote, movedLavrov] = list()
    expect(movedQuote).toMatchObject({ id: quote.id, start: quote.start + 10, end: quote.end + 10, exact: quote.exact, orphaned: false })
    expect(movedQuote?.prefix).toBe(`Breaking: ${quote.prefix}`)
    expect(movedLavrov).toMatchObject({ id: lavrov.id, start: lavrov.start + 10, exact: 'Лавров', codeIds: lavrov.codeIds })
    expect(reanchorAll).toHaveBeenCalledTimes(1)
    expect(lib.history.state()).toEqual(history)
    // Repaired once, the next read has nothing to do.
    list()
    expect(reanchorAll).toHaveBeenCalledTimes(1)
  })

  it('takes the new wording of a quote found approximately', () => {
    const { quote } = setup()
    setText(SENTENCE.replace('Nothing about Ukraine without Ukraine', 'Nothing about Ukraine without Ukrainians'))
    const text = SENTENCE.replace('Nothing about Ukraine without Ukraine', 'Nothing about Ukraine without Ukrainians')
    const repaired = list().find((h) => h.id === quote.id)
    expect(repaired?.orphaned).toBe(false)
    // Whatever span the matcher settles on, the stored quote and context are the current text there.
    expect(repaired?.exact).toBe([...text].slice(repaired?.start, repaired?.end).join(''))
    expect(repaired?.exact).not.toBe(quote.exact)
    expect(repaired?.exact.startsWith('“Nothing about Ukraine without Ukrainian')).toBe(true)
  })

  it('marks a highlight whose quote is gone as orphaned, keeping its last quote, and takes it back if the text returns', () => {
    const { quote, lavrov } = setup()
    setText(SENTENCE.replace('Лавров disagreed', 'nobody replied'))
    const orphan = list().find((h) => h.id === lavrov.id)
    expect(orphan).toMatchObject({ orphaned: true, exact: 'Лавров', start: lavrov.start, end: lavrov.end, prefix: lavrov.prefix, suffix: lavrov.suffix })
    expect(list().find((h) => h.id === quote.id)?.orphaned).toBe(false)
    vi.mocked(reanchorAll).mockClear()
    list()
    expect(reanchorAll).not.toHaveBeenCalled() // orphans are not searched for on every read
    setText(SENTENCE)
    expect(list().find((h) => h.id === lavrov.id)).toMatchObject({ orphaned: false, exact: 'Лавров', start: lavrov.start })
  })

  it('treats a result that is not a proper range as not found', () => {
    const { lavrov } = setup()
    setText(`Breaking: ${SENTENCE}`)
    vi.mocked(reanchorAll).mockImplementationOnce((_text, selectors) => selectors.map(() => ({ status: 'moved', start: 5, end: 5_000, score: 0.9 })))
    expect(list().find((h) => h.id === lavrov.id)?.orphaned).toBe(true)
  })

  it('reports an unknown article as not found', () => {
    setup()
    expect(() => listAnchoredHighlights(lib.store.db, lib.store.repos, '00000000-0000-4000-8000-000000000000' as ArticleId)).toThrow(
      expect.objectContaining({ code: 'not-found' })
    )
  })
})
