import StarterKit from '@tiptap/starter-kit'

const SAFE_LINK = /^(https?:|mailto:)/i

/**
 * The reader's TipTap extensions: exactly the stored article schema (paragraphs, headings 2–4, quotes,
 * lists, bold, italic, links), so a document loads with nothing added or lost.
 */
export function readerExtensions() {
  return [
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
  ]
}
