import { readFileSync } from 'node:fs'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../../e2e/chromium-path'
import type { CodeId } from '../../src/shared/domain/ids'
import type { Repositories } from '../../src/main/db/repositories/repositories'
import { openAppSession } from '../lib/app-session'
import { generateArticle } from '../lib/generate-article'
import { summarize } from '../lib/measure'
import { report, type RunOptions, type Scenario, type ScenarioResult } from '../lib/scenario'

const WITH = 'Bench article with highlights'
const WITHOUT = 'Bench article without highlights'

interface Library {
  withId: string
  withoutId: string
  paragraphs: number
  highlights: number
}

function seedLibrary(repos: Repositories, words: number, count: number): Library {
  const article = generateArticle(20250217, words, count)
  const meta = { outlet: 'Bench', author: null, publishedAt: '2025-02-17', sourceUrl: null }
  const withHighlights = repos.articles.insert({ ...meta, title: WITH }, article.doc)
  const withoutHighlights = repos.articles.insert({ ...meta, title: WITHOUT }, article.doc)
  const codes = repos.codes.list().filter((c) => !c.groupKind).map((c) => c.id as CodeId)
  article.ranges.forEach((range, i) => repos.highlights.insert({ articleId: withHighlights.id, ...range, codeIds: [codes[i % codes.length]!] }))
  return { withId: withHighlights.id, withoutId: withoutHighlights.id, paragraphs: article.paragraphs, highlights: article.ranges.length }
}

/** Clicks an article in the library and times (in the page) until its first screen, its whole text, then its highlights are painted. */
function openArticle(page: Page, id: string, title: string, paragraphs: number, spans: number): Promise<{ first: number; text: number; all: number; longest: number }> {
  return page.evaluate(
    async ({ id, title, paragraphs, spans }) => {
      const longTasks: number[] = []
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration)))
      observer.observe({ type: 'longtask' })
      const afterPaint = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))))
      const until = (condition: () => boolean): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => (condition() ? resolve() : void requestAnimationFrame(check))
          check()
        })
      const start = performance.now()
      ;(document.querySelector(`[data-article-id="${id}"]`) as HTMLElement).click()
      await until(() => document.getElementById('article-title')?.textContent === title && document.querySelectorAll('.reader-doc > p').length > 0)
      const first = (await afterPaint()) - start
      await until(() => document.querySelectorAll('.reader-doc > p').length === paragraphs)
      const text = (await afterPaint()) - start
      await until(() => document.querySelectorAll('.reader-doc .hl').length >= spans)
      const all = (await afterPaint()) - start
      await new Promise((resolve) => setTimeout(resolve, 50))
      observer.disconnect()
      return { first, text, all, longest: Math.max(0, ...longTasks) }
    },
    { id, title, paragraphs, spans }
  )
}

