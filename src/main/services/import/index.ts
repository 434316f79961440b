import { marked } from 'marked'
import type { ArticleMeta } from '../../../shared/domain/article'
import { articleDocSchema, type ArticleBlock, type ArticleDoc, type ArticleInline } from '../../../shared/domain/article-doc'
import { canonicalText } from '../../../shared/domain/canonical-text'
import { decodeDocument } from './decode'
import { importError, unsupportedTypeError } from './errors'
import { importHtml, importHtmlFragment } from './html'
import { cleanField, cleanMeta, mergeMeta, noMeta, type FoundMeta } from './metadata'

export { MAX_IMPORT_BYTES } from './decode'
export { SUPPORTED_TYPES, unsupportedTypeError } from './errors'

/** The kinds of document Stance imports. */
export type ImportKind = 'text' | 'markdown' | 'html'

/** One document to import: its kind, its content (text or raw bytes) and, when known, its file name. */
export interface ImportRequest {
  kind: ImportKind
  content: string | Uint8Array<ArrayBuffer>
  fileName?: string
}

/** An imported document, ready for the article store. */
export interface ImportedDocument {
  meta: ArticleMeta
  doc: ArticleDoc
}

const KINDS: Record<string, ImportKind> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html'
}

/** The kind of document a file name says it is, by extension; null for anything else (PDF, Word…). */
export function kindForFileName(name: string): ImportKind | null {
  const match = /\.([^./\\]+)$/.exec(name.trim())
  return (match && KINDS[match[1]!.toLowerCase()]) ?? null
}

/** A title for a document that has none: its file name without the extension, else "Untitled article". */
function titleFromFileName(fileName: string | undefined): string {
  const base = fileName?.split(/[\\/]/).pop()?.replace(/\.[^.]+$/, '').trim()
  return cleanField(base, 1000) ?? 'Untitled article'
}

/** Most titles are far shorter; a first line longer than this is a paragraph, not a title. */
const MAX_TITLE_LINE = 200

/**
 * Plain text: paragraphs are separated by blank lines, and the lines of one paragraph run on with a space.
 * The first line is the title when it is short (≤ 200 characters); if it stands alone as the first
 * paragraph it is not repeated in the body.
 */
function importText(text: string): { meta: FoundMeta; doc: ArticleDoc } {
  const paragraphs = text
    .split(/\n[ \t]*\n/)
    .map((chunk) => chunk.replace(/\s+/g, ' ').trim())
    .filter((chunk) => chunk.length > 0)
  const firstLine = text.trim().split('\n', 1)[0]?.replace(/\s+/g, ' ').trim() ?? ''
  const meta = noMeta()
  if (firstLine && [...firstLine].length <= MAX_TITLE_LINE) {
    meta.title = firstLine
    if (paragraphs[0] === firstLine && paragraphs.length > 1) paragraphs.shift()
  }
  return { meta, doc: { type: 'doc', content: paragraphs.map((p): ArticleBlock => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })) } }
}

const FRONT_MATTER_KEYS: Record<string, keyof FoundMeta> = {
  title: 'title',
  author: 'author',
  authors: 'author',
  byline: 'author',
  outlet: 'outlet',
  publication: 'outlet',
  source: 'outlet',
  site: 'outlet',
  date: 'publishedAt',
  published: 'publishedAt',
  publishedat: 'publishedAt',
  published_at: 'publishedAt',
  url: 'sourceUrl',
  link: 'sourceUrl',
  source_url: 'sourceUrl',
  sourceurl: 'sourceUrl'
}

/** A leading `---` block of `key: value` lines (a YAML subset: no nesting), and the Markdown after it. */
function splitFrontMatter(text: string): { meta: FoundMeta; body: string } {
  const match = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text)
  const meta = noMeta()
  if (!match) return { meta, body: text }
  for (const line of (match[1] ?? '').split('\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const field = FRONT_MATTER_KEYS[line.slice(0, colon).trim().toLowerCase()]
    const value = line
      .slice(colon + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2')
    if (field && value && meta[field] === null) meta[field] = value
  }
  return { meta, body: text.slice(match[0].length) }
}

/** Markdown: optional front matter, then `marked` to HTML, sanitized and converted like a page (a leading # heading is the title). */
async function importMarkdown(text: string): Promise<{ meta: FoundMeta; doc: ArticleDoc }> {
  const { meta, body } = splitFrontMatter(text)
  const html = await marked.parse(body, { async: true, gfm: true })
  const converted = await importHtmlFragment(html, { titleFromHeading: meta.title === null })
  return { meta: mergeMeta(meta, converted.meta), doc: converted.doc }
}

function inlineText(content: ArticleInline[] | undefined): string {
  return (content ?? []).map((node) => (node.type === 'text' ? node.text : '\n')).join('')
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase()

/** Drops a first heading that only repeats the title (pages often carry their headline twice). */
function withoutRepeatedTitle(doc: ArticleDoc, title: string): ArticleDoc {
  const [first, ...rest] = doc.content
  if (first?.type === 'heading' && rest.length > 0 && squash(inlineText(first.content)) === squash(title)) return { ...doc, content: rest }
  return doc
}

/**
 * Imports one document (plain text, Markdown or HTML, as text or raw bytes) into a reading document and
 * its metadata. Every refusal is an `invalid-input` AppError naming the file and the reason: over 20 MB,
 * binary, empty, or (HTML) no readable article. The result fits the reading schema and has text.
 */
export async function importDocument(request: ImportRequest): Promise<ImportedDocument> {
  const { kind, fileName } = request
  const text = decodeDocument(request.content, { fileName, html: kind === 'html' })
  const found = kind === 'text' ? importText(text) : kind === 'markdown' ? await importMarkdown(text) : await importHtml(text, fileName)
  const meta = cleanMeta(found.meta)
  const title = meta.title ?? titleFromFileName(fileName)
  const parsed = articleDocSchema.safeParse(withoutRepeatedTitle(found.doc, title))
  if (!parsed.success) throw importError(fileName, `This document could not be converted for reading (${parsed.error.issues[0]?.message ?? 'invalid'}).`)
  if (canonicalText(parsed.data).trim().length === 0) {
    throw importError(fileName, kind === 'html' ? 'No readable article was found in this HTML page.' : 'This file has no text to read.')
  }
  return { meta: { ...meta, title }, doc: parsed.data }
}

/** Like kindForFileName, but refusing other types with the message File ▸ Import… shows. */
export function requireKind(fileName: string): ImportKind {
  const kind = kindForFileName(fileName)
  if (!kind) throw unsupportedTypeError(fileName)
  return kind
}
