import { AppError } from '../../../shared/result'

/** How the print page is laid out; the paper size and margins come from the document's own @page rule. */
export interface PrintOptions {
  /** Shown in the running header of every page (escaped by the printer's template). */
  headerTitle: string
  signal?: AbortSignal
}

/**
 * Prints an HTML document to PDF with Chromium's print pipeline: Electron's `webContents.printToPDF` in the
 * app, playwright-core driving the system Chromium in Node and tests. Implementations load the HTML with
 * nothing reachable but itself, wait for its fonts, call its `stanceLayout()` and print with backgrounds.
 */
export interface PdfPrinter {
  print(html: string, options: PrintOptions): Promise<Uint8Array>
  /** Releases the browser or window behind the printer. */
  close(): Promise<void>
}

/** The running header and footer both printers pass to Chromium: title left, page x of y right. */
export function headerFooterTemplates(title: string): { headerTemplate: string; footerTemplate: string } {
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const style = 'font-family: Inter, DejaVu Sans, sans-serif; font-size: 7.5px; color: #6b6b76; width: 100%; margin: 0 18mm 0 30mm; display: flex;'
  return {
    headerTemplate: `<div style="${style}"><span style="overflow:hidden;white-space:nowrap;text-overflow:ellipsis;max-width:75%">${escaped}</span></div>`,
    footerTemplate: `<div style="${style}"><span>Stance</span><span style="margin-left:auto"><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`
  }
}

/** Run in the print page before printing: wait for the embedded fonts, then let the document lay out its margin markers. */
export const PREPARE_PRINT_SCRIPT = 'document.fonts.ready.then(() => { if (window.stanceLayout) window.stanceLayout(); return true })'

/**
 * Runs one print so that an abort tears the page or window down at once (`release`), reports a cancel as
 * `cancelled` rather than as whatever the torn-down page threw, and always releases it afterwards.
 */
export async function abortablePrint(signal: AbortSignal | undefined, release: () => void | Promise<void>, work: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const abort = (): void => void release()
  signal?.addEventListener('abort', abort, { once: true })
  try {
    if (signal?.aborted) throw new AppError('cancelled', 'The export was cancelled.')
    return await work()
  } catch (error) {
    if (signal?.aborted) throw new AppError('cancelled', 'The export was cancelled.')
    throw error
  } finally {
    signal?.removeEventListener('abort', abort)
    await release()
  }
}

/** Chromium's print options both printers use: backgrounds on, paper and margins from the document's @page. */
export function printOptions(title: string): { printBackground: true; preferCSSPageSize: true; displayHeaderFooter: true; headerTemplate: string; footerTemplate: string } {
  return { printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true, ...headerFooterTemplates(title) }
}
