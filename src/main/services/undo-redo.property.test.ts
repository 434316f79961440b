import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CodeId, HighlightId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import { dumpStore, noteContent, openTestLibrary, type TestLibrary } from './test-support'

const NAMES = ['A', 'a', 'B', 'US stance', 'Позиция', 'позиция']
const COLORS = ['#111111', '#abcdef', '#0072b2']
const KEYS = [null, '1', '5', '6']

const index = fc.nat({ max: 40 })
const someCodes = fc.array(index, { minLength: 1, maxLength: 3 })
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

const operation = fc.oneof(
  fc.record({ kind: fc.constant('code' as const), article: fc.nat({ max: 1 }), start: fc.nat({ max: 90 }), length: fc.integer({ min: 1, max: 12 }), codes: someCodes }),
  fc.record({ kind: fc.constant('recode' as const), h: index, codes: someCodes }),
  fc.record({ kind: fc.constant('move' as const), h: index, start: fc.nat({ max: 90 }), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), h: index }),
  fc.record({ kind: fc.constant('createCode' as const), parent: maybe(index), name: fc.constantFrom(...NAMES), color: fc.constantFrom(...COLORS), key: fc.constantFrom(...KEYS) }),
  fc.record({
    kind: fc.constant('updateCode' as const),
    c: index,
    name: maybe(fc.constantFrom(...NAMES)),
    color: maybe(fc.constantFrom(...COLORS)),
    parent: maybe(fc.option(index, { nil: null })),
    key: maybe(fc.constantFrom(...KEYS))
  }),
  fc.record({ kind: fc.constant('deleteCode' as const), c: index, mergeInto: maybe(index) }),
  fc.record({ kind: fc.constant('reorder' as const), parent: maybe(index), seed: fc.nat() }),
  // Outside the history, on passages made during the run: notes and position repairs.
  fc.record({ kind: fc.constant('note' as const), h: index, text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('orphan' as const), h: index }),
  fc.record({ kind: fc.constant('undo' as const) }),
  fc.record({ kind: fc.constant('redo' as const) })
)

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never

/**
 * The dump, except for the seq of notes: a note written outside the history can take the seq of a deleted
 * one, and the restored note then gets another. That rowid is internal (the full-text index follows it);
 * ids, content and timestamps must still match exactly.
 */
function dump(lib: TestLibrary, checkIndexes = true): Record<string, unknown[]> {
  const all = dumpStore(lib.store.db, { checkIndexes })
  return { ...all, notes: (all.notes ?? []).map((row) => ({ ...(row as object), seq: undefined })) }
}

function pick<T>(items: readonly T[], i: number): T | undefined {
  return items.length === 0 ? undefined : items[i % items.length]
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let s = seed || 1
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** A library with sub-codes, passages (one with a note) in two articles, and nothing in the history. */
function fixture(): TestLibrary {
  const lib = openTestLibrary()
  // Hundreds of throwaway databases: durability on power loss is not what this test is about.
  lib.store.db.pragma('synchronous = OFF')
  const [us, ru, ua, eu] = lib.codes
  const sub = lib.codebook.create({ name: 'Seat at the table', color: '#009e73', parentId: eu.id, shortcut: '7' })
  lib.codebook.create({ name: 'Security guarantees', color: '#009e73', parentId: eu.id })
  lib.codebook.create({ name: 'Deep', color: '#009e73', parentId: sub.id })
  const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ua.id] })
  lib.store.repos.notes.save({ highlightId: h.id }, noteContent('fixture note'), undefined)
  lib.coding.create({ articleId: lib.article.id, start: 20, end: 40, codeIds: [ua.id, ru.id] })
  lib.coding.create({ articleId: lib.other.id, start: 4, end: 18, codeIds: [us.id, sub.id] })
  lib.history.clear()
  return lib
}

