/** Plain text and untrusted HTML (from other tools' annotation files) turned into note blocks without a DOM. */
import type { NoteBlock, NoteInline } from '../../shared/domain/note-doc'

// eslint-disable-next-line no-control-regex -- C0 controls other than tab and line breaks, and DEL, never belong in a note
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** A note's blocks from plain text: paragraphs at blank lines, a hard break at each single line break. */
export function paragraphs(plain: string): NoteBlock[] {
  const blocks: NoteBlock[] = []
  for (const chunk of plain.replace(CONTROLS, '').replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = chunk
      .split('\n')
      .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
      .filter((line) => line !== '')
    if (lines.length === 0) continue
    const content: NoteInline[] = []
    lines.forEach((line, i) => {
      if (i > 0) content.push({ type: 'hardBreak' })
      content.push({ type: 'text', text: line })
    })
    blocks.push({ type: 'paragraph', content })
  }
  return blocks
}

const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'main', 'nav', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'tr', 'hr', 'figure', 'figcaption', 'address', 'details', 'summary'
])
// Elements whose content is never text to show.
const DROPPED_TAGS = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'textarea', 'title', 'head'])

/**
 * The text of an HTML fragment, with a blank line at block boundaries and a line break at <br>. This runs
 * in main, where there is no DOM, and the HTML comes from a file: it is scanned once, left to right, with
 * indexOf (no backtracking regular expressions a crafted file could make slow), nothing is ever parsed as
 * markup again, and the result only ever becomes text nodes of a note, which noteToHtml escapes.
 */
export function htmlToText(html: string): string {
  const out: string[] = []
  let i = 0
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    if (lt < 0) {
      out.push(collapse(html.slice(i)))
      break
    }
    out.push(collapse(html.slice(i, lt)))
    const next = html.charAt(lt + 1)
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4)
      i = end < 0 ? html.length : end + 3
    } else if (next === '!' || next === '?') {
      // Doctype, CDATA, processing instruction: up to the next '>'.
      const end = html.indexOf('>', lt + 2)
      i = end < 0 ? html.length : end + 1
    } else if (/[A-Za-z/]/.test(next)) {
      const { name, closing, end } = readTag(html, lt)
      i = end
      if (name === 'br') out.push('\n')
      else if (BLOCK_TAGS.has(name)) out.push('\n\n')
      else if (DROPPED_TAGS.has(name) && !closing) i = skipElement(html, name, end)
    } else {
      // A '<' that starts no tag ("a < b") is text.
      out.push('<')
      i = lt + 1
    }
  }
  return decodeEntities(out.join(''))
}

/** Whitespace as HTML renders it: any run is one space. */
function collapse(value: string): string {
  return value.replace(/[ \t\n\r\f]+/g, ' ')
}

/** The name of the tag at `lt` and the index after its '>' (quoted attribute values may hold '>'). */
function readTag(html: string, lt: number): { name: string; closing: boolean; end: number } {
  let j = lt + 1
  const closing = html.charAt(j) === '/'
  if (closing) j++
  const nameStart = j
  while (j < html.length && /[A-Za-z0-9-]/.test(html.charAt(j))) j++
  const name = html.slice(nameStart, j).toLowerCase()
  let quote = ''
  for (; j < html.length; j++) {
    const char = html.charAt(j)
    if (quote) {
      if (char === quote) quote = ''
    } else if (char === '"' || char === "'") quote = char
    else if (char === '>') return { name, closing, end: j + 1 }
  }
  return { name, closing, end: html.length }
}

/** The index after the end tag that closes a dropped element, or the end of the text when it is never closed. */
function skipElement(html: string, name: string, from: number): number {
  const closer = new RegExp(`</${name}[\\s/>]`, 'gi')
  closer.lastIndex = from
  const match = closer.exec(html)
  if (!match) return html.length
  return readTag(html, match.index).end
}

// A Map, not an object literal: a name such as "constructor" or "toString" must not find Object.prototype's.
const NAMED_ENTITIES = new Map<string, string>(Object.entries({
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’',
  ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©', reg: '®', trade: '™', deg: '°', euro: '€', shy: ''
}))

function decodeEntities(value: string): string {
  return value.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      // Surrogates, NUL and out-of-range code points are not characters.
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd'
      return String.fromCodePoint(code)
    }
    return NAMED_ENTITIES.get(name) ?? whole
  })
}
