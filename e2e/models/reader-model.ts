import type { Locator, Page } from '@playwright/test'

/** The reading pane and the code picker, driven as a user would with mouse and keyboard. */
export class ReaderModel {
  readonly text: Locator
  readonly picker: Locator
  readonly highlights: Locator

  constructor(readonly page: Page) {
    this.text = page.getByRole('document', { name: 'Article text' })
    this.picker = page.getByRole('menu', { name: 'Code the selection' })
    this.highlights = this.text.locator('.hl')
  }

  /** Viewport rectangles of the first and last character of the first occurrence of `quote`, scrolled into view. */
  async #edges(quote: string): Promise<{ first: DOMRect; last: DOMRect }> {
    // Measure only once the whole article is laid out (the pane marks it), so nothing moves under the mouse.
    await this.page.locator('[data-laid-out="true"]').waitFor()
    return this.text.evaluate(async (root, q) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      const nodes: Text[] = []
      const starts: number[] = []
      let all = ''
      while (walker.nextNode()) {
        const node = walker.currentNode as Text
        starts.push(all.length)
        nodes.push(node)
        all += node.data
      }
      const at = all.indexOf(q)
      if (at < 0) throw new Error(`"${q}" is not in the article`)
      const charRange = (offset: number): Range => {
        let i = nodes.length - 1
        while (i > 0 && starts[i]! > offset) i--
        const r = document.createRange()
        r.setStart(nodes[i]!, offset - starts[i]!)
        r.setEnd(nodes[i]!, offset - starts[i]! + 1)
        return r
      }
      charRange(at).startContainer.parentElement?.scrollIntoView({ block: 'center' })
      // Paragraphs off screen use content-visibility: as they render near the viewport the layout can still
      // shift, so measure again until the rectangles hold still.
      const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
      const measure = () => ({ first: charRange(at).getBoundingClientRect(), last: charRange(at + q.length - 1).getBoundingClientRect() })
      let rects = measure()
      for (let i = 0; i < 20; i++) {
        await frame()
        const next = measure()
        if (next.first.top === rects.first.top && next.last.top === rects.last.top) break
        rects = next
      }
      return rects
    }, quote)
  }

  /** Drags the mouse across the first occurrence of `quote`. */
  async dragSelect(quote: string): Promise<void> {
    const { first, last } = await this.#edges(quote)
    await this.page.mouse.move(first.left + 1, first.top + first.height / 2)
    await this.page.mouse.down()
    await this.page.mouse.move(last.right - 1, last.top + last.height / 2, { steps: 8 })
    await this.page.mouse.up()
  }

  /** Selects a quote by dragging and codes it with a code's key. */
  async code(quote: string, key: string): Promise<void> {
    await this.dragSelect(quote)
    await this.page.keyboard.press(key)
  }

  /** Puts the caret just before the first occurrence of `quote` with one click. */
  async placeCaretBefore(quote: string): Promise<void> {
    const { first } = await this.#edges(quote)
    await this.page.mouse.click(first.left + Math.max(1, first.width * 0.25), first.top + first.height / 2)
  }

  /** The text of the current selection, as the browser sees it. */
  selectedText(): Promise<string> {
    return this.page.evaluate(() => window.getSelection()?.toString() ?? '')
  }

  /** Highlight spans covering a quote's text, by highlight id. */
  spansOf(id: string): Locator {
    return this.text.locator(`[data-hl~="${id}"]`)
  }
}
