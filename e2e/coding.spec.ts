import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const RUBIO = 'One meeting is not going to end a war that has dragged on for three years'
const ZELENSKYY = 'Nothing about Ukraine can be decided without Ukraine, and we will not sign what others write for us'
const PESKOV = 'The main task is to start rebuilding the whole range of Russian-American ties'

test('drag-select a sentence, press 1: it is coded US stance and survives a reload with the same quote', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.dragSelect(RUBIO)
  expect(await reader.selectedText()).toBe(RUBIO)
  await expect(reader.picker).toBeVisible()
  await app.page.keyboard.press('1')
  await expect(reader.picker).toBeHidden()
  await expect(panel.passages('US stance')).toHaveText([RUBIO])
  const span = reader.highlights.first()
  await expect(span).toHaveAttribute('title', 'US stance')
  await expect(span).toHaveText(RUBIO)

  await app.reload()
  const again = new AnnotationsModel(app.page)
  await expect(again.passages('US stance')).toHaveText([RUBIO])
  const stored = (await new StancePage(app.page).call('highlights', 'list', {
    articleId: await app.page.evaluate(async () => {
      const r = await window.api.articles.list({})
      return r.ok ? r.value[0]!.id : ''
    })
  })) as { ok: true; value: { exact: string; prefix: string; suffix: string; orphaned: boolean }[] }
  expect(stored.value).toHaveLength(1)
  expect(stored.value[0]).toMatchObject({ exact: RUBIO, orphaned: false })
  expect(stored.value[0]!.prefix.endsWith('cautious note. “')).toBe(true)
  expect(stored.value[0]!.suffix.startsWith(',” he told')).toBe(true)
})

test('clicking a code in the picker codes the selection; coding the same range again adds the code', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.dragSelect(ZELENSKYY)
  await reader.picker.getByRole('menuitem', { name: /Code as Ukrainian stance/ }).click()
  await expect(panel.passages('Ukrainian stance')).toHaveText([ZELENSKYY])
  await reader.dragSelect(ZELENSKYY)
  await reader.picker.getByRole('menuitem', { name: /Code as EU stance/ }).click()
  await expect(panel.passages('EU stance')).toHaveText([ZELENSKYY])
  await expect(reader.highlights).toHaveCount(1)
  await expect(reader.highlights.first()).toHaveAttribute('title', 'Ukrainian stance · EU stance')
})

test('overlapping highlights with different codes both stay visible', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  const outer = 'Zelenskyy said Monday that Ukraine had received no invitation to Riyadh'
  const inner = 'Ukraine had received no invitation to Riyadh and would not recognize any agreement'
  await reader.dragSelect(outer)
  await app.page.keyboard.press('3')
  await expect(panel.passages('Ukrainian stance')).toHaveCount(1)
  await reader.dragSelect(inner)
  await app.page.keyboard.press('1')
  await expect(panel.passages('US stance')).toHaveText([inner])
  // Three segments: outer only, both, inner only; the shared one lists both codes and both highlights.
  await expect(reader.highlights).toHaveCount(3)
  const shared = reader.text.locator('.hl-overlap')
  await expect(shared).toHaveText('Ukraine had received no invitation to Riyadh')
  await expect(shared).toHaveAttribute('title', 'US stance · Ukrainian stance')
  expect((await shared.getAttribute('data-hl'))!.split(' ')).toHaveLength(2)
  const shadow = await shared.evaluate((el) => getComputedStyle(el).boxShadow)
  expect(shadow.match(/inset/g)).toHaveLength(2)
})

test('recode from the panel, delete, undo and redo', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.dragSelect(PESKOV)
  await app.page.keyboard.press('1')
  await expect(panel.passages('US stance')).toHaveText([PESKOV])

  // Recode: US → Russian.
  const card = panel.card('US stance', PESKOV)
  await card.getByRole('button', { name: 'Change codes' }).click()
  await card.getByRole('checkbox', { name: 'Russian stance' }).check()
  await expect(panel.passages('Russian stance')).toHaveText([PESKOV])
  // The card leaves the US group as soon as the code is removed, so this is a click, not a checked-state wait.
  await panel.card('US stance', PESKOV).getByRole('checkbox', { name: 'US stance' }).click()
  await expect(panel.group('US stance')).toHaveCount(0)
  await expect(reader.highlights.first()).toHaveAttribute('title', 'Russian stance')

  // Delete, then undo brings it back with its code; redo deletes it again.
  await panel.card('Russian stance', PESKOV).getByRole('button', { name: 'Delete passage' }).click()
  await expect(reader.highlights).toHaveCount(0)
  await app.page.keyboard.press('Control+z')
  await expect(panel.passages('Russian stance')).toHaveText([PESKOV])
  await expect(reader.highlights).toHaveCount(1)
  await app.page.keyboard.press('Control+Shift+z')
  await expect(reader.highlights).toHaveCount(0)
  // The Edit menu sends the same command to the window.
  await app.page.evaluate(() => (window as unknown as { __stanceEmit: (e: string, p: string) => void }).__stanceEmit('menu:command', 'undo'))
  await expect(reader.highlights).toHaveCount(1)
  await app.page.keyboard.press('Control+z')
  await app.page.keyboard.press('Control+z')
  await expect(panel.passages('US stance')).toHaveText([PESKOV])
})