/** Selects a few words outside any highlight in paragraph `n`, then times key press "1" until the new highlight is painted. */
async function codeOnce(page: Page, n: number): Promise<number> {
  await page.evaluate((n) => {
    const paragraphs = [...document.querySelectorAll('.reader-doc > p')]
    const p = paragraphs[(n * 7) % paragraphs.length]!
    const node = [...p.childNodes].find((c): c is Text => c.nodeType === Node.TEXT_NODE && (c as Text).data.length > 40)
    if (!node) throw new Error(`paragraph ${n} has no free text`)
    ;(document.querySelector('.reader-doc') as HTMLElement).focus()
    window.getSelection()!.setBaseAndExtent(node, 10, node, 30)
  }, n)
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))))
  // Arm the probe first (awaited), so it is listening before the key is pressed.
  await page.evaluate(() => {
    const probe = window as unknown as { __codeTiming?: Promise<number> }
    probe.__codeTiming = new Promise<number>((resolve) => {
      let start = 0
      const before = document.querySelectorAll('.reader-doc .hl').length
      window.addEventListener('keydown', () => (start = performance.now()), { capture: true, once: true })
      const observer = new MutationObserver(() => {
        if (start && document.querySelectorAll('.reader-doc .hl').length > before) {
          observer.disconnect()
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)))
        }
      })
      observer.observe(document.querySelector('.reader-doc')!, { subtree: true, childList: true, attributes: true })
    })
  })
  await page.keyboard.press('1')
  const timing = page.evaluate(() => (window as unknown as { __codeTiming: Promise<number> }).__codeTiming)
  // A key press that codes nothing would leave the measurement waiting for ever.
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<number>((_, reject) => {
    timer = setTimeout(() => {
      void page
        .evaluate(() => ({ selection: window.getSelection()?.toString(), notices: document.querySelector('[role=alert]')?.textContent, highlights: document.querySelectorAll('.reader-doc .hl').length }))
        .then((state) => reject(new Error(`coding paragraph ${n} painted no highlight within 10 s: ${JSON.stringify(state)}`)), reject)
    }, 10_000)
  })
  try {
    return await Promise.race([timing, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `measure` on a fresh app session over a library seeded for the run's size. */
async function withLibrary<T>(options: RunOptions, measure: (page: Page, lib: Library, size: ReturnType<typeof sizes>) => Promise<T>): Promise<T> {
  const size = sizes(options)
  let library: Library | undefined
  const session = await openAppSession((repos) => (library = seedLibrary(repos, size.words, size.highlights)))
  try {
    // The library was seeded behind the page's back; reload so it lists the bench articles.
    await session.page.reload()
    await session.page.waitForSelector('html[data-ready="true"]')
    return await measure(session.page, library!, size)
  } finally {
    await session.close()
  }
}

function sizes({ quick }: RunOptions): { words: number; highlights: number; reps: number; creates: number } {
  return quick ? { words: 10_000, highlights: 100, reps: 2, creates: 5 } : { words: 100_000, highlights: 1000, reps: 7, creates: 40 }
}

/** First paint of the article's HTML loaded raw, as a plain page: the floor any reader view is measured against. */
async function rawFirstPaint(page: Page, html: string): Promise<number> {
  const context = page.context()
  const raw = await context.newPage()
  try {
    await raw.route('**/__bench/raw.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }))
    await raw.goto('https://stance.invalid/__bench/raw.html')
    return await raw.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const read = (): void => {
            const entry = performance.getEntriesByName('first-contentful-paint')[0]
            if (entry) resolve(entry.startTime)
            else requestAnimationFrame(read)
          }
          read()
        })
    )
  } finally {
    await raw.close()
  }
}

function rawHtml(title: string, doc: ReturnType<typeof generateArticle>['doc']): string {
  const escape = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c)
  const body = doc.content.map((block) => (block.type === 'paragraph' ? `<p>${escape((block.content ?? []).map((n) => (n.type === 'text' ? n.text : '')).join(''))}</p>` : '')).join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`
}

/** Opening a long article with its 1,000 highlights, against the same article's sanitized HTML loaded raw. */
export const readerOpen: Scenario = {
  id: 'S2',
  title: 'open a 100k-word article (1,000 highlights), first paint vs the same HTML loaded raw',
  run(options): Promise<ScenarioResult> {
    return withLibrary(options, async (page, lib, size) => {
      const html = rawHtml(WITH, generateArticle(20250217, size.words, size.highlights).doc)
      const feature: number[] = []
      const baseline: number[] = []
      const text: number[] = []
      const all: number[] = []
      let longest = 0
      for (let r = 0; r < size.reps + 1; r++) {
        // Another article first, so each opening is a real switch.
        await openArticle(page, lib.withoutId, WITHOUT, lib.paragraphs, 0)
        const coded = await openArticle(page, lib.withId, WITH, lib.paragraphs, lib.highlights)
        const raw = await rawFirstPaint(page, html)
        if (r === 0) continue // warm-up
        feature.push(coded.first)
        baseline.push(raw)
        text.push(coded.text)
        all.push(coded.all)
        longest = Math.max(longest, coded.longest)
      }
      return report(this, {
        feature: summarize(feature),
        baseline: summarize(baseline),
        goal: '≤ 1.3×, no main-thread task > 200 ms',
        met: (ratio) => ratio <= 1.3 && longest <= 200,
        notes: `${size.words} words, ${lib.paragraphs} paragraphs, ${lib.highlights} highlights, raw page ${(html.length / 1024).toFixed(0)} KiB; the whole text is laid out at ${summarize(text).median.toFixed(0)} ms and every highlight painted at ${summarize(all).median.toFixed(0)} ms (medians); longest main-thread task while opening ${longest.toFixed(0)} ms`
      })
    })
  }
}

/** Key press to painted highlight with 1,000 highlights present, against the same article with none. */
export const readerCreate: Scenario = {
  id: 'S4',
  title: 'create one highlight (key press to paint), 1,000 present vs none',
  run(options): Promise<ScenarioResult> {
    return withLibrary(options, async (page, lib, size) => {
      const run = async (id: string, title: string, spans: number): Promise<number[]> => {
        await openArticle(page, id, title, lib.paragraphs, spans)
        const samples: number[] = []
        for (let i = 0; i < size.creates + 2; i++) {
          const ms = await codeOnce(page, i)
          if (i >= 2) samples.push(ms) // first two warm up
        }
        return samples
      }
      const b = summarize(await run(lib.withoutId, WITHOUT, 0))
      const f = summarize(await run(lib.withId, WITH, lib.highlights))
      return {
        id: this.id,
        title: this.title,
        feature: f,
        baseline: b,
        ratio: f.p95 / b.p95,
        goal: 'p95 ≤ 1.25×, ≤ 50 ms',
        met: f.p95 / b.p95 <= 1.25 && f.p95 <= 50,
        notes: `ratio of p95s; ${lib.highlights} highlights present; ${size.creates} creations each`
      }
    })
  }
}

/** Bytes of memory a browser's renderer processes hold (proportional set size, so shared pages are split fairly). */
async function rendererMemory(page: Page): Promise<{ pss: number; heap: number }> {
  const client = await page.context().newCDPSession(page)
  await client.send('HeapProfiler.collectGarbage')
  const heap = (await client.send('Runtime.getHeapUsage')).usedSize
  await client.detach()
  const browser = page.context().browser()
  if (!browser) throw new Error('no browser behind the page')
  const session = await browser.newBrowserCDPSession()
  const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] }
  await session.detach()
  let pss = 0
  for (const process of info.processInfo.filter((p) => p.type === 'renderer')) {
    try {
      const rollup = readFileSync(`/proc/${process.id}/smaps_rollup`, 'utf8')
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024
    } catch {
      // A process that ended between the listing and the read holds nothing.
    }
  }
  return { pss, heap }
}

/** Renderer memory with the long article open and its 1,000 highlights anchored and painted, against its HTML as a raw page. */
export const readerMemory: Scenario = {
  id: 'S8',
  title: 'renderer memory with the S2 article and S3 highlights open vs the raw HTML page',
  run(options): Promise<ScenarioResult> {
    return withLibrary(options, async (page, lib, size) => {
      const html = rawHtml(WITH, generateArticle(20250217, size.words, size.highlights).doc)
      await openArticle(page, lib.withId, WITH, lib.paragraphs, lib.highlights)
      const samples = options.quick ? 1 : 3
      const app: number[] = []
      const appHeap: number[] = []
      for (let i = 0; i < samples; i++) {
        const m = await rendererMemory(page)
        app.push(m.pss / 1024 / 1024)
        appHeap.push(m.heap / 1024 / 1024)
      }
      // The raw page in a browser of its own, so its renderer is measured alone.
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
      const raw: number[] = []
      const rawHeap: number[] = []
      try {
        const other = await browser.newPage({ viewport: { width: 1440, height: 900 } })
        await other.route('**/*', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }))
        await other.goto('https://stance.invalid/raw.html')
        for (let i = 0; i < samples; i++) {
          const m = await rendererMemory(other)
          raw.push(m.pss / 1024 / 1024)
          rawHeap.push(m.heap / 1024 / 1024)
        }
      } finally {
        await browser.close()
      }
      const f = summarize(app)
      const b = summarize(raw)
      return report(this, {
        feature: f,
        baseline: b,
        unit: 'MiB',
        goal: '≤ 2×',
        met: (ratio) => ratio <= 2,
        notes: `renderer processes' PSS in MiB (medians): app ${f.median.toFixed(0)}, raw page ${b.median.toFixed(0)}; JS heap after GC: app ${summarize(appHeap).median.toFixed(1)} MiB, raw page ${summarize(rawHeap).median.toFixed(1)} MiB; ${size.words} words, ${lib.highlights} highlights`
      })
    })
  }
}
