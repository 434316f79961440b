import { expect, type Locator, type Page } from '@playwright/test'
import type { Suggestion } from '../../src/shared/domain/analysis'
import type { Highlight } from '../../src/shared/domain/highlight'

/** The Suggestions tab of the annotations panel: the autocoding review queue. */
export class SuggestionsModel {
  readonly panel: Locator
  readonly tab: Locator
  readonly region: Locator
  readonly scanButton: Locator
  readonly summary: Locator
  readonly list: Locator
  readonly items: Locator
  readonly acceptAll: Locator
  readonly undo: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByRole('complementary', { name: 'Annotations' })
    this.tab = this.panel.getByRole('tab', { name: /^Suggestions/ })
    this.region = this.panel.getByRole('region', { name: 'Suggestions' })
    this.scanButton = this.region.getByRole('button', { name: /^(Suggest codes|Scan again)$/ })
    this.summary = this.region.locator('.summary')
    this.list = this.region.getByRole('list', { name: 'Suggestions to review' })
    this.items = this.list.getByRole('listitem')
    this.acceptAll = this.region.getByRole('button', { name: /^Accept all/ })
    this.undo = this.region.getByRole('button', { name: /Undo/ })
  }

  /** Opens the Suggestions tab. */
  async open(): Promise<void> {
    await this.tab.click()
    await expect(this.region).toBeVisible()
  }

  /** Runs the scan and waits for its summary. */
  async scan(): Promise<void> {
    await this.scanButton.click()
    await expect(this.summary).toBeVisible()
    await expect(this.scanButton).toHaveText('Scan again')
  }

  /** Opens the tab and scans the article the app opened on (the sample); gives its id and the suggestions the API lists for it. */
  async openAndScan(): Promise<{ articleId: string; listed: Suggestion[] }> {
    const articleId = await this.articleId()
    await this.open()
    await this.scan()
    return { articleId, listed: await this.listed(articleId) }
  }

  /** One queue item by its suggestion key (`start-end-codeId`). */
  item(key: string): Locator {
    return this.list.locator(`li:has([data-suggestion-key="${key}"])`)
  }

  /** The item's sentence: clicking it shows the sentence in the reader. */
  sentence(key: string): Locator {
    return this.item(key).getByRole('button', { name: /^Show in text:/ })
  }

  /** The keys of the queue's items, in the order shown. */
  keys(): Promise<string[]> {
    return this.list.locator('[data-suggestion-key]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-suggestion-key') ?? ''))
  }

  /** The stance code menu of an item. */
  codeMenu(key: string): Locator {
    return this.item(key).getByRole('combobox', { name: 'Stance code' })
  }

  /** Changes an item's proposed stance code to another, by its name as the menu lists it. */
  async changeCode(key: string, codeName: string): Promise<void> {
    await this.codeMenu(key).selectOption({ label: codeName })
  }

  async accept(key: string): Promise<void> {
    await this.item(key).getByRole('button', { name: 'Accept', exact: true }).click()
  }

  async reject(key: string): Promise<void> {
    await this.item(key).getByRole('button', { name: 'Reject', exact: true }).click()
  }

  /** The id of the article the app opened on (the sample). */
  articleId(): Promise<string> {
    return this.page.evaluate(async () => {
      const r = await window.api.articles.list({})
      if (!r.ok) throw new Error(r.error.message)
      return r.value[0]!.id
    })
  }

  /** The article's suggestions as the API lists them. */
  listed(articleId: string): Promise<Suggestion[]> {
    return this.page.evaluate(async (id) => {
      const r = await window.api.suggestions.list({ articleId: id as never })
      if (!r.ok) throw new Error(r.error.message)
      return r.value
    }, articleId)
  }

  /** The article's stored highlights, straight from the API. */
  highlights(articleId: string): Promise<Highlight[]> {
    return this.page.evaluate(async (id) => {
      const r = await window.api.highlights.list({ articleId: id as never })
      if (!r.ok) throw new Error(r.error.message)
      return r.value
    }, articleId)
  }

  /** The codebook's codes by id, for naming what a highlight carries. */
  codeNames(): Promise<Record<string, string>> {
    return this.page.evaluate(async () => {
      const r = await window.api.codebook.list({})
      if (!r.ok) throw new Error(r.error.message)
      return Object.fromEntries(r.value.map((c) => [c.id, c.name]))
    })
  }
}
