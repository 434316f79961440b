import { Editor, type JSONContent } from '@tiptap/core'
import { Placeholder } from '@tiptap/extensions'
import StarterKit from '@tiptap/starter-kit'
import type { NoteDoc } from '../../../shared/domain/note-doc'
import { sanitizePastedHtml } from './note-sanitize'
import { QuoteChip, type QuoteInfo } from './quote-chip'

const SAFE_LINK = /^(https?:|mailto:)/i

/** Which formatting is active at the cursor, for the toolbar. */
export interface ActiveMarks {
  bold: boolean
  italic: boolean
  code: boolean
  link: boolean
  heading: boolean
  bulletList: boolean
  orderedList: boolean
  blockquote: boolean
  canUndo: boolean
  canRedo: boolean
}

/** What the note editor reports and asks for. */
export interface NoteEditorOptions {
  placeholder: string
  /** Called after every change of the document, with its JSON. */
  onChange: (doc: NoteDoc) => void
  /** Called when the formatting at the cursor may have changed. */
  onActive: (active: ActiveMarks) => void
  /** Typing "@" asks for the quote picker at the caret (memos only; null disables it). */
  onMention: ((at: { left: number; bottom: number }) => void) | null
  lookupQuote: (highlightId: string) => QuoteInfo | undefined
  onQuoteClick: (highlightId: string) => void
}

/** An empty note document. */
export const EMPTY_NOTE: NoteDoc = { type: 'doc', content: [{ type: 'paragraph' }] }

/**
 * Owns one TipTap note editor: the note schema (headings, lists, quotes, bold, italic, inline code,
 * safe links, live quote chips), editor history, sanitized paste, and the toolbar's view of it.
 */
export class NoteEditorController {
  readonly editor: Editor
  readonly #chips = new Set<() => void>()

  constructor(element: HTMLElement, doc: NoteDoc, options: NoteEditorOptions) {
    this.editor = new Editor({
      element,
      content: doc as JSONContent,
      extensions: [
        StarterKit.configure({
          heading: { levels: [1, 2, 3] },
          codeBlock: false,
          strike: false,
          underline: false,
          horizontalRule: false,
          trailingNode: false,
          link: {
            openOnClick: false,
            autolink: true,
            linkOnPaste: true,
            defaultProtocol: 'https',
            protocols: [],
            isAllowedUri: (url) => SAFE_LINK.test(url),
            HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null }
          }
        }),
        Placeholder.configure({ placeholder: options.placeholder }),
        QuoteChip.configure({ lookup: options.lookupQuote, onClick: options.onQuoteClick, views: this.#chips })
      ],
      editorProps: {
        attributes: { class: 'note-doc', role: 'textbox', 'aria-multiline': 'true', 'aria-label': options.placeholder },
        transformPastedHTML: sanitizePastedHtml,
        handleKeyDown: (view, event) => {
          if (event.key === '@' && options.onMention && !event.ctrlKey && !event.metaKey) {
            const coords = view.coordsAtPos(view.state.selection.from)
            options.onMention({ left: coords.left, bottom: coords.bottom })
            return true
          }
          return false
        }
      },
      onUpdate: ({ editor }) => options.onChange(editor.getJSON() as NoteDoc),
      onTransaction: ({ editor }) => options.onActive(this.#active(editor))
    })
    options.onActive(this.#active(this.editor))
  }

  #active(editor: Editor): ActiveMarks {
    return {
      bold: editor.isActive('bold'),
      italic: editor.isActive('italic'),
      code: editor.isActive('code'),
      link: editor.isActive('link'),
      heading: editor.isActive('heading'),
      bulletList: editor.isActive('bulletList'),
      orderedList: editor.isActive('orderedList'),
      blockquote: editor.isActive('blockquote'),
      canUndo: editor.can().undo(),
      canRedo: editor.can().redo()
    }
  }

  /** The current document. */
  json(): NoteDoc {
    return this.editor.getJSON() as NoteDoc
  }

  /** Replaces the whole document (loading a newer version); not an undo step. */
  setContent(doc: NoteDoc): void {
    this.editor.commands.setContent(doc as JSONContent, { emitUpdate: false })
  }

  /** Inserts a live quote of a highlight at the cursor. */
  insertQuote(highlightId: string, quote: string): void {
    this.editor
      .chain()
      .focus()
      .insertContent([{ type: 'quoteChip', attrs: { highlightId, quote } }, { type: 'text', text: ' ' }])
      .run()
  }

  /** Types a literal "@" (the quote picker was dismissed). */
  insertAt(): void {
    this.editor.chain().focus().insertContent('@').run()
  }

  /** Runs a toolbar command. */
  command(name: 'bold' | 'italic' | 'code' | 'heading' | 'bulletList' | 'orderedList' | 'blockquote' | 'undo' | 'redo' | 'unlink'): void {
    const chain = this.editor.chain().focus()
    const commands = {
      bold: () => chain.toggleBold(),
      italic: () => chain.toggleItalic(),
      code: () => chain.toggleCode(),
      heading: () => chain.toggleHeading({ level: 2 }),
      bulletList: () => chain.toggleBulletList(),
      orderedList: () => chain.toggleOrderedList(),
      blockquote: () => chain.toggleBlockquote(),
      undo: () => chain.undo(),
      redo: () => chain.redo(),
      unlink: () => chain.extendMarkRange('link').unsetLink()
    }
    commands[name]().run()
  }

  /** Links the selection to a URL; returns false (and changes nothing) for anything but http(s) or mailto. */
  link(url: string): boolean {
    const href = url.trim()
    if (!SAFE_LINK.test(href)) return false
    this.editor.chain().focus().extendMarkRange('link').setLink({ href }).run()
    return true
  }

  /** Redraws every quote chip from the current coding state. */
  refreshQuotes(): void {
    for (const draw of this.#chips) draw()
  }

  /** Whether the note has any words or quotes. */
  isEmpty(): boolean {
    return this.editor.isEmpty
  }

  /** Moves focus into the note. */
  focus(): void {
    this.editor.commands.focus('end')
  }

  /** Tears the editor down. */
  destroy(): void {
    this.editor.destroy()
  }
}
