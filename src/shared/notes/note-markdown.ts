import type { NoteBlock, NoteDoc, NoteInline, NoteListItem, NoteMark } from '../domain/note-doc'
import type { QuoteLookup } from './note-html'

/** How noteToMarkdown places a note inside a larger document. */
export interface NoteMarkdownOptions {
  /** Added to every heading level (capped at 6) so a note's headings nest under the document's own. */
  headingOffset?: number
}

const SAFE_HREF = /^(https?:\/\/|mailto:)/i

// Escaped wherever they occur: each can open inline markup somewhere (emphasis, code, links, images, autolinks
// and raw HTML, entities, ATX closing hashes, GFM strikethrough and tables). A backslash before ASCII
// punctuation is always literal in CommonMark, so over-escaping is harmless.
const INLINE_SPECIAL = /[\\`*_[\]<>#~|&!]/g
const LINE_BREAK = /\r\n?|\n/g

/**
 * Escapes text so CommonMark (and GFM) shows it literally inside a line: markup characters are
 * backslash-escaped and line breaks become spaces, so the text can never start a new block.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(LINE_BREAK, ' ').replace(INLINE_SPECIAL, '\\$&')
}

/**
 * Escapes what only means something at the start of a line (list markers, setext underlines, thematic
 * breaks, indented code); `line` must already have gone through escapeMarkdown.
 */
export function escapeMarkdownLineStart(line: string): string {
  // Leading blanks would be stripped or, four deep, make an indented code block; a character reference keeps one.
  if (line.startsWith(' ')) return `&#32;${line.slice(1)}`
  if (line.startsWith('\t')) return `&#9;${line.slice(1)}`
  const ordered = /^\d+(?=[.)])/.exec(line)
  if (ordered) return `${ordered[0]}\\${line.slice(ordered[0].length)}`
  return /^[-+=]/.test(line) ? `\\${line}` : line
}

/** A Markdown link to an http(s) or mailto address; any other address leaves just the escaped label. */
export function markdownLink(label: string, href: string): string {
  const target = href.trim()
  if (!SAFE_HREF.test(target)) return escapeMarkdown(label)
  return `[${escapeMarkdown(label)}](${linkDestination(target)})`
}

