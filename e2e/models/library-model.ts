import type { Locator, Page } from '@playwright/test'

/** A file handed to Stance in a test: name and bytes, as the file picker or a drop would give them. */
export interface TestFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/** The library sidebar: import, filters, list, trash, search. */
export class LibraryModel {
  readonly nav: Locator
  readonly items: Locator
  readonly search: Locator
  readonly results: Locator

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Library' })
    this.items = this.nav.locator('[data-article-id]')
    this.search = page.getByRole('searchbox', { name: 'Search articles, passages and notes' })
    this.results = page.getByRole('region', { name: 'Search results' })
  }

  /** Imports files through the Import… picker. */
  async importFiles(files: TestFile[]): Promise<void> {
    await this.nav.getByLabel('Import files').setInputFiles(files)
  }

  /** Drops files onto the window, as the operating system would. */
  async dropFiles(files: { name: string; text: string; type: string }[]): Promise<void> {
    await this.page.evaluate((list) => {
      const data = new DataTransfer()
      for (const f of list) data.items.add(new File([f.text], f.name, { type: f.type }))
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }))
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
    }, files)
  }

  /** The list item of an article by (part of) its title. */
  item(title: string | RegExp): Locator {
    return this.items.filter({ hasText: title })
  }

  /** Opens the trash view. */
  async openTrash(): Promise<void> {
    await this.nav.getByRole('button', { name: /^Trash/ }).click()
  }
}
