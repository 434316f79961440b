import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../../e2e/chromium-path'
import { HARNESS_ORIGIN } from '../../e2e/harness'
import { summarize } from '../lib/measure'
import { openAppSession } from '../lib/app-session'
import { report, type Scenario } from '../lib/scenario'

const ASSETS = join(import.meta.dirname, '..', '..', 'out', 'renderer', 'assets')

/**
 * Records, in the page, when the first frame showing the library view has been painted (ms since navigation):
 * the app's library list with its articles, or the blank page's ready mark.
 */
const PAINT_PROBE = `(() => {
  const check = () => {
    if (document.querySelector('nav [data-article-id]') || (document.documentElement && document.documentElement.dataset.bench === 'ready')) {
      requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now() }))
    } else requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
})()`

/** Bytes of the app's own script and stylesheet bundles, so the baseline loads as much. */
function bundleSizes(): { js: number; css: number } {
  const files = readdirSync(ASSETS)
  const size = (ext: string) => files.filter((f) => f.endsWith(ext)).reduce((sum, f) => sum + statSync(join(ASSETS, f)).size, 0)
  return { js: size('.js'), css: size('.css') }
}

/**
 * The blank page: a script of the same size made of small functions (parsed, mostly never called) and a
 * stylesheet of the same size, which then marks the page ready — what the browser must do for any app this
 * big before it can show anything.
 */
function blankBundle(sizes: { js: number; css: number }): { html: string; js: string; css: string } {
  let js = ''
  for (let i = 0; js.length < sizes.js - 200; i++) js += `function f${i}(a, b) { return a * ${i} + (b ? b.length : ${i % 7}) }\n`
  js += "document.body.textContent = 'Library'; document.documentElement.dataset.bench = 'ready'\n"
  let css = ''
  for (let i = 0; css.length < sizes.css; i++) css += `.c${i} { color: #${(i % 4096).toString(16).padStart(3, '0')}; margin: ${i % 9}px }\n`
  return { html: '<!doctype html><html><head><link rel="stylesheet" href="/__bench/blank.css"></head><body><script src="/__bench/blank.js"></script></body></html>', js, css }
}

async function timeLoad(context: BrowserContext, url: string): Promise<number> {
  const page: Page = await context.newPage()
  try {
    await page.goto(url)
    await page.waitForFunction(() => typeof (window as unknown as { __painted?: number }).__painted === 'number', undefined, { timeout: 15_000 })
    return await page.evaluate(() => (window as unknown as { __painted: number }).__painted)
  } finally {
    await page.close()
  }
}

/** S1: the app's renderer from navigation to the painted library view, against a blank page loading a bundle of the same size. */
export const boot: Scenario = {
  id: 'S1',
  title: 'renderer boot to the painted library view',
  async run({ quick }) {
    const session = await openAppSession(() => undefined)
    const sizes = bundleSizes()
    const blank = blankBundle(sizes)
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
    try {
      const app = session.page.context()
      await app.addInitScript({ content: PAINT_PROBE })
      const other = await browser.newContext({ viewport: { width: 1440, height: 900 } })
      await other.addInitScript({ content: PAINT_PROBE })
      await other.route('**/*', (route) => {
        const path = new URL(route.request().url()).pathname
        if (path === '/__bench/blank.js') return route.fulfill({ contentType: 'text/javascript', body: blank.js })
        if (path === '/__bench/blank.css') return route.fulfill({ contentType: 'text/css', body: blank.css })
        return route.fulfill({ contentType: 'text/html', body: blank.html })
      })
      const reps = quick ? 2 : 9
      const feature: number[] = []
      const baseline: number[] = []
      // Alternate, after one warm-up of each, so drift on a shared machine hits both alike.
      for (let r = 0; r <= reps; r++) {
        const f = await timeLoad(app, `${HARNESS_ORIGIN}/index.html`)
        const b = await timeLoad(other, `${HARNESS_ORIGIN}/__bench/blank.html`)
        if (r === 0) continue
        feature.push(f)
        baseline.push(b)
      }
      const f = summarize(feature)
      return report(this, {
        feature: f,
        baseline: summarize(baseline),
        goal: '≤ 1.5×, ≤ 500 ms',
        met: (ratio) => ratio <= 1.5 && f.median <= 500,
        notes: `bundles: ${(sizes.js / 1024).toFixed(0)} KiB script, ${(sizes.css / 1024).toFixed(0)} KiB styles (fonts load on demand); the app also asks main for the library, codebook and history and opens the last article`
      })
    } finally {
      await browser.close()
      await session.close()
    }
  }
}