function linkDestination(href: string): string {
  // Backslash escapes and percent-encoding keep the address one token (no spaces, no unbalanced parentheses,
  // no angle brackets); an ampersand is escaped only where it would start an entity reference.
  return href.replace(/[\\()<>]|&(?=#?[0-9a-z]+;)/gi, '\\$&').replace(/[\s\p{Cc}]/gu, (char) => encodeURIComponent(char))
}

/**
 * Serializes a note document to CommonMark: paragraphs, ATX headings, `**bold**`, `_italic_`, code spans,
 * inline links (http(s) and mailto only), `-`/`1.` lists (nested), `>` block quotes, backslash hard breaks and
 * quote chips as “their words”. All text is escaped so it renders literally. Emphasis whose delimiters
 * CommonMark would not recognise where they fall (inside a word next to punctuation) is written as
 * `<strong>`/`<em>` instead. Empty paragraphs are left out; the result has no trailing newline.
 */
export function noteToMarkdown(doc: NoteDoc, quotes?: QuoteLookup, options?: NoteMarkdownOptions): string {
  const context: Context = { quotes, headingOffset: Math.max(0, Math.trunc(options?.headingOffset ?? 0)), tight: false }
  return blocksToLines(doc.content, context).join('\n')
}

interface Context {
  quotes: QuoteLookup | undefined
  headingOffset: number
  /** Inside a list item, where a paragraph and the list after it can share a tight item. */
  tight: boolean
}

function blocksToLines(blocks: readonly NoteBlock[], context: Context): string[] {
  const out: string[] = []
  let previous: { type: NoteBlock['type']; alternate: boolean } | undefined
  for (const block of blocks) {
    // Two lists of one kind separated only by a blank line would merge into one; another marker keeps them apart.
    const alternate = (block.type === 'bulletList' || block.type === 'orderedList') && previous?.type === block.type && !previous.alternate
    const lines = blockToLines(block, context, alternate)
    if (lines.length === 0) continue
    if (out.length > 0 && !(context.tight && previous?.type === 'paragraph' && interruptsParagraph(block, lines[0] ?? ''))) out.push('')
    out.push(...lines)
    previous = { type: block.type, alternate }
  }
  return out
}

// Only a non-empty bullet item or an ordered item numbered 1 may start right under a paragraph line.
function interruptsParagraph(block: NoteBlock, firstLine: string): boolean {
  if (block.type === 'bulletList') return /^[-*] \S/.test(firstLine)
  if (block.type === 'orderedList') return /^1[.)] \S/.test(firstLine)
  return false
}

function blockToLines(block: NoteBlock, context: Context, alternate: boolean): string[] {
  switch (block.type) {
    case 'paragraph': {
      const text = inlinesToMarkdown(block.content ?? [], context.quotes, false)
      return text === '' ? [] : text.split('\n').map(escapeMarkdownLineStart)
    }
    case 'heading': {
      const text = inlinesToMarkdown(block.content ?? [], context.quotes, true)
      const level = Math.min(6, (block.attrs.level === 1 || block.attrs.level === 2 ? block.attrs.level : 3) + context.headingOffset)
      return text === '' ? [] : [`${'#'.repeat(level)} ${text}`]
    }
    case 'blockquote':
      return blocksToLines(block.content, { ...context, tight: false }).map((line) => (line ? `> ${line}` : '>'))
    case 'bulletList': {
      const marker = alternate ? '* ' : '- '
      return block.content.flatMap((item) => itemToLines(item, marker, context))
    }
    case 'orderedList': {
      const start = block.attrs?.start ?? 1
      const delimiter = alternate ? ')' : '.'
      return block.content.flatMap((item, index) => itemToLines(item, `${start + index}${delimiter} `, context))
    }
    default:
      return []
  }
}

function itemToLines(item: NoteListItem, marker: string, context: Context): string[] {
  if (item.type !== 'listItem') return []
  const lines = blocksToLines(item.content, { ...context, tight: true })
  if (lines.length === 0) return [marker.trimEnd()]
  const indent = ' '.repeat(marker.length)
  const indented = lines.map((line) => (line ? indent + line : ''))
  // Nested empty items on one line ("- - -") would read as a thematic break; start the content on the next line.
  if (THEMATIC_BREAK.test(marker + (lines[0] ?? ''))) return [marker.trimEnd(), ...indented]
  return [marker + (lines[0] ?? ''), ...indented.slice(1)]
}

const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/

type Emphasis = 'bold' | 'italic'
type OpenMark = { type: Emphasis } | { type: 'link'; href: string }
interface Delimiter {
  emphasis: Emphasis
  side: 'open' | 'close'
  pair: number
}
type Token = string | Delimiter

const HARD_BREAK = '\\\n'

function sameMark(a: OpenMark, b: OpenMark): boolean {
  return a.type === b.type && (a.type !== 'link' || (b.type === 'link' && a.href === b.href))
}

// Outermost first, as in noteToHtml; a link with an address the schema would refuse is dropped.
function openMarks(marks: readonly NoteMark[]): { marks: OpenMark[]; code: boolean } {
  const out: OpenMark[] = []
  const link = marks.find((mark) => mark.type === 'link')
  if (link?.type === 'link' && SAFE_HREF.test(link.attrs.href.trim())) out.push({ type: 'link', href: link.attrs.href.trim() })
  if (marks.some((mark) => mark.type === 'bold')) out.push({ type: 'bold' })
  if (marks.some((mark) => mark.type === 'italic')) out.push({ type: 'italic' })
  return { marks: out, code: marks.some((mark) => mark.type === 'code') }
}

/**
 * Inline content as Markdown, lines separated by "\n" (hard breaks). Marks stay open across text nodes that
 * share them, and whitespace at a mark's edge is moved outside it, because `** bold **` is not emphasis.
 */
function inlinesToMarkdown(inlines: readonly NoteInline[], quotes: QuoteLookup | undefined, inHeading: boolean): string {
  const tokens: Token[] = []
  const active: { mark: OpenMark; pair: number }[] = []
  let pending = ''
  let pairs = 0
  let lastCode: { index: number; text: string } | undefined

  const closeTo = (depth: number): void => {
    while (active.length > depth) {
      const top = active.pop()
      if (!top) break
      tokens.push(top.mark.type === 'link' ? `](${linkDestination(top.mark.href)})` : { emphasis: top.mark.type, side: 'close', pair: top.pair })
    }
  }
  const push = (text: string): void => {
    if (text) tokens.push(text)
  }

  for (const inline of inlines) {
    switch (inline.type) {
      case 'text': {
        const raw = inline.text.replace(LINE_BREAK, ' ')
        const { marks, code } = openMarks(inline.marks ?? [])
        const lead = code ? '' : (/^\s*/.exec(raw)?.[0] ?? '')
        const core = code ? raw : raw.slice(lead.length).trimEnd()
        if (core === '') {
          pending += raw
          break
        }
        const trail = raw.slice(lead.length + core.length)
        let keep = 0
        for (const open of active) {
          if (!marks.some((mark) => sameMark(mark, open.mark))) break
          keep++
        }
        // Close before the pending whitespace so closing delimiters stay right after the text they end.
        closeTo(keep)
        push(pending + lead)
        for (const mark of marks) {
          if (active.some((open) => sameMark(open.mark, mark))) continue
          const pair = pairs++
          active.push({ mark, pair })
          tokens.push(mark.type === 'link' ? '[' : { emphasis: mark.type, side: 'open', pair })
        }
        if (code && lastCode && tokens.length - 1 === lastCode.index) {
          // Code spans side by side would read as one span fenced by a longer backtick run; write them as one.
          lastCode.text += core
          tokens[lastCode.index] = codeSpan(lastCode.text)
        } else if (code) {
          lastCode = { index: tokens.length, text: core }
          tokens.push(codeSpan(core))
        } else {
          const escaped = escapeMarkdown(core)
          // CommonMark needs no more, but some parsers (marked among them) end link text at an escaped `](`.
          push(active.some((open) => open.mark.type === 'link') ? escaped.replace(/\(/g, '\\(') : escaped)
        }
        pending = trail
        break
      }
      case 'hardBreak':
        if (inHeading) {
          pending += ' '
        } else {
          closeTo(0)
          pending = ''
          tokens.push(HARD_BREAK)
        }
        break
      case 'quoteChip': {
        closeTo(0)
        push(pending)
        pending = ''
        const quote = quotes?.(inline.attrs.highlightId)?.quote ?? inline.attrs.quote
        push(`“${escapeMarkdown(quote)}”`)
        break
      }
      default:
        break
    }
  }
  closeTo(0)
  // A hard break at the end of a paragraph would show as a literal backslash.
  while (tokens.length > 0 && tokens[tokens.length - 1] === HARD_BREAK) tokens.pop()
  return renderTokens(tokens)
}

function codeSpan(text: string): string {
  let longest = 0
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length)
  const fence = '`'.repeat(longest + 1)
  // CommonMark strips one space from each end when both have one, and a backtick at an edge would join the fence.
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && /[^ ]/.test(text)) ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

// CommonMark 0.31 counts symbols (emoji included) as punctuation for flanking; earlier versions, and parsers
// built on them, count only ASCII punctuation and the P categories. Delimiters must work under both.
const PUNCTUATION_RULES = [/[\p{P}\p{S}]/u, /[!-/:-@[-`{-~\p{P}]/u]
const WHITESPACE = /\s/u

function delimiterText(token: Delimiter, asHtml: boolean): string {
  if (asHtml) {
    const tag = token.emphasis === 'bold' ? 'strong' : 'em'
    return token.side === 'open' ? `<${tag}>` : `</${tag}>`
  }
  // Underscores for italic keep runs like `**_` unambiguous where bold and italic open together but close apart.
  return token.emphasis === 'bold' ? '**' : '_'
}

/**
 * Joins the tokens, writing each emphasis pair as `**`/`_` where CommonMark's flanking rules recognise both
 * of its delimiter runs as only opening and only closing, and as an HTML tag pair otherwise.
 */
function renderTokens(tokens: readonly Token[]): string {
  const html = new Set<number>()
  const text = (token: Token): string => (typeof token === 'string' ? token : delimiterText(token, html.has(token.pair)))
  const isMarkdownDelimiter = (token: Token | undefined): token is Delimiter => token !== undefined && typeof token !== 'string' && !html.has(token.pair)

  let changed = true
  while (changed) {
    changed = false
    for (let i = 0; i < tokens.length; i++) {
      if (!isMarkdownDelimiter(tokens[i])) continue
      let end = i
      while (isMarkdownDelimiter(tokens[end + 1])) end++
      const run = tokens.slice(i, end + 1) as Delimiter[]
      const before = i > 0 ? lastCharacter(text(tokens[i - 1] as Token)) : ''
      const after = end + 1 < tokens.length ? firstCharacter(text(tokens[end + 1] as Token)) : ''
      const opens = run.every((token) => token.side === 'open')
      const closes = run.every((token) => token.side === 'close')
      const recognised = PUNCTUATION_RULES.every((punctuation) => {
        const left = isLeftFlanking(before, after, punctuation)
        const right = isLeftFlanking(after, before, punctuation)
        return (opens && left && !right) || (closes && right && !left)
      })
      if (!recognised) {
        for (const token of run) html.add(token.pair)
        changed = true
      }
      i = end
    }
  }
  return tokens.map(text).join('')
}

// Start and end of a line count as whitespace; right-flanking is left-flanking seen from the other side.
function isLeftFlanking(before: string, after: string, punctuation: RegExp): boolean {
  const space = (char: string): boolean => char === '' || WHITESPACE.test(char)
  if (space(after)) return false
  return !punctuation.test(after) || space(before) || punctuation.test(before)
}

function firstCharacter(value: string): string {
  const point = value.codePointAt(0)
  return point === undefined ? '' : String.fromCodePoint(point)
}

function lastCharacter(value: string): string {
  const pair = value.slice(-2)
  return /^[\uD800-\uDBFF][\uDC00-\uDFFF]$/.test(pair) ? pair : value.slice(-1)
}
