import { createHash } from 'node:crypto'
import { strToU8, zipSync, type Zippable } from 'fflate'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { Note } from '../../shared/domain/note'
import type { ExportArticle, ExportBundle } from '../../shared/export/export-bundle'

/** The default namespace of a REFI-QDA project document. */
export const QDA_PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0'

/** What the analyst chose in the export dialog. */
export interface QdpxOptions {
  /** Only these codes (plus their ancestors, so nesting holds); all codes when absent. */
  codeIds?: string[]
  /** Whether highlight notes and article memos are exported; true when absent. */
  includeNotes?: boolean
  /** The project name importers show; a dated default when absent or blank. */
  projectName?: string
}

/** One plain-text source file of the archive. */
export interface QdpxSourceFile {
  /** The TextSource's GUID, which also names the file. */
  guid: string
  /** Path inside the zip: `sources/<guid>.txt`. */
  path: string
  /** The text written (LF line ends, no BOM); selection offsets count code points over exactly this. */
  text: string
}

/** The project document and the source files it points at, before zipping. */
export interface QdpxProject {
  xml: string
  sources: QdpxSourceFile[]
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const COLOR = /^#[0-9a-fA-F]{6}$/
const SELECTION_NAME_LENGTH = 60
const DEFAULT_USER_NAME = 'Stance user'
// Fixed namespace for name-based (v5) GUIDs, so the same export input always yields the same GUIDs.
const STANCE_GUID_NAMESPACE = '44b16ec8-cf5d-4559-8bbb-6c55abf5fcc0'

/** A name-based UUID (version 5, SHA-1) in Stance's namespace: stable across runs for the same name. */
export function nameGuid(name: string): string {
  const namespace = Buffer.from(STANCE_GUID_NAMESPACE.replace(/-/g, ''), 'hex')
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The GUID of an entity: its own id when that is already a GUID, otherwise one derived from it. */
function guidOf(kind: string, id: string): string {
  return GUID.test(id) ? id.toLowerCase() : nameGuid(`${kind}:${id}`)
}

/** Whether a code point may appear in an XML 1.0 document. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  )
}

/** Drops what XML 1.0 cannot carry at all (stray controls, lone surrogates, U+FFFE/U+FFFF); no escape can save them. */
export function xmlSafe(value: string): string {
  let out = ''
  // for…of walks code points, so a lone surrogate arrives on its own and fails isXmlChar.
  for (const ch of value) if (isXmlChar(ch.codePointAt(0)!)) out += ch
  return out
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' }

/** An attribute value: tab and line ends are escaped too, since attribute-value normalisation would turn them into spaces. */
function escapeAttribute(value: string): string {
  return xmlSafe(value).replace(/[&<>"'\t\n\r]/g, (ch) => ESCAPES[ch]!)
}

/** Element text; line ends are normalised to LF first, as the format asks for LF everywhere. */
function escapeText(value: string): string {
  return xmlSafe(value.replace(/\r\n?/g, '\n')).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)
}

/** An xs:dateTime in UTC with Z; falls back when the stored value does not parse or is outside years 1–9999. */
function dateTime(value: string | null | undefined, fallback: string): string {
  const time = value ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) return fallback
  const date = new Date(time)
  const year = date.getUTCFullYear()
  return year >= 1 && year <= 9999 ? date.toISOString() : fallback
}

/** A source text as written to the archive, and where each old code-point offset lands in it. */
interface SourceText {
  text: string
  /** Offset map over code points (length + 1 entries), or null when nothing moved. */
  offsets: number[] | null
}

/**
 * LF line ends and no leading BOM, as importers count offsets over the file they read. CRLF collapses
 * onto its LF, so offsets move; the map keeps every selection on the same characters.
 */
function sourceText(text: string): SourceText {
  if (!text.includes('\r') && !text.startsWith('\uFEFF')) return { text, offsets: null }
  const chars = Array.from(text)
  const offsets: number[] = []
  let out = ''
  let written = 0
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    offsets.push(written)
    if ((i === 0 && ch === '\uFEFF') || (ch === '\r' && chars[i + 1] === '\n')) continue
    out += ch === '\r' ? '\n' : ch
    written++
  }
  offsets.push(written)
  return { text: out, offsets }
}

/** A one-line label for a quote: whitespace collapsed, at most SELECTION_NAME_LENGTH code points. */
function shortLabel(text: string): string {
  const chars = Array.from(xmlSafe(text).replace(/\s+/g, ' ').trim())
  return chars.length <= SELECTION_NAME_LENGTH ? chars.join('') : `${chars.slice(0, SELECTION_NAME_LENGTH - 1).join('').trimEnd()}…`
}

/** Builds element markup line by line with two-space indentation. */
class XmlWriter {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="utf-8"?>']
  private depth = 0

  private tag(name: string, attrs: Attrs): string {
    let out = `<${name}`
    for (const [key, value] of attrs) if (value !== undefined) out += ` ${key}="${escapeAttribute(String(value))}"`
    return out
  }

  open(name: string, attrs: Attrs = []): void {
    this.lines.push(`${'  '.repeat(this.depth)}${this.tag(name, attrs)}>`)
    this.depth++
  }

  close(name: string): void {
    this.depth--
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`)
  }

  empty(name: string, attrs: Attrs): void {
    this.lines.push(`${'  '.repeat(this.depth)}${this.tag(name, attrs)}/>`)
  }

  text(name: string, value: string, attrs: Attrs = []): void {
    this.lines.push(`${'  '.repeat(this.depth)}${this.tag(name, attrs)}>${escapeText(value)}</${name}>`)
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`
  }
}

type Attrs = Array<[string, string | number | undefined]>

/** The codes to write: the chosen ones plus their ancestors, as a forest ordered by sortOrder. */
function codeForest(codes: Code[], codeIds: string[] | undefined): { roots: Code[]; children: Map<string, Code[]>; chosen: Set<string> } {
  const byId = new Map(codes.map((code) => [code.id as string, code]))
  const chosen = new Set(codeIds === undefined ? byId.keys() : codeIds.filter((id) => byId.has(id)))
  const included = new Set<string>()
  for (const id of chosen) {
    // Walk up to the root; the visited check stops on a corrupt parent cycle.
    for (let code = byId.get(id); code && !included.has(code.id); code = code.parentId ? byId.get(code.parentId) : undefined) included.add(code.id)
  }
  const order = new Map(codes.map((code, index) => [code.id as string, index]))
  const bySortOrder = (a: Code, b: Code): number => a.sortOrder - b.sortOrder || order.get(a.id)! - order.get(b.id)!
  const roots: Code[] = []
  const children = new Map<string, Code[]>()
  for (const code of codes) {
    if (!included.has(code.id)) continue
    const parent = code.parentId && included.has(code.parentId) ? code.parentId : null
    if (parent === null) roots.push(code)
    else children.set(parent, [...(children.get(parent) ?? []), code])
  }
  roots.sort(bySortOrder)
  for (const list of children.values()) list.sort(bySortOrder)
  // A parent cycle leaves codes unreachable from any root; they are written as roots rather than lost.
  const reachable = new Set<string>()
  const visit = (code: Code): void => {
    if (reachable.has(code.id)) return
    reachable.add(code.id)
    for (const child of children.get(code.id) ?? []) visit(child)
  }
  roots.forEach(visit)
  for (const code of codes) {
    if (included.has(code.id) && !reachable.has(code.id)) {
      for (const list of children.values()) {
        const at = list.indexOf(code)
        if (at >= 0) list.splice(at, 1)
      }
      roots.push(code)
      visit(code)
    }
  }
  return { roots, children, chosen }
}

/** A note worth writing: one with some text. */
function hasText(note: Note | null | undefined): note is Note {
  return !!note && xmlSafe(note.plain).trim().length > 0
}

/** The article's bibliographic fields as a plain-text description, or null when it has none. */
function articleDescription(article: Article): string | null {
  const lines = [
    article.outlet ? `Outlet: ${article.outlet}` : null,
    article.author ? `Author: ${article.author}` : null,
    article.publishedAt ? `Published: ${article.publishedAt}` : null,
    article.sourceUrl ? `URL: ${article.sourceUrl}` : null
  ].filter((line): line is string => line !== null)
  return lines.length > 0 ? lines.join('\n') : null
}

/** A highlight placed in the written source text, with the codes it carries in this export. */
interface Selection {
  highlight: Highlight
  start: number
  end: number
  codeIds: string[]
  note: Note | null
}

function selectionsOf(entry: ExportArticle, source: SourceText, length: number, chosen: Set<string>, includeNotes: boolean): Selection[] {
  const selections: Selection[] = []
  for (const highlight of entry.highlights) {
    const codeIds = [...new Set<string>(highlight.codeIds)].filter((id) => chosen.has(id))
    if (codeIds.length === 0) continue
    const clamp = (offset: number): number => Math.min(Math.max(0, Math.trunc(offset)), length)
    let start = clamp(highlight.start)
    let end = clamp(highlight.end)
    if (source.offsets) {
      start = source.offsets[start]!
      end = source.offsets[end]!
    }
    if (end <= start) continue
    const note = includeNotes ? entry.notes[highlight.id] : null
    selections.push({ highlight, start, end, codeIds, note: hasText(note) ? note : null })
  }
  return selections
}

/** The project.qde document and the source files for a bundle; pure, so tests can read the XML directly. */
export function buildProjectXml(bundle: ExportBundle, options: QdpxOptions = {}): QdpxProject {
  const includeNotes = options.includeNotes !== false
  const exportedAt = dateTime(bundle.exportedAt, new Date().toISOString())
  const userName = bundle.analyst.trim() || DEFAULT_USER_NAME
  const user = nameGuid(`user:${userName}`)
  const projectName = options.projectName?.trim() || `Stance export ${exportedAt.slice(0, 10)}`
  const { roots, children, chosen } = codeForest(bundle.codes, options.codeIds)
  const codeGuid = new Map(bundle.codes.map((code) => [code.id as string, guidOf('code', code.id)]))

  const xml = new XmlWriter()
  xml.open('Project', [
    ['xmlns', QDA_PROJECT_NAMESPACE],
    ['name', projectName],
    ['origin', `Stance ${bundle.app.version}`],
    ['creatingUserGUID', user],
    ['creationDateTime', exportedAt]
  ])

  xml.open('Users')
  xml.empty('User', [
    ['guid', user],
    ['name', userName]
  ])
  xml.close('Users')

  // CodeBook requires at least one Code, so an empty selection leaves it out entirely.
  if (roots.length > 0) {
    const writeCode = (code: Code): void => {
      const description = xmlSafe(code.description).trim()
      const kids = children.get(code.id) ?? []
      const attrs: Attrs = [
        ['guid', codeGuid.get(code.id)],
        ['name', code.name],
        // Groups are REFI-QDA's grouping folders: they hold codes and are never applied.
        ['isCodable', code.groupKind ? 'false' : 'true'],
        ['color', COLOR.test(code.color) ? code.color.toUpperCase() : undefined]
      ]
      if (!description && kids.length === 0) return xml.empty('Code', attrs)
      xml.open('Code', attrs)
      if (description) xml.text('Description', description)
      kids.forEach(writeCode)
      xml.close('Code')
    }
    xml.open('CodeBook')
    xml.open('Codes')
    roots.forEach(writeCode)
    xml.close('Codes')
    xml.close('CodeBook')
  }

  const sources: QdpxSourceFile[] = []
  const notes: Array<{ guid: string; name: string; note: Note }> = []
  if (bundle.articles.length > 0) xml.open('Sources')
  for (const entry of bundle.articles) {
    const { article } = entry
    const guid = guidOf('article', article.id)
    const source = sourceText(article.text)
    sources.push({ guid, path: `sources/${guid}.txt`, text: source.text })
    const selections = selectionsOf(entry, source, Array.from(article.text).length, chosen, includeNotes)
    const memo = includeNotes && hasText(entry.memo) ? entry.memo : null
    const description = articleDescription(article)
    const created = dateTime(article.createdAt, exportedAt)
    const modified = dateTime(article.updatedAt, created)
    const attrs: Attrs = [
      ['guid', guid],
      ['name', article.title || 'Untitled article'],
      ['plainTextPath', `internal://${guid}.txt`],
      ['creatingUser', user],
      ['creationDateTime', created],
      ['modifyingUser', modified !== created ? user : undefined],
      ['modifiedDateTime', modified !== created ? modified : undefined]
    ]
    if (!description && selections.length === 0 && !memo) {
      xml.empty('TextSource', attrs)
      continue
    }
    xml.open('TextSource', attrs)
    if (description) xml.text('Description', description)
    for (const selection of selections) {
      const { highlight } = selection
      const selectionCreated = dateTime(highlight.createdAt, exportedAt)
      const selectionModified = dateTime(highlight.updatedAt, selectionCreated)
      xml.open('PlainTextSelection', [
        ['guid', guidOf('highlight', highlight.id)],
        ['name', shortLabel(highlight.exact)],
        ['startPosition', selection.start],
        ['endPosition', selection.end],
        ['creatingUser', user],
        ['creationDateTime', selectionCreated],
        ['modifyingUser', selectionModified !== selectionCreated ? user : undefined],
        ['modifiedDateTime', selectionModified !== selectionCreated ? selectionModified : undefined]
      ])
      for (const codeId of selection.codeIds) {
        // Derived from highlight and code, so a Coding keeps its GUID across exports of the same data.
        xml.open('Coding', [
          ['guid', nameGuid(`coding:${highlight.id}:${codeId}`)],
          ['creatingUser', user],
          ['creationDateTime', selectionCreated]
        ])
        xml.empty('CodeRef', [['targetGUID', codeGuid.get(codeId)]])
        xml.close('Coding')
      }
      if (selection.note) {
        const noteGuid = guidOf('note', selection.note.id)
        xml.empty('NoteRef', [['targetGUID', noteGuid]])
        notes.push({ guid: noteGuid, name: `Note: ${shortLabel(highlight.exact)}`, note: selection.note })
      }
      xml.close('PlainTextSelection')
    }
    if (memo) {
      const noteGuid = guidOf('note', memo.id)
      xml.empty('NoteRef', [['targetGUID', noteGuid]])
      notes.push({ guid: noteGuid, name: `Memo: ${shortLabel(article.title || 'Untitled article')}`, note: memo })
    }
    xml.close('TextSource')
  }
  if (bundle.articles.length > 0) xml.close('Sources')

  if (notes.length > 0) {
    xml.open('Notes')
    for (const { guid, name, note } of notes) {
      const created = dateTime(note.createdAt, exportedAt)
      const modified = dateTime(note.updatedAt, created)
      xml.open('Note', [
        ['guid', guid],
        ['name', name],
        ['creatingUser', user],
        ['creationDateTime', created],
        ['modifyingUser', modified !== created ? user : undefined],
        ['modifiedDateTime', modified !== created ? modified : undefined]
      ])
      xml.text('PlainTextContent', note.plain)
      xml.close('Note')
    }
    xml.close('Notes')
  }

  xml.close('Project')
  return { xml: xml.toString(), sources }
}

/** A REFI-QDA project archive (.qdpx): project.qde plus one UTF-8 text file per article under sources/. */
export function exportQdpx(bundle: ExportBundle, options: QdpxOptions = {}): Uint8Array {
  const { xml, sources } = buildProjectXml(bundle, options)
  const stamp = Date.parse(bundle.exportedAt)
  // Zip timestamps cannot predate 1980; the export time keeps archives of the same data byte-identical.
  const mtime = Number.isNaN(stamp) || stamp < Date.UTC(1980, 0, 2) ? new Date() : new Date(stamp)
  // Flat keys rather than a nested object: fflate would otherwise add a `sources/` directory entry.
  const files: Zippable = { 'project.qde': strToU8(xml) }
  for (const source of sources) files[source.path] = strToU8(source.text)
  return zipSync(files, { level: 6, mtime })
}
