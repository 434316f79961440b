import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

interface Script {
  bindingPath(projectRoot: string, electronVersion: string, platform: string, arch: string): string
  electronPlatformPath(platform: string): string | null
  electronArch(env: Record<string, string | undefined>, platform: string, arch: string, isRosetta?: () => boolean): string
  electronInstallProblem(
    electronDir: string,
    version: string,
    platform: string,
    env: Record<string, string | undefined>,
    exists?: (file: string) => boolean,
    read?: (file: string) => string | undefined
  ): string | null
  nodeGypCandidates(env: Record<string, string | undefined>, execPath: string, projectRoot: string, platform?: string): string[]
  failureReason(output: string, fallback: string): string
  ensure(options: { projectRoot: string }): void
  EnsureError: new (message: string) => Error
}

// Imported by URL so TypeScript does not need declarations for the .mjs file.
const script = (await import(
  /* @vite-ignore */ pathToFileURL(path.resolve(import.meta.dirname, 'electron-native.mjs')).href
)) as Script

describe('electronPlatformPath', () => {
  it('matches electron/install.js', () => {
    expect(script.electronPlatformPath('linux')).toBe('electron')
    expect(script.electronPlatformPath('darwin')).toBe('Electron.app/Contents/MacOS/Electron')
    expect(script.electronPlatformPath('win32')).toBe('electron.exe')
    expect(script.electronPlatformPath('aix')).toBeNull()
  })
})

describe('electronArch', () => {
  it('follows the same overrides as electron/install.js', () => {
    expect(script.electronArch({}, 'linux', 'x64')).toBe('x64')
    expect(script.electronArch({ npm_config_arch: 'arm64' }, 'linux', 'x64')).toBe('arm64')
    expect(script.electronArch({ ELECTRON_INSTALL_ARCH: 'ia32', npm_config_arch: 'arm64' }, 'win32', 'x64')).toBe('ia32')
  })

  it('builds for arm64 when x64 Node runs under Rosetta', () => {
    expect(script.electronArch({}, 'darwin', 'x64', () => true)).toBe('arm64')
    expect(script.electronArch({ npm_config_arch: 'x64' }, 'darwin', 'x64', () => true)).toBe('x64')
    expect(script.electronArch({}, 'darwin', 'x64', () => false)).toBe('x64')
  })
})

describe('electronInstallProblem', () => {
  const dir = '/p/node_modules/electron'
  const files = (entries: Record<string, string>) => ({
    read: (file: string) => entries[path.relative(dir, file).split(path.sep).join('/')],
    exists: (file: string) => path.relative(dir, file).split(path.sep).join('/') in entries
  })

  it('is null for a complete install', () => {
    const fs = files({ 'dist/version': 'v45.5.0', 'path.txt': 'electron', 'dist/electron': '' })
    expect(script.electronInstallProblem(dir, '45.5.0', 'linux', {}, fs.exists, fs.read)).toBeNull()
  })

  it.each([
    [{}, /dist is missing/],
    [{ 'dist/version': '44.0.0', 'path.txt': 'electron', 'dist/electron': '' }, /holds Electron 44\.0\.0/],
    [{ 'dist/version': '45.5.0', 'dist/electron': '' }, /path\.txt/],
    [{ 'dist/version': '45.5.0', 'path.txt': 'electron' }, /dist\/electron is missing/]
  ])('explains an incomplete install %#', (entries, message) => {
    const fs = files(entries)
    expect(script.electronInstallProblem(dir, '45.5.0', 'linux', {}, fs.exists, fs.read)).toMatch(message)
  })

  it('honours ELECTRON_OVERRIDE_DIST_PATH like electron/index.js', () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }
    expect(script.electronInstallProblem(dir, '45.5.0', 'linux', env, (f) => f === path.join('/opt/electron', 'electron'), () => undefined)).toBeNull()
    expect(script.electronInstallProblem(dir, '45.5.0', 'linux', env, () => false, () => undefined)).toMatch(
      /ELECTRON_OVERRIDE_DIST_PATH/
    )
  })
})

