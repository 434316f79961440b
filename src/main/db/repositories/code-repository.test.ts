import { afterEach, describe, expect, it } from 'vitest'
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
})
