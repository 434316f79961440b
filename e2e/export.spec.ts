import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, strFromU8 } from 'fflate'
import { inspectPdf } from '../src/main/export/pdf/pdf-inspect'
import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { ExportModel } from './models/export-model'
import { NoteModel } from './models/note-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const RUBIO = 'One meeting is not going to end a war that has dragged on for three years'
const PESKOV = 'The main task is to start rebuilding the whole range of Russian-American ties'
const SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots')

test('exporting the coded article as an annotated PDF from the dialog', async ({ app }, testInfo) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  await reader.code(RUBIO, '1')
  await reader.code(PESKOV, '2')
  await panel.card('US stance', RUBIO).getByRole('button', { name: 'Write a note' }).click()
  const notes = new NoteModel(app.page)
  await expect(notes.editor('Note on this passage')).toBeFocused()
  await app.page.keyboard.type('Rubio lowers expectations.')
  await expect(notes.status()).toHaveText('Saved')

  const dialog = new ExportModel(app.page)
  await dialog.openFromArticle()
  await expect(dialog.format('Annotated PDF')).toBeChecked()
  await expect(dialog.scope(/^This article/)).toBeChecked()
  await dialog.analyst().fill('Dr. Ada Analyst')
  const shot = await app.page.screenshot()
  await testInfo.attach('export-dialog', { body: shot, contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(SHOTS, 'export-dialog.png') })
  await dialog.exportButton().click()
  await expect(dialog.saved()).toContainText('.pdf', { timeout: 30_000 })
  await expect(dialog.saved()).toContainText('2 highlight annotations')

  const folder = join(app.dataDir, 'exports')
  const [file] = readdirSync(folder)
  expect(file).toMatch(/\.pdf$/)
  const path = join(folder, file!)
  const pdf = await inspectPdf(new Uint8Array(readFileSync(path)))
  const marks = pdf.annotations.filter((a) => a.subtype === 'Highlight')
  expect(marks.map((m) => m.contents).sort()).toEqual(['Russian stance', 'US stance\n\nRubio lowers expectations.'])
  expect(marks.map((m) => m.color?.join()).sort()).toEqual(['0,114,178', '213,94,0'])
  expect(marks.every((m) => m.author === 'Dr. Ada Analyst')).toBe(true)
  expect(pdf.text.replace(/\s+/g, ' ')).toContain(RUBIO)
  if (process.env.STANCE_DOCS_SCREENSHOTS) execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '2', path, join(SHOTS, 'export-pdf-page')])

  // The analyst name is remembered for the next export.
  await app.page.getByRole('button', { name: 'Close' }).click()
  await dialog.openFromArticle()
  await expect(dialog.analyst()).toHaveValue('Dr. Ada Analyst')
})