test('keyboard-only coding: ten passages with Shift+arrows and number keys', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.placeCaretBefore('Russia is sending Foreign Minister')
  const keyboard = app.page.keyboard
  for (let i = 0; i < 10; i++) {
    for (let w = 0; w < 3; w++) await keyboard.press('Control+Shift+ArrowRight')
    await keyboard.press(String((i % 4) + 1))
    await keyboard.press('Control+ArrowRight')
  }
  await expect(panel.panel.getByRole('heading', { name: /Coded passages 10/ })).toBeVisible()
  await expect(reader.highlights).toHaveCount(10)
  await expect(panel.passages('US stance').first()).toHaveText('Russia is sending')
  // Delete with the caret inside the first highlight, then undo.
  await reader.placeCaretBefore('is sending Foreign')
  await keyboard.press('Delete')
  await expect(reader.highlights).toHaveCount(9)
  await keyboard.press('Control+z')
  await expect(reader.highlights).toHaveCount(10)
})

test('Escape dismisses the picker and navigation keys move between passages', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.dragSelect(RUBIO)
  await expect(reader.picker).toBeVisible()
  await app.page.keyboard.press('Escape')
  await expect(reader.picker).toBeHidden()
  await app.page.keyboard.press('2')
  await expect(reader.highlights).toHaveCount(1)
  await reader.dragSelect(PESKOV)
  await app.page.keyboard.press('2')
  // Reading order: Peskov's quote comes first; the last coded (Peskov) is active, so Next goes to Rubio.
  await expect(panel.passages('Russian stance')).toHaveText([PESKOV, RUBIO])
  await panel.panel.getByRole('button', { name: /Next passage/ }).click()
  await expect(panel.passages('Russian stance').nth(1)).toHaveAttribute('aria-current', 'true')
  await expect(reader.text.locator('.hl-active')).toHaveText(RUBIO)
  await app.page.keyboard.press('Alt+ArrowDown')
  await expect(panel.passages('Russian stance').first()).toHaveAttribute('aria-current', 'true')
  await expect(reader.text.locator('.hl-active')).toHaveText(PESKOV)
  await app.page.keyboard.press('Alt+ArrowUp')
  await expect(reader.text.locator('.hl-active')).toHaveText(RUBIO)
})

