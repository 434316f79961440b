import { Menu, app } from 'electron'
import { menuTemplate } from './menu-template'
import type { MenuTemplateOptions } from './menu-template'

export type ApplicationMenuOptions = Omit<MenuTemplateOptions, 'onAbout'>

export function buildApplicationMenu(options: ApplicationMenuOptions): Menu {
  return Menu.buildFromTemplate(
    menuTemplate(process.platform, { ...options, onAbout: () => app.showAboutPanel() })
  )
}
