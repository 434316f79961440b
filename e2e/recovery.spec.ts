import { truncateSync, statSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const RUBIO = 'One meeting is not going to end a war that has dragged on for three years'
const PESKOV = 'The main task is to start rebuilding the whole range of Russian-American ties'
const SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots')

test('a damaged library at start: the app explains, keeps the file, and restores the latest backup', async ({ app }, testInfo) => {
  test.skip(app.target !== 'chromium', 'reaches the data folder between runs of the harness')
  const reader = new ReaderModel(app.page)
  await reader.code(RUBIO, '1')
  await expect(new AnnotationsModel(app.page).card('US stance', RUBIO)).toBeVisible()
  // The next start backs the library up; wait for that backup before stopping again.
  await app.restart()
  await app.stance().host.pendingBackup
  await app.restart(() => {
    const file = join(app.dataDir, 'stance.db')
    truncateSync(file, Math.floor(statSync(file).size / 3) + 11)
  })

  const screen = app.page.getByRole('main', { name: 'The library file is cut short.' })
  await expect(screen).toBeVisible()
  await expect(screen).toContainText('kept as stance.db.damaged-')
  expect(readdirSync(app.dataDir).some((name) => name.startsWith('stance.db.damaged-'))).toBe(true)
  const backups = screen.getByRole('list', { name: 'Backups' }).getByRole('listitem')
  await expect(backups.first()).toContainText('the latest')
  await testInfo.attach('recovery', { body: await app.page.screenshot(), contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(SHOTS, 'recovery.png') })

  await backups.first().getByRole('button', { name: /^Restore the backup/ }).click()
  await expect(new StancePage(app.page).articleTitle).toBeVisible()
  await expect(new AnnotationsModel(app.page).card('US stance', RUBIO)).toBeVisible()
})

test('backups can be taken and restored from the library', async ({ app }, testInfo) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.code(RUBIO, '1')
  await app.page.getByRole('button', { name: 'Backups…' }).click()
  const dialog = app.page.getByRole('dialog', { name: 'Backups' })
  await dialog.getByRole('button', { name: 'Back up now' }).click()
  const rows = dialog.getByRole('list', { name: 'Backups' }).getByRole('listitem')
  await expect(rows.first()).toContainText('by hand')
  await testInfo.attach('backups', { body: await app.page.screenshot(), contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(SHOTS, 'backups.png') })
  await dialog.getByRole('button', { name: 'Close' }).click()

  // Work after the backup…
  await reader.code(PESKOV, '2')
  await expect(panel.card('Russian stance', PESKOV)).toBeVisible()
  // …is gone after restoring it, and the state before the restore is itself a backup.
  await app.page.getByRole('button', { name: 'Backups…' }).click()
  await rows.filter({ hasText: 'by hand' }).first().getByRole('button', { name: /^Restore the backup/ }).click()
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(panel.card('US stance', RUBIO)).toBeVisible()
  await expect(panel.card('Russian stance', PESKOV)).toHaveCount(0)
  await app.page.getByRole('button', { name: 'Backups…' }).click()
  await expect(dialog.getByRole('list', { name: 'Backups' })).toContainText('before a restore')
})
