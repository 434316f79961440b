import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { LibraryModel, type TestFile } from './models/library-model'
import { NoteModel } from './models/note-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const file = (name: string, text: string | Buffer, mimeType = 'text/plain'): TestFile => ({ name, mimeType, buffer: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8') })

const HTML_PAGE = `<!doctype html><html><head><title>Brussels weighs new sanctions | Daily Ledger</title>
<meta name="author" content="Ada Keller"><meta property="og:site_name" content="Daily Ledger">
<meta property="article:published_time" content="2025-02-19T08:00:00Z"><link rel="canonical" href="https://ledger.example/brussels">
<script>window.__pwned = 1</script><link rel="stylesheet" href="https://stance-evil.invalid/x.css"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Brussels weighs new sanctions</h1>
<p>European Union foreign ministers met on Wednesday to discuss a sixteenth package of sanctions against Russia, officials said.</p>
<p>“Pressure has to rise while talks go on,” the bloc's top diplomat told reporters after the meeting, adding that Europe must have a seat at any negotiating table.</p>
<p>Several capitals argued for tighter limits on energy revenue, while others warned that unity would be harder to keep if Washington eased its own measures.</p>
<img src="https://stance-evil.invalid/tracker.png" onerror="window.__pwned = 2">
<p>Diplomats expect a decision before the end of the month, according to two people familiar with the discussions.</p></article>
<aside>Advertisement: buy now</aside><footer>© Daily Ledger</footer></body></html>`

const MARKDOWN = `---
title: Kyiv sets out its terms
author: Mira Hol
outlet: Field Notes
date: 2025-02-20
---

# Kyiv sets out its terms

Ukraine's president said **security guarantees** must come before any ceasefire.

- No talks about Ukraine without Ukraine
- Europe at the table
`

test('imports plain text, Markdown and HTML with their metadata, and refuses bad files with reasons', async ({ app }) => {
  const library = new LibraryModel(app.page)
  const stance = new StancePage(app.page)
  await library.importFiles([
    file('minutes.txt', 'Talks in Riyadh: minutes\n\nThe delegations met for four hours.\nNo statement followed.\n\nA second meeting is planned.'),
    file('terms.md', MARKDOWN, 'text/markdown'),
    file('brussels.html', HTML_PAGE, 'text/html')
  ])
  await expect(library.items).toHaveCount(4)
  await expect(stance.notices).toContainText('Imported 3 articles')

  await library.item('Brussels weighs new sanctions').click()
  await expect(stance.articleTitle).toHaveText('Brussels weighs new sanctions')
  await expect(stance.reader).toContainText('Daily Ledger')
  await expect(stance.reader).toContainText('By Ada Keller')
  await expect(stance.articleText).toContainText('sixteenth package of sanctions')
  await expect(stance.articleText).not.toContainText('Advertisement')
  await expect(stance.articleText.locator('img, script, iframe')).toHaveCount(0)

  await library.item('Kyiv sets out its terms').click()
  await expect(stance.reader).toContainText('Field Notes')
  await expect(stance.articleText.locator('strong')).toHaveText('security guarantees')
  await expect(stance.articleText.locator('li')).toHaveCount(2)

  await library.item('Talks in Riyadh: minutes').click()
  await expect(stance.articleText).toContainText('The delegations met for four hours. No statement followed.')

  // Bad input: each refused with the file named and the reason; nothing else changes.
  const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, ...Array.from({ length: 200 }, (_, i) => i % 256)])
  await library.importFiles([
    file('empty.txt', ''),
    file('archive.txt', binary),
    file('report.pdf', '%PDF-1.7 not really'),
    file('huge.txt', Buffer.alloc(21 * 1024 * 1024, 'a')),
    file('no-article.html', '<html><head><title>x</title></head><body><nav>Home</nav></body></html>', 'text/html')
  ])
  for (const name of ['empty.txt', 'archive.txt', 'report.pdf', 'huge.txt', 'no-article.html']) {
    await expect(stance.notices).toContainText(`Could not import ${name}`)
  }
  await expect(stance.notices).toContainText('not a supported type')
  await expect(stance.notices).toContainText('20 MB')
  await expect(library.items).toHaveCount(4)
  expect(await app.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(app.externalRequests).toEqual([])
})

