import type { MenuItemConstructorOptions } from 'electron'

export interface MenuTemplateOptions {
  /** Reload and DevTools are development aids; pass `!app.isPackaged`. */
  devTools: boolean
  onAbout: () => void
  /** Import/Export stay disabled until their handlers exist. */
  onImport?: () => void
  onExport?: () => void
  /** File ▸ Import Annotations…: a W3C Web Annotation file, e.g. one exported from another library. */
  onImportAnnotations?: () => void
  /**
   * Undo/Redo go to the window as commands, because Stance's own undo (coding, codebook) must work
   * wherever focus is; the window falls back to the text field's undo when one has focus.
   * Without a handler the items keep the native roles.
   */
  onUndo?: () => void
  onRedo?: () => void
  /** View ▸ Analysis: switches the window between reading and the Analysis screen. */
  onAnalysis?: () => void
}

export const MENU_IDS = { import: 'file.import', export: 'file.export', importAnnotations: 'file.importAnnotations', analysis: 'view.analysis' } as const

export function menuTemplate(platform: NodeJS.Platform, options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  // `&` marks the Alt-key mnemonic on Windows/Linux; macOS menus have no mnemonics.
  const mnemonic = (label: string): string => (isMac ? label : `&${label}`)
  const template: MenuItemConstructorOptions[] = []

  if (isMac) template.push({ role: 'appMenu' })

  template.push({
    label: mnemonic('File'),
    submenu: [
      fileCommand(MENU_IDS.import, 'Import…', 'CmdOrCtrl+O', options.onImport),
      fileCommand(MENU_IDS.export, 'Export…', 'CmdOrCtrl+E', options.onExport),
      fileCommand(MENU_IDS.importAnnotations, 'Import Annotations…', 'CmdOrCtrl+Shift+O', options.onImportAnnotations),
      { type: 'separator' },
      // On macOS quitting lives in the app menu; File ends with Close Window instead.
      isMac ? { role: 'close' } : { role: 'quit' }
    ]
  })

  template.push({
    label: mnemonic('Edit'),
    submenu: [
      options.onUndo ? { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => options.onUndo?.() } : { role: 'undo' },
      options.onRedo ? { label: 'Redo', accelerator: isMac ? 'Shift+Cmd+Z' : 'Ctrl+Shift+Z', click: () => options.onRedo?.() } : { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' }
    ]
  })

  const developer: MenuItemConstructorOptions[] = options.devTools
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : []
  template.push({
    label: mnemonic('View'),
    submenu: [
      fileCommand(MENU_IDS.analysis, 'Analysis', 'CmdOrCtrl+Shift+A', options.onAnalysis),
      { type: 'separator' },
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  })

  template.push({
    label: mnemonic('Window'),
    role: 'windowMenu',
    submenu: isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }]
  })

  template.push({
    label: mnemonic('Help'),
    role: 'help',
    submenu: [{ label: 'About Stance', click: () => options.onAbout() }]
  })

  return template
}

function fileCommand(
  id: string,
  label: string,
  accelerator: string,
  handler: (() => void) | undefined
): MenuItemConstructorOptions {
  return handler
    ? { id, label, accelerator, enabled: true, click: () => handler() }
    : { id, label, accelerator, enabled: false }
}
