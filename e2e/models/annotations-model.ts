import type { Locator, Page } from '@playwright/test'

/** The annotations panel: codebook legend, coded passages grouped by code, detached passages. */
export class AnnotationsModel {
  readonly panel: Locator
  readonly filter: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByRole('complementary', { name: 'Annotations' })
    this.filter = this.panel.getByRole('searchbox', { name: 'Filter passages' })
  }

  /** The group of passages coded with a code. */
  group(codeName: string): Locator {
    return this.panel.getByRole('region', { name: new RegExp(`^${codeName}, \\d+ passages$`) })
  }

  /** The passages (as their "show" buttons) in a code's group, in reading order. */
  passages(codeName: string): Locator {
    return this.group(codeName).getByRole('button', { name: /^Show passage:/ })
  }

  /** One passage card by its quote. */
  card(codeName: string, quote: string): Locator {
    return this.group(codeName).locator('[data-highlight-id]').filter({ has: this.page.getByRole('button', { name: `Show passage: ${quote}` }) })
  }

  /** The detached (orphaned) passages. */
  orphans(): Locator {
    return this.panel.getByRole('region', { name: /^Detached passages/ }).getByRole('listitem')
  }

  /** Opens the codebook manager. */
  async openCodebook(): Promise<Locator> {
    await this.panel.getByRole('button', { name: 'Edit codebook' }).click()
    return this.page.getByRole('dialog', { name: 'Codebook' })
  }
}
