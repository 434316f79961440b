import { afterEach, describe, expect, it } from 'vitest'
import type { CodeId } from '../../shared/domain/ids'
import { dumpStore, noteContent, openTestLibrary, type TestLibrary } from './test-support'

const MISSING = '00000000-0000-4000-8000-000000000000' as CodeId
let lib: TestLibrary
afterEach(() => lib?.store.dispose())

describe('CodebookService', () => {
  it('creates codes at the end of their level with the repository rules', () => {
    lib = openTestLibrary()
    const [, , , eu] = lib.codes
    const seat = lib.codebook.create({ name: 'Seat at the table', color: '#00AA00', parentId: eu.id, shortcut: '5' })
    expect(seat).toMatchObject({ parentId: eu.id, sortOrder: 0, color: '#00aa00', shortcut: '5' })
    expect(lib.history.state().undoLabel).toBe('Add code Seat at the table')
    expect(() => lib.codebook.create({ name: 'seat AT the table', color: '#000000', parentId: eu.id })).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(() => lib.codebook.create({ name: 'Other', color: '#000000', shortcut: '1' })).toThrow(
      expect.objectContaining({ code: 'conflict', message: 'Key 1 already applies "US stance".' })
    )
    expect(() => lib.codebook.create({ name: 'Other', color: '#000000', parentId: MISSING })).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(lib.history.state().undoLabel).toBe('Add code Seat at the table')
  })

  it('updates codes with a label that says what changed', () => {
    lib = openTestLibrary()
    const [us, ru, , eu] = lib.codes
    const label = () => lib.history.state().undoLabel
    lib.codebook.update(us.id, { name: 'American stance' })
    expect(label()).toBe('Rename code to American stance')
    lib.codebook.update(us.id, { color: '#123456' })
    expect(label()).toBe('Recolour American stance')
    lib.codebook.update(us.id, { description: 'Washington' })
    expect(label()).toBe('Edit description of American stance')
    lib.codebook.update(us.id, { shortcut: null })
    expect(label()).toBe('Remove key from American stance')
    lib.codebook.update(us.id, { shortcut: '7' })
    expect(label()).toBe('Assign key 7 to American stance')
    lib.codebook.update(us.id, { parentId: eu.id })
    expect(label()).toBe('Move American stance under EU stance')
    lib.codebook.update(us.id, { parentId: null })
    expect(label()).toBe('Move American stance to the top level')
    lib.codebook.update(us.id, { name: 'US stance', color: '#0072b2' })
    expect(label()).toBe('Edit code US stance')
    // The same values again: nothing recorded.
    lib.codebook.update(us.id, { name: 'US stance', color: '#0072B2', parentId: null })
    expect(label()).toBe('Edit code US stance')
    expect(() => lib.codebook.update(us.id, { shortcut: '2' })).toThrow(expect.objectContaining({ code: 'conflict', message: 'Key 2 already applies "Russian stance".' }))
    expect(() => lib.codebook.update(MISSING, { name: 'x' })).toThrow(expect.objectContaining({ code: 'not-found' }))
    const child = lib.codebook.create({ name: 'Kremlin line', color: '#d55e00', parentId: ru.id })
    expect(() => lib.codebook.update(ru.id, { parentId: child.id })).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/its own sub-codes/) }))
    expect(() => lib.codebook.update(ru.id, { parentId: ru.id })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })

  it('merges a code into another: passages take the target, children move up after their new siblings', () => {
    lib = openTestLibrary()
    const [us, ru, , eu] = lib.codes
    const sub = lib.codebook.create({ name: 'Sub', color: '#111111', parentId: ru.id })
    const a = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    const b = lib.coding.create({ articleId: lib.article.id, start: 10, end: 12, codeIds: [ru.id, eu.id] })
    const c = lib.coding.create({ articleId: lib.other.id, start: 0, end: 3, codeIds: [us.id] })
    const result = lib.codebook.delete(ru.id, eu.id)
    expect(result).toEqual({ id: ru.id, merged: 2, removedHighlights: 0 })
    expect(lib.store.repos.highlights.find(a.id)?.codeIds).toEqual([eu.id])
    expect(lib.store.repos.highlights.find(b.id)?.codeIds).toEqual([eu.id])
    expect(lib.store.repos.highlights.find(c.id)?.codeIds).toEqual([us.id])
    expect(lib.store.repos.codes.list().map((code) => [code.name, code.sortOrder])).toEqual([
      ['US stance', 0],
      ['Ukrainian stance', 1],
      ['EU stance', 2],
      ['Sub', 3]
    ])
    expect(lib.store.repos.codes.find(sub.id)?.parentId).toBeNull()
    expect(lib.history.state().undoLabel).toBe('Merge Russian stance into EU stance')
    const entry = lib.history.undo()
    expect(entry).toMatchObject({ applied: 'Merge Russian stance into EU stance', articleIds: [lib.article.id], codebookChanged: true })
    expect(lib.store.repos.highlights.find(a.id)?.codeIds).toEqual([ru.id])
  })

  it('refuses to merge into itself, into a sub-code or into an unknown code', () => {
    lib = openTestLibrary()
    const [, ru] = lib.codes
    const sub = lib.codebook.create({ name: 'Sub', color: '#111111', parentId: ru.id })
    const deep = lib.codebook.create({ name: 'Deep', color: '#111111', parentId: sub.id })
    const before = dumpStore(lib.store.db)
    expect(() => lib.codebook.delete(ru.id, ru.id)).toThrow(expect.objectContaining({ code: 'invalid-input', message: '"Russian stance" cannot be merged into itself.' }))
    expect(() => lib.codebook.delete(ru.id, deep.id)).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/own sub-codes/) }))
    expect(() => lib.codebook.delete(ru.id, MISSING)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => lib.codebook.delete(MISSING)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(dumpStore(lib.store.db)).toEqual(before)
  })

  it('deletes a code without merging: passages lose it, those left with none are deleted with their notes', () => {
    lib = openTestLibrary()
    const [us, ru] = lib.codes
    const only = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    lib.store.repos.notes.save({ highlightId: only.id }, noteContent('only Russian'), undefined)
    const both = lib.coding.create({ articleId: lib.other.id, start: 0, end: 3, codeIds: [ru.id, us.id] })
    expect(lib.codebook.delete(ru.id)).toEqual({ id: ru.id, merged: 0, removedHighlights: 1 })
    expect(lib.store.repos.highlights.find(only.id)).toBeUndefined()
    expect(lib.store.repos.highlights.find(both.id)?.codeIds).toEqual([us.id])
    expect(lib.store.db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 })
    expect(lib.history.state().undoLabel).toBe('Delete code Russian stance')
    expect(lib.history.undo().articleIds.sort()).toEqual([lib.article.id, lib.other.id].sort())
  })

  it('refuses a delete whose sub-code would clash with a code at the level above', () => {
    lib = openTestLibrary()
    const [, ru] = lib.codes
    lib.codebook.create({ name: 'us stance', color: '#111111', parentId: ru.id })
    const h = lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [ru.id] })
    const before = dumpStore(lib.store.db)
    expect(() => lib.codebook.delete(ru.id)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/would move up beside "US stance"/) }))
    expect(dumpStore(lib.store.db)).toEqual(before)
    expect(lib.store.repos.highlights.find(h.id)).toBeDefined()
  })

  it('reorders the children of a parent and returns the codebook', () => {
    lib = openTestLibrary()
    const [us, ru, ua, eu] = lib.codes
    const list = lib.codebook.reorder(null, [eu.id, ua.id, ru.id, us.id])
    expect(list.map((code) => code.name)).toEqual(['EU stance', 'Ukrainian stance', 'Russian stance', 'US stance'])
    expect(lib.history.state().undoLabel).toBe('Reorder codes')
    expect(() => lib.codebook.reorder(null, [eu.id, ua.id, ru.id])).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => lib.codebook.reorder(null, [eu.id, ua.id, ru.id, us.id, us.id])).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => lib.codebook.reorder(eu.id, [us.id])).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => lib.codebook.reorder(MISSING, [us.id])).toThrow(expect.objectContaining({ code: 'not-found' }))
    // The current order again changes nothing and records nothing.
    lib.codebook.reorder(null, [eu.id, ua.id, ru.id, us.id])
    lib.history.undo()
    expect(lib.history.state().canUndo).toBe(false)
  })

  it('keeps groups at the top level, without keys and off passages, and undoes dictionary and kind edits', () => {
    lib = openTestLibrary()
    const [us, russia] = lib.codes
    const before = dumpStore(lib.store.db)
    const group = lib.codebook.create({ name: 'Stances', color: '#6b7280', groupKind: 'stance' })
    expect(lib.history.state().undoLabel).toBe('Add group Stances')
    expect(group).toMatchObject({ groupKind: 'stance', parentId: null, dictionary: [] })
    expect(() => lib.codebook.create({ name: 'Inner', color: '#6b7280', groupKind: 'issue', parentId: group.id })).toThrow(/top level/)
    expect(() => lib.codebook.create({ name: 'Keyed', color: '#6b7280', groupKind: 'issue', shortcut: '7' })).toThrow(/cannot have a key/)
    expect(() => lib.codebook.update(group.id, { parentId: us.id })).toThrow(/stay at the top level/)
    expect(() => lib.codebook.update(group.id, { shortcut: '8' })).toThrow(/cannot have a key/)
    expect(() => lib.codebook.update(us.id, { groupKind: 'issue' })).toThrow(/not a group/)
    expect(() => lib.codebook.delete(russia.id, group.id)).toThrow(/it is a group/)
    expect(() => lib.codebook.delete(group.id, russia.id)).toThrow(/is a group; its codes cannot be merged as one/)
    const kremlin = lib.codebook.create({ name: 'Kremlin voices', color: '#aa3300', dictionary: ['Peskov', 'Zakharova', 'Kremlin spokesman'] })
    const russianTerms = lib.store.repos.codes.require(russia.id).dictionary
    lib.codebook.delete(kremlin.id, russia.id)
    expect(lib.store.repos.codes.require(russia.id).dictionary).toEqual([...russianTerms, 'Kremlin spokesman'])
    lib.history.undo()
    expect(lib.store.repos.codes.require(russia.id).dictionary).toEqual(russianTerms)
    lib.history.undo()
    expect(() => lib.coding.create({ articleId: lib.article.id, start: 0, end: 9, codeIds: [group.id] })).toThrow(
      expect.objectContaining({ code: 'invalid-input', message: '"Stances" is a group; code passages with one of the codes in it.' })
    )
    lib.codebook.update(us.id, { parentId: group.id })
    lib.codebook.update(group.id, { groupKind: 'issue' })
    expect(lib.history.state().undoLabel).toBe('Change what Stances stands for')
    const edited = lib.codebook.update(russia.id, { dictionary: [' Kremlin ', 'kremlin', 'Moscow', '', 'Lavrov'] })
    expect(edited.dictionary).toEqual(['Kremlin', 'Moscow', 'Lavrov'])
    expect(lib.history.state().undoLabel).toBe('Edit dictionary of Russian stance')
    // The same terms again change nothing and add no step.
    lib.codebook.update(russia.id, { dictionary: ['Kremlin', ' Moscow', 'Lavrov ', 'lavrov'] })
    expect(lib.history.state().undoLabel).toBe('Edit dictionary of Russian stance')
    expect(() => lib.codebook.update(russia.id, { dictionary: ['x'.repeat(201)] })).toThrow(/longer than 200/)
    lib.history.undo()
    expect(lib.store.repos.codes.require(russia.id).dictionary).toEqual(russia.dictionary)
    lib.history.undo()
    expect(lib.store.repos.codes.require(group.id).groupKind).toBe('stance')
    lib.history.undo()
    lib.history.undo()
    expect(dumpStore(lib.store.db)).toEqual(before)
    lib.history.redo()
    lib.history.redo()
    lib.history.redo()
    lib.history.redo()
    expect(lib.store.repos.codes.require(russia.id).dictionary).toEqual(['Kremlin', 'Moscow', 'Lavrov'])
    expect(lib.store.repos.codes.require(us.id).parentId).toBe(lib.store.repos.codes.list().find((c) => c.name === 'Stances')!.id)
  })
})
