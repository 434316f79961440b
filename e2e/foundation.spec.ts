import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { StancePage } from './models/stance-page'

const SAMPLE_TITLE = /Riyadh/

test('opens on the bundled sample article in a reading column', async ({ app }) => {
  const stance = new StancePage(app.page)
  await expect(stance.articleTitle).toHaveText(SAMPLE_TITLE)
  await expect(stance.reader.getByText('Stance Sample Desk', { exact: false })).toBeVisible()
  await expect(stance.articleText).toContainText('Zelenskyy')
  await expect(stance.articleText).toContainText('Lavrov')
  // The reading column keeps lines at a comfortable measure.
  const width = await stance.articleText.evaluate((el) => el.getBoundingClientRect().width)
  expect(width).toBeGreaterThan(450)
  expect(width).toBeLessThan(760)
  await expect(stance.notices).toBeEmpty()
})

test('the library lists the sample article with outlet and date', async ({ app }) => {
  const stance = new StancePage(app.page)
  await expect(stance.articles).toHaveCount(1)
  await expect(stance.articles.first()).toContainText(SAMPLE_TITLE)
  await expect(stance.articles.first()).toContainText('Stance Sample Desk')
  await expect(stance.articles.first()).toContainText('2025')
  await expect(stance.articles.first()).toHaveAttribute('aria-current', 'page')
})

test('the codebook holds a Stances group with the four actors on keys 1–4 and an Issues group on keys 5–9', async ({ app }) => {
  const stance = new StancePage(app.page)
  const legend = stance.annotations.getByRole('region', { name: 'Codebook' })
  await expect(legend.getByRole('heading', { level: 3 })).toHaveText(['Stances', 'Issues'])
  await expect(legend.getByRole('list', { name: 'Stances' }).getByRole('listitem')).toHaveText([
    /US stance\s*0\s*1/,
    /Russian stance\s*0\s*2/,
    /Ukrainian stance\s*0\s*3/,
    /EU stance\s*0\s*4/
  ])
  await expect(legend.getByRole('list', { name: 'Issues' }).getByRole('listitem')).toHaveText([
    /Ceasefire and territory\s*0\s*5/,
    /NATO membership\s*0\s*6/,
    /Security guarantees\s*0\s*7/,
    /Sanctions\s*0\s*8/,
    /Minerals and reconstruction\s*0\s*9/,
    /^\s*Who sits at the table\s*0\s*$/
  ])
})

