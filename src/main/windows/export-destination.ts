import { join } from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'
import type { OutputRequest } from '../export/export-service'

const FILTERS: Record<OutputRequest['format'], Electron.FileFilter> = {
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  markdown: { name: 'Markdown', extensions: ['md'] },
  csv: { name: 'CSV spreadsheet', extensions: ['csv'] },
  w3c: { name: 'W3C Web Annotation (JSON-LD)', extensions: ['jsonld', 'json'] },
  qdpx: { name: 'REFI-QDA project', extensions: ['qdpx'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  png: { name: 'PNG image', extensions: ['png'] }
}

/**
 * Asks the analyst where an export goes. The page never decides a path in the app: whatever it passed is
 * only a starting point for the dialog, so a compromised page cannot write files behind the user's back.
 */
export async function chooseExportDestination(window: BrowserWindow | undefined, request: OutputRequest): Promise<string | null> {
  const start = app.getPath('documents')
  if (request.directory) {
    const options: Electron.OpenDialogOptions = { title: 'Export one PDF per article into…', buttonLabel: 'Export here', defaultPath: start, properties: ['openDirectory', 'createDirectory'] }
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }
  const options: Electron.SaveDialogOptions = {
    title: 'Export',
    buttonLabel: 'Export',
    defaultPath: join(start, request.suggestedName),
    filters: [FILTERS[request.format]],
    properties: ['createDirectory', 'showOverwriteConfirmation']
  }
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}