describe('nodeGypCandidates', () => {
  it('prefers npm’s own node-gyp, then the copy bundled with npm, then a local one', () => {
    const candidates = script.nodeGypCandidates(
      { npm_config_node_gyp: '/npm/node_modules/node-gyp/bin/node-gyp.js', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' },
      '/usr/bin/node',
      '/p',
      'linux'
    )
    expect(candidates).toEqual([
      '/npm/node_modules/node-gyp/bin/node-gyp.js',
      path.join('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
      path.join('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
      path.join('/p/node_modules/node-gyp/bin/node-gyp.js')
    ])
  })

  it('finds npm next to node.exe on Windows and ignores non-npm exec paths', () => {
    const candidates = script.nodeGypCandidates({ npm_execpath: '/x/pnpm.cjs' }, '/nodejs/node.exe', '/p', 'win32')
    expect(candidates[0]).toBe(path.join('/nodejs/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'))
    expect(candidates).toHaveLength(2)
  })
})

describe('failureReason', () => {
  it('names the network error and URL', () => {
    const log = [
      'prebuild-install http request GET https://github.com/x/y.tar.gz',
      'prebuild-install warn install getaddrinfo ENOTFOUND github.com'
    ].join('\n')
    expect(script.failureReason(log, 'exit code 1')).toBe(
      'network error (getaddrinfo ENOTFOUND github.com) fetching https://github.com/x/y.tar.gz'
    )
  })

  it('recognises node-gyp’s connectivity message', () => {
    const log = 'gyp http GET https://electronjs.org/headers/v1/h.tar.gz\ngyp ERR! stack is related to network connectivity.'
    expect(script.failureReason(log, 'x')).toBe('network error fetching https://electronjs.org/headers/v1/h.tar.gz')
  })

  it('otherwise reports the first real error line', () => {
    const log = 'gyp info ok\ngyp ERR! find Python\ngyp ERR! stack at foo\ngyp ERR! not ok'
    expect(script.failureReason(log, 'x')).toBe('gyp ERR! find Python')
    expect(script.failureReason('', 'exit code 1')).toBe('exit code 1')
  })
})

describe('ensure', () => {
  let project: string | undefined
  afterEach(() => {
    if (project) rmSync(project, { recursive: true, force: true })
    project = undefined
  })

  function fakeProject(options: { electronInstalled: boolean; bindingBuilt: boolean }): string {
    project = mkdtempSync(path.join(tmpdir(), 'stance-electron-native-'))
    const electronDir = path.join(project, 'node_modules', 'electron')
    mkdirSync(path.join(electronDir, 'dist'), { recursive: true })
    writeFileSync(path.join(electronDir, 'package.json'), JSON.stringify({ version: '45.5.0' }))
    const platformPath = script.electronPlatformPath(process.platform) ?? 'electron'
    if (options.electronInstalled) {
      writeFileSync(path.join(electronDir, 'dist', 'version'), '45.5.0')
      writeFileSync(path.join(electronDir, 'path.txt'), platformPath)
      mkdirSync(path.dirname(path.join(electronDir, 'dist', platformPath)), { recursive: true })
      writeFileSync(path.join(electronDir, 'dist', platformPath), '')
    }
    if (options.bindingBuilt) {
      const arch = script.electronArch(process.env, process.platform, process.arch)
      const binding = script.bindingPath(project, '45.5.0', process.platform, arch)
      mkdirSync(path.dirname(binding), { recursive: true })
      writeFileSync(binding, 'binary')
    }
    return project
  }

  it.skipIf(process.platform === 'darwin')('does nothing when everything is in place', () => {
    expect(() => script.ensure({ projectRoot: fakeProject({ electronInstalled: true, bindingBuilt: true }) })).not.toThrow()
  })

  it.skipIf(process.platform === 'darwin')('explains a missing Electron binary', () => {
    const root = fakeProject({ electronInstalled: false, bindingBuilt: true })
    expect(() => script.ensure({ projectRoot: root })).toThrow(script.EnsureError)
    expect(() => script.ensure({ projectRoot: root })).toThrow(/npx install-electron/)
  })

  it('fails clearly when better-sqlite3 is not installed', () => {
    const root = fakeProject({ electronInstalled: true, bindingBuilt: false })
    expect(() => script.ensure({ projectRoot: root })).toThrow(/node_modules\/better-sqlite3 is missing/)
  })
})
