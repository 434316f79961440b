import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { expect, test } from './fixtures'
import { AnalysisModel } from './models/analysis-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const RUBIO = 'One meeting is not going to end a war that has dragged on for three years'
const PESKOV = 'The main task is to start rebuilding the whole range of Russian-American ties'
const LAVROV = 'Ukraine in NATO is a red line that no agreement will cross'
const ROOT_CAUSE = 'the expansion of the alliance to our borders is the root cause of this conflict'
const EU_SANCTIONS = 'The pressure stays until Russian troops leave'
const RYABKOV = 'If Kyiv commits to neutrality, we are ready to discuss the rest'
const GUARANTEES = 'Without guarantees there is no peace'
const BRIEFING = 'NATO is not a topic for these talks'

const KREMLIN = {
  title: 'Kremlin rules out a NATO path for Ukraine as envoys prepare a second round of talks in Istanbul',
  outlet: 'Stance Sample Desk',
  publishedAt: '2025-03-03',
  body: [
    'MOSCOW — The Kremlin said on Monday that Ukraine’s membership of NATO was out of the question in any settlement.',
    `“${LAVROV},” Foreign Minister Sergey Lavrov told reporters.`,
    `Kremlin spokesman Dmitry Peskov added that “${ROOT_CAUSE}.”`,
    `European officials said sanctions would remain until a full withdrawal. “${EU_SANCTIONS},” an EU diplomat said.`
  ]
}
const NEUTRAL = {
  title: 'Moscow hints it could accept a neutral Ukraine outside the alliance',
  outlet: 'Wire Review',
  publishedAt: '2025-04-12',
  body: [
    'Russian officials signalled on Saturday that a neutral Ukraine could be acceptable.',
    `“${RYABKOV},” Deputy Foreign Minister Sergei Ryabkov said.`,
    `Ukraine’s foreign minister said security guarantees must come first. “${GUARANTEES},” he said.`
  ]
}
const UNDATED = {
  title: 'Notes from a briefing on the eastern flank',
  outlet: null,
  publishedAt: null,
  body: [`“${BRIEFING},” a Russian official said at the briefing, declining to be named.`]
}

type Fixture = typeof KREMLIN | typeof UNDATED
interface ArticleRef {
  id: string
  title: string
  text: string
}

/** Calls a channel in the page and returns its value, failing the test with main's words otherwise. */
async function call<T>(stance: StancePage, domain: string, verb: string, input: unknown): Promise<T> {
  const result = (await stance.call(domain, verb, input)) as { ok: boolean; value?: T; error?: { message: string } }
  if (!result.ok) throw new Error(`${domain}:${verb} failed: ${result.error?.message}`)
  return result.value as T
}

async function addArticle(stance: StancePage, fixture: Fixture): Promise<ArticleRef> {
  const imported = await call<{ id: string }>(stance, 'articles', 'import', {
    kind: 'markdown',
    content: fixture.body.join('\n\n'),
    fileName: 'article.md'
  })
  const article = await call<ArticleRef>(stance, 'articles', 'update', {
    id: imported.id,
    title: fixture.title,
    outlet: fixture.outlet,
    publishedAt: fixture.publishedAt
  })
  return article
}

async function codeIds(stance: StancePage): Promise<Record<string, string>> {
  const codes = await call<{ id: string; name: string }[]>(stance, 'codebook', 'list', {})
  return Object.fromEntries(codes.map((c) => [c.name, c.id]))
}

