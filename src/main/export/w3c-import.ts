import { createHash, randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { W3cImportReport } from '../../shared/export/export-types'
import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import { noteQuoteLookup } from '../services/note-service'
import type { HighlightSnapshot } from '../db/repositories/highlight-repository'
import { quoteAt } from '../services/library-service'
import { CodePointIndex } from '../../shared/anchoring/code-point-index'
import { isPlaced, reanchorAll, type AnchorResult, type AnchorSelector } from '../../shared/anchoring/reanchor'
import type { TextQuote } from '../../shared/anchoring/text-quote'
import { articleDocSchema, type ArticleDoc } from '../../shared/domain/article-doc'
import { canonicalText } from '../../shared/domain/canonical-text'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import { noteDocSchema, type NoteBlock, type NoteDoc, type NoteInline, type NoteListItem } from '../../shared/domain/note-doc'
import { noteToHtml, noteToPlainText } from '../../shared/notes/note-html'
import { quoteChips } from '../../shared/notes/note-summary'
import { AppError } from '../../shared/result'

/** Longest string (in UTF-16 units) a W3C file may hold anywhere, keys included. */
export const W3C_MAX_STRING = 10 * 1024 * 1024
/** Most annotations one W3C file may hold. */
export const W3C_MAX_ANNOTATIONS = 100_000
/** Most annotation pages one W3C file may chain through `next`. */
export const W3C_MAX_PAGES = 10_000
/** Most articles one W3C file may carry in `stance:sources`. */
export const W3C_MAX_SOURCES = 10_000
/** How long an import may run (it holds the main process) before it is stopped and rolled back. */
export const W3C_IMPORT_BUDGET_MS = 30_000

/** What an import did, counted. */export type { W3cImportReport }

// ---------------------------------------------------------------------------------------------------------
// What we accept. Objects are lenient about keys they do not name (other tools add their own), strict about
// the types of the keys they do name.

const text = z.string().max(W3C_MAX_STRING, 'is longer than 10 MB')
const shortText = z.string().max(4096, 'is longer than 4,096 characters')
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)])
const typeField = oneOrMany(z.string().max(200))
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour of the form #rrggbb')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const quoteSelectorSchema = z.object({
  exact: text.min(1, 'must not be empty'),
  prefix: text.optional(),
  suffix: text.optional()
})

const positionSelectorSchema = z
  .object({
    start: z.number().int('must be a whole number').nonnegative('must not be negative').max(2 ** 31),
    end: z.number().int('must be a whole number').nonnegative('must not be negative').max(2 ** 31)
  })
  .refine((s) => s.end > s.start, { message: 'must be after start', path: ['end'] })

type ParsedSelector =
  | { type: 'TextQuoteSelector'; exact: string; prefix?: string | undefined; suffix?: string | undefined }
  | { type: 'TextPositionSelector'; start: number; end: number }
  | { type: 'other' }

// Selectors of other kinds (XPath, CSS, Range…) are allowed and ignored; the two Stance reads are checked by
// their own schema, so a TextQuoteSelector without `exact` is an error rather than an unknown selector.
const selectorSchema = z.looseObject({ type: z.string().max(200) }).transform((value, ctx): ParsedSelector => {
  const specific = value.type === 'TextQuoteSelector' ? quoteSelectorSchema : value.type === 'TextPositionSelector' ? positionSelectorSchema : null
  if (!specific) return { type: 'other' }
  const parsed = specific.safeParse(value)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] })
    return z.NEVER
  }
  return { type: value.type, ...parsed.data } as ParsedSelector
})

const stanceCodeSchema = z.object({
  id: z.string().max(200).optional(),
  color: color.optional(),
  parent: z.string().max(200).nullable().optional()
})

const bodySchema = z.union([
  shortText,
  z.object({
    type: typeField.optional(),
    purpose: typeField.optional(),
    value: text.optional(),
    format: z.string().max(200).optional(),
    language: z.string().max(200).optional(),
    'stance:code': stanceCodeSchema.optional(),
    // Checked against the note schema later; a document that does not fit falls back to the HTML value.
    'stance:doc': z.unknown().optional()
  })
])

const targetSchema = z.union([
  shortText,
  z.object({
    id: shortText.optional(),
    source: shortText.optional(),
    'stance:article': z.string().max(200).optional(),
    selector: oneOrMany(selectorSchema).optional()
  })
])

const isoLike = z.string().max(100)

const annotationSchema = z.object({
  id: shortText.optional(),
  type: typeField.refine((type) => typesOf(type).includes('Annotation'), 'must be "Annotation"'),
  motivation: typeField.optional(),
  created: isoLike.optional(),
  modified: isoLike.optional(),
  body: oneOrMany(bodySchema).optional(),
  bodyValue: text.optional(),
  target: oneOrMany(targetSchema)
})

type RawAnnotation = z.infer<typeof annotationSchema>

const pageSchema = z.object({
  type: typeField.optional(),
  items: z.array(annotationSchema).max(W3C_MAX_ANNOTATIONS),
  // Parsed page by page (see readPages), so each page's issues carry their own path.
  next: z.unknown().optional()
})

const optionalField = (max: number) => z.string().max(max, `has more than ${max} characters`).nullable().optional()

const sourceSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().trim().min(1, 'an article needs a title').max(1000, 'has more than 1,000 characters'),
  outlet: optionalField(500),
  author: optionalField(500),
  publishedAt: z
    .string()
    .refine(isCalendarDate, 'must be a date of the form YYYY-MM-DD')
    .nullable()
    .optional(),
  sourceUrl: shortText.refine((url) => isHttpUrl(url), 'must be an http(s) address').nullable().optional(),
  doc: articleDocSchema
})

const codebookEntrySchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().trim().min(1, 'a code needs a name').max(200, 'has more than 200 characters'),
  color,
  description: z.string().max(5000, 'has more than 5,000 characters').optional(),
  parentId: z.string().max(200).nullable().optional(),
  sortOrder: z.number().int().optional(),
  shortcut: z.string().max(10).nullable().optional()
})

const collectionSchema = z.object({
  type: typeField,
  // Only the shape here: the pages are parsed one by one (see readPages), so that each is validated once.
  first: z.union([shortText, z.looseObject({})]).optional(),
  // Not in the model, but some tools put the annotations straight on the collection.
  items: z.array(annotationSchema).max(W3C_MAX_ANNOTATIONS).optional(),
  'stance:sources': z.array(sourceSchema).optional(),
  'stance:codebook': z.array(codebookEntrySchema).optional()
})

type Source = z.infer<typeof sourceSchema>
type CodebookEntry = z.infer<typeof codebookEntrySchema>

// ---------------------------------------------------------------------------------------------------------
// The file, read and normalized before the transaction starts (all pure).

interface Tag {
  name: string
  /** Stance's own description of the code, when the file came from Stance. */
  stance: { id: string | null; color: string | null; parent: string | null } | null
}

interface Passage {
  quote: TextQuote | null
  position: { start: number; end: number } | null
}

interface ImportAnnotation {
  /** The file's id when it is a `urn:uuid:` (lowercase UUID), else null. */
  id: string | null
  /** `stance:article`, or the UUID of a `urn:uuid:` source. */
  articleId: string | null
  /** The target's source when it is an http(s) address. */
  sourceUrl: string | null
  /** Null: the annotation is on the whole article (a memo). */
  passage: Passage | null
  tags: Tag[]
  note: NoteDoc | null
  created: string | null
  modified: string | null
}

interface W3cFile {
  annotations: ImportAnnotation[]
  sources: Map<string, Source>
  codebook: Map<string, CodebookEntry>
}

function invalid(message: string): AppError {
  return new AppError('invalid-input', message)
}

/** Parses and validates a W3C Web Annotation file; every problem is an invalid-input AppError with a sentence. */
function readW3cFile(json: string): W3cFile {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (error) {
    throw invalid(`The file is not valid JSON, so it cannot be a W3C Web Annotation file (${(error as Error).message}).`)
  }
  // Only a file longer than the limit can hold a string longer than the limit.
  if (json.length > W3C_MAX_STRING) {
    const at = longStringPath(raw)
    if (at) throw invalid(`The file holds a text longer than 10 MB at ${formatPath(at)}; Stance does not import texts that long.`)
  }
  const root = rootOf(raw)
  const { annotations: count, pages, sources: sourceCount } = measure(root)
  if (pages > W3C_MAX_PAGES) {
    throw invalid(`The file chains more than ${W3C_MAX_PAGES.toLocaleString('en')} annotation pages; Stance imports at most ${W3C_MAX_PAGES.toLocaleString('en')} pages at a time.`)
  }
  if (count > W3C_MAX_ANNOTATIONS) {
    throw invalid(`The file holds ${count.toLocaleString('en')} annotations; Stance imports at most ${W3C_MAX_ANNOTATIONS.toLocaleString('en')} at a time.`)
  }
  if (sourceCount > W3C_MAX_SOURCES) {
    throw invalid(`The file carries ${sourceCount.toLocaleString('en')} articles in "stance:sources"; Stance imports at most ${W3C_MAX_SOURCES.toLocaleString('en')} at a time.`)
  }
  try {
    const annotations: Located[] = []
    let sources: Source[] = []
    let codebook: CodebookEntry[] = []
    if (root.kind === 'Annotation') {
      annotations.push({ raw: parseWith(annotationSchema, root.value, []), path: () => [] })
    } else if (root.kind === 'AnnotationPage') {
      readPages(root.value, [], annotations)
    } else {
      const collection = parseWith(collectionSchema, root.value, [])
      sources = collection['stance:sources'] ?? []
      codebook = collection['stance:codebook'] ?? []
      collection.items?.forEach((item, i) => annotations.push({ raw: item, path: () => ['items', i] }))
      if (typeof collection.first === 'string') {
        throw invalid('The collection only links to its annotations (its "first" page is an address); export it with the annotations embedded.')
      }
      if (collection.first) readPages((root.value as Record<string, unknown>).first, ['first'], annotations)
    }
    return {
      annotations: annotations.map(({ raw: annotation, path }) => normalize(annotation, path)),
      sources: new Map(sources.map((source) => [source.id, source])),
      codebook: new Map(codebook.map((entry) => [entry.id, entry]))
    }
  } catch (error) {
    // Schemas recurse with the document (blockquotes in blockquotes…); a hostile depth must not crash main.
    if (error instanceof RangeError) throw invalid('The file nests its data too deeply to be read.')
    throw error
  }
}

type Root = { kind: 'AnnotationCollection' | 'AnnotationPage' | 'Annotation'; value: unknown }

function rootOf(raw: unknown): Root {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const what = raw === null ? 'null' : Array.isArray(raw) ? 'a JSON array' : `a JSON ${typeof raw}`
    throw invalid(`The file holds ${what}, not a W3C Web Annotation collection or annotation.`)
  }
  const types = typesOf((raw as Record<string, unknown>).type)
  for (const kind of ['AnnotationCollection', 'AnnotationPage', 'Annotation'] as const) if (types.includes(kind)) return { kind, value: raw }
  const shown = types.length > 0 ? `of type "${types.join('", "')}"` : 'without a "type"'
  throw invalid(`The file holds an object ${shown}; Stance imports a W3C AnnotationCollection, AnnotationPage or Annotation.`)
}

function typesOf(type: unknown): string[] {
  if (typeof type === 'string') return [type]
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : []
}

