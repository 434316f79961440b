import { fileURLToPath } from 'node:url'
import { BrowserWindow, Menu, app, dialog, ipcMain, session } from 'electron'
import type { MenuCommand } from '../shared/ipc/contract'
import { bootstrap } from './bootstrap'
import { registerIpc } from './ipc/register'
import { buildApplicationMenu } from './menu'
import { resolveElectronSqliteBinding } from './native-binding'
import { handleAppProtocol, registerAppSchemePrivileges } from './protocol/app-protocol'
import { runtimeConfig } from './runtime-config'
import { createMainWindow } from './windows/main-window'
import { importFiles } from './services/import/import-files'
import { importAnnotationFile } from './export/import-annotation-file'
import { hardenSession } from './windows/session-guards'
import { chooseExportDestination } from './windows/export-destination'
import { PrintWindowPrinter } from './windows/print-window-printer'
import { guardWebContents } from './windows/web-contents-guards'

// Scheme privileges and the sandbox switch only take effect before `ready`.
registerAppSchemePrivileges()
app.enableSandbox()

// The e2e suite (E2E_TARGET=electron) runs each spec on a fresh data folder; a shipped build ignores this.
if (!app.isPackaged && process.env.STANCE_USER_DATA_DIR) app.setPath('userData', process.env.STANCE_USER_DATA_DIR)

const config = runtimeConfig({
  packaged: app.isPackaged,
  appPath: app.getAppPath(),
  resourcesPath: process.resourcesPath,
  env: process.env
})
// main is bundled as ESM to out/main/index.js; its siblings are out/preload and out/renderer.
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url))

let store: ReturnType<typeof bootstrap> | undefined
let mainWindow: BrowserWindow | undefined

function openMainWindow(): void {
  mainWindow = createMainWindow({ preloadPath, appUrl: config.appUrl })
  mainWindow.on('closed', () => {
    mainWindow = undefined
  })
}

/** File ▸ Import…: choose files, import each through the articles:import handler, tell the window what came in. */
async function importFromMenu(): Promise<void> {
  const window = mainWindow
  if (!store || !window) return
  const { handlers } = store
  const { canceled, filePaths } = await dialog.showOpenDialog(window, {
    title: 'Import articles',
    buttonLabel: 'Import',
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Articles (text, Markdown, HTML)', extensions: ['txt', 'md', 'markdown', 'html', 'htm'] }]
  })
  if (canceled || filePaths.length === 0) return
  const outcomes = await importFiles(filePaths, (request) => handlers['articles:import'](request))
  if (!window.isDestroyed()) window.webContents.send('articles:imported', outcomes)
}

const printer = new PrintWindowPrinter()

/** File ▸ Import Annotations…: choose a W3C file, import it through the import:w3c handler, tell the window. */
async function importAnnotationsFromMenu(): Promise<void> {
  const window = mainWindow
  if (!store || !window) return
  const { handlers } = store
  const { canceled, filePaths } = await dialog.showOpenDialog(window, {
    title: 'Import annotations',
    buttonLabel: 'Import',
    properties: ['openFile'],
    filters: [{ name: 'W3C Web Annotation (JSON-LD)', extensions: ['jsonld', 'json'] }]
  })
  const [path] = filePaths
  if (canceled || !path) return
  const outcome = await importAnnotationFile(path, (request) => handlers['import:w3c'](request))
  if (!window.isDestroyed()) window.webContents.send('import:completed', outcome)
}

function start(): void {
  hardenSession(session.defaultSession, { allowedOrigins: config.allowedNetworkOrigins })
  handleAppProtocol(rendererDir)

  try {
    const nativeBinding = resolveElectronSqliteBinding(app.getAppPath(), app.isPackaged)
    store = bootstrap({
      dataDir: app.getPath('userData'),
      resourcesDir: config.resourcesDir,
      nativeBinding,
      app: { name: 'Stance', version: app.getVersion(), runtime: `Electron ${process.versions.electron ?? '?'}` },
      exports: {
        printer: () => printer,
        // Under the e2e suite (unpackaged, STANCE_E2E=1) the spec's temp path stands in for the save dialog.
        chooseOutput: (request) => (!app.isPackaged && process.env.STANCE_E2E === '1' && request.requested ? Promise.resolve(request.requested) : chooseExportDestination(mainWindow, request))
      },
      emit: (event, payload) => {
        if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload)
      }
    })
  } catch (error) {
    // Typically a database written by a newer Stance, or a missing native build in dev.
    dialog.showErrorBox('Stance cannot open its data', error instanceof Error ? error.message : String(error))
    app.quit()
    return
  }

  registerIpc(ipcMain, store.handlers, { appOrigin: config.appOrigin })
  app.setAboutPanelOptions({ applicationName: 'Stance', applicationVersion: app.getVersion() })
  const sendMenuCommand = (command: MenuCommand) => (): void => mainWindow?.webContents.send('menu:command', command)
  const onImport = (): void => {
    importFromMenu().catch((error: unknown) => console.error('[main] import failed', error))
  }
  Menu.setApplicationMenu(
    buildApplicationMenu({
      devTools: config.devTools,
      onImport,
      onExport: sendMenuCommand('export'),
      onImportAnnotations: () => {
        importAnnotationsFromMenu().catch((error: unknown) => console.error('[main] annotation import failed', error))
      },
      onUndo: sendMenuCommand('undo'),
      onRedo: sendMenuCommand('redo'),
      onAnalysis: sendMenuCommand('analysis')
    })
  )
  openMainWindow()
}

if (!app.requestSingleInstanceLock()) {
  // Another Stance owns the database; it will surface its window (second-instance below).
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  // Every webContents, not just the main window's, gets the same navigation lock.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { appUrl: config.appUrl })
  })

  // Windows save their open note before closing (close-guard.ts), which can cancel a quit on macOS:
  // remember that the user asked to quit, and quit once the window has gone.
  let quitting = false
  app.on('before-quit', () => {
    quitting = true
  })
  app.on('browser-window-created', (_event, window) => {
    window.on('closed', () => {
      if (quitting) app.quit()
    })
  })
  // The database closes last, after every window has saved.
  app.on('will-quit', () => {
    store?.close()
    store = undefined
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('activate', () => {
    if (store && BrowserWindow.getAllWindows().length === 0) openMainWindow()
  })

  app.whenReady().then(start, (error: unknown) => {
    console.error('[main] Electron failed to start', error)
    app.exit(1)
  })
}
