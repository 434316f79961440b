import DOMPurify from 'dompurify'

const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'code', 'a', 'h1', 'h2', 'h3', 'ul', 'ol', 'li', 'blockquote', 'q', 'span', 'div']

/**
 * Cleans pasted HTML before ProseMirror parses it: only the tags the note schema knows, only href (and a
 * quote chip's highlight id) as attributes, only http(s) and mailto links. Scripts, handlers, styles,
 * images and frames never reach the editor.
 */
export function sanitizePastedHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'class', 'data-highlight-id'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    FORBID_ATTR: ['style'],
    KEEP_CONTENT: true
  })
}