test('every format is written through the API and a W3C file brings deleted passages back', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)
  const stance = new StancePage(app.page)
  await reader.code(RUBIO, '1')
  await reader.code(PESKOV, '2')
  await expect(panel.card('Russian stance', PESKOV)).toBeVisible()

  const out = mkdtempSync(join(tmpdir(), 'stance-export-e2e-'))
  const articleIds = await app.page.evaluate(async () => {
    const list = await window.api.articles.list({})
    return list.ok ? list.value.map((a) => a.id) : []
  })
  const run = (verb: string, name: string) => stance.call('export', verb, { articleIds, outputPath: join(out, name) }) as Promise<{ ok: boolean; value: { path: string; highlights: number } }>
  for (const [verb, name] of [['markdown', 'a.md'], ['csv', 'a.csv'], ['w3c', 'a.jsonld'], ['qdpx', 'a.qdpx']] as const) {
    const result = await run(verb, name)
    expect(result).toMatchObject({ ok: true, value: { path: join(out, name), highlights: 2 } })
  }
  expect(readFileSync(join(out, 'a.md'), 'utf8')).toContain(`> ${RUBIO}`)
  expect(readFileSync(join(out, 'a.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(3)
  const zip = unzipSync(new Uint8Array(readFileSync(join(out, 'a.qdpx'))))
  expect(Object.keys(zip).sort()[0]).toBe('project.qde')
  expect(strFromU8(zip['project.qde']!)).toContain('<PlainTextSelection')

  // Bad input is refused with a typed error and writes nothing.
  const bad = (await stance.call('export', 'csv', { articleIds: ['nope'], outputPath: join(out, 'b.csv') })) as { ok: boolean; error: { code: string } }
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  expect(existsSync(join(out, 'b.csv'))).toBe(false)

  // Delete one passage, then import the W3C file through the dialog: it comes back with its code.
  await panel.card('US stance', RUBIO).hover()
  await panel.card('US stance', RUBIO).getByRole('button', { name: 'Delete passage' }).click()
  await expect(panel.card('US stance', RUBIO)).toHaveCount(0)
  const dialog = new ExportModel(app.page)
  await dialog.openFromArticle()
  await dialog.importAnnotations({ name: 'a.jsonld', mimeType: 'application/ld+json', buffer: readFileSync(join(out, 'a.jsonld')) })
  await expect(stance.notices).toContainText('1 passage added')
  await expect(stance.notices).toContainText('1 already here')
  await app.page.getByRole('button', { name: 'Close' }).click()
  await expect(panel.card('US stance', RUBIO)).toBeVisible()

  // A file that is not JSON is refused in words, and nothing changes.
  await dialog.openFromArticle()
  await dialog.importAnnotations({ name: 'broken.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from('{ not json') })
  await expect(stance.notices).toContainText('Could not import broken.jsonld')
  await expect(panel.card('Russian stance', PESKOV)).toHaveCount(1)

  // File ▸ Import Annotations… imports in main and sends the outcome; the page says what happened.
  await app.page.evaluate(() =>
    (window as unknown as { __stanceEmit(event: string, payload: unknown): void }).__stanceEmit('import:completed', { fileName: 'menu.jsonld', report: null, error: 'The file is empty.' })
  )
  await expect(stance.notices).toContainText('Could not import menu.jsonld')
  await expect(stance.notices).toContainText('The file is empty.')
})

test('a long export shows its progress and can be cancelled without leaving a file', async ({ app }, testInfo) => {
  const stance = new StancePage(app.page)
  // About 60 printed pages: long enough to catch it mid-way.
  const words = 'the envoy said talks on security guarantees and sanctions would resume after the ceasefire'.split(' ')
  const paragraphs = Array.from({ length: 450 }, (_, i) => Array.from({ length: 70 }, (_, j) => words[(i * 7 + j) % words.length]).join(' ') + '.')
  const imported = (await stance.call('articles', 'import', { kind: 'text', content: `A very long briefing\n\n${paragraphs.join('\n\n')}`, fileName: 'long.txt' })) as { ok: boolean }
  expect(imported.ok).toBe(true)
  await app.reload()
  await app.page.getByRole('navigation', { name: 'Library' }).getByText('A very long briefing').click()
  await expect(stance.articleTitle).toHaveText('A very long briefing')

  const dialog = new ExportModel(app.page)
  await dialog.openFromArticle()
  await dialog.exportButton().click()
  const progress = dialog.dialog.getByRole('progressbar', { name: 'Export progress' })
  await expect(progress).toBeVisible()
  await expect(dialog.dialog.getByText(/^Printing “A very long briefing”/)).toBeVisible()
  await testInfo.attach('export-progress', { body: await app.page.screenshot(), contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(SHOTS, 'export-progress.png') })
  await dialog.dialog.getByRole('button', { name: 'Cancel export' }).click()
  await expect(progress).toHaveCount(0)
  await expect(dialog.error()).toHaveCount(0)
  await expect(dialog.exportButton()).toBeEnabled()
  const folder = join(app.dataDir, 'exports')
  expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([])
})