/** Codes a quote of an article through the API (where the reader's UI is not what a test is about). */
async function codeQuote(stance: StancePage, article: ArticleRef, quote: string, ids: string[]): Promise<string> {
  const start = article.text.indexOf(quote)
  if (start < 0) throw new Error(`"${quote}" is not in "${article.title}"`)
  const highlight = await call<{ id: string }>(stance, 'highlights', 'create', { articleId: article.id, start, end: start + quote.length, codeIds: ids })
  return highlight.id
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready)
  const shot = await page.screenshot()
  await testInfo.attach(name, { body: shot, contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await page.screenshot({ path: join(import.meta.dirname, '..', 'docs', 'screenshots', `${name}.png`) })
}

test('the matrix counts coded passages by stance and issue, lists a cell, jumps to the source, switches to articles and exports', async ({ app }, testInfo) => {
  const stance = new StancePage(app.page)
  const analysis = new AnalysisModel(app.page)
  const reader = new ReaderModel(app.page)

  // Nothing coded yet: the matrix says what to do.
  await analysis.open()
  await expect(analysis.screen.getByRole('heading', { name: 'Analysis', level: 1 })).toBeVisible()
  await expect(analysis.screen.getByRole('note')).toContainText('Code passages with a stance (keys 1–4) and an issue (keys 5–9) to fill the matrix')
  await expect(analysis.rowHeaders()).toHaveText(['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance'])
  await expect(analysis.columnHeaders()).toHaveText([/Stance/, 'Ceasefire and territory', 'NATO membership', 'Security guarantees', 'Sanctions', 'Minerals and reconstruction', 'Who sits at the table', 'Total'])
  await analysis.back()
  await expect(stance.reader).toBeVisible()

  const ids = await codeIds(stance)
  const kremlin = await addArticle(stance, KREMLIN)
  const neutral = await addArticle(stance, NEUTRAL)
  const lavrov = await codeQuote(stance, kremlin, LAVROV, [ids['Russian stance']!, ids['NATO membership']!])
  await codeQuote(stance, kremlin, ROOT_CAUSE, [ids['Russian stance']!, ids['NATO membership']!])
  await codeQuote(stance, kremlin, EU_SANCTIONS, [ids['EU stance']!, ids['Sanctions']!])
  await codeQuote(stance, neutral, RYABKOV, [ids['Russian stance']!, ids['NATO membership']!])
  await codeQuote(stance, neutral, GUARANTEES, [ids['Ukrainian stance']!, ids['Security guarantees']!])
  await app.reload()

  // In the reader: a stance key, then the issue key on the same selection, adds both codes to one passage.
  await expect(stance.articleTitle).toContainText('Riyadh')
  for (const [quote, stanceKey, issueKey] of [
    [RUBIO, '1', '5'],
    [PESKOV, '2', '6']
  ] as const) {
    await reader.code(quote, stanceKey)
    await reader.code(quote, issueKey)
  }
  await expect(reader.highlights).toHaveCount(2)
  const sampleId = await app.page.evaluate(async () => {
    const r = await window.api.articles.list({})
    return r.ok ? (r.value.find((a) => a.title.includes('Riyadh'))?.id ?? '') : ''
  })
  await expect
    .poll(async () => (await call<{ codeIds: string[] }[]>(stance, 'highlights', 'list', { articleId: sampleId })).map((h) => h.codeIds.length))
    .toEqual([2, 2])

  // The matrix: four Russian passages on NATO membership across three articles; the rest in their cells.
  await analysis.open()
  await expect(analysis.cell('Russian stance', 'NATO membership')).toHaveText('4')
  await expect(analysis.cell('Russian stance', 'NATO membership')).toHaveAccessibleName('Russian stance × NATO membership: 4 passages')
  await expect(analysis.cell('US stance', 'Ceasefire and territory')).toHaveText('1')
  await expect(analysis.cell('EU stance', 'Sanctions')).toHaveText('1')
  await expect(analysis.cell('Ukrainian stance', 'Security guarantees')).toHaveText('1')
  await expect(analysis.cell('Russian stance', 'Sanctions')).toHaveText('0')
  // The fullest cell is filled with its row's colour; empty cells stay plain.
  const full = await analysis.cell('Russian stance', 'NATO membership').evaluate((el) => getComputedStyle(el).backgroundColor)
  expect(full).toBe('rgb(213, 94, 0)')
  const empty = await analysis.cell('Russian stance', 'Sanctions').evaluate((el) => getComputedStyle(el).backgroundColor)
  expect(empty).toBe('rgba(0, 0, 0, 0)')

  // A cell lists its passages with their articles.
  await analysis.cell('Russian stance', 'NATO membership').click()
  await expect(analysis.cellHeading()).toContainText('Russian stance')
  await expect(analysis.cellHeading()).toContainText('NATO membership')
  await expect(analysis.cellPassages).toHaveCount(4)
  await expect(analysis.passage(LAVROV)).toContainText(KREMLIN.title)
  await expect(analysis.passage(LAVROV)).toContainText('Mar 3, 2025')
  await expect(analysis.passage(RYABKOV)).toContainText('Wire Review')

  // Keyboard: arrows move between cells, Enter chooses one.
  await analysis.cell('Russian stance', 'NATO membership').focus()
  await app.page.keyboard.press('ArrowUp')
  await expect(analysis.cell('US stance', 'NATO membership')).toBeFocused()
  await app.page.keyboard.press('ArrowLeft')
  await expect(analysis.cell('US stance', 'Ceasefire and territory')).toBeFocused()
  await app.page.keyboard.press('Enter')
  await expect(analysis.cellPassages).toHaveCount(1)
  await expect(analysis.passage(RUBIO)).toBeVisible()

  await analysis.cell('Russian stance', 'NATO membership').click()
  await expect(analysis.cellPassages).toHaveCount(4)
  await shoot(app.page, testInfo, 'analysis-matrix')

  // Open in article: the reader shows that article with the passage active and in view.
  await analysis.openInArticle(LAVROV)
  await expect(analysis.screen).toBeHidden()
  await expect(stance.articleTitle).toHaveText(KREMLIN.title)
  await expect(stance.annotations.locator(`[data-highlight-id="${lavrov}"]`).first()).toHaveClass(/active/)
  await expect(reader.text.locator('.hl-active').first()).toContainText('Ukraine in NATO')
  await expect(reader.text.locator('.hl-active').first()).toBeInViewport()

  // Back in the analysis, the matrix by article: the Russian passages per article, newest and oldest alike.
  await analysis.open()
  await analysis.columns('Articles').click()
  await expect(analysis.columnHeaders()).toHaveCount(5)
  await expect(analysis.cell('Russian stance', KREMLIN.title)).toHaveText('2')
  await expect(analysis.cell('Russian stance', NEUTRAL.title)).toHaveText('1')
  await expect(analysis.cell('Ukrainian stance', NEUTRAL.title)).toHaveText('1')
  await analysis.cell('Russian stance', KREMLIN.title).click()
  await expect(analysis.cellPassages).toHaveCount(2)
  await shoot(app.page, testInfo, 'analysis-matrix-articles')
  // Dark theme, for a look at contrast on dark fills.
  await stance.chooseTheme('Dark')
  await shoot(app.page, testInfo, 'analysis-matrix-articles-dark')
  await stance.chooseTheme('Light')

  // Exports: CSV, SVG and PNG of the matrix as shown, each reported with where it went.
  await analysis.columns('Issues').click()
  for (const [format, check] of [
    ['CSV', (bytes: Buffer) => expect(bytes.toString('utf8')).toMatch(/NATO membership[\s\S]*Russian stance/)],
    ['SVG', (bytes: Buffer) => expect(bytes.toString('utf8')).toMatch(/^(\uFEFF)?(<\?xml[^>]*>\s*)?<svg[\s>]/)],
    ['PNG', (bytes: Buffer) => expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]
  ] as const) {
    await analysis.exportButton(format).click()
    await expect(analysis.status).toContainText(`Saved ${format}`)
    const path = await analysis.exportedPath()
    expect(path.startsWith(join(app.dataDir, 'exports'))).toBe(true)
    expect(path.endsWith(`.${format.toLowerCase()}`)).toBe(true)
    check(readFileSync(path))
  }

  // "Articles shown in the library" follows the library's filter.
  await analysis.scope().selectOption('shown')
  await stance.library.getByRole('searchbox', { name: 'Filter articles' }).fill('Kremlin rules out')
  await expect(analysis.cell('Russian stance', 'NATO membership')).toHaveText('2')
  await stance.library.getByRole('searchbox', { name: 'Filter articles' }).fill('no such article')
  await expect(analysis.screen.getByText('No articles shown in the library')).toBeVisible()
  await analysis.screen.getByRole('button', { name: 'Analyse the whole library' }).click()
  await expect(analysis.cell('Russian stance', 'NATO membership')).toHaveText('4')
})

test('the timeline places a stance on its articles’ dates and flags where it shifted', async ({ app }, testInfo) => {
  const stance = new StancePage(app.page)
  const analysis = new AnalysisModel(app.page)
  const reader = new ReaderModel(app.page)

  let ids = await codeIds(stance)
  await call(stance, 'codebook', 'create', { name: 'Rejects', color: '#a13d00', parentId: ids['Russian stance'] })
  await call(stance, 'codebook', 'create', { name: 'Conditional', color: '#f08a3c', parentId: ids['Russian stance'] })
  ids = await codeIds(stance)
  const sample = await call<ArticleRef[]>(stance, 'articles', 'list', {}).then((list) => call<ArticleRef>(stance, 'articles', 'get', { id: list[0]!.id }))
  const kremlin = await addArticle(stance, KREMLIN)
  const neutral = await addArticle(stance, NEUTRAL)
  const undated = await addArticle(stance, UNDATED)
  await codeQuote(stance, sample, PESKOV, [ids['Russian stance']!, ids['Who sits at the table']!])
  await codeQuote(stance, kremlin, LAVROV, [ids['Rejects']!, ids['NATO membership']!])
  await codeQuote(stance, kremlin, ROOT_CAUSE, [ids['Rejects']!, ids['NATO membership']!])
  await codeQuote(stance, kremlin, EU_SANCTIONS, [ids['EU stance']!, ids['Sanctions']!])
  await codeQuote(stance, neutral, RYABKOV, [ids['Conditional']!, ids['NATO membership']!])
  await codeQuote(stance, neutral, GUARANTEES, [ids['Ukrainian stance']!, ids['Security guarantees']!])
  await codeQuote(stance, undated, BRIEFING, [ids['Rejects']!, ids['NATO membership']!])
  await app.reload()

  // Ctrl+Shift+A opens the analysis; the timeline follows the first stance until another code is chosen.
  await expect(stance.articleTitle).toBeVisible()
  await app.page.keyboard.press('Control+Shift+A')
  await expect(analysis.screen).toBeVisible()
  await analysis.tab('Timeline').click()
  await expect(analysis.timelineCode).toHaveValue(ids['US stance']!)
  await analysis.timelineCode.selectOption({ label: 'Russian stance' })

  // Three dated articles on the axis, oldest first, and the undated one in its own lane.
  await expect(analysis.markers()).toHaveCount(3)
  await expect(analysis.markers()).toHaveText(['1', '2', '1'])
  await expect(analysis.undated.getByRole('button')).toHaveCount(1)
  await expect(analysis.entries).toHaveCount(4)
  await expect(analysis.entries.locator('h3')).toHaveText([/Riyadh/, KREMLIN.title, NEUTRAL.title, UNDATED.title])
  // Left to right by date.
  const xs = await analysis.markers().evaluateAll((els) => els.map((el) => el.getBoundingClientRect().x))
  expect(xs).toEqual([...xs].sort((a, b) => a - b))

  // Rejects in March, Conditional in April: flagged on the axis and listed.
  await expect(analysis.shiftBadges()).toHaveCount(1)
  await expect(analysis.shiftBadges()).toHaveAccessibleName(
    'Stance shift: Russian stance on NATO membership: Rejects (Mar 3, 2025) → Conditional (Apr 12, 2025)'
  )
  await expect(analysis.shifts).toHaveCount(1)
  await expect(analysis.shifts.first()).toContainText('Russian stance')
  await expect(analysis.shifts.first()).toContainText('NATO membership')
  await expect(analysis.shifts.first()).toContainText(/Rejects\s*Mar 3, 2025\s*→\s*Conditional\s*Apr 12, 2025/)
  await analysis.shiftBadges().click()
  await expect(analysis.entries.and(app.page.locator('.on'))).toHaveCount(2)

  // Each passage names its other codes: the stance's issues.
  await expect(analysis.passage(LAVROV).getByRole('list', { name: 'Codes' })).toContainText('Rejects')
  await expect(analysis.passage(LAVROV).getByRole('list', { name: 'Codes' })).toContainText('NATO membership')
  await shoot(app.page, testInfo, 'analysis-timeline')
  await stance.chooseTheme('Dark')
  await shoot(app.page, testInfo, 'analysis-timeline-dark')
  await stance.chooseTheme('Light')

  // Following the issue: the actors' stances on it, and the same shift.
  await analysis.timelineCode.selectOption({ label: 'NATO membership' })
  await expect(analysis.entries).toHaveCount(3)
  await expect(analysis.passage(RYABKOV).getByRole('list', { name: 'Codes' })).toContainText('Conditional')
  await expect(analysis.shifts).toHaveCount(1)

  // Open in article from the timeline.
  await analysis.openInArticle(RYABKOV)
  await expect(stance.articleTitle).toHaveText(NEUTRAL.title)
  await expect(reader.text.locator('.hl-active').first()).toContainText('If Kyiv commits')

  // The matrix has the sub-codes as rows under their actor, and the actor's row counts them too.
  await analysis.open()
  await expect(analysis.tab('Timeline')).toHaveAttribute('aria-selected', 'true')
  await analysis.tab('Matrix').click()
  await expect(analysis.rowHeaders()).toHaveText(['US stance', 'Russian stance', /Rejects$/, /Conditional$/, 'Ukrainian stance', 'EU stance'])
  await expect(analysis.cell('Russian stance', 'NATO membership')).toHaveText('4')
  await expect(analysis.cell('Rejects', 'NATO membership')).toHaveText('3')
  await expect(analysis.cell('Conditional', 'NATO membership')).toHaveText('1')
  await expect(analysis.cell('Russian stance', 'Who sits at the table')).toHaveText('1')
  await shoot(app.page, testInfo, 'analysis-matrix-subcodes')
})
