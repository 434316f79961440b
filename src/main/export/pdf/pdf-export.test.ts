import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../db/open-test-database'
import { CodingService } from '../../services/coding-service'
import { History } from '../../services/history'
import { NoteService } from '../../services/note-service'
import { seedLibrary } from '../../services/seed-library'
import type { Article } from '../../../shared/domain/article'
import type { Code } from '../../../shared/domain/code'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ArticleId } from '../../../shared/domain/ids'
import { AppError } from '../../../shared/result'
import { ExportService, slug } from '../export-service'
import { ChromiumPdfPrinter } from './chromium-pdf-printer'
import { glyphsInQuads, inspectPdf, type InspectedPdf } from './pdf-inspect'
import { PRINT_CHROMIUM_ARGS, systemChromium } from './system-chromium'

const RESOURCES = join(import.meta.dirname, '..', '..', '..', '..', 'resources')
const executablePath = systemChromium()
if (!executablePath) throw new Error('The PDF export tests need Chromium: apt-get install -y chromium (or set CHROMIUM_PATH).')

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim()
const cp = (text: string): number => Array.from(text).length

interface Library {
  store: TestDatabase
  codes: Code[]
  sample: Article
  multilingual: Article
  highlights: Highlight[]
}

const MULTILINGUAL = [
  'Лавров заявил, что Москва «готова к переговорам», но не откажется от своих требований по территории.',
  'قال المتحدث باسم الخارجية السعودية إن الرياض مستعدة لاستضافة جولة جديدة من المحادثات بين الطرفين.',
  'Zelenskyy 🇺🇦 wrote “Nothing about Ukraine without Ukraine” 🙏🏽 and the EU 🇪🇺 agreed — Ελλάδα too.'
]

function openLibrary(): Library {
  const store = openTestDatabase()
  seedLibrary(store.db, store.repos, RESOURCES)
  // Codes that passages can carry (the groups "Stances" and "Issues" hold them): the four stances, then the issues.
  const codes = store.repos.codes.list().filter((code) => !code.groupKind)
  const sample = store.repos.articles.require(store.repos.articles.list()[0]!.id)
  const multilingual = store.repos.articles.insert(
    { title: 'Переговоры в Эр-Рияде — محادثات الرياض', outlet: 'Wire', author: 'Н. Иванова', publishedAt: '2025-02-18', sourceUrl: null },
    { type: 'doc', content: MULTILINGUAL.map((text) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })) }
  )
  const coding = new CodingService(store.db, store.repos, new History())
  const notes = new NoteService(store.db, store.repos)
  const highlights: Highlight[] = []
  const code = (article: Article, quote: string, codeIdx: number[], nth = 0): Highlight => {
    let index = -1
    for (let i = 0; i <= nth; i++) index = article.text.indexOf(quote, index + 1)
    if (index < 0) throw new Error(`quote not in text: ${quote}`)
    const start = cp(article.text.slice(0, index))
    const h = coding.create({ articleId: article.id, start, end: start + cp(quote), codeIds: codeIdx.map((i) => codes[i]!.id) })
    highlights.push(h)
    return h
  }
  // Sentences of the sample article: a short one, an overlap, a two-code one, a long multi-line one.
  const sentences = sample.text.split(/(?<=[.!?”])\s+/).filter((s) => s.length > 40)
  const first = code(sample, sentences[1]!, [1])
  code(sample, sentences[2]!, [0, 3])
  const long = sentences.slice(5, 8).join(' ')
  if (sample.text.includes(long)) code(sample, long, [2])
  // Overlap: the second half of one coded sentence and the start of the next.
  // Word-aligned, as the reader's word snapping makes them (the glyph check spreads a run's width evenly).
  const words = (s: string) => s.split(' ')
  const overlap = words(sentences[1]!).slice(Math.floor(words(sentences[1]!).length / 2)).join(' ') + ' ' + words(sentences[2]!).slice(0, 5).join(' ')
  if (sample.text.includes(overlap)) code(sample, overlap, [3])
  // Grapheme-level ends (no word snapping) must still land on exactly their letters.
  code(sample, sentences[3]!.slice(3, 29), [1])
  for (const s of sentences.slice(10, 40).filter((_, i) => i % 3 === 0)) code(sample, s, [(s.length % 4) as 0 | 1 | 2 | 3])
  notes.save({ highlightId: first.id }, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kremlin framing: ' }, { type: 'text', text: 'repair', marks: [{ type: 'bold' }] }] }] }, undefined)
  notes.save({ articleId: sample.id }, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Memo: the talks exclude Kyiv.' }] }] }, undefined)
  code(multilingual, 'Москва «готова к переговорам»', [1])
  code(multilingual, 'الرياض مستعدة لاستضافة جولة جديدة', [3])
  code(multilingual, 'Zelenskyy 🇺🇦 wrote “Nothing about Ukraine without Ukraine” 🙏🏽', [2])
  code(multilingual, 'EU 🇪🇺 agreed', [3])
  return { store, codes, sample, multilingual, highlights }
}

let printer: ChromiumPdfPrinter
let lib: Library
let dir: string

beforeAll(() => {
  printer = new ChromiumPdfPrinter({ executablePath, args: PRINT_CHROMIUM_ARGS })
  lib = openLibrary()
  dir = mkdtempSync(join(tmpdir(), 'stance-pdf-'))
})

afterAll(async () => {
  await printer.close()
  lib.store.db.close()
  rmSync(dir, { recursive: true, force: true })
})

function service(overrides: { articleTimeoutMs?: number } = {}): ExportService {
  return new ExportService({
    db: lib.store.db,
    repos: lib.store.repos,
    app: { name: 'Stance', version: 'test' },
    printer: () => printer,
    chooseOutput: async ({ requested }) => requested ?? null,
    now: () => new Date('2026-11-26T12:00:00Z'),
    ...overrides
  })
}

/**
 * Text as compared under the quads: without spaces, in compatibility form (pdf.js reports Arabic in its
 * shaped presentation forms) and, for right-to-left quotes, as a sorted multiset, since pdf.js lists RTL
 * runs in visual order: nothing missing and nothing extra is what is checked.
 */
function comparable(text: string, quote: string): string {
  const plain = text.normalize('NFKC').replace(/\s/g, '')
  return /[\u0590-\u08ff]/.test(quote) ? Array.from(plain).sort().join('') : plain
}

const hex = (color: string): number[] => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))

