import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { abortablePrint, PREPARE_PRINT_SCRIPT, printOptions, type PdfPrinter, type PrintOptions } from './pdf-printer'

/** Where to find Chromium and how to start it. */
export interface ChromiumPrinterOptions {
  executablePath: string
  args?: string[]
}

/**
 * Prints with a headless system Chromium through playwright-core: what Node tools, tests and benchmarks use
 * in place of Electron's printToPDF (the same print pipeline). One browser is started on first use and
 * kept; each print gets a fresh page in a context that refuses every request, so the page reaches nothing.
 */
export class ChromiumPdfPrinter implements PdfPrinter {
  private context: Promise<{ browser: Browser; context: BrowserContext }> | undefined

  constructor(private readonly options: ChromiumPrinterOptions) {}

  async print(html: string, options: PrintOptions): Promise<Uint8Array> {
    const { context } = await this.start()
    const page = await context.newPage()
    return abortablePrint(
      options.signal,
      () => page.close().catch(() => undefined),
      async () => {
        await page.setContent(html, { waitUntil: 'load' })
        await page.evaluate(PREPARE_PRINT_SCRIPT)
        return new Uint8Array(await page.pdf(printOptions(options.headerTitle)))
      }
    )
  }

  async close(): Promise<void> {
    const started = this.context
    this.context = undefined
    if (started) await (await started).browser.close().catch(() => undefined)
  }

  private start(): Promise<{ browser: Browser; context: BrowserContext }> {
    this.context ??= (async () => {
      const browser = await chromium.launch({ executablePath: this.options.executablePath, args: this.options.args ?? [] })
      const context = await browser.newContext({ offline: true, acceptDownloads: false })
      await context.route('**/*', (route) => route.abort())
      return { browser, context }
    })()
    return this.context
  }
}