function apply(lib: TestLibrary, op: Operation, initialHighlights: ReadonlySet<string>): void {
  const { repos } = lib.store
  const codes = repos.codes.list()
  const articles = [lib.article, lib.other]
  const highlights = articles.flatMap((article) => repos.highlights.listByArticle(article.id))
  const codeIds = (picks: number[]): CodeId[] => picks.map((i) => pick(codes, i)?.id).filter((id): id is CodeId => id !== undefined)
  const made = highlights.filter((h) => !initialHighlights.has(h.id))
  switch (op.kind) {
    case 'code': {
      const article = articles[op.article] ?? lib.article
      const start = op.start % article.length
      lib.coding.create({ articleId: article.id, start, end: Math.min(article.length, start + op.length), codeIds: codeIds(op.codes) })
      return
    }
    case 'recode': {
      const h = pick(highlights, op.h)
      if (h) lib.coding.update({ id: h.id, codeIds: codeIds(op.codes) })
      return
    }
    case 'move': {
      const h = pick(highlights, op.h)
      if (!h) return
      const length = (h.articleId === lib.article.id ? lib.article : lib.other).length
      const start = op.start % length
      lib.coding.update({ id: h.id, range: { start, end: Math.min(length, start + op.length) } })
      return
    }
    case 'delete': {
      const h = pick(highlights, op.h)
      if (h) lib.coding.delete(h.id)
      return
    }
    case 'createCode':
      lib.codebook.create({ name: op.name, color: op.color, shortcut: op.key, parentId: op.parent === undefined ? null : pick(codes, op.parent)?.id })
      return
    case 'updateCode': {
      const code = pick(codes, op.c)
      if (!code) return
      const parentId = op.parent === undefined ? undefined : op.parent === null ? null : pick(codes, op.parent)?.id
      lib.codebook.update(code.id, { name: op.name, color: op.color, shortcut: op.key, parentId })
      return
    }
    case 'deleteCode': {
      const code = pick(codes, op.c)
      if (code) lib.codebook.delete(code.id, op.mergeInto === undefined ? undefined : pick(codes, op.mergeInto)?.id)
      return
    }
    case 'reorder': {
      const parentId = op.parent === undefined ? null : (pick(codes, op.parent)?.id ?? null)
      const children = repos.codes.children(parentId).map((code) => code.id)
      if (children.length > 0) lib.codebook.reorder(parentId, shuffle(children, op.seed))
      return
    }
    case 'note': {
      const h = pick(made, op.h)
      if (!h) return
      const current = repos.notes.find({ highlightId: h.id })
      repos.notes.save({ highlightId: h.id }, noteContent(op.text), current?.version)
      return
    }
    case 'orphan': {
      const h = pick(made, op.h)
      if (h) repos.highlights.markOrphaned(h.id as HighlightId)
      return
    }
    case 'undo':
      lib.history.undo()
      return
    case 'redo':
      lib.history.redo()
      return
  }
}

describe('undo and redo, randomized', () => {
  it('undoing every operation of any sequence returns the database to where it started, and redo to where it ended', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 30 }), (ops) => {
        const lib = fixture()
        try {
          const initial = dump(lib)
          const initialHighlights = new Set((initial.highlights as { id: string }[]).map((row) => row.id))
          for (const op of ops) {
            const before = dump(lib, false)
            const entries = lib.history.state()
            try {
              apply(lib, op, initialHighlights)
            } catch (error) {
              // Refusals (clashing names or keys, cycles, ranges taken…) are part of the game, but undo and
              // redo must never fail here, and a refused operation must leave no trace.
              if (op.kind === 'undo' || op.kind === 'redo' || !(error instanceof AppError)) throw error
              expect(dump(lib)).toEqual(before)
              expect(lib.history.state()).toEqual(entries)
            }
          }
          const final = dump(lib)
          let steps = 0
          while (lib.history.state().canUndo) {
            lib.history.undo()
            steps++
          }
          expect(dump(lib)).toEqual(initial)
          for (let i = 0; i < steps; i++) lib.history.redo()
          expect(dump(lib)).toEqual(final)
        } finally {
          lib.store.dispose()
        }
      }),
      { numRuns: 300 }
    )
  }, 120_000)
})
