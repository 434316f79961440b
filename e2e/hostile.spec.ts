import { expect, test } from './fixtures'
import { XSS_PAYLOADS } from './data/xss-payloads'

// The sentinel and the CSP listener are installed before any app script runs.
test.beforeEach(async ({ app }) => {
  await app.page.addInitScript(() => {
    const w = window as unknown as { __pwned: number; __violations: string[] }
    w.__pwned = 0
    w.__violations = []
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  await app.reload()
})

test(`${XSS_PAYLOADS.length} hostile payloads through HTML and Markdown import, titles, outlets, code names and notes stay inert`, async ({ app }) => {
  test.setTimeout(420_000)
  expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(100)
  const outcome = await app.page.evaluate(async (payloads) => {
    const api = window.api
    let imported = 0
    let refused = 0
    const unexpected: string[] = []
    const ids: string[] = []
    for (const [i, payload] of payloads.entries()) {
      const page = `<html><head><title>Payload ${i}</title></head><body><article><h1>Payload ${i}</h1><p>The envoys met in Riyadh on Tuesday and agreed to keep talking, officials said after the session.</p>${payload}<p>Kyiv was not at the table, and European governments asked for a seat in any later round.</p><p>A further paragraph gives the extractor enough readable prose to treat this as an article.</p></article></body></html>`
      for (const [kind, content] of [
        ['html', page],
        ['markdown', `# Markdown payload ${i}\n\nSome words before.\n\n${payload}\n\nSome words after.`]
      ] as const) {
        const result = await api.articles.import({ kind, content, fileName: `payload-${i}.${kind === 'html' ? 'html' : 'md'}` })
        if (result.ok) {
          imported++
          ids.push(result.value.id)
        } else if (result.error.code === 'invalid-input') refused++
        else unexpected.push(`${kind} ${i}: ${result.error.code} ${result.error.message}`)
      }
    }
    // Titles and outlets carry the raw payloads; code names and notes too.
    for (const [i, id] of ids.slice(0, payloads.length).entries()) {
      const payload = payloads[i % payloads.length]!
      const r = await api.articles.update({ id: id as never, title: payload.slice(0, 900), outlet: payload.slice(0, 400) })
      if (!r.ok && r.error.code !== 'invalid-input') unexpected.push(`update ${i}: ${r.error.message}`)
      const note = await api.notes.save({ target: { articleId: id as never }, doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: payload }] }] } })
      if (!note.ok) unexpected.push(`note ${i}: ${note.error.message}`)
    }
    for (const [i, payload] of payloads.slice(0, 40).entries()) {
      const r = await api.codebook.create({ name: `${i} ${payload}`.slice(0, 200), color: '#123456' })
      if (!r.ok && r.error.code !== 'invalid-input' && r.error.code !== 'conflict') unexpected.push(`code ${i}: ${r.error.message}`)
    }
    return { imported, refused, unexpected }
  }, XSS_PAYLOADS)
  expect(outcome.unexpected).toEqual([])
  expect(outcome.imported).toBeGreaterThan(XSS_PAYLOADS.length)

  // Render everything: the library list (titles, outlets), each article with its memo, the codebook.
  await app.reload()
  const items = app.page.getByRole('navigation', { name: 'Library' }).locator('[data-article-id]')
  const count = await items.count()
  expect(count).toBeGreaterThan(XSS_PAYLOADS.length)
  // Every title and outlet is rendered by the list; a spread of articles is opened in the reader.
  for (let i = 0; i < count; i += Math.ceil(count / 16)) {
    await items.nth(i).click()
    await expect(app.page.locator('#article-title')).toBeVisible()
  }
  await app.page.getByRole('tab', { name: /^Memo/ }).click()
  await expect(app.page.getByRole('textbox', { name: 'Memo on this article' })).toBeVisible()
  await app.page.getByRole('tab', { name: 'Passages' }).click()
  await app.page.getByRole('button', { name: 'Edit codebook' }).click()
  await expect(app.page.getByRole('dialog', { name: 'Codebook' })).toBeVisible()

  const state = await app.page.evaluate(() => {
    const w = window as unknown as { __pwned: number; __violations: string[] }
    return { pwned: w.__pwned, violations: w.__violations, scripts: document.querySelectorAll('.reader-doc script, .reader-doc iframe, .reader-doc img, .reader-doc object, .reader-doc embed, .reader-doc form').length }
  })
  expect(state.pwned).toBe(0)
  expect(state.violations).toEqual([])
  expect(state.scripts).toBe(0)
  expect(app.externalRequests).toEqual([])
  test.info().annotations.push({ type: 'hostile', description: `${XSS_PAYLOADS.length} payloads; ${outcome.imported} imported, ${outcome.refused} refused; 0 executed; 0 requests` })
})
