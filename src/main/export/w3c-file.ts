/** A W3C Web Annotation file read and checked (zod, size caps, page chains) into what the importer needs, before any write. */
import { z } from 'zod'
import type { TextQuote } from '../../shared/anchoring/text-quote'
import { articleDocSchema } from '../../shared/domain/article-doc'
import { noteDocSchema, type NoteBlock, type NoteDoc } from '../../shared/domain/note-doc'
import { AppError } from '../../shared/result'
import { htmlToText, paragraphs } from './note-from-html'

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


// ---------------------------------------------------------------------------------------------------------
// What we accept. Objects are lenient about keys they do not name (other tools add their own), strict about
// the types of the keys they do name.

const text = z.string().max(W3C_MAX_STRING, 'is longer than 10 MB')
const shortText = z.string().max(4096, 'is longer than 4,096 characters')
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)])
const typeField = oneOrMany(z.string().max(200))
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour of the form #rrggbb')
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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
  shortcut: z.string().max(10).nullable().optional(),
  groupKind: z.enum(['stance', 'issue', 'other']).nullable().optional(),
  dictionary: z.array(z.string().max(200, 'a dictionary entry has more than 200 characters')).max(500, 'a dictionary has more than 500 entries').optional()
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

export type Source = z.infer<typeof sourceSchema>
type CodebookEntry = z.infer<typeof codebookEntrySchema>

// ---------------------------------------------------------------------------------------------------------
// The file, read and normalized before the transaction starts (all pure).

export interface Tag {
  name: string
  /** Stance's own description of the code, when the file came from Stance. */
  stance: { id: string | null; color: string | null; parent: string | null } | null
}

interface Passage {
  quote: TextQuote | null
  position: { start: number; end: number } | null
}

export interface ImportAnnotation {
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

export interface W3cFile {
  annotations: ImportAnnotation[]
  sources: Map<string, Source>
  codebook: Map<string, CodebookEntry>
}

function invalid(message: string): AppError {
  return new AppError('invalid-input', message)
}

/** Parses and validates a W3C Web Annotation file; every problem is an invalid-input AppError with a sentence. */
export function readW3cFile(json: string): W3cFile {
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
