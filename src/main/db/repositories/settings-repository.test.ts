import { afterEach, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../open-test-database'

let store: TestDatabase
afterEach(() => store?.dispose())

describe('SettingsRepository', () => {
  it('returns the fallback until a value is set, then the value', () => {
    store = openTestDatabase()
    expect(store.repos.settings.get('analyst', 'nobody')).toBe('nobody')
    store.repos.settings.set('analyst', { name: 'Ана' })
    store.repos.settings.set('analyst', { name: 'Ана Петренко' })
    expect(store.repos.settings.get('analyst', null)).toEqual({ name: 'Ана Петренко' })
  })
})
