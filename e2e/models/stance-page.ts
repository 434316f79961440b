import type { Locator, Page } from '@playwright/test'

/** The main window, as a user sees it: library, reader, annotations panel. */
export class StancePage {
  readonly library: Locator
  readonly articles: Locator
  readonly reader: Locator
  readonly articleTitle: Locator
  readonly articleText: Locator
  readonly annotations: Locator
  readonly codes: Locator
  readonly notices: Locator

  constructor(readonly page: Page) {
    this.library = page.getByRole('navigation', { name: 'Library' })
    this.articles = this.library.locator('[data-article-id]')
    this.reader = page.getByRole('main', { name: 'Reader' })
    this.articleTitle = this.reader.getByRole('heading', { level: 1 })
    this.articleText = this.reader.getByRole('document', { name: 'Article text' })
    this.annotations = page.getByRole('complementary', { name: 'Annotations' })
    // The legend lists each group's codes under the group's heading; groups themselves are not items.
    this.codes = this.annotations.getByRole('region', { name: 'Codebook' }).getByRole('listitem')
    this.notices = page.getByRole('alert', { name: 'Notifications' })
  }

  /** Chooses System, Light or Dark. */
  async chooseTheme(theme: 'System' | 'Light' | 'Dark'): Promise<void> {
    await this.library.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: theme }).click()
  }

  /** The theme in effect on the document. */
  theme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-theme')
  }

  /** Calls an API channel from inside the page, as the renderer would. */
  call(domain: string, verb: string, input: unknown): Promise<unknown> {
    return this.page.evaluate(
      ([d, v, i]) => (window.api as unknown as Record<string, Record<string, (x: unknown) => Promise<unknown>>>)[d as string]![v as string]!(i),
      [domain, verb, input] as const
    )
  }
}
