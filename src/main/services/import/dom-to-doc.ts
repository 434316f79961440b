import type { ArticleBlock, ArticleDoc, ArticleInline, ArticleListItem, ArticleMark } from '../../../shared/domain/article-doc'

/**
 * Converts a sanitized DOM (from DOMPurify) to the stored reading document. Only what the reading schema
 * has survives: paragraphs, headings 2–4, block quotes, lists, line breaks, bold, italic and http(s)/mailto
 * links. Images, media, embeds, forms and scripts are dropped outright; any other container (div, section,
 * table cells, figure captions…) is flattened into paragraphs; whitespace collapses as a browser shows it.
 */

// Node types, as numbers: there is no global `Node` in the main process.
const ELEMENT = 1
const TEXT = 3
const CDATA = 4

/** Elements whose content is never article text. */
const DROPPED = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math',
  'img', 'picture', 'source', 'video', 'audio', 'track', 'canvas', 'map', 'area', 'input', 'button', 'select', 'option',
  'textarea', 'head', 'title', 'meta', 'link', 'base', 'dialog', 'slot'
])

/** Elements that start a new block; those without a mapping of their own are flattened into paragraphs. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'body', 'center', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hgroup', 'html', 'li', 'main', 'menu', 'nav', 'p', 'section', 'summary',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'legend', 'blockquote', 'ul', 'ol', 'pre', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'listing', 'plaintext', 'xmp'
])

const HEADING_LEVEL: Record<string, 2 | 3 | 4> = { h1: 2, h2: 2, h3: 3, h4: 4, h5: 4, h6: 4 }

/** Past this nesting depth an element's text is taken as plain text, so hostile nesting cannot exhaust the stack. */
const MAX_DEPTH = 200

interface Marks {
  bold: boolean
  italic: boolean
  href: string | null
}

const NO_MARKS: Marks = { bold: false, italic: false, href: null }

// eslint-disable-next-line no-control-regex -- control characters (entities such as &#2; decode to them) are removed
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g
const COLLAPSIBLE = /[ \t\n\r\f\u00a0]+/g

/** A link target the reading schema accepts: an absolute http(s) or mailto address, nothing relative. */
export function safeHref(raw: string | null): string | null {
  if (!raw) return null
  const href = raw.replace(CONTROL, '').trim()
  if (href.length === 0 || href.length > 4096 || !/^(https?:|mailto:)/i.test(href)) return null
  try {
    const url = new URL(href)
    // Relative links were resolved against the placeholder address the page was parsed under: they lead nowhere.
    if (url.hostname === 'stance.invalid') return null
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return null
  } catch {
    return null
  }
  return href
}

function marksOf(marks: Marks): ArticleMark[] | undefined {
  const out: ArticleMark[] = []
  if (marks.bold) out.push({ type: 'bold' })
  if (marks.italic) out.push({ type: 'italic' })
  if (marks.href) out.push({ type: 'link', attrs: { href: marks.href } })
  return out.length > 0 ? out : undefined
}

function sameMarks(a: ArticleMark[] | undefined, b: ArticleMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? [])
}

/** Inline content being gathered for one text block, with browser-like whitespace collapsing. */
class InlineBuffer {
  private items: ArticleInline[] = []
  /** Runs from preformatted text, whose leading spaces are indentation rather than collapsible space. */
  private readonly preformatted = new WeakSet<ArticleInline>()

  text(raw: string, marks: Marks, pre: boolean): void {
    const cleaned = raw.replace(CONTROL, '').normalize('NFC')
    if (pre) {
      cleaned.split('\n').forEach((line, i) => {
        if (i > 0) this.hardBreak()
        const item = this.append(line, marks)
        if (item) this.preformatted.add(item)
      })
      return
    }
    let text = cleaned.replace(COLLAPSIBLE, ' ')
    if (text.startsWith(' ') && this.endsInSpace()) text = text.slice(1)
    this.append(text, marks)
  }

  hardBreak(): void {
    this.trimEnd()
    this.items.push({ type: 'hardBreak' })
  }

  /** The gathered content, trimmed, with empty runs dropped and neighbours with the same marks merged; resets the buffer. */
  take(): ArticleInline[] {
    this.trimEnd()
    while (this.items.at(-1)?.type === 'hardBreak') {
      this.items.pop()
      this.trimEnd()
    }
    const out: ArticleInline[] = []
    for (const item of this.items) {
      const last = out.at(-1)
      if (item.type === 'hardBreak') {
        if (out.length > 0) out.push(item)
        continue
      }
      let text = item.text
      if ((!last || last.type === 'hardBreak') && !this.preformatted.has(item)) text = text.replace(/^ +/, '')
      if (!text) continue
      if (last?.type === 'text' && sameMarks(last.marks, item.marks)) last.text += text
      else out.push(item.marks ? { type: 'text', text, marks: item.marks } : { type: 'text', text })
    }
    this.items = []
    return out
  }

  private append(text: string, marks: Marks): ArticleInline | null {
    if (!text) return null
    const markList = marksOf(marks)
    const item: ArticleInline = markList ? { type: 'text', text, marks: markList } : { type: 'text', text }
    this.items.push(item)
    return item
  }

  private endsInSpace(): boolean {
    const last = this.items.at(-1)
    return !last || last.type === 'hardBreak' || last.text.endsWith(' ')
  }

  private trimEnd(): void {
    for (;;) {
      const last = this.items.at(-1)
      if (!last || last.type !== 'text') return
      last.text = last.text.replace(/ +$/, '')
      if (last.text) return
      this.items.pop()
    }
  }
}

