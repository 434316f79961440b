import { Editor, Extension } from '@tiptap/core'
import { Fragment } from '@tiptap/pm/model'
import { TextSelection } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type { ArticleDoc } from '../../../shared/domain/article-doc'
import { highlightKey, highlightPlugin, highlightStyles, type PaintedHighlight } from './highlight-decorations'
import { LOADING_META, readOnlyGuard } from './read-only-guard'
import { readerExtensions } from './reader-schema'
import { SUGGESTION_CLASS, suggestionKey, suggestionPlugin, type TextRange } from './suggestion-decoration'
import { TextIndex } from './text-index'

/** A non-empty selection in code-point offsets, with where to place the code picker. */
export interface ReaderSelection {
  start: number
  end: number
  /** Viewport coordinates of the selection's moving end. */
  anchor: { left: number; top: number; bottom: number }
  /** How the selection was made: drags may snap to words, keyboard selections stay exact. */
  source: 'pointer' | 'keyboard'
}

/** What the reader reports to the app. */
export interface ReaderCallbacks {
  onSelection(selection: ReaderSelection | null): void
  /** A code key (1–9) pressed with text selected. */
  onCodeKey(key: string): void
  onEscape(): void
  /** Delete or Backspace with the caret inside text (no selection). */
  onDeleteAt(offset: number): void
  /** The caret moved to an offset (null when there is a selection). */
  onCaret(offset: number | null): void
  /** Undo or redo asked for through the Edit menu while the reader has focus. */
  onHistory(kind: 'undo' | 'redo'): void
}

const FLASH_MS = 1400
/** Blocks shown at once, then streamed in per task: a 100k-word article must not block the window for long. */
const FIRST_BLOCKS = 80
const CHUNK_BLOCKS = 160

/**
 * ProseMirror learns about DOM selection changes from the asynchronous `selectionchange` event, so a key
 * pressed right after a click or Shift+arrow can see the previous selection. Commands that act on the
 * selection read the DOM's first.
 */
function syncSelectionFromDom(view: EditorView): void {
  const dom = view.dom.ownerDocument.getSelection()
  if (!dom || !dom.anchorNode || !dom.focusNode || !view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return
  try {
    const anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset)
    const head = view.posAtDOM(dom.focusNode, dom.focusOffset)
    const { selection } = view.state
    if (selection.anchor === anchor && selection.head === head) return
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, anchor, head)))
  } catch {
    // A DOM position ProseMirror cannot map (e.g. inside a decoration widget) leaves its own selection in place.
  }
}

/** The nearest ancestor that scrolls (the reading pane), or the page. */
function scrollParent(element: Element): Element {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    const overflow = getComputedStyle(parent).overflowY
    if ((overflow === 'auto' || overflow === 'scroll') && parent.scrollHeight > parent.clientHeight) return parent
  }
  return element.ownerDocument.documentElement
}

/**
 * Owns the TipTap view of one article: read-only text with a caret for keyboard selection, highlight
 * decorations in plugin state, and translation between selections and code-point offsets.
 */
export class ReaderController {
  readonly editor: Editor
  /** Offsets ↔ positions over the blocks loaded so far. */
  index: TextIndex
  /** Resolves once the whole article is in the view (long articles stream in over several tasks). */
  readonly ready: Promise<void>
  #loaded = false
  #pendingHighlights: PaintedHighlight[] | null = null
  /** The sentence of the suggestion under review, marked once the article is complete. */
  #suggestion: TextRange | null = null
  #loadTimer: ReturnType<typeof setTimeout> | undefined
  readonly #element: HTMLElement
  readonly #callbacks: ReaderCallbacks
  /** Holds the per-code highlight classes; inline <style> is allowed by the CSP's style-src. */
  readonly #styles: HTMLStyleElement
  #source: 'pointer' | 'keyboard' = 'keyboard'
  #dragging = false
  #flashTimer: ReturnType<typeof setTimeout> | undefined

