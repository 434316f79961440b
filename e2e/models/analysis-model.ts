import type { Locator, Page } from '@playwright/test'

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The analysis screen: the stance × issue (or × article) matrix, a cell's passages, the timeline and its shifts. */
export class AnalysisModel {
  readonly screen: Locator
  readonly matrix: Locator
  /** The passages of the chosen cell, as cards. */
  readonly cellPassages: Locator
  readonly status: Locator
  readonly timelineCode: Locator
  readonly axis: Locator
  readonly undated: Locator
  readonly shifts: Locator
  readonly entries: Locator

  constructor(readonly page: Page) {
    this.screen = page.getByRole('main', { name: 'Analysis' })
    this.matrix = this.screen.getByRole('grid')
    this.cellPassages = this.screen.getByRole('list', { name: 'Passages in the chosen cell' }).locator('[data-passage-id]')
    this.status = this.screen.getByRole('status')
    this.timelineCode = this.screen.getByRole('combobox', { name: 'Code on the timeline' })
    this.axis = this.screen.getByRole('group', { name: 'Articles by publication date' })
    this.undated = this.screen.getByRole('group', { name: 'Undated articles' })
    this.shifts = this.screen.getByRole('list', { name: 'Stance shifts' }).getByRole('listitem')
    this.entries = this.screen.getByRole('list', { name: 'Articles on the timeline' }).locator('[data-entry]')
  }

  /** Opens the analysis screen from the library sidebar. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Library' }).getByRole('button', { name: 'Analysis', exact: true }).click()
    await this.screen.waitFor()
  }

  /** Goes back to the reader. */
  async back(): Promise<void> {
    await this.screen.getByRole('button', { name: 'Back to reading' }).first().click()
  }

  /** Matrix or Timeline. */
  tab(name: 'Matrix' | 'Timeline'): Locator {
    return this.screen.getByRole('tab', { name })
  }

  /** The Issues | Articles switch of the matrix's columns. */
  columns(name: 'Issues' | 'Articles'): Locator {
    return this.screen.getByRole('radiogroup', { name: 'Columns' }).getByRole('radio', { name })
  }

  /** The scope choice: whole library or the articles shown in the library list. */
  scope(): Locator {
    return this.screen.getByRole('combobox', { name: 'Articles to analyse' })
  }

  /** A matrix cell (its button) by row and column label; the column label of an article is its title. */
  cell(row: string, column: string): Locator {
    return this.matrix.getByRole('button', { name: new RegExp(`^${escape(row)} × ${escape(column)}( \\(.*\\))?: (\\d+|no) passages?$`) })
  }

  /** The row and column headers of the matrix, in order. */
  rowHeaders(): Locator {
    return this.matrix.locator('tbody').getByRole('rowheader')
  }

  columnHeaders(): Locator {
    return this.matrix.locator('thead').getByRole('columnheader')
  }

  /** The heading of the chosen cell's panel. */
  cellHeading(): Locator {
    return this.screen.locator('#cell-heading')
  }

  /** A passage card (matrix panel or timeline) by its quote. */
  passage(quote: string): Locator {
    return this.screen.locator('[data-passage-id]').filter({ hasText: quote })
  }

  /** Jumps from a passage card to its source in the reader. */
  async openInArticle(quote: string): Promise<void> {
    await this.passage(quote).first().getByRole('button', { name: /^Open in article/ }).click()
  }

  /** One of the export buttons. */
  exportButton(format: 'CSV' | 'SVG' | 'PNG'): Locator {
    return this.screen.getByRole('button', { name: `Export as ${format}` })
  }

  /** The path of the last export, from the status line. */
  async exportedPath(): Promise<string> {
    return (await this.status.locator('.path').getAttribute('title')) ?? ''
  }

  /** The flags on the timeline's axis. */
  shiftBadges(): Locator {
    return this.axis.getByRole('button', { name: /^Stance shift: / })
  }

  /** The timeline's markers (dated articles on the axis). */
  markers(): Locator {
    return this.axis.locator('.marker')
  }
}
