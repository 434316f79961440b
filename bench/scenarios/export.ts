import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openTestDatabase } from '../../src/main/db/open-test-database'
import { collectBundle } from '../../src/main/export/collect-bundle'
import { ExportService } from '../../src/main/export/export-service'
import { ChromiumPdfPrinter } from '../../src/main/export/pdf/chromium-pdf-printer'
import { buildPdfDocument } from '../../src/main/export/pdf/export-document'
import { exportFontCss } from '../../src/main/export/pdf/export-fonts'
import { PRINT_CHROMIUM_ARGS, systemChromium } from '../../src/main/export/pdf/system-chromium'
import { DEFAULT_STANCES } from '../../src/main/services/default-codebook'
import type { CodeId } from '../../src/shared/domain/ids'
import { generateArticle } from '../lib/generate-article'
import { measure } from '../lib/measure'
import { report, type Scenario } from '../lib/scenario'

const SEED = 0x53_37 // "S7"

/**
 * S7: export a long article (39,000 words: about 100 printed pages of text, then the appendix) with 1,000 highlights as an annotated PDF,
 * against Chromium printing the very same export HTML without the annotation pass, in the same run. Time
 * and file size are both held to the goal; the ratio shown is time, the size ratio is in the notes.
 */
export const exportPdf: Scenario = {
  id: 'S7',
  title: 'annotated PDF export (100 pages, 1,000 highlights)',
  async run({ quick }) {
    const executablePath = systemChromium()
    if (!executablePath) throw new Error('S7 needs Chromium (apt-get install -y chromium, or CHROMIUM_PATH).')
    const words = quick ? 5_000 : 39_000
    const count = quick ? 100 : 1_000
    const generated = generateArticle(SEED, words, count)
    const store = openTestDatabase()
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-s7-'))
    const printer = new ChromiumPdfPrinter({ executablePath, args: PRINT_CHROMIUM_ARGS })
    try {
      const codes = store.db.transaction(() => DEFAULT_STANCES.map((code) => store.repos.codes.insert(code)))()
      const article = store.repos.articles.insert({ title: 'Generated article for S7', outlet: 'Bench', author: null, publishedAt: '2025-02-17', sourceUrl: null }, generated.doc)
      store.db.transaction(() => {
        generated.ranges.forEach((range, i) => {
          store.repos.highlights.insert({ articleId: article.id, start: range.start, end: range.end, codeIds: [codes[i % codes.length]!.id as CodeId] })
        })
      })()
      const service = new ExportService({
        db: store.db,
        repos: store.repos,
        app: { name: 'Stance', version: 'bench' },
        printer: () => printer,
        chooseOutput: async ({ requested }) => requested ?? null
      })
      const bundle = collectBundle(store.db, store.repos, { articleIds: [article.id], app: { name: 'Stance', version: 'bench' } })
      const plan = buildPdfDocument(bundle, { includeNotes: true, includeAppendix: true, paper: 'A4' }, exportFontCss())
      let printedBytes = 0
      let exportedBytes = 0
      let pages = 0
      let annotations = 0
      const reps = quick ? 1 : 3
      const warmup = quick ? 0 : 1
      // Interleaved would be fairer on a drifting machine, but each run is seconds long; measure back to back.
      const baseline = await measure(
        async () => {
          printedBytes = (await printer.print(plan.html, { headerTitle: plan.headerTitle })).byteLength
        },
        { warmup, reps }
      )
      let n = 0
      const feature = await measure(
        async () => {
          const path = join(dir, `out-${n++}.pdf`)
          const result = await service.export('pdf', { articleIds: [article.id], outputPath: path })
          exportedBytes = statSync(path).size
          pages = result.pages
          annotations = result.annotations
        },
        { warmup, reps }
      )
      const sizeRatio = exportedBytes / printedBytes
      return report(exportPdf, {
        feature,
        baseline,
        goal: '≤ 1.5× time and size',
        met: (ratio) => ratio <= 1.5 && sizeRatio <= 1.5,
        notes: `${pages} pages, ${annotations} highlight annotations for ${generated.ranges.length} highlights; size ${(exportedBytes / 1024).toFixed(0)} KiB vs ${(printedBytes / 1024).toFixed(0)} KiB printed = ${sizeRatio.toFixed(2)}×`
      })
    } finally {
      await printer.close()
      store.db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
