import { BrowserWindow, nativeTheme } from 'electron'
import { guardClose } from './close-guard'
import { guardWebContents } from './web-contents-guards'
import { secureWebPreferences } from './web-preferences'

export interface MainWindowOptions {
  preloadPath: string
  /** `app://stance/index.html`, or the dev server URL in `electron-vite dev`. */
  appUrl: string
}

// Matches the renderer's page background so there is no white flash before first paint.
// The reader's background in each theme, so the window does not flash another colour before the first paint.
const BACKGROUND = { light: '#fbfaf7', dark: '#17191d' }

function themeBackground(): string {
  return nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Stance',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: themeBackground(),
    webPreferences: {
      ...secureWebPreferences(options.preloadPath),
      // Restated where the window is made so they can be read here, by a reviewer and by electronegativity
      // (`npm run lint:security`), which cannot follow the call above; main-window.test.ts checks the window
      // gets exactly secureWebPreferences().
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    }
  })

  // Guards go on before the first load so not even the initial page can open windows.
  guardWebContents(window.webContents, { appUrl: options.appUrl })
  // The page saves its open note before the window goes (see close-guard.ts).
  guardClose(window)

  window.once('ready-to-show', () => window.show())

  const onThemeUpdated = (): void => {
    if (!window.isDestroyed()) window.setBackgroundColor(themeBackground())
  }
  nativeTheme.on('updated', onThemeUpdated)
  window.once('closed', () => nativeTheme.off('updated', onThemeUpdated))

  void window.loadURL(options.appUrl).catch((error: unknown) => {
    console.error('[main-window] failed to load', options.appUrl, error)
  })

  return window
}
