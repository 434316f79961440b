import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'

/** Meta key marking the transactions that stream a long article into the view while it loads. */
export const LOADING_META = 'stance-loading'

/** Whether a transaction may change the document: only the loader's may. */
function allowed(tr: Transaction): boolean {
  return !tr.docChanged || tr.getMeta(LOADING_META) === true
}

/**
 * Keeps the article text unchangeable while the view stays editable. The view is editable only so the
 * caret exists and Shift+arrows select text for keyboard coding; every input is refused before it
 * reaches the DOM, and any transaction that would change the document is dropped.
 */
export function readOnlyGuard(): Plugin {
  return new Plugin({
    key: new PluginKey('stance-read-only'),
    filterTransaction: allowed,
    props: {
      handleTextInput: () => true,
      handlePaste: () => true,
      handleDrop: () => true,
      handleDOMEvents: {
        beforeinput: (_view, event) => {
          // History input types come from the Edit menu and are handled as Stance's own undo/redo.
          event.preventDefault()
          return true
        },
        dragstart: (_view, event) => {
          event.preventDefault()
          return true
        }
      }
    }
  })
}