function itemsLength(page: unknown): number {
  const items = page !== null && typeof page === 'object' ? (page as Record<string, unknown>).items : undefined
  return Array.isArray(items) ? items.length : 0
}

/**
 * Annotations, chained pages (counted up to one past the limit) and `stance:sources` entries in the file,
 * counted before validation so that an oversized file is refused cheaply.
 */
function measure(root: Root): { annotations: number; pages: number; sources: number } {
  if (root.kind === 'Annotation') return { annotations: 1, pages: 0, sources: 0 }
  const value = root.value as Record<string, unknown>
  const sources = root.kind === 'AnnotationCollection' && Array.isArray(value['stance:sources']) ? value['stance:sources'].length : 0
  let annotations = itemsLength(value)
  let pages = root.kind === 'AnnotationPage' ? 1 : 0
  let page = root.kind === 'AnnotationCollection' ? value.first : value.next
  while (page !== null && typeof page === 'object' && pages <= W3C_MAX_PAGES) {
    pages++
    annotations += itemsLength(page)
    page = (page as Record<string, unknown>).next
  }
  return { annotations, pages, sources }
}

/** An annotation of the file with where it sits, spelled out only when an error needs it. */
interface Located {
  raw: RawAnnotation
  path: () => PropertyKey[]
}

/**
 * The path of the page `n` steps along the `next` chain from the page at `base`. A long run of steps is
 * written once with its count ("first.next[×4999]"), so that a path costs the same at any depth.
 */
function pagePath(base: readonly PropertyKey[], n: number): PropertyKey[] {
  if (n <= 3) return [...base, ...Array<PropertyKey>(n).fill('next')]
  return [...base, `next[×${n}]`]
}

/** Adds the annotations of a page, and of the pages embedded after it through `next`, to `out`. */
function readPages(first: unknown, base: readonly PropertyKey[], out: Located[]): void {
  let value: unknown = first
  for (let n = 0; value !== undefined && value !== null; n++) {
    const page = parseWith(pageSchema, value, pagePath(base, n))
    const at = n
    page.items.forEach((raw, i) => out.push({ raw, path: () => [...pagePath(base, at), 'items', i] }))
    if (typeof page.next === 'string') throw invalid('The file links to further annotation pages instead of holding them; export it with every page embedded.')
    value = page.next
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, path: PropertyKey[]): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = firstIssue(parsed.error.issues)
  const where = [...path, ...(issue?.path ?? [])]
  const message = issue?.message ?? 'is not valid'
  throw invalid(`The file does not fit the W3C Web Annotation format Stance reads: ${where.length ? formatPath(where) : 'the top level'} ${lowerFirst(message)}.`)
}

interface FlatIssue {
  path: PropertyKey[]
  message: string
}

// A failed union reports every branch; the one the file meant is the one that got deepest before failing.
function firstIssue(issues: readonly z.core.$ZodIssue[]): FlatIssue | undefined {
  const issue = issues[0]
  if (!issue) return undefined
  if (issue.code === 'invalid_union') {
    let best: FlatIssue | undefined
    for (const branch of issue.errors) {
      const inner = firstIssue(branch)
      if (inner && (!best || inner.path.length > best.path.length)) best = inner
    }
    if (!best || best.path.length === 0) return { path: issue.path, message: 'is neither a text nor an object of the kind expected there' }
    return { path: [...issue.path, ...best.path], message: best.message }
  }
  return { path: issue.path, message: issue.message.startsWith('Invalid input: ') ? issue.message.slice('Invalid input: '.length) : issue.message }
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1)
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key)
  return out
}

/** Path of the first string (or key) longer than the limit, walking without recursion; null when there is none. */
function longStringPath(root: unknown): PropertyKey[] | null {
  if (typeof root === 'string') return root.length > W3C_MAX_STRING ? [] : null
  const stack: { entries: [PropertyKey, unknown][]; next: number }[] = []
  const push = (value: unknown): void => {
    if (value !== null && typeof value === 'object') {
      stack.push({ entries: Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value), next: 0 })
    }
  }
  push(root)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const entry = frame.entries[frame.next++]
    if (!entry) {
      stack.pop()
      continue
    }
    const [key, value] = entry
    if ((typeof key === 'string' && key.length > W3C_MAX_STRING) || (typeof value === 'string' && value.length > W3C_MAX_STRING)) {
      return stack.map((f) => f.entries[f.next - 1]![0])
    }
    push(value)
  }
  return null
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** An xsd:dateTime as the database stores times (ISO 8601 UTC with milliseconds), or null. */
function isoTime(value: string | undefined): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null
  const time = Date.parse(value)
  return Number.isFinite(time) ? new Date(time).toISOString() : null
}

function uuidOf(value: string | undefined): string | null {
  if (!value) return null
  const bare = value.replace(/^urn:uuid:/i, '')
  return bare !== value && UUID.test(bare) ? bare.toLowerCase() : null
}

const TAG_PURPOSES = new Set(['tagging', 'classifying'])
const COMMENT_PURPOSES = new Set(['commenting', 'describing', 'assessing', 'questioning', 'replying', 'editing'])

type RawBody = Exclude<z.infer<typeof bodySchema>, string>

