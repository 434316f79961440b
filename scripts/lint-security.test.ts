import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

// scripts/lint-security.mjs over small projects laid out like Stance, so the gate is known to fail when it should
// (and not only to pass on the real sources).

const SCRIPT = path.resolve(import.meta.dirname, 'lint-security.mjs')
const projects: string[] = []

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'stance-lint-security-test-'))
  projects.push(root)
  const all = { 'package.json': JSON.stringify({ name: 'fixture', devDependencies: { electron: '45.5.0' } }), ...files }
  for (const [file, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), content)
  }
  return root
}

function lint(root: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, '--root', root], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr })
    })
  })
}

// The least a project needs to pass: a locked-down window, navigation and permission handlers, a CSP.
const SAFE = {
  'src/main/window.ts': `import { BrowserWindow } from 'electron'
export function open(): BrowserWindow {
  const window = new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } })
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  window.webContents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  return window
}
`,
  'src/renderer/index.html': `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'"></head><body></body></html>`
}

afterEach(() => {
  for (const root of projects.splice(0)) rmSync(root, { recursive: true, force: true })
})

describe('lint:security', () => {
  it('passes a window with the secure preferences, and reads the Electron version', { timeout: 60_000 }, async () => {
    const { code, output } = await lint(project(SAFE))
    expect(output).toContain('Electron 45.5.0')
    expect(output).toContain('0 findings at MEDIUM or above')
    expect(code).toBe(0)
  })

  it('fails on an unsandboxed window without context isolation, naming the checks and lines', { timeout: 60_000 }, async () => {
    const unsafe = `import { BrowserWindow } from 'electron'
export const w = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } })
`
    const { code, output } = await lint(project({ 'src/main/window.ts': unsafe, 'src/main/window.test.ts': unsafe.replace('export const w', 'const t') }))
    expect(code).toBe(1)
    expect(output).toMatch(/HIGH\s+FIRM\s+CONTEXT_ISOLATION_JS_CHECK\s+src\/main\/window\.ts:2/)
    expect(output).toMatch(/MEDIUM\s+FIRM\s+SANDBOX_JS_CHECK\s+src\/main\/window\.ts:2/)
    // Unit tests are not scanned.
    expect(output).not.toContain('window.test.ts')
  })

  it('fails on an eng-disable that is not listed with a reason', { timeout: 60_000 }, async () => {
    const { code, output } = await lint(
      project({
        ...SAFE,
        'src/main/open.ts': `import { shell } from 'electron'\nexport const open = (u: string) => shell.openExternal(u) // eng-disable OPEN_EXTERNAL_JS_CHECK\n`
      })
    )
    expect(code).toBe(1)
    expect(output).toContain('src/main/open.ts: eng-disable OPEN_EXTERNAL_JS_CHECK is not listed')
  })

  it('reads Svelte components (compiled to JavaScript)', { timeout: 60_000 }, async () => {
    const { code, output } = await lint(
      project({
        ...SAFE,
        'src/renderer/src/Bad.svelte': `<script lang="ts">\n  let { code }: { code: string } = $props()\n  setTimeout('run(' + code + ')', 10)\n</script>\n<p>{code}</p>\n`
      })
    )
    expect(code).toBe(1)
    expect(output).toMatch(/MEDIUM\s+CERTAIN\s+DANGEROUS_FUNCTIONS_JS_CHECK\s+src\/renderer\/src\/Bad\.svelte/)
  })

  it('fails on a file it cannot parse, since that file went unchecked', { timeout: 60_000 }, async () => {
    const { code, output } = await lint(project({ ...SAFE, 'src/main/broken.ts': 'export const = 1\n' }))
    expect(code).toBe(1)
    expect(output).toContain('could not parse src/main/broken.ts')
  })

  it('fails when no CSP is found', { timeout: 60_000 }, async () => {
    const { code, output } = await lint(project({ ...SAFE, 'src/renderer/index.html': '<!doctype html><html><head></head><body></body></html>' }))
    expect(code).toBe(1)
    expect(output).toMatch(/MEDIUM\s+CERTAIN\s+CSP_GLOBAL_CHECK/)
  })
})