test('drag-and-drop and the clipboard bring articles in', async ({ app }) => {
  const library = new LibraryModel(app.page)
  const stance = new StancePage(app.page)
  await library.dropFiles([{ name: 'dropped.md', text: '# Dropped memo\n\nA **dropped** Markdown file.', type: 'text/markdown' }])
  await expect(library.item('Dropped memo')).toHaveCount(1)
  await expect(stance.articleTitle).toHaveText('Dropped memo')

  await library.nav.getByRole('button', { name: 'Paste…' }).click()
  const dialog = app.page.getByRole('dialog', { name: 'New article from the clipboard' })
  await app.page.evaluate(() => {
    const box = document.querySelector('[aria-label="Paste the article here"]') as HTMLElement
    const data = new DataTransfer()
    data.setData('text/html', '<article><h1>Pasted dispatch</h1><p>Moscow said the talks were useful and would continue next week in Riyadh.</p><p>Officials gave no further detail, according to the ministry.</p><p>A third paragraph keeps the reader content long enough to count as an article body for extraction.</p></article>')
    data.setData('text/plain', 'Pasted dispatch')
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  })
  await dialog.getByRole('button', { name: 'Import' }).click()
  await expect(library.item('Pasted dispatch')).toHaveCount(1)
  await expect(stance.articleText).toContainText('Moscow said the talks were useful')
})

test('trash keeps an article with its passages and notes until it is restored or deleted for good', async ({ app }) => {
  const library = new LibraryModel(app.page)
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  const quote = 'One meeting is not going to end a war that has dragged on for three years'
  await reader.dragSelect(quote)
  await app.page.keyboard.press('1')
  await panel.card('US stance', quote).getByRole('button', { name: 'Write a note' }).click()
  await expect(new NoteModel(app.page).editor('Note on this passage')).toBeFocused()
  await app.page.keyboard.type('kept through the trash')
  await expect(new NoteModel(app.page).status()).toHaveText('Saved')
  await expect(library.items.first().getByRole('img')).toHaveAttribute('aria-label', 'US stance 1')

  await library.nav.getByRole('button', { name: /Move .* to the trash/ }).first().click({ force: true })
  await expect(library.items).toHaveCount(0)
  await library.openTrash()
  await expect(library.nav.getByRole('listitem')).toHaveCount(1)
  await library.nav.getByRole('button', { name: /^Restore / }).click()
  await library.nav.getByRole('button', { name: 'Back to library' }).click()
  await library.items.first().click()
  await expect(panel.passages('US stance')).toHaveText([quote])
  await expect(panel.card('US stance', quote).getByRole('button', { name: /^Open note: kept through the trash/ })).toBeVisible()

  await library.nav.getByRole('button', { name: /Move .* to the trash/ }).first().click({ force: true })
  await library.openTrash()
  await library.nav.getByRole('button', { name: /for good$/ }).click()
  await expect(library.nav.getByText('The trash is empty.')).toBeVisible()
  const after = await app.page.evaluate(() => window.api.articles.list({ trash: true }))
  expect(after).toEqual({ ok: true, value: [] })
})

test('search finds text, passages and notes with snippets, opens the passage, and explains bad queries', async ({ app }) => {
  const library = new LibraryModel(app.page)
  const reader = new ReaderModel(app.page)
  const stance = new StancePage(app.page)
  await reader.dragSelect('We are going there to listen')
  await app.page.keyboard.press('1')
  await app.page.keyboard.press('Control+k')
  await expect(library.search).toBeFocused()
  await app.page.keyboard.type('Lavrov')
  await expect(library.results).toContainText(/\d+ match/)
  await expect(library.results.locator('mark').first()).toHaveText(/Lavrov/i)
  await library.results.getByRole('button').filter({ hasText: 'Lavrov' }).first().click()
  await expect(library.results).toBeHidden()
  await expect.poll(() => reader.selectedText()).toMatch(/Lavrov/i)

  await library.search.fill('"going there to listen"')
  await library.search.press('Enter')
  const passageHit = library.results.getByRole('button').filter({ hasText: 'Passage' })
  await expect(passageHit.first()).toBeVisible()
  await passageHit.first().click()
  await expect(reader.text.locator('.hl-flash')).toHaveText('We are going there to listen')

  await library.search.fill('negotiat*')
  await library.search.press('Enter')
  await expect(library.results.locator('mark').first()).toHaveText(/negotiat/i)

  await library.search.fill('talks AND')
  await library.search.press('Enter')
  await expect(library.results.getByRole('alert')).toContainText('could not be understood')
  await expect(stance.notices).toBeEmpty()
})