  readonly #onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return
    this.#source = 'pointer'
    this.#dragging = true
  }

  readonly #onPointerUp = (): void => {
    if (!this.#dragging) return
    this.#dragging = false
    this.#report()
  }

  readonly #onClick = (event: MouseEvent): void => {
    // Links in an article never navigate the app window.
    if ((event.target as Element | null)?.closest('a')) event.preventDefault()
  }

  constructor(element: HTMLElement, doc: ArticleDoc, callbacks: ReaderCallbacks) {
    this.#element = element
    this.#callbacks = callbacks
    this.#styles = element.ownerDocument.createElement('style')
    element.before(this.#styles)
    const stance = Extension.create({
      name: 'stanceReader',
      addProseMirrorPlugins: () => [readOnlyGuard(), highlightPlugin(), suggestionPlugin()]
    })
    const rest = doc.content.slice(FIRST_BLOCKS)
    this.editor = new Editor({
      element,
      editable: true,
      content: { type: 'doc', content: doc.content.slice(0, FIRST_BLOCKS) },
      extensions: [...readerExtensions(), stance],
      editorProps: {
        attributes: {
          class: 'reader-doc',
          role: 'document',
          'aria-label': 'Article text',
          'aria-readonly': 'true',
          'aria-multiline': 'true',
          spellcheck: 'false',
          autocorrect: 'off',
          autocapitalize: 'off',
          translate: 'no'
        },
        handleKeyDown: (view, event) => {
          this.#source = 'keyboard'
          const plain = !event.ctrlKey && !event.metaKey && !event.altKey
          const acts = plain && (/^[1-9]$/.test(event.key) || event.key === 'Delete' || event.key === 'Backspace')
          if (acts) syncSelectionFromDom(view)
          if (plain && /^[1-9]$/.test(event.key)) {
            if (!view.state.selection.empty) callbacks.onCodeKey(event.key)
            return true
          }
          if (event.key === 'Escape') {
            callbacks.onEscape()
            return true
          }
          if (plain && (event.key === 'Delete' || event.key === 'Backspace') && view.state.selection.empty) {
            callbacks.onDeleteAt(this.index.toOffset(view.state.selection.from))
            return true
          }
          return false
        },
        handleDOMEvents: {
          beforeinput(_view, event) {
            if (event.inputType === 'historyUndo') callbacks.onHistory('undo')
            if (event.inputType === 'historyRedo') callbacks.onHistory('redo')
            return false
          }
        }
      }
    })
    this.index = new TextIndex(this.editor.state.doc)
    this.ready = this.#stream(rest)
    this.editor.on('selectionUpdate', () => {
      if (!this.#dragging) this.#report()
    })
    element.addEventListener('pointerdown', this.#onPointerDown)
    window.addEventListener('pointerup', this.#onPointerUp)
    element.addEventListener('click', this.#onClick)
  }

  /** Appends the remaining blocks a chunk per task, then paints any highlights that arrived meanwhile. */
  #stream(rest: ArticleDoc['content']): Promise<void> {
    return new Promise((resolve) => {
      let next = 0
      const step = (): void => {
        if (this.editor.isDestroyed) return resolve()
        if (next >= rest.length) {
          this.index = new TextIndex(this.editor.state.doc)
          this.#loaded = true
          if (this.#pendingHighlights) this.setHighlights(this.#pendingHighlights)
          this.#pendingHighlights = null
          if (this.#suggestion) this.#markSuggestion()
          return resolve()
        }
        const { state } = this.editor
        const nodes = rest.slice(next, next + CHUNK_BLOCKS).map((block) => state.schema.nodeFromJSON(block))
        next += CHUNK_BLOCKS
        this.editor.view.dispatch(state.tr.insert(state.doc.content.size, Fragment.fromArray(nodes)).setMeta(LOADING_META, true).setMeta('addToHistory', false))
        this.#loadTimer = setTimeout(step, 0)
      }
      step()
    })
  }

  #updateStyles(highlights: PaintedHighlight[]): void {
    const css = highlightStyles(highlights)
    if (this.#styles.textContent !== css) this.#styles.textContent = css
  }

  #report(): void {
    const { selection } = this.editor.state
    if (selection.empty) {
      this.#callbacks.onSelection(null)
      this.#callbacks.onCaret(this.index.toOffset(selection.from))
      return
    }
    const start = this.index.toOffset(selection.from, 'start')
    const end = this.index.toOffset(selection.to, 'end')
    this.#callbacks.onCaret(null)
    if (start >= end) {
      this.#callbacks.onSelection(null)
      return
    }
    const coords = this.editor.view.coordsAtPos(selection.head)
    this.#callbacks.onSelection({ start, end, anchor: { left: coords.left, top: coords.top, bottom: coords.bottom }, source: this.#source })
  }

  /** The current selection in offsets, if any. */
  selection(): { start: number; end: number } | null {
    const { selection } = this.editor.state
    if (selection.empty) return null
    const start = this.index.toOffset(selection.from, 'start')
    const end = this.index.toOffset(selection.to, 'end')
    return start < end ? { start, end } : null
  }

  /** Paints the given highlights (replacing the previous set). */
  setHighlights(highlights: PaintedHighlight[]): void {
    // Offsets past the loaded blocks cannot be placed yet; they are painted once the article is complete.
    if (!this.#loaded) {
      this.#pendingHighlights = highlights
      return
    }
    performance.mark('stance:highlights:start')
    this.#updateStyles(highlights)
    this.#dispatch({ kind: 'set', highlights, index: this.index })
    performance.measure('stance:highlights', 'stance:highlights:start')
  }

  /** Marks one highlight as the focused one (outlined), or none. */
  setActive(id: string | null): void {
    this.#dispatch({ kind: 'active', id, index: this.index })
  }

  /** Scrolls a highlight into the middle of the view and flashes it. */
  reveal(id: string): void {
    if (!this.#loaded) {
      void this.ready.then(() => this.reveal(id))
      return
    }
    const target = this.#element.querySelector(`[data-hl~="${CSS.escape(id)}"]`)
    target?.scrollIntoView({ block: 'center', behavior: 'auto' })
    clearTimeout(this.#flashTimer)
    this.#dispatch({ kind: 'flash', id, index: this.index })
    this.#flashTimer = setTimeout(() => this.#dispatch({ kind: 'flash', id: null, index: this.index }), FLASH_MS)
  }

  /**
   * Marks the sentence of the suggestion under review (null: none) and, when it is a different sentence,
   * scrolls it into view without taking the focus from the review queue.
   */
  setSuggestion(range: TextRange | null): void {
    const moved = range?.start !== this.#suggestion?.start || range?.end !== this.#suggestion?.end
    this.#suggestion = range
    if (this.#loaded && moved) this.#markSuggestion()
  }

  #markSuggestion(): void {
    if (this.editor.isDestroyed) return
    const meta = { range: this.#suggestion, index: this.index }
    this.editor.view.dispatch(this.editor.state.tr.setMeta(suggestionKey, meta).setMeta('addToHistory', false))
    if (!this.#suggestion) return
    const marked = this.#element.querySelector(`.${SUGGESTION_CLASS}`)
    if (!marked) return
    // Only when it is out of sight: a sentence already on screen stays where the eye found it.
    const box = marked.getBoundingClientRect()
    const view = scrollParent(marked).getBoundingClientRect()
    if (box.top < view.top + 24 || box.bottom > view.bottom - 24) marked.scrollIntoView({ block: 'center', behavior: 'auto' })
  }

  /** Selects a range of the text (offsets) and focuses the reader. */
  select(start: number, end: number): void {
    const { doc } = this.editor.state
    const selection = TextSelection.create(doc, this.index.toPos(start), this.index.toPos(end))
    this.editor.view.dispatch(this.editor.state.tr.setSelection(selection).scrollIntoView())
    this.editor.view.focus()
  }

  /**
   * Collapses the selection to its end, so keyboard coding can carry on from there. Given the selection
   * that was coded, only while it is still the selection: saving takes a moment, and a selection made (or
   * being dragged) meanwhile is the user's next passage, not this one's leftover.
   */
  collapseToEnd(coded?: { start: number; end: number } | null): void {
    const { state } = this.editor
    if (coded !== undefined) {
      const now = this.selection()
      if (!coded || !now || now.start !== coded.start || now.end !== coded.end) return
    }
    this.editor.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, state.selection.to)))
  }

  /** Moves keyboard focus into the text. */
  focus(): void {
    this.editor.view.focus()
  }

  #dispatch(meta: unknown): void {
    if (this.editor.isDestroyed) return
    this.editor.view.dispatch(this.editor.state.tr.setMeta(highlightKey, meta).setMeta('addToHistory', false))
  }

  /** Tears the view down. */
  destroy(): void {
    clearTimeout(this.#flashTimer)
    clearTimeout(this.#loadTimer)
    this.#styles.remove()
    this.#element.removeEventListener('pointerdown', this.#onPointerDown)
    window.removeEventListener('pointerup', this.#onPointerUp)
    this.#element.removeEventListener('click', this.#onClick)
    this.editor.destroy()
  }
}

export type { PaintedHighlight }