function normalize(raw: RawAnnotation, path: () => PropertyKey[]): ImportAnnotation {
  const targets = Array.isArray(raw.target) ? raw.target : [raw.target]
  const target = targets[0]
  let articleId: string | null = null
  let source: string | null = null
  let selectors: ParsedSelector[] = []
  if (typeof target === 'string') source = target
  else if (target) {
    source = target.source ?? target.id ?? null
    articleId = target['stance:article'] ?? null
    selectors = target.selector === undefined ? [] : Array.isArray(target.selector) ? target.selector : [target.selector]
  }
  articleId ??= uuidOf(source ?? undefined)
  const quote = selectors.find((s) => s.type === 'TextQuoteSelector')
  const position = selectors.find((s) => s.type === 'TextPositionSelector')
  const passage: Passage | null =
    selectors.length === 0
      ? null
      : {
          quote: quote ? { exact: quote.exact, prefix: quote.prefix ?? '', suffix: quote.suffix ?? '' } : null,
          position: position ? { start: position.start, end: position.end } : null
        }

  const motivations = typesOf(raw.motivation)
  const bodies: RawBody[] = (raw.body === undefined ? [] : Array.isArray(raw.body) ? raw.body : [raw.body]).filter((b): b is RawBody => typeof b !== 'string')
  if (raw.bodyValue !== undefined) bodies.push({ value: raw.bodyValue, format: 'text/plain' })
  const tags: Tag[] = []
  const comments: RawBody[] = []
  for (const body of bodies) {
    if (body.value === undefined) continue
    const purposes = typesOf(body.purpose)
    // Without a purpose, a body plays the annotation's motivation.
    const roles = purposes.length > 0 ? purposes : motivations
    if (roles.some((role) => TAG_PURPOSES.has(role))) {
      const name = body.value.trim()
      // A code name has 1–200 characters; a longer "tag" is not one Stance can hold.
      if (name.length === 0 || name.length > 200) continue
      const code = body['stance:code']
      tags.push({ name, stance: code ? { id: code.id ?? null, color: code.color ?? null, parent: code.parent ?? null } : null })
    } else if (purposes.length === 0 || purposes.some((purpose) => COMMENT_PURPOSES.has(purpose))) {
      comments.push(body)
    }
  }
  return {
    id: uuidOf(raw.id),
    articleId,
    sourceUrl: source !== null && isHttpUrl(source) ? source : null,
    passage,
    tags,
    note: noteOf(comments, () => [...path(), 'body']),
    created: isoTime(raw.created),
    modified: isoTime(raw.modified)
  }
}

/** The note of an annotation: Stance's own document when it fits the note schema, else paragraphs of the bodies' text. */
function noteOf(comments: readonly RawBody[], path: () => PropertyKey[]): NoteDoc | null {
  for (const body of comments) {
    if (body['stance:doc'] === undefined) continue
    const parsed = noteDocSchema.safeParse(body['stance:doc'])
    if (parsed.success) return parsed.data
  }
  const blocks: NoteBlock[] = []
  for (const body of comments) {
    const value = body.value ?? ''
    blocks.push(...paragraphs(/html/i.test(body.format ?? '') ? htmlToText(value) : value))
  }
  if (blocks.length === 0) return null
  const doc: NoteDoc = { type: 'doc', content: blocks }
  const parsed = noteDocSchema.safeParse(doc)
  if (!parsed.success) throw invalid(`The note at ${formatPath(path())} is too long for a Stance note (at most 1 MB).`)
  return parsed.data
}

