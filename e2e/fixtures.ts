import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, chromium, test as base, type Browser, type ElectronApplication, type Page } from '@playwright/test'
import { bootstrap, type Stance } from '../src/main/bootstrap'
import { ChromiumPdfPrinter } from '../src/main/export/pdf/chromium-pdf-printer'
import { CHROMIUM_ARGS, chromiumPath } from './chromium-path'
import { bridgeContext, HARNESS_ORIGIN } from './harness'

const ROOT = join(import.meta.dirname, '..')
const RESOURCES = join(ROOT, 'resources')

/** What a spec gets: a ready page on a fresh library, and ways to reload or restart the app over the same data. */
export interface AppHandle {
  page: Page
  /** The temp data folder holding stance.db (exports made through the UI land in its exports/ folder). */
  dataDir: string
  /** 'chromium' (built renderer + real handlers in this process) or 'electron'. */
  target: 'chromium' | 'electron'
  /** Requests the page made to anywhere but the app (Chromium target). */
  externalRequests: string[]
  /** Reloads the window and waits until the app is ready again. */
  reload(): Promise<void>
  /** Closes the app and the database, then (after `between`, e.g. damaging the file) starts both again on the same data folder. */
  restart(between?: () => void | Promise<void>): Promise<void>
  /** The store behind the page (Chromium target only): its host reaches the database connection. */
  stance(): Stance
}

/** Waits until the renderer has loaded its first data. */
export async function waitForReady(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 })
}

interface Session {
  page: Page
  close(): Promise<void>
  stance?: () => Stance
}

async function openChromium(dataDir: string, externalRequests: string[]): Promise<Session> {
  const printer = new ChromiumPdfPrinter({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  // Events go to whichever page the session has open; it exists only after the handlers do.
  const target: { page?: Page } = {}
  let stance: Stance = bootstrap({
    dataDir,
    resourcesDir: RESOURCES,
    app: { name: 'Stance', version: 'e2e', runtime: 'Chromium harness' },
    // The app asks with a save dialog; the harness takes the path a spec passed, or stands in for the user
    // accepting the dialog's proposal inside <data>/exports.
    exports: {
      printer: () => printer,
      chooseOutput: async ({ requested, suggestedName, directory }) => {
        if (requested) return requested
        const folder = join(dataDir, 'exports')
        mkdirSync(folder, { recursive: true })
        return directory ? folder : join(folder, suggestedName)
      }
    },
    emit: (event, payload) => {
      target.page?.evaluate(([e, p]) => (window as unknown as { __stanceEmit(e: string, p: unknown): void }).__stanceEmit(e, p), [event, payload] as const).catch(() => undefined)
    }
  })
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
  // The handle's own list, filled as requests happen, so a spec's `expect(app.externalRequests)` sees them at once.
  await bridgeContext(context, () => stance.handlers, externalRequests)
  const page = await context.newPage()
  target.page = page
  await page.goto(`${HARNESS_ORIGIN}/index.html`)
  await waitForReady(page)
  return {
    page,
    stance: () => stance,
    async close() {
      await browser.close()
      await printer.close()
      stance.close()
      stance = undefined as unknown as Stance
    }
  }
}

async function openElectron(dataDir: string): Promise<Session> {
  const app: ElectronApplication = await _electron.launch({
    args: [join(ROOT, 'out', 'main', 'index.js')],
    cwd: ROOT,
    env: { ...process.env, STANCE_USER_DATA_DIR: dataDir, STANCE_E2E: '1', NODE_ENV: 'production' } as Record<string, string>
  })
  const page = await app.firstWindow()
  await waitForReady(page)
  return { page, close: () => app.close() }
}

function electronAvailable(): boolean {
  return existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'))
}

/** Playwright's `test` with an `app` fixture: a fresh data folder and the real app over it. */
export const test = base.extend<{ app: AppHandle }>({
  app: async ({}, use) => {
    const target = process.env.E2E_TARGET === 'electron' ? 'electron' : 'chromium'
    if (target === 'electron' && !electronAvailable()) {
      throw new Error('E2E_TARGET=electron needs the Electron binary (node_modules/electron/path.txt is missing); run `npm install` with network access.')
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'stance-e2e-'))
    const externalRequests: string[] = []
    const start = (): Promise<Session> => (target === 'electron' ? openElectron(dataDir) : openChromium(dataDir, externalRequests))
    let session = await start()
    const handle: AppHandle = {
      page: session.page,
      dataDir,
      target,
      externalRequests,
      async reload() {
        await handle.page.reload()
        await waitForReady(handle.page)
      },
      async restart(between) {
        await session.close()
        session = { page: handle.page, close: async () => {} }
        await between?.()
        session = await start()
        handle.page = session.page
      },
      stance() {
        if (!session.stance) throw new Error('The store is reachable only with the Chromium target.')
        return session.stance()
      }
    }
    await use(handle)
    await session.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

export { expect } from '@playwright/test'
