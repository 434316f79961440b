import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../../e2e/chromium-path'
import { bridgeContext, HARNESS_ORIGIN } from '../../e2e/harness'
import { bootstrap, type Stance } from '../../src/main/bootstrap'
import { openDatabase } from '../../src/main/db/connection'
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations'
import { createRepositories, type Repositories } from '../../src/main/db/repositories/repositories'

const ROOT = join(import.meta.dirname, '..', '..')

/** Builds the renderer once if `out/` is missing, so the browser scenarios measure the shipped bundle. */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' })
}

/** The real app in Chromium over a temp library, as the e2e harness runs it. */
export interface AppSession {
  page: Page
  repos: Repositories
  close(): Promise<void>
}

/**
 * Seeds a fresh library with `seed(repos)` (through a second connection, as another process would),
 * then opens the built renderer in Chromium bridged to the real handlers.
 */
export async function openAppSession(seed: (repos: Repositories) => void): Promise<AppSession> {
  ensureBuilt()
  const dataDir = mkdtempSync(join(tmpdir(), 'stance-bench-app-'))
  const stance: Stance = bootstrap({ dataDir, resourcesDir: join(ROOT, 'resources') })
  const db = openDatabase(stance.databasePath, { latestVersion: LATEST_SCHEMA_VERSION })
  const repos = createRepositories(db)
  seed(repos)
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  await bridgeContext(context, () => stance.handlers)
  // tsx compiles with keepNames, which wraps functions passed to page.evaluate in a `__name` helper.
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn' })
  const page = await context.newPage()
  await page.goto(`${HARNESS_ORIGIN}/index.html`)
  await page.waitForSelector('html[data-ready="true"]')
  return {
    page,
    repos,
    async close() {
      await browser.close()
      db.close()
      stance.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