/** The checks the issue asks of every exported PDF. */
function checkAnnotations(pdf: InspectedPdf, articles: readonly Article[], codes: readonly Code[]): void {
  const highlights = articles.flatMap((article) => lib.store.repos.highlights.listByArticle(article.id).filter((h) => !h.orphaned))
  const marks = pdf.annotations.filter((a) => a.subtype === 'Highlight')
  // One annotation per highlight and page; their ids (without the page-part suffix) are exactly the highlights.
  expect(new Set(marks.map((a) => a.name.split('#')[0]))).toEqual(new Set(highlights.map((h) => h.id)))
  expect(marks.length).toBeGreaterThanOrEqual(highlights.length)
  for (const h of highlights) {
    const parts = marks.filter((a) => a.name.split('#')[0] === h.id)
    const firstCode = codes.find((c) => h.codeIds.includes(c.id))!
    for (const part of parts) {
      expect(part.color).toEqual(hex(firstCode.color))
      expect(part.hasAppearance).toBe(true)
      expect(part.popupRef).not.toBeNull()
      expect(part.author).toBe('Dr. Ada Analyst')
      expect(part.contents).toContain(firstCode.name)
      expect(part.quadPoints.length % 8).toBe(0)
    }
    // The glyphs under the quads, over all parts, are the quote: nothing missing, nothing extra.
    const covered = parts.map((part) => glyphsInQuads(pdf.glyphs, part.page, part.quadPoints)).join('')
    expect(comparable(covered, h.exact)).toBe(comparable(h.exact, h.exact))
  }
}

