import { afterEach, describe, expect, it } from 'vitest'
import type { CodeId } from '../../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../open-test-database'

let store: TestDatabase
afterEach(() => store?.dispose())

describe('CodeRepository', () => {
  it('lists parents before children, siblings in order', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const russia = codes.insert({ name: 'Russian stance', color: '#D55E00', shortcut: '2' })
    const us = codes.insert({ name: 'US stance', color: '#0072b2', shortcut: '1' })
    const child = codes.insert({ name: 'rejects a European seat', color: '#d55e00', parentId: russia.id })
    expect(codes.list().map((c) => c.name)).toEqual(['Russian stance', 'rejects a European seat', 'US stance'])
    expect(russia.color).toBe('#d55e00')
    expect(child.parentId).toBe(russia.id)
    expect(child.sortOrder).toBe(0)
    expect(us.sortOrder).toBe(1)
  })

  it('refuses a sibling with the same name, a shared key and a malformed colour', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const parent = codes.insert({ name: 'EU stance', color: '#009e73', shortcut: '4' })
    expect(() => codes.insert({ name: 'eu STANCE', color: '#009e73' })).toThrow(/already exists/)
    expect(() => codes.insert({ name: 'Other', color: '#111111', shortcut: '4' })).toThrow(/Key 4 already applies "EU stance"/)
    expect(() => codes.insert({ name: 'Other', color: 'red' })).toThrow(/#rrggbb/)
    // The same name under another parent is fine.
    expect(codes.insert({ name: 'EU stance', color: '#009e73', parentId: parent.id }).name).toBe('EU stance')
  })

  it('enforces the rules in the schema too', () => {
    store = openTestDatabase()
    const insert = store.db.prepare("INSERT INTO codes (id, name, color, shortcut, created_at, updated_at) VALUES (?, ?, ?, ?, 'now', 'now')")
    expect(() => insert.run('a', 'A', '#GGGGGG', null)).toThrow(/CHECK/)
    expect(() => insert.run('b', 'B', '#123456', '0')).toThrow(/CHECK/)
    insert.run('c', 'C', '#123456', '5')
    expect(() => insert.run('d', 'D', '#123456', '5')).toThrow(/UNIQUE/)
  })

  it('updates fields with the rules of insert, naming the code that holds a key', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const us = codes.insert({ name: 'US stance', color: '#0072b2', shortcut: '1' })
    const eu = codes.insert({ name: 'EU stance', color: '#009e73', shortcut: '4' })
    const renamed = codes.update(us.id, { name: '  American stance ', color: '#ABCDEF', description: 'Washington', shortcut: '5' })
    expect(renamed).toMatchObject({ name: 'American stance', color: '#abcdef', description: 'Washington', shortcut: '5', sortOrder: 0, createdAt: us.createdAt })
    expect(codes.update(us.id, { shortcut: null }).shortcut).toBeNull()
    expect(() => codes.update(us.id, { name: 'eu STANCE' })).toThrow(/"EU stance" already exists/)
    expect(() => codes.update(us.id, { shortcut: '4' })).toThrow(/Key 4 already applies "EU stance"/)
    expect(() => codes.update(us.id, { color: 'blue' })).toThrow(/#rrggbb/)
    expect(() => codes.update(us.id, { name: '   ' })).toThrow(/needs a name/)
    expect(() => codes.update(us.id, { shortcut: '0' })).toThrow(/key from 1 to 9/)
    expect(() => codes.update('00000000-0000-4000-8000-000000000000' as CodeId, { name: 'x' })).toThrow(/no code/)
    // Case-insensitive beyond ASCII, which SQLite's lower() would miss.
    codes.insert({ name: 'Позиция ЕС', color: '#111111' })
    expect(() => codes.update(eu.id, { name: 'позиция ес' })).toThrow(/already exists/)
    // Keeping its own name or key is not a clash.
    expect(codes.update(eu.id, { name: 'EU STANCE', shortcut: '4' }).name).toBe('EU STANCE')
  })

  it('re-parents to the end of the new siblings, closes the gap, and refuses cycles', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const ru = codes.insert({ name: 'Russian stance', color: '#d55e00' })
    const a = codes.insert({ name: 'A', color: '#111111', parentId: ru.id })
    const b = codes.insert({ name: 'B', color: '#111111', parentId: ru.id })
    const c = codes.insert({ name: 'C', color: '#111111', parentId: ru.id })
    const grandchild = codes.insert({ name: 'A1', color: '#111111', parentId: a.id })
    const moved = codes.update(b.id, { parentId: null })
    expect(moved).toMatchObject({ parentId: null, sortOrder: 1 })
    expect(codes.children(ru.id).map((code) => [code.name, code.sortOrder])).toEqual([
      ['A', 0],
      ['C', 1]
    ])
    expect(() => codes.update(ru.id, { parentId: ru.id })).toThrow(/under itself/)
    expect(() => codes.update(ru.id, { parentId: grandchild.id })).toThrow(/one of its own sub-codes/)
    expect(() => codes.update(a.id, { parentId: '00000000-0000-4000-8000-000000000000' as CodeId })).toThrow(/no parent code/)
    codes.insert({ name: 'c', color: '#111111' })
    expect(() => codes.update(c.id, { parentId: null })).toThrow(/"c" already exists/)
    expect(codes.find(c.id)?.parentId).toBe(ru.id)
  })

  it('deletes a code, lifting its sub-codes after its siblings, even one sharing its name', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const us = codes.insert({ name: 'US stance', color: '#0072b2' })
    const eu = codes.insert({ name: 'EU stance', color: '#009e73' })
    codes.insert({ name: 'UA stance', color: '#e6b400' })
    codes.insert({ name: 'EU stance', color: '#009e73', parentId: eu.id })
    codes.insert({ name: 'Seat at the table', color: '#009e73', parentId: eu.id })
    codes.delete(eu.id)
    expect(codes.list().map((code) => [code.name, code.parentId, code.sortOrder])).toEqual([
      ['US stance', null, 0],
      ['UA stance', null, 1],
      ['EU stance', null, 2],
      ['Seat at the table', null, 3]
    ])
    const parent = codes.insert({ name: 'Parent', color: '#111111' })
    codes.insert({ name: 'us STANCE', color: '#111111', parentId: parent.id })
    expect(() => codes.delete(parent.id)).toThrow(/sub-code "us STANCE" would move up beside "US stance"/)
    expect(() => codes.delete('00000000-0000-4000-8000-000000000000' as CodeId)).toThrow(/no code/)
    expect(codes.find(us.id)).toBeDefined()
  })

  it('reorders the children of one parent and only them', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const add = (name: string) => codes.insert({ name, color: '#111111' })
    const a = add('A')
    const b = add('B')
    const c = add('C')
    const child = codes.insert({ name: 'child', color: '#111111', parentId: a.id })
    codes.reorder(null, [c.id, a.id, b.id])
    expect(codes.children(null).map((code) => code.name)).toEqual(['C', 'A', 'B'])
    expect(() => codes.reorder(null, [c.id, a.id])).toThrow(/lists 2 of the 3 codes at the top level/)
    expect(() => codes.reorder(null, [c.id, a.id, a.id])).toThrow(/names a code twice/)
    expect(() => codes.reorder(null, [c.id, a.id, child.id])).toThrow(/is not at the top level/)
    expect(() => codes.reorder('00000000-0000-4000-8000-000000000000' as CodeId, [child.id])).toThrow(/no code/)
    codes.reorder(a.id, [child.id])
    expect(codes.children(null).map((code) => code.sortOrder)).toEqual([0, 1, 2])
  })

  it('snapshots a row and restores it with the same id, seq and timestamps', () => {
    store = openTestDatabase()
    const codes = store.repos.codes
    const us = codes.insert({ name: 'US stance', color: '#0072b2', shortcut: '1', description: 'Washington' })
    const snapshot = codes.snapshot(us.id)
    expect(snapshot).toMatchObject({ id: us.id, name: 'US stance', seq: 1 })
    codes.delete(us.id)
    expect(codes.snapshot(us.id)).toBeUndefined()
    codes.restore(snapshot!)
    expect(codes.snapshot(us.id)).toEqual(snapshot)
    expect(codes.find(us.id)).toEqual(us)
    codes.update(us.id, { name: 'Renamed' })
    codes.restore(snapshot!)
    expect(codes.snapshot(us.id)).toEqual(snapshot)
    expect(store.db.prepare("SELECT count(*) AS n FROM codes_fts WHERE codes_fts MATCH 'washington'").get()).toEqual({ n: 1 })
  })
})
