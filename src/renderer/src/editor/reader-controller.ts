import { Editor } from '@tiptap/core'
import StarterKit from '@tiptap/starter-kit'
import type { ArticleDoc } from '../../../shared/domain/article-doc'

const SAFE_LINK = /^(https?:|mailto:)/i

/**
 * Owns the read-only TipTap view of one article. The schema matches the stored article document
 * (paragraphs, headings 2–4, quotes, lists, bold, italic, links), so nothing is added or lost on load.
 */
export class ReaderController {
  readonly editor: Editor
  readonly #element: HTMLElement
  readonly #onClick = (event: MouseEvent): void => {
    // Links in an article never navigate the app window; opening them outside comes with the link dialog.
    if ((event.target as Element | null)?.closest('a')) event.preventDefault()
  }

  constructor(element: HTMLElement, doc: ArticleDoc) {
    this.#element = element
    this.editor = new Editor({
      element,
      editable: false,
      content: doc,
      extensions: [
        StarterKit.configure({
          heading: { levels: [2, 3, 4] },
          code: false,
          codeBlock: false,
          strike: false,
          underline: false,
          dropcursor: false,
          gapcursor: false,
          undoRedo: false,
          trailingNode: false,
          listKeymap: false,
          link: {
            openOnClick: false,
            autolink: false,
            linkOnPaste: false,
            isAllowedUri: (url) => SAFE_LINK.test(url),
            HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null }
          }
        })
      ],
      editorProps: { attributes: { class: 'reader-doc', 'aria-label': 'Article text', 'aria-readonly': 'true', role: 'document' } }
    })
    element.addEventListener('click', this.#onClick)
  }

  /** Tears the view down. */
  destroy(): void {
    this.#element.removeEventListener('click', this.#onClick)
    this.editor.destroy()
  }
}