describe('annotated PDF export', () => {
  it('prints the sample article with one native highlight per passage on exactly its words', async () => {
    const path = join(dir, 'sample.pdf')
    const result = await service().export('pdf', { articleIds: [lib.sample.id], outputPath: path, options: { analyst: 'Dr. Ada Analyst' } })
    expect(result).toMatchObject({ path, articles: 1 })
    const bytes = new Uint8Array(readFileSync(path))
    const pdf = await inspectPdf(bytes)
    expect(result.pages).toBe(pdf.pages)
    expect(result.annotations).toBe(pdf.annotations.filter((a) => a.subtype === 'Highlight').length)
    // The article's words are in the PDF's text layer (pdf.js), paragraph by paragraph.
    const text = squash(pdf.text)
    for (const paragraph of lib.sample.text.split('\n\n').slice(0, 12)) expect(text).toContain(squash(paragraph).slice(0, 60))
    checkAnnotations(pdf, [lib.sample], lib.codes)
    // Nothing of the private-link trick is left behind.
    expect(pdf.annotations.filter((a) => a.subtype === 'Link').every((a) => !JSON.stringify(a).includes('stance.invalid'))).toBe(true)
    expect(Buffer.from(bytes).includes('stance.invalid')).toBe(false)
    // poppler reads the same text.
    const poppler = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }))
    expect(poppler).toContain(squash(lib.sample.text.split('\n\n')[0]!).slice(0, 60))
    // Metadata, outline and paper size.
    expect(pdf.info).toMatchObject({ Title: lib.sample.title, Author: 'Dr. Ada Analyst', Creator: 'Stance test' })
    expect(String(pdf.info.Keywords)).toContain(lib.codes[0]!.name)
    expect(pdf.outline[0]?.title).toBe(lib.sample.title)
    expect(pdf.outline[0]?.children.map((c) => c.title)).toEqual(['Article text', 'Memo', 'Coded passages'])
    expect(pdf.outline[0]?.children[2]?.children.length).toBeGreaterThanOrEqual(3)
    expect(pdf.pageSizes[0]![0]).toBeCloseTo(595.3, 0)
    // The appendix lists the note and the page of each passage.
    expect(text).toContain('Kremlin framing: repair')
    expect(text).toContain('Memo: the talks exclude Kyiv.')
  })

  it('places quads on Cyrillic, Arabic and emoji text', async () => {
    const path = join(dir, 'multilingual.pdf')
    await service().export('pdf', { articleIds: [lib.multilingual.id], outputPath: path, options: { analyst: 'Dr. Ada Analyst', paper: 'Letter' } })
    const pdf = await inspectPdf(new Uint8Array(readFileSync(path)))
    expect(pdf.pageSizes[0]).toEqual([612, 792])
    const text = squash(pdf.text)
    expect(text).toContain('Лавров заявил')
    expect(text).toContain('Ελλάδα')
    checkAnnotations(pdf, [lib.multilingual], lib.codes)
    const poppler = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    expect(poppler).toContain('Москва')
    expect(poppler).toMatch(/الرياض/)
  })

  it('combines articles into one file with a section each, or writes one file per article', async () => {
    const combined = join(dir, 'both.pdf')
    const one = await service().export('pdf', { articleIds: [lib.sample.id, lib.multilingual.id], outputPath: combined, options: { analyst: 'Dr. Ada Analyst' } })
    const pdf = await inspectPdf(new Uint8Array(readFileSync(combined)))
    expect(pdf.outline.map((o) => o.title)).toEqual([lib.sample.title, lib.multilingual.title])
    checkAnnotations(pdf, [lib.sample, lib.multilingual], lib.codes)
    expect(one.files).toHaveLength(1)

    const folder = mkdtempSync(join(dir, 'each-'))
    const each = await service().export('pdf', { articleIds: [lib.sample.id, lib.multilingual.id], outputPath: folder, options: { perArticle: true } })
    expect(each.path).toBe(folder)
    expect(each.files).toHaveLength(2)
    expect(readdirSync(folder).sort()).toEqual(each.files.map((f) => f.path.slice(folder.length + 1)).sort())
    expect(readdirSync(folder).some((name) => name.endsWith('.partial'))).toBe(false)
  })

  it('honours the code filter, notes off and appendix off', async () => {
    const path = join(dir, 'filtered.pdf')
    const russian = lib.codes[1]!
    await service().export('pdf', { articleIds: [lib.sample.id], outputPath: path, options: { codeIds: [russian.id], includeNotes: false, includeAppendix: false } })
    const pdf = await inspectPdf(new Uint8Array(readFileSync(path)))
    const wanted = lib.store.repos.highlights.listByArticle(lib.sample.id).filter((h) => h.codeIds.includes(russian.id))
    const marks = pdf.annotations.filter((a) => a.subtype === 'Highlight')
    expect(new Set(marks.map((a) => a.name.split('#')[0]))).toEqual(new Set(wanted.map((h) => h.id)))
    expect(marks.every((a) => a.color?.join() === hex(russian.color).join())).toBe(true)
    expect(squash(pdf.text)).not.toContain('Kremlin framing')
    expect(squash(pdf.text)).not.toContain('Memo: the talks')
    expect(pdf.outline[0]?.children.map((c) => c.title)).toEqual(['Article text'])
  })

  it('stops at the time limit or on cancel and leaves nothing at the destination', async () => {
    const path = join(dir, 'slow.pdf')
    const error = await service({ articleTimeoutMs: 1 })
      .export('pdf', { articleIds: [lib.sample.id], outputPath: path })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('timeout')
    expect((error as AppError).message).toMatch(/longer than/)
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(dir).filter((n) => n.includes('slow'))).toEqual([])

    const exporter = service()
    const running = exporter.export('pdf', { articleIds: [lib.sample.id], outputPath: path, jobId: 'job-1' }).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(exporter.cancel('job-1')).toBe(true)
    const cancelled = await running
    expect((cancelled as AppError).code).toBe('cancelled')
    expect(readdirSync(dir).filter((n) => n.includes('slow'))).toEqual([])
  })

  it('keeps going past passages with nothing visible, marks passages that start between paragraphs, keeps indentation', async () => {
    const article = lib.store.repos.articles.insert(
      { title: 'Edge cases', outlet: null, author: null, publishedAt: null, sourceUrl: null },
      { type: 'doc', content: ['First   paragraph with    spaces.', '    Indented second paragraph.'].map((text) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })) }
    )
    const coding = new CodingService(lib.store.db, lib.store.repos, new History())
    const text = article.text
    const at = (needle: string) => cp(text.slice(0, text.indexOf(needle)))
    // Only spaces; from the block separator into the next paragraph; and an ordinary passage.
    coding.create({ articleId: article.id, start: at('   paragraph') + 1, end: at('   paragraph') + 3, codeIds: [lib.codes[0]!.id] })
    const across = coding.create({ articleId: article.id, start: at('\n\n') + 1, end: at('Indented') + 8, codeIds: [lib.codes[1]!.id] })
    coding.create({ articleId: article.id, start: at('with'), end: at('with') + 4, codeIds: [lib.codes[2]!.id] })
    const path = join(dir, 'edges.pdf')
    const result = await service().export('pdf', { articleIds: [article.id], outputPath: path })
    const pdf = await inspectPdf(new Uint8Array(readFileSync(path)))
    const marks = pdf.annotations.filter((a) => a.subtype === 'Highlight')
    // The whitespace passage is printed as spaces (kept, as in the reader) and gets its annotation too.
    expect(result.unplaced + marks.length).toBe(3)
    expect(marks.some((m) => m.name === across.id)).toBe(true)
    const acrossMark = marks.find((m) => m.name === across.id)!
    expect(glyphsInQuads(pdf.glyphs, acrossMark.page, acrossMark.quadPoints).replace(/\s/g, '')).toBe('Indented')
    // Indentation and runs of spaces print as they read.
    expect(pdf.text).toMatch(/Indented second paragraph/)
  })

  it('writes one file per article without overwriting files already in the folder, and refuses to add an extension over an existing file', async () => {
    const folder = mkdtempSync(join(dir, 'keep-'))
    const existing = join(folder, `${slug(lib.sample.title)}.pdf`)
    writeFileSync(existing, 'an older export')
    const each = await service().export('pdf', { articleIds: [lib.sample.id, lib.multilingual.id], outputPath: folder, options: { perArticle: true } })
    expect(readFileSync(existing, 'utf8')).toBe('an older export')
    expect(each.files.map((f) => f.path)).toContain(join(folder, `${slug(lib.sample.title)}-2.pdf`))

    writeFileSync(join(dir, 'report.md'), 'keep')
    await expect(service().export('markdown', { articleIds: [lib.sample.id], outputPath: join(dir, 'report') })).rejects.toMatchObject({ code: 'conflict' })
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('keep')
  })

  it('prints the stance × issue matrix of the exported articles only when asked, per file when one file per article', async () => {
    const article = lib.store.repos.articles.insert(
      { title: 'Matrix check', outlet: null, author: null, publishedAt: '2025-03-01', sourceUrl: null },
      { type: 'doc', content: ['Moscow rejects NATO. Moscow rejects NATO again. Washington wants a ceasefire.'].map((text) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })) }
    )
    const coding = new CodingService(lib.store.db, lib.store.repos, new History())
    const byName = (name: string) => lib.codes.find((c) => c.name === name)!.id
    const code = (phrase: string, nth: number, ...names: string[]) => {
      let index = -1
      for (let i = 0; i <= nth; i++) index = article.text.indexOf(phrase, index + 1)
      coding.create({ articleId: article.id, start: index, end: index + phrase.length, codeIds: names.map(byName) })
    }
    code('Moscow rejects NATO', 0, 'Russian stance', 'NATO membership')
    code('Moscow rejects NATO', 1, 'Russian stance', 'NATO membership')
    code('Washington wants a ceasefire.', 0, 'US stance', 'Ceasefire and territory')
    const layoutText = (path: string) => squash(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }))

    const plain = join(dir, 'no-matrix.pdf')
    await service().export('pdf', { articleIds: [article.id], outputPath: plain })
    expect(layoutText(plain)).not.toMatch(/stances × issues|passages per cell/i)
    expect((await inspectPdf(new Uint8Array(readFileSync(plain)))).outline[0]?.children.map((c) => c.title)).not.toContain('Stances × issues')

    const path = join(dir, 'matrix.pdf')
    await service().export('pdf', { articleIds: [article.id], outputPath: path, options: { includeMatrix: true } })
    const pdf = await inspectPdf(new Uint8Array(readFileSync(path)))
    expect(pdf.outline[0]?.children.map((c) => c.title)).toEqual(['Stances × issues', 'Article text', 'Coded passages'])
    expect(squash(pdf.text)).toMatch(/stances × issues/i)
    // The rows read across in poppler's layout: label, the counts of the non-empty cells, the row's total;
    // the totals row has every column.
    const text = layoutText(path)
    expect(text).toContain('US stance 1 1 Russian stance 2 2 Ukrainian stance 0 EU stance 0')
    expect(text).toContain('Total 1 2 0 0 0 0 3')
    expect(text).toContain('2 passages per cell')
    expect(text).toContain('3 passages with a stance code · 1 article')
    // The matrix sits on the first page, after the title block.
    const firstPage = Math.min(...pdf.runs.map((r) => r.page))
    expect(pdf.runs.filter((r) => r.page === firstPage).map((r) => r.str).join(' ')).toContain('passages per cell')

    // Several articles in one file: the matrix of them all opens it; one file per article: each has its own.
    const combined = join(dir, 'matrix-both.pdf')
    await service().export('pdf', { articleIds: [article.id, lib.multilingual.id], outputPath: combined, options: { includeMatrix: true } })
    const both = await inspectPdf(new Uint8Array(readFileSync(combined)))
    expect(both.outline.map((o) => o.title)).toEqual(['Stances × issues', 'Matrix check', lib.multilingual.title])
    expect(layoutText(combined)).toMatch(/with a stance code · 2 articles/)
    const folder = mkdtempSync(join(dir, 'matrix-each-'))
    const each = await service().export('pdf', { articleIds: [article.id, lib.multilingual.id], outputPath: folder, options: { perArticle: true, includeMatrix: true } })
    const scopes = each.files.map((f) => /(\d+) passages? with a stance code · 1 article/.exec(layoutText(f.path))?.[1])
    expect(scopes).toEqual(['3', String(lib.store.repos.highlights.listByArticle(lib.multilingual.id).length)])
  })

  it('refuses trashed or unknown articles and a missing folder with clear errors', async () => {
    const missing = '00000000-0000-4000-8000-000000000000' as ArticleId
    await expect(service().export('pdf', { articleIds: [missing], outputPath: join(dir, 'x.pdf') })).rejects.toMatchObject({ code: 'not-found' })
    await expect(service().export('markdown', { articleIds: [lib.sample.id], outputPath: join(dir, 'nope', 'x.md') })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('does not exist') })
    await expect(service().export('csv', { articleIds: [lib.sample.id], outputPath: 'relative.csv' })).rejects.toMatchObject({ code: 'invalid-input' })
  })
})
