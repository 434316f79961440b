import type { Locator, Page } from '@playwright/test'

/** A note editor (a passage's note or the article memo) in the annotations panel. */
export class NoteModel {
  readonly panel: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByRole('complementary', { name: 'Annotations' })
  }

  /** The open note editor's text box. */
  editor(label: 'Note on this passage' | 'Memo on this article'): Locator {
    return this.panel.getByRole('textbox', { name: label })
  }

  /** The save status line of the open editor. */
  status(): Locator {
    return this.panel.locator('.note .status')
  }

  /** Opens the memo tab. */
  async openMemo(): Promise<Locator> {
    await this.panel.getByRole('tab', { name: /^Memo/ }).click()
    return this.editor('Memo on this article')
  }

  /** Goes back to the passages tab. */
  async openPassages(): Promise<void> {
    await this.panel.getByRole('tab', { name: 'Passages' }).click()
  }

  /** A formatting button of the open editor. */
  tool(name: string): Locator {
    return this.panel.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name })
  }
}