test('re-importing an edited version reviews what moves and detaches before replacing the text', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  const stance = new StancePage(app.page)
  const kept = 'One meeting is not going to end a war that has dragged on for three years'
  const dropped = 'Only then does it make sense to sit across from Moscow'
  await reader.dragSelect(kept)
  await app.page.keyboard.press('1')
  await reader.dragSelect(dropped)
  await app.page.keyboard.press('3')
  const text = await app.page.evaluate(async () => {
    const list = await window.api.articles.list({})
    const article = list.ok ? await window.api.articles.get({ id: list.value[0]!.id }) : null
    return article && article.ok ? article.value.text : ''
  })
  // A plain-text file's first short line is its title; the new paragraph after it shifts every passage.
  const edited = `US and Russian envoys head to Riyadh\n\nUPDATE: this version adds a first paragraph.\n\n${text.replace(` “${dropped}.”`, '')}`
  expect(edited).not.toContain(dropped)
  await stance.reader.getByLabel('Choose a newer version of this article').setInputFiles({ name: 'riyadh-v2.txt', mimeType: 'text/plain', buffer: Buffer.from(edited) })
  const dialog = app.page.getByRole('dialog', { name: 'Review the new version' })
  await expect(dialog).toContainText('1 moved')
  await expect(dialog).toContainText('1 detached')
  await expect(dialog.getByRole('list')).toContainText(dropped)
  await dialog.getByRole('button', { name: 'Replace the text' }).click()
  await expect(stance.articleText).toContainText('UPDATE: this version adds a first paragraph.')
  await expect(panel.passages('US stance')).toHaveText([kept])
  await expect(panel.orphans()).toHaveCount(1)
  await expect(panel.orphans()).toContainText(dropped)
})

test('article details can be edited and the library follows', async ({ app }) => {
  const library = new LibraryModel(app.page)
  const stance = new StancePage(app.page)
  await stance.reader.getByRole('button', { name: 'Edit details' }).click()
  const dialog = app.page.getByRole('dialog', { name: 'Article details' })
  await dialog.getByLabel('Title').fill('Riyadh talks (edited title)')
  await dialog.getByLabel('Source address').fill('javascript:alert(1)')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(stance.notices).toContainText('http(s)')
  await dialog.getByLabel('Source address').fill('https://example.org/riyadh')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(stance.articleTitle).toHaveText('Riyadh talks (edited title)')
  await expect(library.items.first()).toContainText('Riyadh talks (edited title)')
})

test('screenshots of the library, search results and a re-import review', async ({ app }, testInfo) => {
  const library = new LibraryModel(app.page)
  const reader = new ReaderModel(app.page)
  const shot = async (name: string): Promise<void> => {
    await testInfo.attach(name, { body: await app.page.screenshot(), contentType: 'image/png' })
    if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: `docs/screenshots/${name}.png` })
  }
  await reader.dragSelect('We are going there to listen')
  await app.page.keyboard.press('1')
  await reader.dragSelect('I do not see what the Europeans would bring to the table')
  await app.page.keyboard.press('2')
  await library.importFiles([
    file('terms.md', MARKDOWN, 'text/markdown'),
    file('brussels.html', HTML_PAGE, 'text/html'),
    file('minutes.txt', 'Talks in Riyadh: minutes\n\nThe delegations met for four hours.')
  ])
  await expect(library.items).toHaveCount(4)
  await library.item('US and Russian envoys').click()
  await library.search.fill('Europe*')
  await library.search.press('Enter')
  await expect(library.results).toContainText('match')
  await shot('library-search')
  await library.results.getByRole('button', { name: 'Close results' }).click()
  await expect(library.results).toBeHidden()
})