function marksFor(element: Element, marks: Marks): Marks {
  switch (element.localName) {
    case 'b':
    case 'strong':
      return { ...marks, bold: true }
    case 'i':
    case 'em':
    case 'cite':
    case 'var':
    case 'dfn':
      return { ...marks, italic: true }
    case 'a':
      return { ...marks, href: safeHref(element.getAttribute('href')) }
    default:
      return marks
  }
}

/** Walks a container, appending the blocks it holds to `out`. */
class Converter {
  blocks(container: Element, marks: Marks, depth: number): ArticleBlock[] {
    const out: ArticleBlock[] = []
    const buffer = new InlineBuffer()
    this.walk(container, marks, out, buffer, false, depth)
    this.flush(buffer, out)
    return out
  }

  private flush(buffer: InlineBuffer, out: ArticleBlock[]): void {
    const content = buffer.take()
    if (content.length > 0) out.push({ type: 'paragraph', content })
  }

  private walk(node: Element, marks: Marks, out: ArticleBlock[], buffer: InlineBuffer, pre: boolean, depth: number): void {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT || child.nodeType === CDATA) {
        buffer.text((child as CharacterData).data, marks, pre)
        continue
      }
      if (child.nodeType !== ELEMENT) continue
      const element = child as Element
      const tag = element.localName
      if (DROPPED.has(tag)) continue
      if (depth > MAX_DEPTH) {
        buffer.text(` ${element.textContent ?? ''} `, marks, false)
        continue
      }
      if (tag === 'br') {
        buffer.hardBreak()
      } else if (tag === 'hr') {
        this.flush(buffer, out)
        out.push({ type: 'horizontalRule' })
      } else if (tag in HEADING_LEVEL) {
        this.flush(buffer, out)
        const content = this.inlineOnly(element, marks, depth + 1)
        if (content.length > 0) out.push({ type: 'heading', attrs: { level: HEADING_LEVEL[tag]! }, content })
      } else if (tag === 'blockquote') {
        this.flush(buffer, out)
        const content = this.blocks(element, marks, depth + 1)
        if (content.length > 0) out.push({ type: 'blockquote', content })
      } else if (tag === 'ul' || tag === 'ol') {
        this.flush(buffer, out)
        const items = this.listItems(element, marks, depth + 1)
        if (items.length > 0) out.push({ type: tag === 'ol' ? 'orderedList' : 'bulletList', content: items })
      } else if (tag === 'pre' || tag === 'listing' || tag === 'plaintext' || tag === 'xmp') {
        this.flush(buffer, out)
        const inner = new InlineBuffer()
        this.walk(element, marks, out, inner, true, depth + 1)
        this.flush(inner, out)
      } else if (BLOCKS.has(tag)) {
        this.flush(buffer, out)
        this.walk(element, marks, out, buffer, pre, depth + 1)
        this.flush(buffer, out)
      } else {
        this.walk(element, marksFor(element, marks), out, buffer, pre, depth + 1)
      }
    }
  }

  /** The text of an element whose content must be inline (a heading): nested blocks run on, separated by spaces. */
  private inlineOnly(element: Element, marks: Marks, depth: number): ArticleInline[] {
    const buffer = new InlineBuffer()
    const visit = (node: Element, current: Marks, level: number): void => {
      for (const child of Array.from(node.childNodes)) {
        if (child.nodeType === TEXT || child.nodeType === CDATA) buffer.text((child as CharacterData).data, current, false)
        if (child.nodeType !== ELEMENT) continue
        const el = child as Element
        if (DROPPED.has(el.localName)) continue
        if (el.localName === 'br') buffer.hardBreak()
        else if (level > MAX_DEPTH) buffer.text(` ${el.textContent ?? ''} `, current, false)
        else if (BLOCKS.has(el.localName)) {
          buffer.text(' ', current, false)
          visit(el, current, level + 1)
          buffer.text(' ', current, false)
        } else visit(el, marksFor(el, current), level + 1)
      }
    }
    visit(element, marks, depth)
    return buffer.take()
  }

  private listItems(list: Element, marks: Marks, depth: number): ArticleListItem[] {
    const items: ArticleListItem[] = []
    // Anything directly inside a list but outside an <li> (text, a stray nested list) joins the item before it.
    let loose: ArticleBlock[] = []
    const push = (content: ArticleBlock[]): void => {
      if (content.length === 0) return
      // The reader's list items start with a paragraph (ProseMirror's 'paragraph block*').
      const [first, ...rest] = content
      if (first?.type === 'heading') items.push({ type: 'listItem', content: [{ type: 'paragraph', content: first.content ?? [] }, ...rest] })
      else if (first?.type !== 'paragraph') items.push({ type: 'listItem', content: [{ type: 'paragraph' }, ...content] })
      else items.push({ type: 'listItem', content })
    }
    const flushLoose = (): void => {
      const last = items.at(-1)
      if (loose.length > 0 && last) last.content.push(...loose)
      else push(loose)
      loose = []
    }
    for (const child of Array.from(list.childNodes)) {
      if (child.nodeType === ELEMENT && (child as Element).localName === 'li') {
        flushLoose()
        push(this.blocks(child as Element, marks, depth + 1))
      } else if (child.nodeType === ELEMENT || child.nodeType === TEXT) {
        const holder = list.ownerDocument.createElement('div')
        holder.appendChild(child.cloneNode(true))
        loose.push(...this.blocks(holder, marks, depth + 1))
      }
    }
    flushLoose()
    return items
  }
}

/** The reading document for the content of a sanitized element (typically DOMPurify's returned body). */
export function domToDoc(root: Element): ArticleDoc {
  return { type: 'doc', content: new Converter().blocks(root, NO_MARKS, 0) }
}
