import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resolveAppPath } from './resolve-app-path'

const root = path.resolve('/srv/stance/out/renderer')
const inRoot = (...parts: string[]): string => path.join(root, ...parts)

describe('resolveAppPath: files that are served', () => {
  it.each([
    ['app://stance/', 'index.html'],
    ['app://stance', 'index.html'],
    ['app://stance/?x=1', 'index.html'],
    ['app://stance/#/library', 'index.html'],
    ['app://stance/index.html', 'index.html'],
    ['app://stance/assets/index-BxY_12-a.js', 'assets/index-BxY_12-a.js'],
    ['app://stance/assets/index.css?v=3#top', 'assets/index.css'],
    ['app://stance/assets/inter-latin-400-normal.woff2', 'assets/inter-latin-400-normal.woff2'],
    ['app://stance/assets/my%20font.woff', 'assets/my font.woff'],
    ['app://stance/assets/caf%C3%A9.png', 'assets/café.png'],
    ['app://stance/assets/..hidden', 'assets/..hidden'],
    // `~` is not special to path.resolve, so this stays a literal directory under the root.
    ['app://stance/%7e/.ssh', '~/.ssh'],
    ['APP://STANCE/index.html', 'index.html']
  ])('%s -> %s', (url, expected) => {
    expect(resolveAppPath(root, url)).toBe(inRoot(...expected.split('/')))
  })

  it('accepts a relative rootDir by resolving it', () => {
    expect(resolveAppPath('out/renderer', 'app://stance/index.html')).toBe(
      path.resolve('out/renderer', 'index.html')
    )
  })
})

describe('resolveAppPath: wrong origin', () => {
  it.each([
    'file:///etc/passwd',
    'http://stance/index.html',
    'https://stance/index.html',
    'app://evil/index.html',
    'app://stance.evil/index.html',
    'app://stancex/index.html',
    'app://stance:8080/index.html',
    'app://user@stance/index.html',
    'app://user:pw@stance/index.html',
    'app://evil@stance/index.html',
    'app://stance@evil/index.html',
    'app:stance/index.html',
    'app:/stance/index.html',
    'app:///stance/index.html',
    'app:///etc/passwd',
    ' app://stance/index.html',
    'app://stance/index.html\n',
    'javascript:alert(1)',
    '',
    'index.html'
  ])('%j', (url) => {
    expect(resolveAppPath(root, url)).toBeNull()
  })
})

describe('resolveAppPath: traversal vectors', () => {
  it.each([
    'app://stance/..',
    'app://stance/../',
    'app://stance/../../etc/passwd',
    'app://stance/assets/../../../etc/passwd',
    'app://stance/assets/../index.html',
    'app://stance/./index.html',
    'app://stance/assets/./x.js',
    'app://stance/%2e%2e/%2e%2e/etc/passwd',
    'app://stance/%2E%2E/%2E%2E/etc/passwd',
    'app://stance/.%2e/etc/passwd',
    'app://stance/%2e./etc/passwd',
    'app://stance/%2e',
    'app://stance/assets/%2e%2e/%2e%2e/secret',
    'app://stance/%252e%252e/%252e%252e/etc/passwd',
    'app://stance/..%2fetc%2fpasswd',
    'app://stance/..%2Fetc%2Fpasswd',
    'app://stance/%2f%2e%2e%2fetc/passwd',
    'app://stance/%2Fetc%2Fpasswd',
    'app://stance/..%5cwindows%5cwin.ini',
    'app://stance/..%5Cwindows',
    'app://stance/%5c%5cserver%5cshare',
    'app://stance/..\\..\\windows\\win.ini',
    'app://stance/assets\\..\\..\\secret',
    'app://stance/\\etc\\passwd',
    'app://stance/index.html%00.png',
    'app://stance/index.html\u0000.png',
    'app://stance/%00',
    'app://stance/a%0a/b',
    'app://stance/a%09b',
    'app://stance/%c0%ae%c0%ae/etc/passwd',
    'app://stance/%c0%af',
    'app://stance/%e0%80%ae',
    'app://stance/%',
    'app://stance/%zz',
    'app://stance//etc/passwd',
    'app://stance///etc/passwd',
    'app://stance/assets//x.js',
    'app://stance/assets/',
    'app://stance/C:/Windows/win.ini',
    'app://stance/C%3A/Windows/win.ini',
    'app://stance/c:%5cwindows',
    'app://stance/index.html::$DATA',
    'app://stance/...',
    'app://stance/.. /secret',
    'app://stance/..%20/secret',
    'app://stance/..%2e/secret',
    'app://stance/index.html.',
    'app://stance/index.html%20',
    'app://stance/a*b',
    'app://stance/a%3Fb',
    'app://stance/' + 'a/'.repeat(3000) + 'x'
  ])('%j', (url) => {
    expect(resolveAppPath(root, url)).toBeNull()
  })
})

describe('resolveAppPath: Windows path semantics', () => {
  const winRoot = 'C:\\Program Files\\Stance\\resources\\app\\out\\renderer'

  it('maps to a Windows path inside the root', () => {
    expect(resolveAppPath(winRoot, 'app://stance/assets/index.js', path.win32)).toBe(
      `${winRoot}\\assets\\index.js`
    )
  })

  it.each([
    'app://stance/C:/Windows/win.ini',
    'app://stance/C%3a%5cWindows',
    'app://stance/..%5c..%5cWindows',
    'app://stance/%2e%2e/%2e%2e/Windows',
    'app://stance/.. /Windows',
    'app://stance/...',
    'app://stance/index.html::$DATA',
    'app://stance/%5c%5c.%5cpipe%5cx',
    'app://stance/%2f%2fserver/share'
  ])('%j', (url) => {
    expect(resolveAppPath(winRoot, url, path.win32)).toBeNull()
  })
})

describe('resolveAppPath: result always stays inside the root', () => {
  const pieces = ['a', 'b.js', '.', '/', '%2e', '%2E', '%2f', '%5c', '\\', '%', '..', '%25', '%00', ':', ' ', '~']

  it.each([
    ['posix', path.posix, '/srv/stance/out/renderer'],
    ['win32', path.win32, 'C:\\Stance\\out\\renderer']
  ] as const)('never escapes the root (%s)', (_name, pathApi, base) => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), fc.string(), (parts, extra) => {
        const result = resolveAppPath(base, 'app://stance/' + parts.join('') + extra, pathApi)
        if (result === null) return
        const rel = pathApi.relative(base, result)
        expect(rel).not.toBe('')
        expect(rel === '..' || rel.startsWith('..' + pathApi.sep)).toBe(false)
        expect(pathApi.isAbsolute(rel)).toBe(false)
      }),
      { numRuns: 3000 }
    )
  })
})