// eslint-disable-next-line no-control-regex -- C0 controls other than tab and line breaks, and DEL, never belong in a note
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Paragraphs at blank lines, a hard break at each single line break. */
function paragraphs(plain: string): NoteBlock[] {
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

// ---------------------------------------------------------------------------------------------------------
// The import itself, inside one transaction.

interface ResolvedArticle {
  id: ArticleId
  text: string
  /** Whether the text is the file's own (so a position without a quote can be trusted). */
  sameText: boolean
  index?: CodePointIndex
}

/** A passage annotation placed in its article, waiting for its codes. */
interface Placement {
  annotation: ImportAnnotation
  article: ResolvedArticle
  start: number
  end: number
}

// Colours for codes that arrive as bare tags: distinct from the default codebook's four.
const TAG_COLORS = ['#cc79a7', '#56b4e9', '#e69f00', '#882255', '#117733', '#332288', '#999933', '#44aa99', '#aa4499', '#6699cc']

/**
 * Imports a W3C Web Annotation file (from Stance or another tool) in one transaction: every annotation's
 * article is found (by id, identical text or source address) or recreated from `stance:sources`; codes are
 * found by id, else by name under the same parent, else created; passages are re-anchored by their quote
 * (their position first) and notes restored from Stance's document or the HTML's text. Ids are kept where
 * they are free, so a round trip into another library restores the same ids, and a second import of the same
 * file changes nothing. Any failure rolls the whole import back, and so does running past the time budget
 * (30 s unless `options` say otherwise, counted from the call), which ends the import with a timeout.
 */
export function importW3c(db: Db, repos: Repositories, json: string, options: W3cImportOptions = {}): W3cImportReport {
  const budget = new Budget(options.budgetMs ?? W3C_IMPORT_BUDGET_MS, options.now ?? (() => performance.now()))
  const file = readW3cFile(json)
  return db.transaction(() => new W3cImport(db, repos, file, budget).run())()
}

export interface W3cImportOptions {
  /** How long the import may take, in milliseconds, before it is stopped and rolled back; 30 s by default. */
  budgetMs?: number
  /** The clock the budget is measured on, in milliseconds; performance.now by default. */
  now?: () => number
}

/**
 * The time an import may take. It runs synchronously in the main process, so a file that is valid but
 * costly (a hundred thousand quotes to look for in long articles) must not freeze the app for minutes:
 * between annotations, the import checks the clock and gives up, rolling back, once the budget is spent.
 */
class Budget {
  private readonly deadline: number

  constructor(
    private readonly ms: number,
    private readonly now: () => number
  ) {
    this.deadline = now() + ms
  }

  /** Throws a timeout AppError (inside the transaction, so nothing is kept) once the budget is spent. */
  check(): void {
    if (this.now() <= this.deadline) return
    const limit = this.ms >= 1000 ? `${Math.round(this.ms / 1000)} s` : `${this.ms} ms`
    throw new AppError(
      'timeout',
      `Importing this file took longer than ${limit} and was stopped; nothing was changed. Split it into smaller files (fewer annotations or articles each) and import them one at a time.`
    )
  }
}

// Whitespace as the reader's selection snapping (snapToWords) trims it; every one is a single UTF-16 unit.
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/

/**
 * A placed range without the whitespace at its ends, as a passage selected in the reader would be: a quote
 * that begins with a block separator ("\n\nSecond") lands on "Second". Null when nothing but whitespace is left.
 */
function trimRange(index: CodePointIndex, start: number, end: number): { start: number; end: number } | null {
  const { text } = index
  let from = index.toUtf16(start)
  let to = index.toUtf16(end)
  while (from < to && SPACE.test(text.charAt(from))) from++
  while (to > from && SPACE.test(text.charAt(to - 1))) to--
  return from < to ? { start: index.toCodePoint(from), end: index.toCodePoint(to) } : null
}

/** A key that is the same for two selectors exactly when they are (the lengths keep the parts apart). */
function selectorKey(s: AnchorSelector): string {
  return `${s.start}:${s.end}:${s.exact.length}:${s.prefix.length}:${s.exact}${s.prefix}${s.suffix}`
}

/**
 * How many selectors are anchored at a time, between two checks of the time budget. Each group costs one
 * pass over the text (reanchorAll indexes it) and one selector at worst a few passes (a quote far from its
 * hint, or found only approximately), so both scale with the text: groups of about 20 million UTF-16 units
 * between them keep a check every second or so at worst, and the indexing a small share of the work.
 */
function anchorGroupSize(text: string): number {
  return Math.min(256, Math.max(4, Math.floor(20_000_000 / Math.max(1, text.length))))
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64')
}

class W3cImport {
  private readonly report: W3cImportReport = {
    articles: { matched: 0, created: 0 },
    codes: { matched: 0, created: 0 },
    highlights: { created: 0, duplicates: 0, merged: 0, orphaned: 0, unresolved: 0, uncoded: 0 },
    notes: { created: 0, kept: 0 }
  }
  private readonly articles = new Map<string, ResolvedArticle | null>()
  // Sets, so that an article or code met again (or created earlier in this import) is counted once.
  private readonly matchedArticles = new Set<string>()
  private readonly createdArticles = new Set<string>()
  private readonly codes = new Map<string, CodeId | null>()
  private readonly matchedCodes = new Set<string>()
  private readonly createdCodes = new Set<string>()
  /** Placed highlights per article by "start:end", read once per article and kept up to date here. */
  private readonly ranges = new Map<ArticleId, Map<string, { id: HighlightId; codeIds: CodeId[] }>>()
  private readonly resolvingCodes = new Set<string>()
  /** The file's highlight ids → the highlight that holds that passage here, for notes and quote chips. */
  private readonly highlightIds = new Map<string, HighlightId>()

  /**
   * Live articles by the SHA-256 of their text and by their address, the earliest (by seq) for each, as
   * `ORDER BY seq LIMIT 1` would find them; read once, when first needed, and kept up to date with the
   * articles this import creates, so that no source costs a scan of the table.
   */
  private liveByText: Map<string, string> | null = null
  private liveByUrl: Map<string, string> | null = null

  // Prepared once: an import may run these a hundred thousand times.
  private readonly statements

  constructor(
    private readonly db: Db,
    private readonly repos: Repositories,
    private readonly file: W3cFile,
    private readonly budget: Budget
  ) {
    this.statements = {
      highlightExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM highlights WHERE id = ?'),
      nextHighlightSeq: db.prepare<[], { next: number }>('SELECT ifnull(max(seq), 0) + 1 AS next FROM highlights'),
      liveArticle: db.prepare<[string], { id: string; text: string }>('SELECT id, text FROM articles WHERE id = ? AND deleted_at IS NULL'),
      liveTexts: db.prepare<[], { id: string; text: string }>('SELECT id, text FROM articles WHERE deleted_at IS NULL ORDER BY seq'),
      liveUrls: db.prepare<[], { id: string; url: string }>('SELECT id, source_url AS url FROM articles WHERE deleted_at IS NULL AND source_url IS NOT NULL ORDER BY seq'),
      articleExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM articles WHERE id = ?'),
      codeExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM codes WHERE id = ?'),
      rekeyArticle: db.prepare<[string, string]>('UPDATE articles SET id = ? WHERE id = ?'),
      rekeyCode: db.prepare<[string, string]>('UPDATE codes SET id = ? WHERE id = ?'),
      shortcutTaken: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM codes WHERE shortcut = ?')
    }
  }

  run(): W3cImportReport {
    // Every article the file carries comes in, even one without annotations, as it was exported.
    for (const source of this.file.sources.values()) {
      this.budget.check()
      this.articleFor({ articleId: source.id, sourceUrl: source.sourceUrl ?? null })
    }
    const placements = this.place()
    this.resolveCodebook(placements)
    const noted: { annotation: ImportAnnotation; highlightId: HighlightId; articleId: ArticleId }[] = []
    for (const placement of placements) {
      this.budget.check()
      const highlightId = this.store(placement)
      if (highlightId) noted.push({ annotation: placement.annotation, highlightId, articleId: placement.article.id })
    }
    for (const { annotation, highlightId, articleId } of noted) {
      if (!annotation.note) continue
      this.budget.check()
      this.saveNote({ highlightId }, articleId, annotation.note)
    }
    for (const annotation of this.file.annotations) {
      if (annotation.passage || !annotation.note) continue
      this.budget.check()
      const article = this.articleFor(annotation)
      if (article) this.saveNote({ articleId: article.id }, article.id, annotation.note)
    }
    this.report.articles.matched = [...this.matchedArticles].filter((id) => !this.createdArticles.has(id)).length
    this.report.articles.created = this.createdArticles.size
    this.report.codes.matched = [...this.matchedCodes].filter((id) => !this.createdCodes.has(id)).length
    this.report.codes.created = this.createdCodes.size
    return this.report
  }

  // --- articles ------------------------------------------------------------------------------------------

  private articleFor(ref: { articleId: string | null; sourceUrl: string | null }): ResolvedArticle | null {
    const key = ref.articleId !== null ? `id:${ref.articleId}` : ref.sourceUrl !== null ? `url:${ref.sourceUrl}` : null
    if (key === null) return null
    if (!this.articles.has(key)) this.articles.set(key, this.findOrCreateArticle(ref))
    return this.articles.get(key) ?? null
  }

  private findOrCreateArticle(ref: { articleId: string | null; sourceUrl: string | null }): ResolvedArticle | null {
    const source = ref.articleId !== null ? this.file.sources.get(ref.articleId) : undefined
    const sourceText = source ? canonicalText(source.doc) : null
    const byId = ref.articleId !== null ? this.statements.liveArticle.get(ref.articleId) : undefined
    if (byId) return this.matchedArticle(byId, sourceText === null || sourceText === byId.text)
    if (sourceText !== null) {
      const sameId = this.textIndex().get(sha256(sourceText))
      const same = sameId !== undefined ? this.statements.liveArticle.get(sameId) : undefined
      if (same && same.text === sourceText) return this.matchedArticle(same, true)
    }
    const url = source?.sourceUrl ?? ref.sourceUrl
    if (url) {
      const sameUrlId = this.urlIndex().get(url)
      const sameUrl = sameUrlId !== undefined ? this.statements.liveArticle.get(sameUrlId) : undefined
      if (sameUrl) return this.matchedArticle(sameUrl, sourceText === sameUrl.text)
    }
    return source ? this.createArticle(source) : null
  }

  private textIndex(): Map<string, string> {
    if (!this.liveByText) {
      const index = new Map<string, string>()
      for (const row of this.statements.liveTexts.iterate()) {
        const hash = sha256(row.text)
        if (!index.has(hash)) index.set(hash, row.id)
      }
      this.liveByText = index
    }
    return this.liveByText
  }

  private urlIndex(): Map<string, string> {
    if (!this.liveByUrl) {
      const index = new Map<string, string>()
      for (const row of this.statements.liveUrls.iterate()) if (!index.has(row.url)) index.set(row.url, row.id)
      this.liveByUrl = index
    }
    return this.liveByUrl
  }

  private matchedArticle(row: { id: string; text: string }, sameText: boolean): ResolvedArticle {
    this.matchedArticles.add(row.id)
    return { id: row.id as ArticleId, text: row.text, sameText }
  }

  private createArticle(source: Source): ResolvedArticle {
    const optional = (value: string | null | undefined): string | null => (value?.trim() ? value.trim() : null)
    const doc: ArticleDoc = source.doc
    const article = this.repos.articles.insert(
      {
        title: source.title,
        outlet: optional(source.outlet),
        author: optional(source.author),
        publishedAt: source.publishedAt ?? null,
        sourceUrl: optional(source.sourceUrl)
      },
      doc
    )
    const id = this.rekey('articles', article.id, source.id) as ArticleId
    this.createdArticles.add(id)
    // Later in the import, sources with the same text or address find this article, as they would by SQL.
    const hash = this.liveByText ? sha256(article.text) : null
    if (this.liveByText && hash !== null && !this.liveByText.has(hash)) this.liveByText.set(hash, id)
    if (this.liveByUrl && article.sourceUrl !== null && !this.liveByUrl.has(article.sourceUrl)) this.liveByUrl.set(article.sourceUrl, id)
    return { id, text: article.text, sameText: true }
  }

  /**
   * Gives a row that was just inserted (so nothing refers to it yet) the file's id, when that is a UUID no
   * row of the table has: the repositories mint fresh ids, and a round trip should keep the old ones.
   */
  private rekey(table: 'articles' | 'codes', fresh: string, wanted: string | null): string {
    if (wanted === null || !UUID.test(wanted)) return fresh
    const id = wanted.toLowerCase()
    const [exists, update] = table === 'articles' ? [this.statements.articleExists, this.statements.rekeyArticle] : [this.statements.codeExists, this.statements.rekeyCode]
    if (exists.get(id)) return fresh
    update.run(id, fresh)
    return id
  }

  // --- anchoring -----------------------------------------------------------------------------------------

  /** Every passage annotation placed in its article's current text, in file order; the rest are counted. */
  private place(): Placement[] {
    const byArticle = new Map<ResolvedArticle, ImportAnnotation[]>()
    for (const annotation of this.file.annotations) {
      if (!annotation.passage) continue
      const article = this.articleFor(annotation)
      if (!article) {
        this.report.highlights.unresolved++
        continue
      }
      const list = byArticle.get(article) ?? []
      list.push(annotation)
      byArticle.set(article, list)
    }
    const placed = new Map<ImportAnnotation, Placement>()
    // A range is placed without the whitespace at its ends; one that is nothing but whitespace is not.
    const put = (annotation: ImportAnnotation, article: ResolvedArticle, start: number, end: number): void => {
      const range = trimRange(article.index!, start, end)
      if (range) placed.set(annotation, { annotation, article, ...range })
    }
    for (const [article, annotations] of byArticle) {
      const index = (article.index ??= new CodePointIndex(article.text))
      // Quotes with a position are anchored together, so each one's search starts where the shift of the
      // previous ones predicts; quotes without one would only mislead that prediction, so they go alone.
      const positioned = annotations.filter((a) => a.passage?.quote && a.passage.position)
      const quoteOnly = annotations.filter((a) => a.passage?.quote && !a.passage.position)
      const anchor = (list: ImportAnnotation[]): void => {
        const selectors = list.map((a): AnchorSelector => ({ ...a.passage!.quote!, start: a.passage!.position?.start ?? 0, end: a.passage!.position?.end ?? 0 }))
        const results = this.anchorAll(article.text, selectors)
        list.forEach((annotation, i) => {
          const result = results[i]
          if (isPlaced(result, index.length)) put(annotation, article, result.start, result.end)
        })
      }
      anchor(positioned)
      anchor(quoteOnly)
      for (const annotation of annotations) {
        const position = annotation.passage?.position
        // A bare position says nothing about the words, so it is trusted only on the very text it was made on.
        if (!annotation.passage?.quote && position && article.sameText && position.end <= index.length) put(annotation, article, position.start, position.end)
      }
    }
    const out: Placement[] = []
    for (const annotation of this.file.annotations) {
      if (!annotation.passage || !this.articleFor(annotation)) continue
      const placement = placed.get(annotation)
      if (placement) out.push(placement)
      else this.report.highlights.orphaned++
    }
    return out
  }

  /**
   * reanchorAll over one text, with the time budget checked between small groups of selectors. A selector
   * met again (the same passage annotated twice) is anchored once. The groups follow reanchorAll's own
   * order (by stored start) and each begins again with the last selector of the group before (its second
   * result unused), so that the shift of the text that selector finds carries over into the next group
   * much as it would in a single call.
   */
  private anchorAll(text: string, selectors: readonly AnchorSelector[]): AnchorResult[] {
    const unique: AnchorSelector[] = []
    const slot = new Map<string, number>()
    const of = selectors.map((selector) => {
      const key = selectorKey(selector)
      let at = slot.get(key)
      if (at === undefined) {
        at = unique.push(selector) - 1
        slot.set(key, at)
      }
      return at
    })
    // Stable, like reanchorAll's, so a group's lead (at or before every other start in it) stays first.
    const order = unique.map((_, i) => i).sort((a, b) => unique[a]!.start - unique[b]!.start)
    const results = new Array<AnchorResult>(unique.length)
    const size = anchorGroupSize(text)
    for (let from = 0; from < order.length; from += size) {
      this.budget.check()
      const group = order.slice(from, from + size)
      const lead = from > 0 ? [order[from - 1]!] : []
      const found = reanchorAll(text, [...lead, ...group].map((i) => unique[i]!))
      group.forEach((i, k) => (results[i] = found[lead.length + k]!))
    }
    return of.map((i) => results[i]!)
  }

  // --- codes ---------------------------------------------------------------------------------------------

  /**
   * Resolves the codebook entries the placed passages use in the file's codebook order, so codes created
   * here keep the order (and nesting) they had; codes of passages that found no place are not created.
   */
  private resolveCodebook(placements: readonly Placement[]): void {
    const needed = new Set<string>()
    for (const { annotation } of placements) for (const tag of annotation.tags) if (tag.stance?.id) needed.add(tag.stance.id)
    for (const entry of this.file.codebook.values()) if (needed.has(entry.id)) this.codeById(entry.id, null)
  }

  private codeForTag(tag: Tag): CodeId | null {
    return tag.stance?.id ? this.codeById(tag.stance.id, tag) : this.codeByName(tag.name)
  }

  /** A code of the file by its Stance id: the same id here, else the same name under the same parent, else a new code. */
  private codeById(id: string, tag: Tag | null): CodeId | null {
    const key = `id:${id}`
    if (this.codes.has(key)) return this.codes.get(key) ?? null
    // A parent chain that loops back (a corrupt codebook) ends at the top level instead of recursing forever.
    if (this.resolvingCodes.has(key)) return null
    this.resolvingCodes.add(key)
    const resolved = this.findOrCreateCode(id, tag)
    this.resolvingCodes.delete(key)
    this.codes.set(key, resolved)
    return resolved
  }

  private findOrCreateCode(id: string, tag: Tag | null): CodeId | null {
    const existing = this.repos.codes.find(id as CodeId)
    if (existing) {
      this.matchedCodes.add(existing.id)
      return existing.id
    }
    const entry = this.file.codebook.get(id)
    const name = entry?.name ?? tag?.name
    if (!name) return null
    const parentRef = entry ? (entry.parentId ?? null) : (tag?.stance?.parent ?? null)
    const parentId = parentRef !== null && (this.file.codebook.has(parentRef) || this.repos.codes.find(parentRef as CodeId)) ? this.codeById(parentRef, null) : null
    const sibling = this.siblingNamed(parentId, name)
    if (sibling) {
      this.matchedCodes.add(sibling)
      return sibling
    }
    return this.createCode({
      name,
      color: entry?.color ?? tag?.stance?.color ?? null,
      description: entry?.description ?? '',
      parentId,
      shortcut: entry?.shortcut ?? null,
      id
    })
  }

  /** A bare tag: a top-level code of that name, else one anywhere in the codebook, else a new top-level code. */
  private codeByName(name: string): CodeId | null {
    const key = `name:${name.toLowerCase()}`
    if (this.codes.has(key)) return this.codes.get(key) ?? null
    const folded = name.toLowerCase()
    const found = this.siblingNamed(null, name) ?? this.repos.codes.list().find((code) => code.name.toLowerCase() === folded)?.id
    if (found) this.matchedCodes.add(found)
    const resolved = found ?? this.createCode({ name, color: null, description: '', parentId: null, shortcut: null, id: null })
    this.codes.set(key, resolved)
    return resolved
  }

  // Folded in JavaScript like the code repository does, since SQLite's lower() folds only ASCII.
  private siblingNamed(parentId: CodeId | null, name: string): CodeId | null {
    const folded = name.trim().toLowerCase()
    return this.repos.codes.children(parentId).find((code) => code.name.toLowerCase() === folded)?.id ?? null
  }

  private createCode(input: { name: string; color: string | null; description: string; parentId: CodeId | null; shortcut: string | null; id: string | null }): CodeId {
    const shortcut = input.shortcut !== null && /^[1-9]$/.test(input.shortcut) && !this.statements.shortcutTaken.get(input.shortcut) ? input.shortcut : null
    const code = this.repos.codes.insert({
      name: input.name,
      color: (input.color ?? this.freeTagColor()).toLowerCase(),
      description: input.description,
      parentId: input.parentId,
      shortcut
    })
    const id = this.rekey('codes', code.id, input.id) as CodeId
    this.createdCodes.add(id)
    return id
  }

  private freeTagColor(): string {
    const used = new Set(this.repos.codes.list().map((code) => code.color))
    return TAG_COLORS.find((c) => !used.has(c)) ?? TAG_COLORS[used.size % TAG_COLORS.length]!
  }

  // --- highlights ----------------------------------------------------------------------------------------

  /** Stores one placed passage and returns the highlight that now holds it (null when it was skipped). */
  private store({ annotation, article, start, end }: Placement): HighlightId | null {
    const codeIds = [...new Set(annotation.tags.map((tag) => this.codeForTag(tag)).filter((id): id is CodeId => id !== null))]
    if (codeIds.length === 0) {
      this.report.highlights.uncoded++
      return null
    }
    // The app keeps one placed highlight per exact range (coding it again adds codes), and so does an import.
    const ranges = this.rangesOf(article.id)
    const range = `${start}:${end}`
    const occupant = ranges.get(range)
    let held: HighlightId
    if (occupant) {
      const missing = codeIds.filter((id) => !occupant.codeIds.includes(id))
      if (missing.length === 0) this.report.highlights.duplicates++
      else {
        occupant.codeIds = this.repos.highlights.setCodes(occupant.id, [...occupant.codeIds, ...missing]).codeIds
        this.report.highlights.merged++
      }
      held = occupant.id
    } else {
      // The file's id is kept unless it is taken: by another passage, or by this one somewhere else.
      const taken = annotation.id === null || this.statements.highlightExists.get(annotation.id) !== undefined
      const id = (taken ? randomUUID() : annotation.id!) as HighlightId
      const quote = quoteAt(article.index ?? (article.index = new CodePointIndex(article.text)), start, end)
      const now = new Date().toISOString()
      const seq = this.statements.nextHighlightSeq.get()?.next ?? 1
      // restore() is the repository's way to insert a highlight under a given id; the seq is the one SQLite
      // would pick, and the quote is cut from this library's text, as insert() does.
      const snapshot: HighlightSnapshot = {
        row: {
          seq,
          id,
          article_id: article.id,
          start,
          end,
          exact: quote.exact,
          prefix: quote.prefix,
          suffix: quote.suffix,
          orphaned: 0,
          created_at: annotation.created ?? now,
          updated_at: annotation.modified ?? now
        },
        codeIds,
        note: null
      }
      this.repos.highlights.restore(snapshot)
      this.report.highlights.created++
      ranges.set(range, { id, codeIds })
      held = id
    }
    if (annotation.id !== null) this.highlightIds.set(annotation.id, held)
    return held
  }

  private rangesOf(articleId: ArticleId): Map<string, { id: HighlightId; codeIds: CodeId[] }> {
    let ranges = this.ranges.get(articleId)
    if (!ranges) {
      ranges = new Map()
      // Reading order with ties by seq, so the first kept for a range is the one findByRange would give.
      for (const h of this.repos.highlights.listByArticle(articleId)) {
        const key = `${h.start}:${h.end}`
        if (!h.orphaned && !ranges.has(key)) ranges.set(key, { id: h.id, codeIds: h.codeIds })
      }
      this.ranges.set(articleId, ranges)
    }
    return ranges
  }

  // --- notes ---------------------------------------------------------------------------------------------

  private saveNote(target: { highlightId: HighlightId } | { articleId: ArticleId }, articleId: ArticleId, doc: NoteDoc): void {
    if (this.repos.notes.find(target)) {
      this.report.notes.kept++
      return
    }
    const valid = this.retargetChips(doc, articleId)
    const quotes = noteQuoteLookup(this.repos, valid, articleId)
    this.repos.notes.save(target, { doc: valid, html: noteToHtml(valid, quotes), plain: noteToPlainText(valid, quotes) }, undefined)
    this.report.notes.created++
  }

  /**
   * Points quote chips at the highlights that hold their passages here (a passage may have come in under a
   * new id). A chip quoting a passage of another article becomes its words in quotation marks, because the
   * note service refuses such a chip and the analyst could never save the note again.
   */
  private retargetChips(doc: NoteDoc, articleId: ArticleId): NoteDoc {
    if (quoteChips(doc).length === 0) return doc
    const inline = (node: NoteInline): NoteInline => {
      if (node.type !== 'quoteChip') return node
      const highlightId = this.highlightIds.get(node.attrs.highlightId) ?? node.attrs.highlightId
      const highlight = this.repos.highlights.find(highlightId as HighlightId)
      if (highlight && highlight.articleId !== articleId) return { type: 'text', text: `“${node.attrs.quote}”` }
      return { type: 'quoteChip', attrs: { highlightId, quote: node.attrs.quote } }
    }
    const item = (node: NoteListItem): NoteListItem => ({ ...node, content: node.content.map(block) })
    const block = (node: NoteBlock): NoteBlock => {
      switch (node.type) {
        case 'paragraph':
        case 'heading':
          return node.content ? { ...node, content: node.content.map(inline) } : node
        case 'blockquote':
          return { ...node, content: node.content.map(block) }
        case 'bulletList':
        case 'orderedList':
          return { ...node, content: node.content.map(item) }
        default:
          return node
      }
    }
    return { type: 'doc', content: doc.content.map(block) }
  }
}

