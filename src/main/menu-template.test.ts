import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { MENU_IDS, menuTemplate } from './menu-template'

const base = { devTools: false, onAbout: () => {} }

function submenuOf(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label?.replace('&', '') === label)
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`)
  return menu.submenu
}

const roles = (items: MenuItemConstructorOptions[]): Array<string | undefined> =>
  items.map((item) => item.role ?? item.type ?? item.id ?? item.label)

function allItems(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])])
}

describe('menuTemplate', () => {
  it('starts with the app menu on macOS only', () => {
    expect(menuTemplate('darwin', base)[0]?.role).toBe('appMenu')
    for (const platform of ['win32', 'linux'] as const) {
      const labels = menuTemplate(platform, base).map((item) => item.label ?? item.role)
      expect(labels).toEqual(['&File', '&Edit', '&View', '&Window', '&Help'])
    }
  })

  it('uses plain labels on macOS', () => {
    const labels = menuTemplate('darwin', base).slice(1).map((item) => item.label)
    expect(labels).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
  })

  it('has disabled Import/Export with ids and accelerators until handlers exist', () => {
    const file = submenuOf(menuTemplate('linux', base), 'File')
    expect(file[0]).toEqual({ id: MENU_IDS.import, label: 'Import…', accelerator: 'CmdOrCtrl+O', enabled: false })
    expect(file[1]).toEqual({ id: MENU_IDS.export, label: 'Export…', accelerator: 'CmdOrCtrl+E', enabled: false })
    expect(file[2]).toEqual({ id: MENU_IDS.importAnnotations, label: 'Import Annotations…', accelerator: 'CmdOrCtrl+Shift+O', enabled: false })
    expect(MENU_IDS).toEqual({ import: 'file.import', export: 'file.export', importAnnotations: 'file.importAnnotations', analysis: 'view.analysis' })
  })

  it('enables Import/Export when handlers are given', () => {
    const onImport = vi.fn()
    const onExport = vi.fn()
    const file = submenuOf(menuTemplate('win32', { ...base, onImport, onExport }), 'File')
    expect(file[0]?.enabled).toBe(true)
    expect(file[1]?.enabled).toBe(true)
    file[0]?.click?.({} as never, undefined, {} as never)
    file[1]?.click?.({} as never, undefined, {} as never)
    expect(onImport).toHaveBeenCalledOnce()
    expect(onExport).toHaveBeenCalledOnce()
  })

  it('ends File with quit, or close on macOS', () => {
    expect(submenuOf(menuTemplate('linux', base), 'File').at(-1)?.role).toBe('quit')
    expect(submenuOf(menuTemplate('win32', base), 'File').at(-1)?.role).toBe('quit')
    expect(submenuOf(menuTemplate('darwin', base), 'File').at(-1)?.role).toBe('close')
  })

  it('has the standard Edit roles', () => {
    expect(roles(submenuOf(menuTemplate('linux', base), 'Edit'))).toEqual([
      'undo',
      'redo',
      'separator',
      'cut',
      'copy',
      'paste',
      'selectAll'
    ])
  })

  it('sends Undo and Redo to the window when handlers are given', () => {
    const onUndo = vi.fn()
    const onRedo = vi.fn()
    const edit = submenuOf(menuTemplate('linux', { ...base, onUndo, onRedo }), 'Edit')
    expect(edit.slice(0, 2).map((item) => [item.label, item.accelerator, item.role])).toEqual([
      ['Undo', 'CmdOrCtrl+Z', undefined],
      ['Redo', 'Ctrl+Shift+Z', undefined]
    ])
    edit[0]?.click?.({} as never, undefined, {} as never)
    edit[1]?.click?.({} as never, undefined, {} as never)
    expect(onUndo).toHaveBeenCalledOnce()
    expect(onRedo).toHaveBeenCalledOnce()
  })

  it('hides reload and DevTools unless devTools is set', () => {
    const packaged = allItems(menuTemplate('linux', base)).map((item) => item.role)
    expect(packaged).not.toContain('toggleDevTools')
    expect(packaged).not.toContain('reload')
    expect(packaged).not.toContain('forceReload')
    expect(roles(submenuOf(menuTemplate('linux', base), 'View'))).toEqual([
      'view.analysis',
      'separator',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'separator',
      'togglefullscreen'
    ])

    const dev = roles(submenuOf(menuTemplate('linux', { ...base, devTools: true }), 'View'))
    expect(dev.slice(2, 5)).toEqual(['reload', 'forceReload', 'toggleDevTools'])
  })

  it('switches to and from Analysis from View, with the same keys as the window', () => {
    const onAnalysis = vi.fn()
    const item = submenuOf(menuTemplate('linux', { ...base, onAnalysis }), 'View')[0]!
    expect(item).toMatchObject({ id: MENU_IDS.analysis, label: 'Analysis', accelerator: 'CmdOrCtrl+Shift+A', enabled: true })
    ;(item.click as () => void)()
    expect(onAnalysis).toHaveBeenCalledOnce()
    expect(submenuOf(menuTemplate('linux', base), 'View')[0]).toMatchObject({ enabled: false })
  })

  it('has a platform-appropriate Window menu', () => {
    expect(roles(submenuOf(menuTemplate('darwin', base), 'Window'))).toEqual(['minimize', 'zoom', 'separator', 'front'])
    expect(roles(submenuOf(menuTemplate('win32', base), 'Window'))).toEqual(['minimize', 'close'])
  })

  it('shows About Stance from Help', () => {
    const onAbout = vi.fn()
    const about = submenuOf(menuTemplate('linux', { ...base, onAbout }), 'Help')[0]
    expect(about?.label).toBe('About Stance')
    about?.click?.({} as never, undefined, {} as never)
    expect(onAbout).toHaveBeenCalledOnce()
  })

  it('gives every accelerator to one item only', () => {
    const accelerators = allItems(menuTemplate('darwin', base)).flatMap((item) =>
      item.accelerator ? [item.accelerator] : []
    )
    expect(new Set(accelerators).size).toBe(accelerators.length)
  })
})
