import { Node, mergeAttributes } from '@tiptap/core'

/** How a chip should look: the highlight's current state, or what is left of it. */
export interface QuoteInfo {
  status: 'live' | 'orphaned' | 'deleted'
  /** The quoted words as they stand now (live), or the last known quote. */
  quote: string
  /** The colour of the highlight's first code. */
  color: string | null
  /** Its codes, for the tooltip. */
  codes: string
}

/** What a chip asks of the app. */
export interface QuoteChipOptions {
  /** Looks up a highlight's current state; undefined means it no longer exists. */
  lookup: (highlightId: string) => QuoteInfo | undefined
  onClick: (highlightId: string) => void
  /** Every mounted chip registers its redraw here, so a highlight change repaints chips without a transaction. */
  views: Set<() => void>
}

const MAX_CHIP_CHARS = 90

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_CHIP_CHARS ? `${flat.slice(0, MAX_CHIP_CHARS - 1)}…` : flat
}

/**
 * A live quote of a highlight inside a note: an inline atom that stores the highlight id and its last
 * known words, and draws itself in the highlight's code colour from the current coding state.
 */
export const QuoteChip = Node.create<QuoteChipOptions>({
  name: 'quoteChip',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addOptions() {
    return { lookup: () => undefined, onClick: () => {}, views: new Set() }
  },

  addAttributes() {
    return {
      highlightId: { default: null, parseHTML: (el) => el.getAttribute('data-highlight-id') },
      quote: { default: '', parseHTML: (el) => el.textContent ?? '' }
    }
  },

  parseHTML() {
    return [{ tag: 'q.stance-quote[data-highlight-id]' }]
  },

  renderHTML({ node, HTMLAttributes }) {
    return ['q', mergeAttributes({ class: 'stance-quote', 'data-highlight-id': node.attrs.highlightId as string }, HTMLAttributes), node.attrs.quote as string]
  },

  renderText({ node }) {
    return `“${node.attrs.quote as string}”`
  },

  addNodeView() {
    return ({ node }) => {
      let current = node
      // A span, not a button: buttons lay out as blocks of their own, and a quote must flow with the text.
      const dom = document.createElement('span')
      dom.setAttribute('role', 'button')
      dom.className = 'quote-chip'
      dom.contentEditable = 'false'
      const draw = (): void => {
        const id = current.attrs.highlightId as string
        const info = this.options.lookup(id)
        const status = info?.status ?? 'deleted'
        const quote = shorten(info?.quote || (current.attrs.quote as string))
        dom.dataset.status = status
        dom.dataset.highlightId = id
        dom.style.setProperty('--chip-color', info?.color ?? 'var(--text-faint)')
        dom.textContent = `“${quote}”`
        const where = status === 'live' ? `${info?.codes || 'Uncoded'} · click to show the passage` : status === 'orphaned' ? 'Detached passage: its text is no longer in the article' : 'Deleted passage'
        dom.title = where
        dom.setAttribute('aria-label', `Quote: ${quote}. ${where}`)
      }
      dom.addEventListener('mousedown', (event) => event.preventDefault())
      dom.addEventListener('click', () => this.options.onClick(current.attrs.highlightId as string))
      draw()
      this.options.views.add(draw)
      return {
        dom,
        update: (next) => {
          if (next.type !== current.type) return false
          current = next
          draw()
          return true
        },
        ignoreMutation: () => true,
        stopEvent: (event) => event.type === 'click' || event.type === 'mousedown',
        destroy: () => this.options.views.delete(draw)
      }
    }
  }
})
