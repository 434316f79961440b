import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { LibraryModel } from './models/library-model'
import { StancePage } from './models/stance-page'

// Hardening R11/R12 as a user (or hostile content) would meet it: links in articles, new windows, and paths
// that try to climb out of the app. Deciding what happens to a link outside the app (asking, then the system
// browser) is main-process work: web-contents-guards.test.ts and main-window.test.ts cover it with stand-ins.

const ARTICLE = `<!doctype html><html><head><title>Envoys keep talking | Wire</title></head><body><article>
<h1>Envoys keep talking</h1>
<p>The envoys met in Riyadh on Tuesday and agreed to keep talking, <a href="https://example.com/story" target="_blank">officials said</a> after the session.</p>
<p>Kyiv was not at the table, and <a href="mailto:desk@example.com">European governments</a> asked for a seat in any later round.</p>
<p>A further paragraph gives the extractor enough prose to treat this as an article, <a href="javascript:window.__pwned=1">with a script link</a> in it.</p>
</article></body></html>`

async function openArticle(page: Page): Promise<StancePage> {
  const library = new LibraryModel(page)
  const stance = new StancePage(page)
  await library.importFiles([{ name: 'envoys.html', mimeType: 'text/html', buffer: Buffer.from(ARTICLE, 'utf8') }])
  await library.item('Envoys keep talking').click()
  await expect(stance.articleTitle).toHaveText('Envoys keep talking')
  return stance
}

/** Gives a click time to start a navigation or open a page, if it were going to. */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(300)
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

test('a link in an article navigates nowhere and opens nothing, however it is clicked', async ({ app }) => {
  const { page } = app
  const stance = await openArticle(page)
  const url = page.url()
  const web = stance.articleText.getByRole('link', { name: 'officials said' })
  const mail = stance.articleText.getByRole('link', { name: 'European governments' })

  // What import kept: web and mail links only, without target; the javascript: link is plain text now.
  await expect(web).toHaveAttribute('href', 'https://example.com/story')
  await expect(mail).toHaveAttribute('href', 'mailto:desk@example.com')
  await expect(stance.articleText.locator('a')).toHaveCount(2)
  await expect(stance.articleText.locator('a[target]')).toHaveCount(0)
  await expect(stance.articleText).toContainText('with a script link in it')

  const clicks: [string, Parameters<typeof web.click>[0]][] = [
    ['click', {}],
    ['middle-click', { button: 'middle' }],
    ['Ctrl+click', { modifiers: ['Control'] }],
    ['Shift+click', { modifiers: ['Shift'] }],
    ['Meta+click', { modifiers: ['Meta'] }],
    ['double-click', { clickCount: 2 }]
  ]
  for (const link of [web, mail]) {
    for (const [name, options] of clicks) {
      await link.click(options)
      await settle(page)
      // A double-click selects a word, and a selection brings up the code picker; put it away again.
      if (await stance.page.getByRole('menu', { name: 'Code the selection' }).isVisible()) await page.keyboard.press('Escape')
      expect(page.url(), `${name} on ${await link.textContent()}`).toBe(url)
      expect(page.context().pages(), `${name} on ${await link.textContent()}`).toHaveLength(1)
    }
  }
  await expect(stance.articleTitle).toHaveText('Envoys keep talking')
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(app.externalRequests).toEqual([])
})

/** window.open from the page, and a target=_blank link (one that did not come through import) clicked. */
async function tryNewWindows(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.open('https://example.com/popup', '_blank')
    window.open('https://example.com/noopener', '_blank', 'noopener')
    const link = document.createElement('a')
    link.href = 'https://example.com/blank'
    link.target = '_blank'
    link.textContent = 'a link that opens a new window'
    link.id = 'hardening-blank-link'
    document.body.append(link)
  })
  await page.locator('#hardening-blank-link').click()
  await settle(page)
}

test('window.open and target=_blank never move the app window or load anything from outside', async ({ app }) => {
  const { page } = app
  const stance = await openArticle(page)
  const url = page.url()
  await tryNewWindows(page)
  expect(page.url()).toBe(url)
  await expect(stance.articleTitle).toHaveText('Envoys keep talking')
  await expect(page.locator('html[data-ready="true"]')).toHaveCount(1)
  // No window opened, so nothing was even asked of the network.
  await page.waitForTimeout(300)
  expect(app.externalRequests).toEqual([])
})

test('window.open and target=_blank open no window', async ({ app }) => {
  // Two walls: the page's own CSP `sandbox` (no allow-popups) refuses every new window in any browser, and in
  // Electron setWindowOpenHandler (web-contents-guards.ts, unit-tested) denies it again and offers web links to
  // the system browser.
  const { page } = app
  await openArticle(page)
  await tryNewWindows(page)
  expect(page.context().pages()).toHaveLength(1)
})

const CLIMBING_PATHS = [
  '/../../../../etc/passwd',
  '/assets/../../../../../etc/passwd',
  '/../../package.json',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2E%2E/%2E%2E/package.json',
  '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/.%2e/.%2e/.%2e/etc/passwd',
  '/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/assets/..%2F..%2F..%2Fpackage.json',
  '/%2fetc%2fpasswd',
  '/assets/%2Fetc%2Fpasswd',
  '//etc/passwd',
  '/assets//etc/passwd',
  '/..%5c..%5c..%5cetc%5cpasswd',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/index.html%00.js',
  '/C:/Windows/win.ini',
  '/assets/C:%5CWindows%5Cwin.ini'
]

test('paths that climb out of the app, encoded or absolute, are not found', async ({ app }) => {
  const { page } = app
  const results = await page.evaluate(async (paths) => {
    const out: { path: string; url: string; status: number; csp: string | null; body: string }[] = []
    // Each path on the app's own origin: `${origin}//etc/passwd` keeps its double slash instead of naming a host.
    for (const path of ['/index.html', ...paths]) {
      const response = await fetch(`${location.origin}${path}`)
      out.push({ path, url: response.url, status: response.status, csp: response.headers.get('content-security-policy'), body: (await response.text()).slice(0, 2000) })
    }
    return out
  }, CLIMBING_PATHS)

  // The app's own files are still served (so the 404s below are the handler refusing, not a dead server).
  expect(results[0]).toMatchObject({ path: '/index.html', status: 200 })
  expect(results[0]!.body).toContain('<div id="app">')
  for (const result of results.slice(1)) {
    expect(result, result.path).toMatchObject({ status: 404, body: 'Not Found' })
    expect(result.csp, result.path).toContain("default-src 'self'")
  }

  // The same through a navigation, which the harness routes like every request: a top-level document load.
  const other = await page.context().newPage()
  for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '//etc/passwd']) {
    const response = await other.goto(`https://stance.invalid${path}`)
    expect(response?.status(), path).toBe(404)
    await expect(other.locator('body')).toHaveText('Not Found')
  }
  await other.close()
  expect(app.externalRequests).toEqual([])
})
