const KEY = 'stance.reader'
const POSITIONS_KEY = 'stance.readerPositions'

/** Reading column widths the user can pick. */
export const COLUMN_WIDTHS = { narrow: 36, medium: 44, wide: 56 } as const

/** A column width name. */
export type ColumnWidth = keyof typeof COLUMN_WIDTHS

/** Reader preferences (text size, column width, word snapping) and the scroll position of each article. */
export class ReaderPrefs {
  fontSize = $state(19)
  width = $state<ColumnWidth>('medium')
  snapToWords = $state(true)

  constructor() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<{ fontSize: number; width: ColumnWidth; snapToWords: boolean }>
      if (typeof saved.fontSize === 'number' && saved.fontSize >= 14 && saved.fontSize <= 28) this.fontSize = saved.fontSize
      if (saved.width && saved.width in COLUMN_WIDTHS) this.width = saved.width
      if (typeof saved.snapToWords === 'boolean') this.snapToWords = saved.snapToWords
    } catch {
      // Unreadable preferences fall back to the defaults.
    }
  }

  /** Changes the text size by a step, within 14–28 px. */
  resize(step: number): void {
    this.fontSize = Math.min(28, Math.max(14, this.fontSize + step))
    this.#save()
  }

  /** Picks a column width. */
  setWidth(width: ColumnWidth): void {
    this.width = width
    this.#save()
  }

  /** Turns word snapping for mouse selections on or off. */
  setSnap(on: boolean): void {
    this.snapToWords = on
    this.#save()
  }

  /** The saved scroll position of an article, as a fraction of its height. */
  position(articleId: string): number {
    return this.#positions()[articleId] ?? 0
  }

  /** Remembers the scroll position of an article. */
  remember(articleId: string, fraction: number): void {
    const positions = this.#positions()
    positions[articleId] = Math.round(fraction * 10_000) / 10_000
    localStorage.setItem(POSITIONS_KEY, JSON.stringify(positions))
  }

  #positions(): Record<string, number> {
    try {
      return JSON.parse(localStorage.getItem(POSITIONS_KEY) ?? '{}') as Record<string, number>
    } catch {
      return {}
    }
  }

  #save(): void {
    localStorage.setItem(KEY, JSON.stringify({ fontSize: this.fontSize, width: this.width, snapToWords: this.snapToWords }))
  }
}