test('editing the codebook recolours, renames, nests and re-keys codes everywhere at once', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.dragSelect(RUBIO)
  await app.page.keyboard.press('1')
  await expect(reader.highlights.first()).toHaveAttribute('title', 'US stance')

  const dialog = await panel.openCodebook()
  await dialog.getByLabel('Colour of US stance').fill('#7a5195')
  await expect.poll(() => reader.highlights.first().evaluate((el) => getComputedStyle(el).boxShadow)).toContain('rgb(122, 81, 149)')
  await dialog.getByRole('textbox', { name: 'Name of US stance' }).fill('American stance')
  await dialog.getByRole('textbox', { name: 'Name of US stance' }).press('Enter')
  await expect(reader.highlights.first()).toHaveAttribute('title', 'American stance')

  // A duplicate name is refused in words and the field shows the stored name again.
  await dialog.getByRole('textbox', { name: 'Name of EU stance' }).fill('american STANCE')
  await dialog.getByRole('textbox', { name: 'Name of EU stance' }).press('Enter')
  await expect(app.page.getByRole('alert', { name: 'Notifications' })).toContainText('already exists')
  await expect(dialog.getByRole('textbox', { name: 'Name of EU stance' })).toHaveValue('EU stance')

  // A nested code on key 9, once Minerals and reconstruction gives it up (the default codebook uses keys 1–9).
  await expect(dialog.getByRole('combobox', { name: 'Key for the new code' }).getByRole('option', { name: 'Key 9' })).toBeDisabled()
  await dialog.getByRole('combobox', { name: 'Key for Minerals and reconstruction' }).selectOption('')
  await dialog.getByRole('textbox', { name: 'Name of the new code' }).fill('rejects a European seat')
  await dialog.getByRole('combobox', { name: 'Key for the new code' }).selectOption('9')
  await dialog.getByRole('combobox', { name: 'Parent of the new code' }).selectOption({ label: 'Under Russian stance' })
  await dialog.getByRole('button', { name: 'Add code' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Name of rejects a European seat' })).toBeVisible()
  // Key 1 belongs to American stance: giving it to EU stance is refused.
  await dialog.getByRole('combobox', { name: 'Key for EU stance' }).selectOption('1')
  await expect(app.page.getByRole('alert', { name: 'Notifications' })).toContainText('Key 1 already applies')
  await dialog.getByRole('button', { name: 'Done' }).click()

  await reader.dragSelect('I do not see what the Europeans would bring to the table')
  await app.page.keyboard.press('9')
  await expect(panel.group('rejects a European seat')).toHaveCount(1)
  await expect(reader.highlights.last()).toHaveAttribute('title', 'Russian stance ▸ rejects a European seat')

  // Delete American stance, merging its passages into EU stance; then undo restores it.
  const again = await panel.openCodebook()
  await again.getByRole('button', { name: 'Delete American stance' }).click()
  await again.getByRole('combobox', { name: 'What happens to passages coded American stance' }).selectOption({ label: 'Merge into EU stance' })
  await again.getByRole('button', { name: 'Delete American stance' }).last().click()
  await again.getByRole('button', { name: 'Done' }).click()
  await expect(panel.passages('EU stance')).toHaveText([RUBIO])
  await app.page.keyboard.press('Control+z')
  await expect(panel.passages('American stance')).toHaveText([RUBIO])
  await expect(panel.group('EU stance')).toHaveCount(0)
})

test('a passage whose text is gone is listed as detached and can be re-attached to new text', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.dragSelect(RUBIO)
  await app.page.keyboard.press('1')
  await expect(reader.highlights).toHaveCount(1)
  // Simulate an older quote that no longer occurs (as after an edited re-import): the store re-anchors on load.
  const db = new Database(join(app.dataDir, 'stance.db'))
  db.prepare("UPDATE highlights SET exact = 'a sentence that this article never contained at all', start = start + 1").run()
  db.close()
  await app.reload()
  await expect(panel.orphans()).toHaveCount(1)
  await expect(reader.highlights).toHaveCount(0)
  await panel.orphans().getByRole('button', { name: 'Re-attach' }).click()
  await reader.dragSelect(PESKOV)
  await reader.picker.getByRole('menuitem', { name: /Re-attach/ }).click()
  await expect(panel.orphans()).toHaveCount(0)
  await expect(panel.passages('US stance')).toHaveText([PESKOV])
})

test('screenshots of a coded article, light and dark', async ({ app }, testInfo) => {
  const reader = new ReaderModel(app.page)
  const stance = new StancePage(app.page)
  const passages: [string, string][] = [
    ['The Kremlin confirmed the session on Monday', '2'],
    ['French President Emmanuel Macron summoned leaders from several European Union states', '4'],
    [PESKOV, '2'],
    ['We are going there to listen, to test whether the Russians are serious', '1'],
    [RUBIO, '1'],
    // The same passage again with an issue (key 5): it carries a stance and an issue.
    [RUBIO, '5'],
    ['But nobody finds out what is possible if nobody is talking', '1'],
    ['Russia invaded on Feb. 24, 2022', '3']
  ]
  for (const [quote, key] of passages) {
    await reader.dragSelect(quote)
    await app.page.keyboard.press(key)
  }
  await reader.dragSelect('Witkoff said Sunday that the delegation was acting')
  await app.page.keyboard.press('4')
  await app.page.getByRole('main', { name: 'Reader' }).locator('.scroll').evaluate((el) => (el.scrollTop = 0))
  await app.page.evaluate(() => window.getSelection()?.removeAllRanges())
  await app.page.evaluate(() => document.fonts.ready)
  for (const theme of ['Light', 'Dark'] as const) {
    await stance.chooseTheme(theme)
    await reader.text.locator('.hl').first().scrollIntoViewIfNeeded()
    const shot = await app.page.screenshot()
    await testInfo.attach(`coded-${theme.toLowerCase()}`, { body: shot, contentType: 'image/png' })
    if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(import.meta.dirname, '..', 'docs', 'screenshots', `coded-${theme.toLowerCase()}.png`) })
  }
  await reader.dragSelect('Rubio struck a more cautious note.')
  const picker = await app.page.screenshot()
  await testInfo.attach('code-picker', { body: picker, contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(import.meta.dirname, '..', 'docs', 'screenshots', 'code-picker.png') })
  await expect(reader.highlights).not.toHaveCount(0)
  await app.page.keyboard.press('Escape')
  await stance.chooseTheme('Light')
  const dialog = await new AnnotationsModel(app.page).openCodebook()
  await expect(dialog).toBeVisible()
  const manager = await app.page.screenshot()
  await testInfo.attach('codebook-manager', { body: manager, contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(import.meta.dirname, '..', 'docs', 'screenshots', 'codebook.png') })
})
