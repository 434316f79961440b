import { codePointLength } from '../../shared/anchoring/code-points'
import type { Article } from '../../shared/domain/article'
import { BLOCK_SEPARATOR, canonicalText, textBlocks } from '../../shared/domain/canonical-text'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'
import type { QuoteLookup } from '../../shared/notes/note-html'
import { escapeMarkdown, escapeMarkdownLineStart, markdownLink, noteToMarkdown } from '../../shared/notes/note-markdown'
import { isNoteEmpty } from '../../shared/notes/note-summary'

/** What a Markdown export includes. */
export interface MarkdownExportOptions {
  /** Only these codes (all codes when absent). */
  codeIds?: readonly string[]
  /** Passage notes and article memos; on unless false. */
  includeNotes?: boolean
}

interface CodeGroup {
  code: Code
  highlights: Highlight[]
}

interface PreparedArticle {
  entry: ExportArticle
  groups: CodeGroup[]
  /** Highlights carrying at least one exported code. */
  passageCount: number
}

/**
 * Writes a bundle as one Markdown document: YAML front matter (the article's details for one article, the
 * export's for several), then per article its memo and its passages grouped by code in codebook order, each a
 * block quote with its position and note. Output depends only on its inputs, uses LF and ends with a newline.
 */
export function exportMarkdown(bundle: ExportBundle, options: MarkdownExportOptions): string {
  const selected = selectCodes(bundle.codes, options.codeIds)
  const includeNotes = options.includeNotes !== false
  const prepared = bundle.articles.map((entry) => prepareArticle(entry, selected))
  const usedCodes = selected.filter((code) => prepared.some((article) => article.groups.some((group) => group.code.id === code.id)))
  const single = prepared.length === 1 ? prepared[0] : undefined

  const blocks: string[] = [single ? articleFrontMatter(bundle, single, usedCodes) : exportFrontMatter(bundle, prepared, usedCodes)]
  for (const article of prepared) blocks.push(...articleBlocks(article, { includeNotes, withDetails: !single, selected }))
  return `${blocks.join('\n\n')}\n`
}

function selectCodes(codes: readonly Code[], codeIds: readonly string[] | undefined): Code[] {
  if (!codeIds) return [...codes]
  const wanted = new Set(codeIds)
  return codes.filter((code) => wanted.has(code.id))
}

