import { afterEach, describe, expect, it } from 'vitest'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import { dumpStore, noteContent, openTestLibrary, type TestLibrary } from './test-support'

const MISSING = '00000000-0000-4000-8000-000000000000'
let lib: TestLibrary
afterEach(() => lib?.store.dispose())

describe('CodingService', () => {
  it('codes a passage and records "Code passage as …"', () => {
    lib = openTestLibrary()
    const [us, ru] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    expect(h).toMatchObject({ exact: 'Zelenskyy', codeIds: [us.id], orphaned: false })
    expect(lib.history.state()).toEqual({ canUndo: true, canRedo: false, undoLabel: 'Code passage as US stance', redoLabel: null })
    lib.coding.create({ articleId: lib.article.id, start: 10, end: 12, codeIds: [ru.id, us.id] })
    expect(lib.history.state().undoLabel).toBe('Code passage as Russian stance and US stance')
    lib.coding.create({ articleId: lib.article.id, start: 13, end: 17, codeIds: lib.codes.map((c) => c.id) })
    expect(lib.history.state().undoLabel).toBe('Code passage with 4 codes')
  })

  it('adds the codes to a highlight over exactly the same range instead of making a second one', () => {
    lib = openTestLibrary()
    const [us, ru, ua] = lib.codes
    const first = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    const again = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id, us.id] })
    expect(again.id).toBe(first.id)
    expect(again.codeIds).toEqual([us.id, ru.id])
    expect(lib.history.state().undoLabel).toBe('Add Russian stance to passage')
    expect(lib.store.repos.highlights.listByArticle(lib.article.id)).toHaveLength(1)
    // Coding it with codes it already has changes nothing and records nothing.
    const before = dumpStore(lib.store.db)
    expect(lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] }).id).toBe(first.id)
    expect(dumpStore(lib.store.db)).toEqual(before)
    expect(lib.history.state().undoLabel).toBe('Add Russian stance to passage')
    // A range that merely overlaps is a new highlight.
    expect(lib.coding.create({ articleId: lib.article.id, start: 0, end: 10, codeIds: [ua.id] }).id).not.toBe(first.id)
    // An orphan over that range is not "the same passage".
    lib.store.repos.highlights.markOrphaned(first.id)
    expect(lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ua.id] }).id).not.toBe(first.id)
  })

  it('refuses bad ranges, unknown articles and unknown codes without recording anything', () => {
    lib = openTestLibrary()
    const [us] = lib.codes
    const create = (start: number, end: number, articleId: ArticleId = lib.article.id, codeIds: CodeId[] = [us.id]) => () =>
      lib.coding.create({ articleId, start, end, codeIds })
    expect(create(0, lib.article.length + 1)).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/not inside/) }))
    expect(create(5, 5)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(create(6, 5)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(create(0, 3, MISSING as ArticleId)).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no article/) }))
    expect(create(0, 3, lib.article.id, [MISSING as CodeId])).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no code/) }))
    expect(lib.history.state().canUndo).toBe(false)
    expect(lib.store.repos.highlights.listByArticle(lib.article.id)).toEqual([])
  })

  it('recodes, moves and re-attaches, labelling each', () => {
    lib = openTestLibrary()
    const [us, ru, ua] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    expect(lib.coding.update({ id: h.id, codeIds: [ru.id, ua.id] }).codeIds).toEqual([ru.id, ua.id])
    expect(lib.history.state().undoLabel).toBe('Recode passage')
    const moved = lib.coding.update({ id: h.id, range: { start: 10, end: 14 } })
    expect(moved).toMatchObject({ start: 10, end: 14, exact: '🇺🇦 s', prefix: 'Zelenskyy ' })
    expect(lib.history.state().undoLabel).toBe('Move passage')
    lib.coding.update({ id: h.id, range: { start: 0, end: 9 }, codeIds: [us.id] })
    expect(lib.history.state().undoLabel).toBe('Move and recode passage')
    lib.store.repos.highlights.markOrphaned(h.id)
    const reattached = lib.coding.update({ id: h.id, range: { start: 0, end: 9 } })
    expect(reattached).toMatchObject({ orphaned: false, exact: 'Zelenskyy' })
    expect(lib.history.state().undoLabel).toBe('Re-attach passage')
    // Nothing to change: nothing recorded.
    const entries = lib.history.state()
    lib.coding.update({ id: h.id, codeIds: [us.id], range: { start: 0, end: 9 } })
    expect(lib.history.state()).toEqual(entries)
  })

  it('refuses unknown highlights and codes, bad ranges, and a range another passage covers', () => {
    lib = openTestLibrary()
    const [us, ru] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.coding.create({ articleId: lib.article.id, start: 10, end: 12, codeIds: [ru.id] })
    const snapshot = dumpStore(lib.store.db)
    expect(() => lib.coding.update({ id: MISSING as HighlightId, codeIds: [us.id] })).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => lib.coding.update({ id: h.id, codeIds: [MISSING as CodeId] })).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => lib.coding.update({ id: h.id, range: { start: 3, end: 2 } })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => lib.coding.update({ id: h.id, range: { start: 0, end: 10_000 } })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => lib.coding.update({ id: h.id, codeIds: [ru.id], range: { start: 10, end: 12 } })).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/Another passage already covers exactly 10–12/) })
    )
    expect(dumpStore(lib.store.db)).toEqual(snapshot)
    expect(lib.history.state().undoLabel).toBe('Code passage as Russian stance')
  })

  it('deletes a passage with its note', () => {
    lib = openTestLibrary()
    const [us] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.store.repos.notes.save({ highlightId: h.id }, noteContent('why'), undefined)
    expect(lib.coding.delete(h.id)).toEqual({ id: h.id })
    expect(lib.store.repos.highlights.find(h.id)).toBeUndefined()
    expect(lib.store.db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 })
    expect(lib.history.state().undoLabel).toBe('Delete passage')
    expect(() => lib.coding.delete(h.id)).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no highlight/) }))
  })

  describe('two windows on one passage', () => {
    const STALE = /^This passage was changed in another window since you last saw it/

    it('a recode, move or delete based on an older version is refused, and nothing changes or is recorded', () => {
      lib = openTestLibrary()
      const [us, ru, ua] = lib.codes
      const seen = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
      expect(seen.version).toBe(1)
      // Both windows saw version 1; window B recodes first.
      const b = lib.coding.update({ id: seen.id, codeIds: [ru.id], baseVersion: seen.version })
      expect(b).toMatchObject({ codeIds: [ru.id], version: 2 })
      const after = dumpStore(lib.store.db)
      const history = lib.history.state()
      // Window A still shows version 1.
      expect(() => lib.coding.update({ id: seen.id, codeIds: [ua.id], baseVersion: seen.version })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(STALE) }))
      expect(() => lib.coding.update({ id: seen.id, range: { start: 2, end: 20 }, baseVersion: seen.version })).toThrow(expect.objectContaining({ code: 'conflict' }))
      expect(() => lib.coding.delete(seen.id, seen.version)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(STALE) }))
      expect(dumpStore(lib.store.db)).toEqual(after)
      expect(lib.store.repos.highlights.require(seen.id).version).toBe(2)
      expect(lib.history.state()).toEqual(history)
      // Once A has reloaded (version 2), its changes go through.
      expect(lib.coding.update({ id: seen.id, codeIds: [ru.id, ua.id], baseVersion: 2 })).toMatchObject({ version: 3 })
      expect(lib.coding.delete(seen.id, 3)).toEqual({ id: seen.id })
      // Deleted in the other window: not-found, in words.
      expect(() => lib.coding.update({ id: seen.id, codeIds: [us.id], baseVersion: 3 })).toThrow(
        expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/deleted, perhaps in another window/) })
      )
    })

    it('a version moves on with every write: adding codes to the same range, undo and redo', () => {
      lib = openTestLibrary()
      const [us, ru] = lib.codes
      const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
      // Coding the same range again in another window adds the code: the version moves on.
      expect(lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] }).version).toBe(2)
      expect(() => lib.coding.delete(h.id, 1)).toThrow(expect.objectContaining({ code: 'conflict' }))
      // Undo puts the codes back but not the version: a window that saw version 1 has not seen this.
      lib.history.undo()
      const undone = lib.store.repos.highlights.require(h.id)
      expect(undone).toMatchObject({ codeIds: [us.id], updatedAt: h.updatedAt, version: 3 })
      expect(() => lib.coding.update({ id: h.id, codeIds: [ru.id], baseVersion: 1 })).toThrow(expect.objectContaining({ code: 'conflict' }))
      lib.history.redo()
      expect(lib.store.repos.highlights.require(h.id).version).toBe(4)
      expect(() => lib.coding.update({ id: h.id, codeIds: [ru.id], baseVersion: 2 })).toThrow(expect.objectContaining({ code: 'conflict' }))
      // Without a base version (main's own callers), there is no check.
      expect(lib.coding.update({ id: h.id, codeIds: [ru.id] })).toMatchObject({ codeIds: [ru.id], version: 5 })
    })
  })
})
