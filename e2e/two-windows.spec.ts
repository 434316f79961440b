import type { Page } from '@playwright/test'
import { expect, test, waitForReady, type AppHandle } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { NoteModel } from './models/note-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const RUBIO = 'One meeting is not going to end a war that has dragged on for three years'
const PESKOV = 'The main task is to start rebuilding the whole range of Russian-American ties'
const CHANGED_ELSEWHERE = /changed in another window/

/**
 * A second window on the same library: a page in the fixture's browser context, so it shares the handler
 * table and the database (and, like a second Electron window of the app, the same local storage).
 */
async function secondWindow(app: AppHandle): Promise<Page> {
  const page = await app.page.context().newPage()
  await page.goto(app.page.url())
  await waitForReady(page)
  return page
}

/** One window's views: the page, its reader, panel, note editor and notices. */
function windowOf(page: Page) {
  return { page, reader: new ReaderModel(page), panel: new AnnotationsModel(page), notes: new NoteModel(page), stance: new StancePage(page) }
}

/** The stored codes (by name) and note of the passage with a quote, read from the database through a page. */
async function stored(page: Page, quote: string): Promise<{ codes: string[]; note: string | null } | null> {
  return page.evaluate(async (q) => {
    const articles = await window.api.articles.list({})
    const codebook = await window.api.codebook.list({})
    if (!articles.ok || !codebook.ok) return null
    const highlights = await window.api.highlights.list({ articleId: articles.value[0]!.id })
    if (!highlights.ok) return null
    const h = highlights.value.find((x) => x.exact === q)
    if (!h) return null
    const note = await window.api.notes.get({ target: { highlightId: h.id } })
    return {
      codes: codebook.value.filter((c) => h.codeIds.includes(c.id)).map((c) => c.name),
      note: note.ok && note.value ? note.value.plain : null
    }
  }, quote)
}

test.beforeEach(({ app }) => {
  test.skip(app.target === 'electron', 'a second window is a second page of the Chromium harness context')
})

test('a passage recoded in one window cannot be recoded or deleted from the stale view of another', async ({ app }) => {
  const a = windowOf(app.page)
  await a.reader.code(PESKOV, '1')
  await expect(a.panel.passages('US stance')).toHaveText([PESKOV])

  // Window B opens on the same library and recodes the passage: US → Russian.
  const b = windowOf(await secondWindow(app))
  await expect(b.panel.passages('US stance')).toHaveText([PESKOV])
  await b.panel.card('US stance', PESKOV).getByRole('button', { name: 'Change codes' }).click()
  await b.panel.card('US stance', PESKOV).getByRole('checkbox', { name: 'Russian stance' }).check()
  await expect(b.panel.passages('Russian stance')).toHaveText([PESKOV])
  await b.panel.card('US stance', PESKOV).getByRole('checkbox', { name: 'US stance' }).click()
  await expect(b.panel.group('US stance')).toHaveCount(0)
  expect(await stored(b.page, PESKOV)).toEqual({ codes: ['Russian stance'], note: null })

  // Window A still shows the passage as US stance only. Adding Ukrainian stance there is refused…
  await a.page.bringToFront()
  await expect(a.panel.passages('US stance')).toHaveText([PESKOV])
  const staleCard = a.panel.card('US stance', PESKOV)
  await staleCard.getByRole('button', { name: 'Change codes' }).click()
  await staleCard.getByRole('checkbox', { name: 'Ukrainian stance' }).click()
  await expect(a.stance.notices).toContainText('Could not change the codes')
  await expect(a.stance.notices).toContainText(CHANGED_ELSEWHERE)
  // …and A reloads: it now shows B's codes, and nothing of its refused change reached the database.
  await expect(a.panel.passages('Russian stance')).toHaveText([PESKOV])
  await expect(a.panel.group('US stance')).toHaveCount(0)
  await expect(a.panel.group('Ukrainian stance')).toHaveCount(0)
  await expect(a.reader.highlights.first()).toHaveAttribute('title', 'Russian stance')
  expect(await stored(a.page, PESKOV)).toEqual({ codes: ['Russian stance'], note: null })

  // B adds EU stance; A, which saw the passage with Russian stance only, tries to delete it: refused too.
  await b.page.bringToFront()
  await b.panel.card('Russian stance', PESKOV).getByRole('button', { name: 'Change codes' }).click()
  await b.panel.card('Russian stance', PESKOV).getByRole('checkbox', { name: 'EU stance' }).check()
  await expect(b.panel.passages('EU stance')).toHaveText([PESKOV])
  await a.page.bringToFront()
  await a.panel.card('Russian stance', PESKOV).getByRole('button', { name: 'Delete passage' }).click()
  await expect(a.stance.notices).toContainText('Could not delete the passage')
  await expect(a.panel.passages('EU stance')).toHaveText([PESKOV])
  await expect(a.panel.passages('Russian stance')).toHaveText([PESKOV])
  await expect(a.reader.highlights).not.toHaveCount(0)
  expect(await stored(a.page, PESKOV)).toEqual({ codes: ['Russian stance', 'EU stance'], note: null })

  // Having seen B's change, A may delete it. B, still showing it, is told it is gone and drops it.
  // A's error notices stay until read, over the foot of the panel (where the longer codebook puts this card): dismiss them.
  const dismiss = a.stance.notices.getByRole('button', { name: /^Dismiss/ })
  for (let n = await dismiss.count(); n > 0; n--) await dismiss.first().click()
  await expect(dismiss).toHaveCount(0)
  await a.panel.card('Russian stance', PESKOV).getByRole('button', { name: 'Delete passage' }).click()
  await expect(a.reader.highlights).toHaveCount(0)
  expect(await stored(a.page, PESKOV)).toBeNull()
  await b.page.bringToFront()
  await b.panel.card('Russian stance', PESKOV).getByRole('checkbox', { name: 'US stance' }).click()
  await expect(b.stance.notices).toContainText(/deleted, perhaps in another window/)
  await expect(b.reader.highlights).toHaveCount(0)
  await expect(b.panel.group('EU stance')).toHaveCount(0)
  expect(await stored(b.page, PESKOV)).toBeNull()
})