function prepareArticle(entry: ExportArticle, selected: readonly Code[]): PreparedArticle {
  const groups = selected
    .map((code) => ({ code, highlights: entry.highlights.filter((highlight) => highlight.codeIds.includes(code.id)) }))
    .filter((group) => group.highlights.length > 0)
  const ids = new Set(selected.map((code) => code.id as string))
  const passageCount = entry.highlights.filter((highlight) => highlight.codeIds.some((id) => ids.has(id))).length
  return { entry, groups, passageCount }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * A YAML double-quoted scalar. JSON string syntax is a subset of it; the extra escapes cover what YAML
 * does not allow raw (DEL, C1 controls, NEL and the Unicode line separators, BOM, noncharacters).
 */
export function yamlString(value: string): string {
  return JSON.stringify(value.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

function yamlValue(value: string | number | null | readonly string[]): string {
  if (value === null) return 'null'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return yamlString(value)
  return `[${value.map(yamlString).join(', ')}]`
}

function frontMatter(fields: [string, string | number | null | readonly string[]][]): string {
  return ['---', ...fields.map(([key, value]) => `${key}: ${yamlValue(value)}`), '---'].join('\n')
}

function generator(bundle: ExportBundle): string {
  return `${bundle.app.name} ${bundle.app.version}`
}

function articleFrontMatter(bundle: ExportBundle, prepared: PreparedArticle, usedCodes: readonly Code[]): string {
  const article = prepared.entry.article
  return frontMatter([
    ['title', article.title],
    ['outlet', article.outlet],
    ['author', article.author],
    ['published', article.publishedAt],
    ['source_url', article.sourceUrl],
    ['article_id', article.id],
    ['exported', bundle.exportedAt],
    ['analyst', bundle.analyst],
    ['codes', usedCodes.map((code) => code.name)],
    ['highlights', prepared.passageCount],
    ['generator', generator(bundle)]
  ])
}

function exportFrontMatter(bundle: ExportBundle, prepared: readonly PreparedArticle[], usedCodes: readonly Code[]): string {
  return frontMatter([
    ['title', 'Stance export'],
    ['exported', bundle.exportedAt],
    ['analyst', bundle.analyst],
    ['articles', prepared.length],
    ['codes', usedCodes.map((code) => code.name)],
    ['highlights', prepared.reduce((sum, article) => sum + article.passageCount, 0)],
    ['generator', generator(bundle)]
  ])
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(level)} ${escapeMarkdown(text).trim() || 'Untitled'}`
}

function articleBlocks(prepared: PreparedArticle, settings: { includeNotes: boolean; withDetails: boolean; selected: readonly Code[] }): string[] {
  const { article, notes, memo } = prepared.entry
  const blocks = [heading(1, article.title)]
  if (settings.withDetails) blocks.push(detailsList(article, prepared.passageCount))

  const quotes = quoteLookup(prepared.entry.highlights)
  if (settings.includeNotes && memo && !isNoteEmpty(memo.doc)) {
    blocks.push('## Memo', noteToMarkdown(memo.doc, quotes, { headingOffset: 2 }))
  }

  if (prepared.groups.length === 0) blocks.push('No coded passages.')
  const positions = blockPositions(article)
  const names = new Map(settings.selected.map((code) => [code.id as string, code.name]))
  for (const group of prepared.groups) {
    blocks.push(`## ${escapeMarkdown(group.code.name).trim() || 'Unnamed code'} (${group.highlights.length})`)
    for (const highlight of group.highlights) {
      blocks.push(quoteBlock(highlight.exact))
      const others = highlight.codeIds.filter((id) => id !== group.code.id && names.has(id)).map((id) => escapeMarkdown(names.get(id) ?? ''))
      blocks.push(`— ${positions(highlight)}${others.length ? ` · also ${others.join(', ')}` : ''}`)
      const note = notes[highlight.id]
      if (settings.includeNotes && note && !isNoteEmpty(note.doc)) {
        blocks.push('**Note:**', noteToMarkdown(note.doc, quotes, { headingOffset: 3 }))
      }
    }
  }
  return blocks.filter((block) => block !== '')
}

function detailsList(article: Article, passageCount: number): string {
  const items: string[] = []
  if (article.outlet) items.push(`Outlet: ${escapeMarkdown(article.outlet)}`)
  if (article.author) items.push(`Author: ${escapeMarkdown(article.author)}`)
  if (article.publishedAt) items.push(`Published: ${escapeMarkdown(article.publishedAt)}`)
  if (article.sourceUrl) items.push(`Source: ${markdownLink(article.sourceUrl, article.sourceUrl)}`)
  items.push(`Article ID: ${escapeMarkdown(article.id)}`, `Passages: ${passageCount}`)
  return items.map((item) => `- ${item}`).join('\n')
}

function quoteLookup(highlights: readonly Highlight[]): QuoteLookup {
  const byId = new Map(highlights.map((highlight) => [highlight.id as string, highlight.exact]))
  return (id) => {
    const quote = byId.get(id)
    return quote === undefined ? undefined : { quote }
  }
}

/**
 * A passage as a block quote: paragraphs of the quote stay paragraphs, single line breaks become hard
 * breaks, and every line is escaped and prefixed so nothing in the quote can end the block quote.
 */
function quoteBlock(exact: string): string {
  const lines: string[] = []
  const paragraphs = exact
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
  for (const paragraph of paragraphs) {
    if (lines.length > 0) lines.push('')
    const rows = paragraph.split('\n')
    rows.forEach((row, index) => lines.push(escapeMarkdownLineStart(escapeMarkdown(row)) + (index < rows.length - 1 ? '\\' : '')))
  }
  if (lines.length === 0) lines.push('&#32;')
  return lines.map((line) => (line ? `> ${line}` : '>')).join('\n')
}

/**
 * Describes where a passage is: the text blocks (paragraphs and headings, from 1) it spans, and its
 * code-point offsets. Block numbers are left out when the stored document no longer yields the stored text.
 */
function blockPositions(article: Article): (highlight: Highlight) => string {
  const starts: number[] = []
  if (canonicalText(article.doc) === article.text) {
    let offset = 0
    const separator = codePointLength(BLOCK_SEPARATOR)
    for (const block of textBlocks(article.doc)) {
      starts.push(offset)
      offset += codePointLength(block.text) + separator
    }
  }
  const blockAt = (offset: number): number => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = Math.ceil((low + high) / 2)
      if ((starts[middle] ?? 0) <= offset) low = middle
      else high = middle - 1
    }
    return low + 1
  }
  return (highlight) => {
    const offsets = `offsets ${highlight.start}–${highlight.end}`
    if (starts.length === 0) return offsets
    const first = blockAt(highlight.start)
    const last = blockAt(Math.max(highlight.start, highlight.end - 1))
    return `¶ ${first === last ? first : `${first}–${last}`}, ${offsets}`
  }
}
