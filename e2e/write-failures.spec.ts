import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { NoteModel } from './models/note-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const RUBIO = 'One meeting is not going to end a war that has dragged on for three years'
const PESKOV = 'The main task is to start rebuilding the whole range of Russian-American ties'

/** What a full disk and a read-only folder look like to SQLite, produced by SQLite itself on the live connection. */
const FAILURES = [
  { name: 'a full disk', fail: 'max_page_count', restore: 'max_page_count = 1073741823' },
  { name: 'a read-only data folder', fail: 'query_only = ON', restore: 'query_only = OFF' }
] as const

for (const failure of FAILURES) {
  test(`${failure.name}: the error shows, the note stays in the editor, nothing saved is lost, and writing resumes`, async ({ app }) => {
    test.skip(app.target !== 'chromium', 'needs the harness’s database connection')
    const reader = new ReaderModel(app.page)
    const panel = new AnnotationsModel(app.page)
    const notes = new NoteModel(app.page)
    const stance = new StancePage(app.page)
    await reader.code(RUBIO, '1')
    await panel.card('US stance', RUBIO).getByRole('button', { name: 'Write a note' }).click()
    await expect(notes.editor('Note on this passage')).toBeFocused()
    await app.page.keyboard.type('Saved before the failure.')
    await expect(notes.status()).toHaveText('Saved')

    const db = app.stance().host.connection!
    if (failure.fail === 'max_page_count') db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    else db.pragma(failure.fail)

    // Typing goes on; the save fails in words and the text stays.
    const long = ' Then a long paragraph while the disk refuses: ' + 'the envoys met in Riyadh; '.repeat(200)
    await app.page.keyboard.type(long.slice(0, 80))
    await app.page.evaluate((rest) => document.execCommand('insertText', false, rest), long.slice(80))
    await expect(notes.status()).toContainText('Not saved')
    await expect(notes.status()).toContainText('your text stays here')
    await expect(notes.editor('Note on this passage')).toContainText('Saved before the failure. Then a long paragraph')
    if (failure.fail === 'query_only = ON') {
      // Coding fails too, with a notice, and leaves nothing half done.
      await reader.code(PESKOV, '2')
      await expect(stance.notices).toContainText('could not write to its data folder')
      await expect(panel.card('Russian stance', PESKOV)).toHaveCount(0)
    } else {
      // A small change may still fit in free pages; a large one cannot, and is refused whole.
      const big = await stance.call('articles', 'import', { kind: 'text', content: `Big\n\n${'A long paragraph about the talks. '.repeat(20_000)}`, fileName: 'big.txt' })
      expect(big).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('could not write to its data folder') } })
    }

    db.pragma(failure.restore)
    await expect(notes.status()).toHaveText('Saved', { timeout: 15_000 })
    await app.reload()
    const card = new AnnotationsModel(app.page).card('US stance', RUBIO)
    await expect(card.getByRole('button', { name: /^Open note: Saved before the failure\. Then a long paragraph/ })).toBeVisible()
    await reader.code(PESKOV, '2')
    await expect(new AnnotationsModel(app.page).card('Russian stance', PESKOV)).toBeVisible()
  })
}
