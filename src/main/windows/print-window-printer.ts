import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, session } from 'electron'
import { abortablePrint, PREPARE_PRINT_SCRIPT, printOptions, type PdfPrinter, type PrintOptions } from '../export/pdf/pdf-printer'
import { hardenSession } from './session-guards'
import { printWindowWebPreferences } from './web-preferences'

const PRINT_PARTITION = 'stance-print'

/**
 * Prints with Electron's `webContents.printToPDF` in a hidden, sandboxed window without preload, on its own
 * in-memory session that denies every permission and lets through only the one print file. The print
 * document is written to a private temp file because it can exceed what a data: URL may hold.
 */
export class PrintWindowPrinter implements PdfPrinter {
  private hardened = false
  /** Print files being loaded now; prints may overlap, so each one's file is let through while it prints. */
  private readonly allowed = new Set<string>()

  async print(html: string, options: PrintOptions): Promise<Uint8Array> {
    const file = join(tmpdir(), `stance-print-${randomBytes(8).toString('hex')}.html`)
    writeFileSync(file, html, { encoding: 'utf8', mode: 0o600 })
    const fileUrl = pathToFileURL(file).href
    const ses = session.fromPartition(PRINT_PARTITION, { cache: false })
    if (!this.hardened) {
      hardenSession(ses)
      // Replaces the session's network filter with a stricter one: only the print files themselves (and the
      // fonts embedded in them as data: URLs) load; the page's CSP forbids the rest too, this is the backstop.
      ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !this.allowed.has(details.url) && !details.url.startsWith('data:') }))
      this.hardened = true
    }
    this.allowed.add(fileUrl)
    let window: BrowserWindow | undefined
    try {
      window = new BrowserWindow({
        show: false,
        // The helper's keys restated for readers and electronegativity, as in main-window.ts.
        webPreferences: { ...printWindowWebPreferences(ses), contextIsolation: true, sandbox: true, nodeIntegration: false }
      })
      const print = window
      return await abortablePrint(
        options.signal,
        () => {
          // The file goes with the window: a destroyed window may never settle its pending load or print.
          this.allowed.delete(fileUrl)
          rmSync(file, { force: true })
          if (!print.isDestroyed()) print.destroy()
        },
        async () => {
          await print.loadURL(fileUrl)
          await print.webContents.executeJavaScript(PREPARE_PRINT_SCRIPT, true)
          return new Uint8Array(await print.webContents.printToPDF(printOptions(options.headerTitle)))
        }
      )
    } finally {
      this.allowed.delete(fileUrl)
      rmSync(file, { force: true })
      if (window && !window.isDestroyed()) window.destroy()
    }
  }

  async close(): Promise<void> {
    // Each print uses its own window, so there is nothing long-lived to release.
  }
}