test('the page API answers through the typed contract, and malformed payloads are refused', async ({ app }) => {
  const stance = new StancePage(app.page)
  const codes = (await stance.call('codebook', 'list', {})) as {
    ok: boolean
    value: { name: string; color: string; shortcut: string | null; groupKind: string | null; dictionary: string[] }[]
  }
  expect(codes.ok).toBe(true)
  expect(codes.value.map((c) => c.shortcut)).toEqual([null, '1', '2', '3', '4', null, '5', '6', '7', '8', '9', null])
  expect(codes.value.filter((c) => c.groupKind).map((c) => [c.name, c.groupKind])).toEqual([
    ['Stances', 'stance'],
    ['Issues', 'issue']
  ])
  for (const code of codes.value) expect(code.color).toMatch(/^#[0-9a-f]{6}$/)
  expect(codes.value.find((c) => c.name === 'Russian stance')?.dictionary).toContain('Kremlin')

  const articles = (await stance.call('articles', 'list', {})) as { ok: boolean; value: { id: string; title: string }[] }
  expect(articles).toMatchObject({ ok: true, value: [{ title: expect.stringMatching(SAMPLE_TITLE) }] })

  const article = (await stance.call('articles', 'get', { id: articles.value[0]!.id })) as { ok: true; value: { text: string; length: number } }
  expect(article.ok).toBe(true)
  expect([...article.value.text].length).toBe(article.value.length)

  expect(await stance.call('articles', 'list', { unexpected: true })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  expect(await stance.call('articles', 'get', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  expect(await stance.call('articles', 'get', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  expect(await stance.call('articles', 'get', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
  // The page sees one function per channel and nothing generic.
  const shape = await app.page.evaluate(() => Object.fromEntries(Object.entries(window.api).map(([domain, verbs]) => [domain, Object.keys(verbs).sort()])))
  expect(shape).toEqual({
    app: ['info', 'onClosing'],
    analysis: ['exportMatrix', 'matrix', 'passages', 'timeline'],
    articles: ['delete', 'get', 'import', 'list', 'onImported', 'purge', 'replaceText', 'restore', 'update'],
    backups: ['configure', 'create', 'list', 'restore'],
    codebook: ['create', 'delete', 'list', 'reorder', 'update'],
    export: ['cancel', 'csv', 'defaults', 'markdown', 'onProgress', 'pdf', 'qdpx', 'w3c'],
    highlights: ['create', 'delete', 'list', 'update'],
    history: ['redo', 'state', 'undo'],
    import: ['onCompleted', 'w3c'],
    menu: ['onCommand'],
    notes: ['delete', 'get', 'list', 'save'],
    recovery: ['continue', 'restore', 'startEmpty', 'state'],
    search: ['query'],
    suggestions: ['accept', 'list', 'reject']
  })
})

test('a reload and a restart keep everything', async ({ app }) => {
  const stance = new StancePage(app.page)
  await stance.chooseTheme('Dark')
  const before = await stance.call('articles', 'list', {})
  await app.reload()
  await expect(stance.articleTitle).toHaveText(SAMPLE_TITLE)
  expect(await stance.theme()).toBe('dark')
  expect(await stance.call('articles', 'list', {})).toEqual(before)

  await app.restart()
  const again = new StancePage(app.page)
  await expect(again.articleTitle).toHaveText(SAMPLE_TITLE)
  expect(await again.call('articles', 'list', {})).toEqual(before)
  await expect(again.codes).toHaveCount(10)
})

test('themes follow the OS and can be switched', async ({ app }) => {
  const stance = new StancePage(app.page)
  expect(await stance.theme()).toBe('light')
  await app.page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => stance.theme()).toBe('dark')
  await stance.chooseTheme('Light')
  expect(await stance.theme()).toBe('light')
  const background = await stance.reader.evaluate((el) => getComputedStyle(el).backgroundColor)
  await stance.chooseTheme('Dark')
  expect(await stance.reader.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(background)
})

test('every control has an accessible name and the app stays offline', async ({ app }) => {
  const unnamed = await app.page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], input, select, textarea, [role="radio"], [tabindex]')]
      .filter(
        (el) =>
          !(
            el.getAttribute('aria-label') ||
            el.getAttribute('aria-labelledby') ||
            el.textContent?.trim() ||
            el.getAttribute('title') ||
            ((el as HTMLInputElement).labels?.length ?? 0) > 0
          )
      )
      .map((el) => el.outerHTML.slice(0, 80))
  )
  expect(unnamed).toEqual([])
  expect(app.externalRequests).toEqual([])
})

test('screenshots of the sample article, light and dark', async ({ app }, testInfo) => {
  const stance = new StancePage(app.page)
  await expect(stance.articleTitle).toHaveText(SAMPLE_TITLE)
  await app.page.evaluate(() => document.fonts.ready)
  const docsDir = process.env.STANCE_DOCS_SCREENSHOTS ? join(import.meta.dirname, '..', 'docs', 'screenshots') : null
  if (docsDir) mkdirSync(docsDir, { recursive: true })
  for (const theme of ['Light', 'Dark'] as const) {
    await stance.chooseTheme(theme)
    const shot = await app.page.screenshot()
    await testInfo.attach(`reader-${theme.toLowerCase()}`, { body: shot, contentType: 'image/png' })
    if (docsDir) await app.page.screenshot({ path: join(docsDir, `reader-${theme.toLowerCase()}.png`) })
    expect(shot.byteLength).toBeGreaterThan(20_000)
  }
})