test('a note saved in one window is not overwritten by the stale editor of another: it offers the choice and keeps both texts', async ({ app }) => {
  const a = windowOf(app.page)
  await a.reader.code(RUBIO, '1')
  await a.panel.card('US stance', RUBIO).getByRole('button', { name: 'Write a note' }).click()
  const editorA = a.notes.editor('Note on this passage')
  await expect(editorA).toBeFocused()
  await a.page.keyboard.type('Alpha')
  await expect(a.notes.status()).toHaveText('Saved')

  // Window B opens the note at that version.
  const b = windowOf(await secondWindow(app))
  await b.panel.card('US stance', RUBIO).getByRole('button', { name: 'Edit note' }).click()
  const editorB = b.notes.editor('Note on this passage')
  await expect(editorB).toHaveText('Alpha')

  // A goes on writing and saves a newer version.
  await a.page.bringToFront()
  await editorA.press('Control+End')
  await a.page.keyboard.type(', from A')
  await expect(a.notes.status()).toHaveText('Saved')
  expect((await stored(a.page, RUBIO))?.note).toBe('Alpha, from A')

  // B types on the version it loaded: its save is refused, it offers the choice, and neither text is lost.
  await b.page.bringToFront()
  await editorB.press('Control+End')
  await b.page.keyboard.type(', from B')
  await expect(b.notes.status()).toContainText(CHANGED_ELSEWHERE)
  await expect(b.notes.status().getByRole('button', { name: 'Keep mine' })).toBeVisible()
  await expect(b.notes.status().getByRole('button', { name: 'Load the other version' })).toBeVisible()
  await expect(editorB).toHaveText('Alpha, from B')
  expect((await stored(b.page, RUBIO))?.note).toBe('Alpha, from A')

  // B keeps its words; now A's editor is the stale one, and A's next save is refused in turn.
  await b.notes.status().getByRole('button', { name: 'Keep mine' }).click()
  await expect(b.notes.status()).toHaveText('Saved')
  expect((await stored(b.page, RUBIO))?.note).toBe('Alpha, from B')
  await a.page.bringToFront()
  await editorA.press('Control+End')
  await a.page.keyboard.type(' again')
  await expect(a.notes.status()).toContainText(CHANGED_ELSEWHERE)
  await expect(editorA).toHaveText('Alpha, from A again')
  expect((await stored(a.page, RUBIO))?.note).toBe('Alpha, from B')
  // A takes the stored version: its editor shows B's text.
  await a.notes.status().getByRole('button', { name: 'Load the other version' }).click()
  await expect(editorA).toHaveText('Alpha, from B')
  await expect(a.notes.status()).toHaveText('Saved')
})

test('emptying a note in a stale window does not delete the words another window saved since', async ({ app }) => {
  const a = windowOf(app.page)
  await a.reader.code(RUBIO, '1')
  await a.panel.card('US stance', RUBIO).getByRole('button', { name: 'Write a note' }).click()
  const editorA = a.notes.editor('Note on this passage')
  await expect(editorA).toBeFocused()
  await a.page.keyboard.type('First thoughts')
  await expect(a.notes.status()).toHaveText('Saved')

  const b = windowOf(await secondWindow(app))
  await b.panel.card('US stance', RUBIO).getByRole('button', { name: 'Edit note' }).click()
  const editorB = b.notes.editor('Note on this passage')
  await expect(editorB).toHaveText('First thoughts')

  await a.page.bringToFront()
  await editorA.press('Control+End')
  await a.page.keyboard.type(', second thoughts')
  await expect(a.notes.status()).toHaveText('Saved')

  // B clears the note it loaded, which would delete it: refused, with the choice.
  await b.page.bringToFront()
  await editorB.press('Control+a')
  await editorB.press('Backspace')
  await expect(b.notes.status()).toContainText(CHANGED_ELSEWHERE)
  expect((await stored(b.page, RUBIO))?.note).toBe('First thoughts, second thoughts')
  await b.notes.status().getByRole('button', { name: 'Load the other version' }).click()
  await expect(editorB).toHaveText('First thoughts, second thoughts')
  await expect(b.notes.status()).toHaveText('Saved')
})
