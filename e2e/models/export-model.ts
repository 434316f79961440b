import type { Locator, Page } from '@playwright/test'

/** The export dialog: format cards, scope, options, codes, progress and outcome. */
export class ExportModel {
  readonly dialog: Locator

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Export' })
  }

  /** Opens the dialog from the open article's header. */
  async openFromArticle(): Promise<void> {
    await this.page.getByRole('main', { name: 'Reader' }).getByRole('button', { name: 'Export…' }).click()
    await this.dialog.waitFor()
  }

  format(name: 'Annotated PDF' | 'Markdown' | 'CSV' | 'W3C Web Annotation' | 'REFI-QDA project'): Locator {
    return this.dialog.getByRole('radio', { name: new RegExp(`^${name}`) })
  }

  scope(name: RegExp): Locator {
    return this.dialog.getByRole('radio', { name })
  }

  analyst(): Locator {
    return this.dialog.getByRole('textbox')
  }

  exportButton(): Locator {
    return this.dialog.getByRole('button', { name: 'Export…' })
  }

  /** The line saying where the export was saved. */
  saved(): Locator {
    return this.dialog.getByText(/^Saved /)
  }

  error(): Locator {
    return this.dialog.getByRole('alert')
  }

  /** Chooses a W3C file to import through the dialog's hidden file input. */
  async importAnnotations(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.dialog.getByLabel('Choose a W3C annotation file to import').setInputFiles(file)
  }
}
