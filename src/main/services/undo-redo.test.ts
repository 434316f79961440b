import { afterEach, describe, expect, it } from 'vitest'
import { dumpStore, noteContent, openTestLibrary, type TestLibrary } from './test-support'

let lib: TestLibrary
afterEach(() => lib?.store.dispose())

/** Runs an operation, then checks that undo restores the dump before it and redo the dump after it, twice over. */
function roundTrip(operation: () => void, label: string): void {
  const before = dumpStore(lib.store.db)
  operation()
  const after = dumpStore(lib.store.db)
  expect(after).not.toEqual(before)
  expect(lib.history.state().undoLabel).toBe(label)
  for (let i = 0; i < 2; i++) {
    expect(lib.history.undo().applied).toBe(label)
    expect(dumpStore(lib.store.db)).toEqual(before)
    expect(lib.history.redo().applied).toBe(label)
    expect(dumpStore(lib.store.db)).toEqual(after)
  }
  lib.history.undo()
}

describe('undo and redo', () => {
  it('create → undo → redo brings back the same highlight', () => {
    lib = openTestLibrary()
    const [us] = lib.codes
    let id = ''
    roundTrip(() => (id = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] }).id), 'Code passage as US stance')
    lib.history.redo()
    expect(lib.store.repos.highlights.find(id as never)?.exact).toBe('Zelenskyy')
  })

  it('adding a code to an existing passage, recoding, moving and re-attaching', () => {
    lib = openTestLibrary()
    const [us, ru, ua] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.store.repos.notes.save({ highlightId: h.id }, noteContent('kept'), undefined)
    roundTrip(() => lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] }), 'Add Russian stance to passage')
    roundTrip(() => lib.coding.update({ id: h.id, codeIds: [ua.id] }), 'Recode passage')
    roundTrip(() => lib.coding.update({ id: h.id, range: { start: 2, end: 20 } }), 'Move passage')
    lib.store.repos.highlights.markOrphaned(h.id)
    roundTrip(() => lib.coding.update({ id: h.id, range: { start: 2, end: 20 }, codeIds: [ua.id, us.id] }), 'Re-attach passage')
  })

  it('delete with a note → undo restores highlight, codes and note with the same ids', () => {
    lib = openTestLibrary()
    const [us, ru] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id, ru.id] })
    lib.store.repos.notes.save({ highlightId: h.id }, noteContent('first'), undefined)
    lib.store.repos.notes.save({ highlightId: h.id }, noteContent('second'), 1)
    roundTrip(() => lib.coding.delete(h.id), 'Delete passage')
  })

  it('merge → undo restores the code, its children, their order and exactly the old links', () => {
    lib = openTestLibrary()
    const [us, ru, ua, eu] = lib.codes
    lib.codebook.create({ name: 'Sub one', color: '#111111', parentId: ru.id })
    lib.codebook.create({ name: 'Sub two', color: '#111111', parentId: ru.id, shortcut: '8' })
    lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    lib.coding.create({ articleId: lib.article.id, start: 10, end: 12, codeIds: [ru.id, eu.id] })
    lib.coding.create({ articleId: lib.other.id, start: 0, end: 3, codeIds: [ru.id, ua.id] })
    lib.coding.create({ articleId: lib.other.id, start: 4, end: 8, codeIds: [us.id] })
    roundTrip(() => lib.codebook.delete(ru.id, eu.id), 'Merge Russian stance into EU stance')
  })

  it('delete-code without merge → undo brings back deleted passages with their notes', () => {
    lib = openTestLibrary()
    const [us, ru] = lib.codes
    const sub = lib.codebook.create({ name: 'Russian stance', color: '#111111', parentId: ru.id })
    lib.codebook.create({ name: 'Deeper', color: '#111111', parentId: sub.id })
    const only = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    lib.store.repos.notes.save({ highlightId: only.id }, noteContent('only Russian'), undefined)
    lib.coding.create({ articleId: lib.other.id, start: 0, end: 3, codeIds: [ru.id, us.id] })
    lib.coding.create({ articleId: lib.other.id, start: 4, end: 8, codeIds: [sub.id] })
    // The sub-code shares its parent's name, so undo and redo have to hand the name back and forth.
    roundTrip(() => lib.codebook.delete(ru.id), 'Delete code Russian stance')
  })

  it('reorder, re-parent, rename, recolour and re-key → undo', () => {
    lib = openTestLibrary()
    const [us, ru, ua, eu] = lib.codes
    const child = lib.codebook.create({ name: 'Child', color: '#111111', parentId: eu.id })
    lib.codebook.create({ name: 'Second child', color: '#111111', parentId: eu.id })
    roundTrip(() => lib.codebook.reorder(null, [ua.id, eu.id, us.id, ru.id]), 'Reorder codes')
    roundTrip(() => lib.codebook.update(child.id, { parentId: us.id }), 'Move Child under US stance')
    roundTrip(() => lib.codebook.update(eu.id, { parentId: ru.id }), 'Move EU stance under Russian stance')
    roundTrip(() => lib.codebook.update(us.id, { name: 'American stance' }), 'Rename code to American stance')
    roundTrip(() => lib.codebook.update(us.id, { color: '#abcdef' }), 'Recolour US stance')
    roundTrip(() => lib.codebook.update(us.id, { shortcut: '9' }), 'Assign key 9 to US stance')
    roundTrip(() => lib.codebook.create({ name: 'New', color: '#222222', parentId: ua.id, shortcut: '6' }), 'Add code New')
  })

  it('a long chain undoes back to the start and redoes to the end', () => {
    lib = openTestLibrary()
    const [us, ru, ua, eu] = lib.codes
    const start = dumpStore(lib.store.db)
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    const sub = lib.codebook.create({ name: 'Sub', color: '#111111', parentId: ru.id })
    lib.coding.update({ id: h.id, codeIds: [sub.id, ua.id] })
    lib.codebook.delete(ru.id, eu.id)
    lib.codebook.delete(sub.id)
    lib.coding.delete(h.id)
    const end = dumpStore(lib.store.db)
    while (lib.history.state().canUndo) lib.history.undo()
    expect(dumpStore(lib.store.db)).toEqual(start)
    while (lib.history.state().canRedo) lib.history.redo()
    expect(dumpStore(lib.store.db)).toEqual(end)
  })

  it('undoing a create keeps a note written since, for redo to bring back', () => {
    lib = openTestLibrary()
    const [us] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.store.repos.notes.save({ highlightId: h.id }, noteContent('written later'), undefined)
    const withNote = dumpStore(lib.store.db)
    lib.history.undo()
    expect(lib.store.db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 })
    lib.history.redo()
    expect(dumpStore(lib.store.db)).toEqual(withNote)
  })

  it('undoing a recode leaves a note edit and a position repair made since alone', () => {
    lib = openTestLibrary()
    const [us, ru] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.coding.update({ id: h.id, codeIds: [ru.id] })
    lib.store.repos.notes.save({ highlightId: h.id }, noteContent('edited'), undefined)
    lib.store.repos.highlights.markOrphaned(h.id)
    lib.history.undo()
    expect(lib.store.repos.highlights.find(h.id)).toMatchObject({ codeIds: [us.id], orphaned: true })
    expect(lib.store.repos.notes.find({ highlightId: h.id })?.plain).toBe('edited')
  })

  it('two windows share one history: undo takes back the latest change, whichever window made it, and raises the version', () => {
    lib = openTestLibrary()
    const [us, ru, ua] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    const a = lib.coding.update({ id: h.id, codeIds: [ru.id], baseVersion: h.version })
    const b = lib.coding.update({ id: h.id, codeIds: [ua.id], baseVersion: a.version })
    expect(lib.history.undo().applied).toBe('Recode passage')
    const afterUndo = lib.store.repos.highlights.require(h.id)
    expect(afterUndo).toMatchObject({ codeIds: [ru.id], updatedAt: a.updatedAt })
    expect(afterUndo.version).toBeGreaterThan(b.version!)
    // Neither window's earlier view may act on the passage now.
    for (const seen of [a, b]) expect(() => lib.coding.delete(h.id, seen.version)).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(lib.history.undo().applied).toBe('Recode passage')
    expect(lib.store.repos.highlights.require(h.id).codeIds).toEqual([us.id])
  })

  it('undo is refused when the passage was recoded or moved outside the history since, and nothing changes', () => {
    lib = openTestLibrary()
    const [us, ru, ua] = lib.codes
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [us.id] })
    lib.coding.update({ id: h.id, codeIds: [ru.id] })
    // Recoded by something outside this history (an annotation import adding a code, say).
    lib.store.repos.highlights.setCodes(h.id, [ru.id, ua.id])
    const now = dumpStore(lib.store.db)
    expect(() => lib.history.undo()).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/^“Recode passage” can no longer be undone: The passage “Zelenskyy” has been recoded since, perhaps in another window\./) })
    )
    expect(dumpStore(lib.store.db)).toEqual(now)
    // Moved outside the history (a re-import re-anchoring it): undoing the move would put it back on old words.
    const m = lib.coding.create({ articleId: lib.article.id, start: 10, end: 12, codeIds: [us.id] })
    lib.coding.update({ id: m.id, range: { start: 10, end: 14 } })
    lib.store.repos.highlights.move(m.id, 11, 14)
    expect(() => lib.history.undo()).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/has been moved since/) }))
    expect(lib.store.repos.highlights.require(m.id)).toMatchObject({ start: 11, end: 14 })
    // A detached flag set by repair alone is not a move: that undo goes through.
    lib.coding.update({ id: m.id, range: { start: 10, end: 14 } })
    lib.store.repos.highlights.markOrphaned(m.id)
    expect(lib.history.undo().applied).toBe('Move passage')
    expect(lib.store.repos.highlights.require(m.id)).toMatchObject({ start: 11, end: 14 })
  })

  it('an operation the data no longer allows is refused as a conflict, dropped, and nothing changes', () => {
    lib = openTestLibrary()
    const [us, ru, , eu] = lib.codes
    lib.coding.create({ articleId: lib.other.id, start: 0, end: 3, codeIds: [us.id] })
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    lib.coding.update({ id: h.id, codeIds: [eu.id] })
    // The article is purged outside the history (its highlights go with it).
    lib.store.db.prepare('DELETE FROM articles WHERE id = ?').run(lib.article.id)
    const now = dumpStore(lib.store.db)
    expect(() => lib.history.undo()).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/^“Recode passage” can no longer be undone: The passage “Zelenskyy” has been deleted since/) }))
    expect(dumpStore(lib.store.db)).toEqual(now)
    expect(() => lib.history.undo()).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/^“Code passage as Russian stance” can no longer be undone/) }))
    expect(lib.history.undo().applied).toBe('Code passage as US stance')
    expect(lib.history.state()).toEqual({ canUndo: false, canRedo: true, undoLabel: null, redoLabel: 'Code passage as US stance' })
  })

  it('a deleted passage whose article was purged cannot come back, and neither can its code merge', () => {
    lib = openTestLibrary()
    const [, ru, , eu] = lib.codes
    lib.coding.create({ articleId: lib.other.id, start: 0, end: 3, codeIds: [ru.id] })
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    lib.codebook.delete(ru.id, eu.id)
    lib.store.db.prepare('DELETE FROM articles WHERE id = ?').run(lib.article.id)
    const now = dumpStore(lib.store.db)
    expect(() => lib.history.undo()).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(dumpStore(lib.store.db)).toEqual(now)
    expect(lib.store.repos.codes.find(ru.id)).toBeUndefined()
    expect(lib.store.repos.highlights.find(h.id)).toBeUndefined()
  })
})
