import type { NoteBlock, NoteDoc, NoteInline, NoteListItem, NoteMark } from '../domain/note-doc'

/** What a quote chip shows now: the highlight's current words, the colour of its first code, and whether it still exists. */
export interface QuoteInfo {
  quote: string
  /** `#rrggbb`; anything else is ignored. */
  color?: string
  status?: 'live' | 'deleted' | 'orphaned'
}

/** Looks up the current state of a quoted highlight; undefined keeps the words stored in the chip. */
export type QuoteLookup = (highlightId: string) => QuoteInfo | undefined

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}

const SAFE_HREF = /^(https?:\/\/|mailto:)/i
const COLOR = /^#[0-9a-fA-F]{6}$/
const STATUSES = new Set(['live', 'deleted', 'orphaned'])

// Marks are nested in one fixed order whatever order the editor listed them in: link outermost, code innermost.
const MARK_ORDER = ['link', 'bold', 'italic', 'code'] as const

function chipQuote(attrs: { highlightId: string; quote: string }, quotes: QuoteLookup | undefined): QuoteInfo {
  return quotes?.(attrs.highlightId) ?? { quote: attrs.quote }
}

/**
 * Serializes a validated note document to HTML. Every text and attribute value is escaped, only the
 * elements below are produced, and links keep only http(s) and mailto addresses, so the result is safe
 * to store and export as is: p, h1–h3, blockquote, ul, ol (with start), li, br, strong, em, code,
 * a (rel="noopener noreferrer"), and quote chips as `<q class="stance-quote" data-highlight-id="…">`.
 * Nodes of other types (which the schema does not let through) are left out.
 */
export function noteToHtml(doc: NoteDoc, quotes?: QuoteLookup): string {
  return blocksToHtml(doc.content, quotes)
}

function blocksToHtml(blocks: readonly NoteBlock[], quotes: QuoteLookup | undefined): string {
  return blocks.map((block) => blockToHtml(block, quotes)).join('')
}

function blockToHtml(block: NoteBlock, quotes: QuoteLookup | undefined): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${inlinesToHtml(block.content ?? [], quotes)}</p>`
    case 'heading': {
      const level = block.attrs.level === 1 || block.attrs.level === 2 ? block.attrs.level : 3
      return `<h${level}>${inlinesToHtml(block.content ?? [], quotes)}</h${level}>`
    }
    case 'blockquote':
      return `<blockquote>${blocksToHtml(block.content, quotes)}</blockquote>`
    case 'bulletList':
      return `<ul>${itemsToHtml(block.content, quotes)}</ul>`
    case 'orderedList': {
      const start = block.attrs?.start
      const startAttr = typeof start === 'number' && Number.isInteger(start) && start !== 1 ? ` start="${start}"` : ''
      return `<ol${startAttr}>${itemsToHtml(block.content, quotes)}</ol>`
    }
    default:
      return ''
  }
}

function itemsToHtml(items: readonly NoteListItem[], quotes: QuoteLookup | undefined): string {
  return items.map((item) => (item.type === 'listItem' ? `<li>${blocksToHtml(item.content, quotes)}</li>` : '')).join('')
}

function inlinesToHtml(inlines: readonly NoteInline[], quotes: QuoteLookup | undefined): string {
  return inlines.map((inline) => inlineToHtml(inline, quotes)).join('')
}

function inlineToHtml(inline: NoteInline, quotes: QuoteLookup | undefined): string {
  switch (inline.type) {
    case 'text':
      return withMarks(escapeHtml(inline.text), inline.marks ?? [])
    case 'hardBreak':
      return '<br>'
    case 'quoteChip': {
      const info = chipQuote(inline.attrs, quotes)
      let attrs = ` class="stance-quote" data-highlight-id="${escapeHtml(inline.attrs.highlightId)}"`
      if (info.status && info.status !== 'live' && STATUSES.has(info.status)) attrs += ` data-status="${escapeHtml(info.status)}"`
      if (info.color && COLOR.test(info.color)) attrs += ` style="--stance-quote-color: ${escapeHtml(info.color.toLowerCase())}"`
      return `<q${attrs}>${escapeHtml(info.quote)}</q>`
    }
    default:
      return ''
  }
}

function withMarks(html: string, marks: readonly NoteMark[]): string {
  let result = html
  // Innermost first, so the first in MARK_ORDER ends up outermost; each kind at most once.
  for (const type of [...MARK_ORDER].reverse()) {
    const mark = marks.find((m) => m.type === type)
    if (!mark) continue
    if (mark.type === 'link') {
      const href = mark.attrs.href.trim()
      if (SAFE_HREF.test(href)) result = `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${result}</a>`
    } else {
      const tag = mark.type === 'bold' ? 'strong' : mark.type === 'italic' ? 'em' : 'code'
      result = `<${tag}>${result}</${tag}>`
    }
  }
  return result
}

/**
 * The plain text of a note, for full-text search and for CSV and PDF exports: blocks on their own lines,
 * hard breaks as line breaks, list items prefixed "- " or "1. " (nested lists and continuation lines
 * indented under their marker), blockquote lines prefixed "> ", and quote chips as “their words”.
 */
export function noteToPlainText(doc: NoteDoc, quotes?: QuoteLookup): string {
  return blocksToLines(doc.content, quotes).join('\n')
}

function blocksToLines(blocks: readonly NoteBlock[], quotes: QuoteLookup | undefined): string[] {
  return blocks.flatMap((block) => blockToLines(block, quotes))
}

function blockToLines(block: NoteBlock, quotes: QuoteLookup | undefined): string[] {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlinesToPlain(block.content ?? [], quotes).split('\n')
    case 'blockquote':
      return blocksToLines(block.content, quotes).map((line) => (line ? `> ${line}` : '>'))
    case 'bulletList':
      return block.content.flatMap((item) => itemToLines(item, '- ', quotes))
    case 'orderedList': {
      const start = block.attrs?.start ?? 1
      return block.content.flatMap((item, index) => itemToLines(item, `${start + index}. `, quotes))
    }
    default:
      return []
  }
}

function itemToLines(item: NoteListItem, marker: string, quotes: QuoteLookup | undefined): string[] {
  if (item.type !== 'listItem') return []
  const lines = blocksToLines(item.content, quotes)
  const indent = ' '.repeat(marker.length)
  if (lines.length === 0) return [marker.trimEnd()]
  return lines.map((line, index) => (index === 0 ? marker + line : line ? indent + line : line))
}

function inlinesToPlain(inlines: readonly NoteInline[], quotes: QuoteLookup | undefined): string {
  return inlines
    .map((inline) => {
      switch (inline.type) {
        case 'text':
          return inline.text
        case 'hardBreak':
          return '\n'
        case 'quoteChip':
          return `“${chipQuote(inline.attrs, quotes).quote}”`
        default:
          return ''
      }
    })
    .join('')
}
