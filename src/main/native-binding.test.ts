import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { electronSqliteBindingPath, resolveElectronSqliteBinding } from './native-binding'

const versions = { ...process.versions, electron: '45.5.0' } as NodeJS.ProcessVersions
const root = path.resolve('/projects/stance')
const expected = path.join(root, '.native', 'electron-45.5.0-linux-x64', 'better_sqlite3.node')

interface NativeScript {
  bindingPath(projectRoot: string, electronVersion: string, platform: string, arch: string): string
}

describe('electronSqliteBindingPath', () => {
  it('names the folder after Electron version, platform and arch', () => {
    expect(electronSqliteBindingPath(root, versions, 'linux', 'x64')).toBe(expected)
    expect(electronSqliteBindingPath(root, versions, 'darwin', 'arm64')).toBe(
      path.join(root, '.native', 'electron-45.5.0-darwin-arm64', 'better_sqlite3.node')
    )
  })

  it('refuses to guess outside Electron', () => {
    const { electron: _omit, ...node } = versions
    expect(() => electronSqliteBindingPath(root, node as NodeJS.ProcessVersions, 'linux', 'x64')).toThrow(
      /process\.versions\.electron/
    )
  })

  it('agrees with scripts/electron-native.mjs, which builds the file', async () => {
    const scriptUrl = pathToFileURL(path.resolve(import.meta.dirname, '../../scripts/electron-native.mjs')).href
    const script = (await import(/* @vite-ignore */ scriptUrl)) as NativeScript
    for (const [platform, arch] of [
      ['linux', 'x64'],
      ['darwin', 'arm64'],
      ['win32', 'ia32']
    ] as const) {
      expect(electronSqliteBindingPath(root, versions, platform, arch)).toBe(
        script.bindingPath(root, '45.5.0', platform, arch)
      )
    }
  })
})

describe('resolveElectronSqliteBinding', () => {
  const env = (exists: boolean) => ({ versions, platform: 'linux' as const, arch: 'x64', exists: () => exists })

  it('returns the built binding', () => {
    expect(resolveElectronSqliteBinding(root, false, env(true))).toBe(expected)
  })

  it('leaves packaged apps on the default binding', () => {
    expect(resolveElectronSqliteBinding(root, true, env(false))).toBeUndefined()
  })

  it('explains how to build a missing binding', () => {
    expect(() => resolveElectronSqliteBinding(root, false, env(false))).toThrow(
      /npm start.*node scripts\/electron-native\.mjs ensure/s
    )
    expect(() => resolveElectronSqliteBinding(root, false, env(false))).toThrow(expected)
  })
})
