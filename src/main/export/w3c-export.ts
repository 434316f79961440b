import type { GroupKind } from '../../shared/domain/code'
import { createHash } from 'node:crypto'
import type { Article } from '../../shared/domain/article'
import type { ArticleDoc } from '../../shared/domain/article-doc'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { Note } from '../../shared/domain/note'
import type { NoteDoc } from '../../shared/domain/note-doc'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'
import { noteToHtml, type QuoteInfo, type QuoteLookup } from '../../shared/notes/note-html'

/** The W3C Web Annotation JSON-LD context. */
export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld'
/** Namespace of Stance's own keys (`stance:…`); `.invalid` so it can never resolve to anyone's server. */
export const STANCE_NS = 'https://stance.invalid/ns#'

/** What exportW3c writes besides the annotations themselves. */
export interface W3cExportOptions {
  /** Notes and memos as commenting bodies; default true. */
  includeNotes?: boolean
  /** Article documents and the codebook, so another library can recreate both; default true. */
  includeSources?: boolean
}

/** A code as `stance:code` carries it on a tagging body. */
export interface W3cStanceCode {
  id: string
  color: string
  parent: string | null
}

/** One entry of `stance:codebook`. */
export interface W3cCodebookEntry {
  id: string
  name: string
  color: string
  description: string
  parentId: string | null
  sortOrder: number
  shortcut: string | null
  /** Set on groups: what the group's codes stand for. */
  groupKind: GroupKind | null
  /** The code's dictionary for suggestions. */
  dictionary: string[]
}

/** One entry of `stance:sources`: an article's details and its reading document. */
export interface W3cSource {
  id: string
  title: string
  outlet: string | null
  author: string | null
  publishedAt: string | null
  sourceUrl: string | null
  doc: ArticleDoc
}

interface TextualBody {
  type: 'TextualBody'
  purpose: 'tagging' | 'commenting'
  value: string
  format?: 'text/html'
  created?: string
  modified?: string
  'stance:code'?: W3cStanceCode
  'stance:doc'?: NoteDoc
}

interface Selector {
  type: 'TextQuoteSelector' | 'TextPositionSelector'
  [key: string]: unknown
}

interface Target {
  source: string
  'stance:article': string
  selector?: Selector[]
}

interface Annotation {
  id: string
  type: 'Annotation'
  motivation: 'highlighting' | 'commenting'
  created: string
  modified: string
  creator?: { type: 'Person'; name: string }
  body: TextualBody[]
  target: Target
}

/**
 * Writes a bundle as a W3C Web Annotation `AnnotationCollection` (JSON-LD, 2-space indent). Each coded
 * passage is one Annotation: its codes are tagging bodies, its note a commenting body (HTML, plus the
 * NoteDoc for a lossless round trip), its target a quote and a position selector in code points. An
 * article memo is a commenting annotation on the whole article. See w3c-import.ts for the way back.
 */
export function exportW3c(bundle: ExportBundle, options: W3cExportOptions = {}): string {
  const includeNotes = options.includeNotes !== false
  const includeSources = options.includeSources !== false
  const codes = new Map<string, Code>(bundle.codes.map((code) => [code.id, code]))
  const creator = bundle.analyst.trim() ? { type: 'Person' as const, name: bundle.analyst.trim() } : undefined
  const items: Annotation[] = []
  for (const entry of bundle.articles) items.push(...articleAnnotations(entry, codes, creator, includeNotes))

  const collection: Record<string, unknown> = {
    '@context': [ANNO_CONTEXT, { stance: STANCE_NS }],
    id: `urn:uuid:${collectionId(bundle)}`,
    type: 'AnnotationCollection',
    label: collectionLabel(bundle),
    total: items.length,
    generator: { type: 'Software', name: bundle.app.name, 'stance:version': bundle.app.version },
    generated: bundle.exportedAt,
    first: { type: 'AnnotationPage', startIndex: 0, items }
  }
  if (includeSources) {
    collection['stance:sources'] = bundle.articles.map(({ article }) => sourceOf(article))
    collection['stance:codebook'] = usedCodebook(bundle, codes)
  }
  return JSON.stringify(collection, null, 2)
}

/**
 * The annotations of one article. A passage's motivation is "highlighting": what the analyst made is a
 * marked passage, and the model lets each body say its own role through `purpose` (codes "tagging", the
 * note "commenting"); "tagging" as the annotation's motivation would misdescribe the note body, and readers
 * such as Hypothesis show a highlighting annotation as a highlight whatever its bodies.
 */
function articleAnnotations(entry: ExportArticle, codes: Map<string, Code>, creator: Annotation['creator'], includeNotes: boolean): Annotation[] {
  const { article } = entry
  const source = article.sourceUrl ?? `urn:uuid:${article.id}`
  const quotes = quoteLookup(entry.highlights, codes)
  const out: Annotation[] = []
  if (includeNotes && entry.memo) {
    out.push({
      id: `urn:uuid:${entry.memo.id}`,
      type: 'Annotation',
      motivation: 'commenting',
      created: entry.memo.createdAt,
      modified: entry.memo.updatedAt,
      ...(creator ? { creator } : {}),
      body: [commentBody(entry.memo, quotes)],
      target: { source, 'stance:article': article.id }
    })
  }
  for (const highlight of entry.highlights) {
    const body: TextualBody[] = highlight.codeIds.flatMap((codeId) => {
      const code = codes.get(codeId)
      if (!code) return []
      return [{ type: 'TextualBody' as const, purpose: 'tagging' as const, value: code.name, 'stance:code': { id: code.id, color: code.color, parent: code.parentId } }]
    })
    const note = entry.notes[highlight.id]
    if (includeNotes && note) body.push(commentBody(note, quotes))
    out.push({
      id: `urn:uuid:${highlight.id}`,
      type: 'Annotation',
      motivation: 'highlighting',
      created: highlight.createdAt,
      modified: highlight.updatedAt,
      ...(creator ? { creator } : {}),
      body,
      target: {
        source,
        'stance:article': article.id,
        selector: [
          { type: 'TextQuoteSelector', exact: highlight.exact, prefix: highlight.prefix, suffix: highlight.suffix },
          { type: 'TextPositionSelector', start: highlight.start, end: highlight.end }
        ]
      }
    })
  }
  return out
}

// The stored HTML froze each quote chip's words and colour when the note was saved; an export shows the
// passages as they are now, like the note editor does.
function quoteLookup(highlights: readonly Highlight[], codes: Map<string, Code>): QuoteLookup {
  const info = new Map<string, QuoteInfo>()
  for (const highlight of highlights) {
    const color = highlight.codeIds.map((id) => codes.get(id)?.color).find((c) => c !== undefined)
    info.set(highlight.id, { quote: highlight.exact, status: 'live', ...(color ? { color } : {}) })
  }
  return (id) => info.get(id)
}

function commentBody(note: Note, quotes: QuoteLookup): TextualBody {
  return {
    type: 'TextualBody',
    purpose: 'commenting',
    format: 'text/html',
    value: noteToHtml(note.doc, quotes),
    created: note.createdAt,
    modified: note.updatedAt,
    'stance:doc': note.doc
  }
}

function sourceOf(article: Article): W3cSource {
  return {
    id: article.id,
    title: article.title,
    outlet: article.outlet,
    author: article.author,
    publishedAt: article.publishedAt,
    sourceUrl: article.sourceUrl,
    doc: article.doc
  }
}

/** The codes the exported passages carry plus their ancestors (so nesting survives), in codebook order. */
function usedCodebook(bundle: ExportBundle, codes: Map<string, Code>): W3cCodebookEntry[] {
  const used = new Set<string>()
  for (const { highlights } of bundle.articles) {
    for (const highlight of highlights) {
      for (const id of highlight.codeIds) {
        // Walks up to the root; the visited check also stops a (corrupt) cycle.
        for (let code = codes.get(id); code && !used.has(code.id); code = code.parentId ? codes.get(code.parentId) : undefined) used.add(code.id)
      }
    }
  }
  return bundle.codes
    .filter((code) => used.has(code.id))
    .map((code) => ({
      id: code.id,
      name: code.name,
      color: code.color,
      description: code.description,
      parentId: code.parentId,
      sortOrder: code.sortOrder,
      shortcut: code.shortcut,
      groupKind: code.groupKind,
      dictionary: code.dictionary
    }))
}

function collectionLabel(bundle: ExportBundle): string {
  const [only] = bundle.articles
  if (bundle.articles.length === 1 && only) return `Stance annotations: ${only.article.title}`
  return `Stance annotations: ${bundle.articles.length} articles`
}

// Namespace for the name-based collection id; any fixed UUID works, it only has to stay the same.
const COLLECTION_NAMESPACE = '5d2c0c6e-3b1a-4f5e-9a57-2f1c8e4b7d10'

/**
 * A name-based (version 5) UUID of what was exported and when: exporting the same bundle twice gives the
 * same id, so files can be compared and tests stay deterministic, while different exports differ.
 */
function collectionId(bundle: ExportBundle): string {
  const name = JSON.stringify([bundle.exportedAt, bundle.articles.map((a) => [a.article.id, a.highlights.map((h) => h.id)])])
  const hash = createHash('sha1')
    .update(Buffer.from(COLLECTION_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
