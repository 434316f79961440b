import { JSDOM } from 'jsdom'

// Test helper: the rules of the REFI-QDA Project schema (Project.xsd, QDA-XML 1.0 of 18 March 2019, MIT
// licensed) for the part of it Stance writes, plus the identity rules the REFI-QDA 1.5 text states but the
// schema does not declare (it has no xs:key/xs:keyref). Elements the schema allows but Stance never writes
// (Variables, Cases, Links, Sets, Graphs, other source kinds, VariableValue) are reported as not covered
// rather than passed unchecked.

/** The target namespace of Project.xsd; every element must be in it (elementFormDefault="qualified"). */
export const QDA_PROJECT_NS = 'urn:QDA-XML:project:1.0'

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'
const XSI_ATTRIBUTES = new Set(['type', 'nil', 'schemaLocation', 'noNamespaceSchemaLocation'])

/** Simple types used by the attributes we check; `position` is xs:integer plus the spec's "from 0". */
type SimpleType = 'string' | 'GUID' | 'RGB' | 'boolean' | 'integer' | 'position' | 'dateTime'

interface AttributeRule {
  type: SimpleType
  required?: boolean
}

type TypeName =
  | 'ProjectType'
  | 'UsersType'
  | 'UserType'
  | 'CodeBookType'
  | 'CodesType'
  | 'CodeType'
  | 'SourcesType'
  | 'TextSourceType'
  | 'PlainTextSelectionType'
  | 'CodingType'
  | 'CodeRefType'
  | 'NoteRefType'
  | 'NotesType'
  | 'xsd:string'
  | 'uncovered'

interface Particle {
  name: string
  type: TypeName
  min: number
  max: number
}

type Content =
  | { kind: 'empty' }
  | { kind: 'text' }
  | { kind: 'sequence'; particles: Particle[] }
  | { kind: 'choice'; min: number; max: number; options: Particle[] }

interface ComplexType {
  attributes: Record<string, AttributeRule>
  content: Content
}

const UNBOUNDED = Number.POSITIVE_INFINITY

function el(name: string, type: TypeName, min = 1, max = 1): Particle {
  return { name, type, min, max }
}

const optional = (name: string, type: TypeName): Particle => el(name, type, 0, 1)
const many = (name: string, type: TypeName): Particle => el(name, type, 0, UNBOUNDED)
const some = (name: string, type: TypeName): Particle => el(name, type, 1, UNBOUNDED)

const AUDIT: Record<string, AttributeRule> = {
  creatingUser: { type: 'GUID' },
  creationDateTime: { type: 'dateTime' },
  modifyingUser: { type: 'GUID' },
  modifiedDateTime: { type: 'dateTime' }
}

const TYPES: Record<Exclude<TypeName, 'uncovered'>, ComplexType> = {
  ProjectType: {
    attributes: {
      name: { type: 'string', required: true },
      origin: { type: 'string' },
      creatingUserGUID: { type: 'GUID' },
      creationDateTime: { type: 'dateTime' },
      modifyingUserGUID: { type: 'GUID' },
      modifiedDateTime: { type: 'dateTime' },
      basePath: { type: 'string' }
    },
    content: {
      kind: 'sequence',
      particles: [
        optional('Users', 'UsersType'),
        optional('CodeBook', 'CodeBookType'),
        optional('Variables', 'uncovered'),
        optional('Cases', 'uncovered'),
        optional('Sources', 'SourcesType'),
        optional('Notes', 'NotesType'),
        optional('Links', 'uncovered'),
        optional('Sets', 'uncovered'),
        optional('Graphs', 'uncovered'),
        optional('Description', 'xsd:string'),
        many('NoteRef', 'NoteRefType')
      ]
    }
  },
  UsersType: { attributes: {}, content: { kind: 'sequence', particles: [some('User', 'UserType')] } },
  UserType: {
    attributes: { guid: { type: 'GUID', required: true }, name: { type: 'string' }, id: { type: 'string' } },
    content: { kind: 'empty' }
  },
  CodeBookType: { attributes: {}, content: { kind: 'sequence', particles: [el('Codes', 'CodesType')] } },
  CodesType: { attributes: {}, content: { kind: 'sequence', particles: [some('Code', 'CodeType')] } },
  CodeType: {
    attributes: {
      guid: { type: 'GUID', required: true },
      name: { type: 'string', required: true },
      isCodable: { type: 'boolean', required: true },
      color: { type: 'RGB' }
    },
    content: { kind: 'sequence', particles: [optional('Description', 'xsd:string'), many('NoteRef', 'NoteRefType'), many('Code', 'CodeType')] }
  },
  SourcesType: {
    attributes: {},
    content: {
      kind: 'choice',
      min: 1,
      max: UNBOUNDED,
      options: [el('TextSource', 'TextSourceType'), el('PictureSource', 'uncovered'), el('PDFSource', 'uncovered'), el('AudioSource', 'uncovered'), el('VideoSource', 'uncovered')]
    }
  },
  TextSourceType: {
    attributes: {
      guid: { type: 'GUID', required: true },
      name: { type: 'string' },
      richTextPath: { type: 'string' },
      plainTextPath: { type: 'string' },
      ...AUDIT
    },
    content: {
      kind: 'sequence',
      particles: [
        optional('Description', 'xsd:string'),
        optional('PlainTextContent', 'xsd:string'),
        many('PlainTextSelection', 'PlainTextSelectionType'),
        many('Coding', 'CodingType'),
        many('NoteRef', 'NoteRefType'),
        many('VariableValue', 'uncovered')
      ]
    }
  },
  PlainTextSelectionType: {
    attributes: {
      guid: { type: 'GUID', required: true },
      name: { type: 'string' },
      startPosition: { type: 'position', required: true },
      endPosition: { type: 'position', required: true },
      ...AUDIT
    },
    content: { kind: 'sequence', particles: [optional('Description', 'xsd:string'), many('Coding', 'CodingType'), many('NoteRef', 'NoteRefType')] }
  },
  CodingType: {
    attributes: { guid: { type: 'GUID', required: true }, creatingUser: { type: 'GUID' }, creationDateTime: { type: 'dateTime' } },
    content: { kind: 'sequence', particles: [el('CodeRef', 'CodeRefType'), many('NoteRef', 'NoteRefType')] }
  },
  CodeRefType: { attributes: { targetGUID: { type: 'GUID', required: true } }, content: { kind: 'empty' } },
  NoteRefType: { attributes: { targetGUID: { type: 'GUID', required: true } }, content: { kind: 'empty' } },
  // The schema types Note as TextSourceType: a note is a small text source.
  NotesType: { attributes: {}, content: { kind: 'sequence', particles: [some('Note', 'TextSourceType')] } },
  'xsd:string': { attributes: {}, content: { kind: 'text' } }
}

/** Which element kind each reference attribute must point at. */
const REFERENCES: Record<string, Record<string, string>> = {
  ProjectType: { creatingUserGUID: 'User', modifyingUserGUID: 'User' },
  TextSourceType: { creatingUser: 'User', modifyingUser: 'User' },
  PlainTextSelectionType: { creatingUser: 'User', modifyingUser: 'User' },
  CodingType: { creatingUser: 'User' },
  CodeRefType: { targetGUID: 'Code' },
  NoteRefType: { targetGUID: 'Note' }
}

const GUID_PATTERN = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$/
const RGB_PATTERN = /^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$/
const DATE_TIME = /^(-?(?:[1-9]\d{3,}|0\d{3}))-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2}))?$/

// Every type here except xs:string is derived from xs:token or fixes whiteSpace="collapse": values are
// compared after collapsing, as a schema validator would.
function collapse(value: string): string {
  return value.replace(/[\t\n\r ]+/g, ' ').trim()
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value)
  if (!match) return false
  const [, y, mo, d, h, mi, s, fraction, zone, zh, zm] = match
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  const midnight = hour === 24 && minute === 0 && second === 0 && !/[1-9]/.test(fraction ?? '')
  if ((hour > 23 && !midnight) || minute > 59 || second > 59) return false
  if (zone && zone !== 'Z') {
    const zoneHours = Number(zh)
    const zoneMinutes = Number(zm)
    if (zoneMinutes > 59 || zoneHours > 14 || (zoneHours === 14 && zoneMinutes !== 0)) return false
  }
  return true
}

/** Why a value is not of the type, or null when it is. */
function simpleTypeError(type: SimpleType, raw: string): string | null {
  if (type === 'string') return null
  const value = collapse(raw)
  switch (type) {
    case 'GUID':
      return GUID_PATTERN.test(value) ? null : 'is not a GUIDType (8-4-4-4-12 hex digits, optionally in braces)'
    case 'RGB':
      return RGB_PATTERN.test(value) ? null : 'is not an RGBType (#RRGGBB or #RGB)'
    case 'boolean':
      return /^(?:true|false|1|0)$/.test(value) ? null : 'is not an xs:boolean'
    case 'integer':
      return /^[+-]?\d+$/.test(value) ? null : 'is not an xs:integer'
    case 'position':
      if (!/^[+-]?\d+$/.test(value)) return 'is not an xs:integer'
      return Number(value) >= 0 ? null : 'is a negative position (positions count from 0)'
    case 'dateTime':
      return isDateTime(value) ? null : 'is not an xs:dateTime'
  }
}

/** GUIDs name the same thing regardless of letter case and braces. */
function guidKey(value: string): string {
  return collapse(value).replace(/^\{|\}$/g, '').toLowerCase()
}

/** Extra inputs for checks the XML alone cannot answer. */
export interface RefiQdaCheckOptions {
  /** The archive's files by path (e.g. `sources/<guid>.txt` → text); enables plainTextPath and offset checks. */
  files?: Record<string, string>
}

interface Reference {
  path: string
  attribute: string
  value: string
  kind: string
}

interface SelectionRange {
  path: string
  start: number
  end: number
  /** Code-point length of the enclosing source's text, when known. */
  sourceLength: number | null
}

const ELEMENT_NODE = 1
const TEXT_NODE = 3
const CDATA_SECTION_NODE = 4

/** Walks one document; collects errors and the identities and references to resolve at the end. */
class Checker {
  readonly errors: string[] = []
  private readonly guids = new Map<string, { kind: string; path: string }>()
  private readonly codable = new Map<string, boolean>()
  private readonly references: Reference[] = []
  private readonly selections: SelectionRange[] = []

  constructor(private readonly files: Record<string, string> | undefined) {}

  private fail(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`)
  }

  element(node: Element, typeName: TypeName, path: string, sourceLength: number | null): void {
    if (typeName === 'uncovered') {
      this.fail(path, `<${node.localName}> is allowed by the schema but not covered by this validator (Stance never writes it)`)
      return
    }
    const type = TYPES[typeName]
    this.attributes(node, type, typeName, path)
    if (typeName === 'TextSourceType') sourceLength = this.textSource(node, path)
    if (typeName === 'PlainTextSelectionType') this.selection(node, path, sourceLength)
    const matched = this.content(node, type.content, path)
    for (const [child, childType, childPath] of matched) this.element(child, childType, childPath, sourceLength)
  }

  private attributes(node: Element, type: ComplexType, typeName: TypeName, path: string): void {
    for (const attr of Array.from(node.attributes)) {
      if (attr.namespaceURI === XMLNS_NS) continue
      if (attr.namespaceURI === XSI_NS && XSI_ATTRIBUTES.has(attr.localName)) continue
      if (attr.namespaceURI !== null) {
        this.fail(path, `attribute ${attr.name} (namespace ${attr.namespaceURI}) is not allowed`)
        continue
      }
      const rule = type.attributes[attr.localName]
      if (!rule) {
        this.fail(path, `unknown attribute ${attr.localName} on <${node.localName}>`)
        continue
      }
      const problem = simpleTypeError(rule.type, attr.value)
      if (problem) this.fail(path, `@${attr.localName}="${attr.value}" ${problem}`)
    }
    for (const [name, rule] of Object.entries(type.attributes)) {
      if (rule.required && !node.hasAttributeNS(null, name)) this.fail(path, `required attribute ${name} is missing on <${node.localName}>`)
    }
    const guid = node.getAttributeNS(null, 'guid')
    if (guid !== null && GUID_PATTERN.test(collapse(guid))) {
      const key = guidKey(guid)
      const earlier = this.guids.get(key)
      if (earlier) this.fail(path, `guid ${guid} is already used by ${earlier.path}`)
      else this.guids.set(key, { kind: node.localName, path })
      if (node.localName === 'Code') this.codable.set(key, /^(?:true|1)$/.test(collapse(node.getAttributeNS(null, 'isCodable') ?? '')))
    }
    for (const [attribute, kind] of Object.entries(REFERENCES[typeName] ?? {})) {
      const value = node.getAttributeNS(null, attribute)
      if (value !== null && GUID_PATTERN.test(collapse(value))) this.references.push({ path, attribute, value, kind })
    }
  }

  /** The schema's comment rule (PlainTextContent or plainTextPath, not both) and the archive checks; returns the text length. */
  private textSource(node: Element, path: string): number | null {
    const content = Array.from(node.children).find((child) => child.localName === 'PlainTextContent' && child.namespaceURI === QDA_PROJECT_NS)
    const hasContent = content !== undefined
    const plainTextPath = node.getAttributeNS(null, 'plainTextPath')
    if (hasContent && plainTextPath !== null) this.fail(path, `<${node.localName}> has both PlainTextContent and plainTextPath; the schema allows only one`)
    if (!hasContent && plainTextPath === null) this.fail(path, `<${node.localName}> needs PlainTextContent or plainTextPath`)
    const richTextPath = node.getAttributeNS(null, 'richTextPath')
    if (richTextPath !== null && /\.txt$/i.test(richTextPath)) this.fail(path, `richTextPath must not point at a .txt file (${richTextPath})`)
    if (content) return Array.from(content.textContent ?? '').length
    if (plainTextPath === null || !this.files) return null
    const match = /^internal:\/\/([^/\\]+)$/.exec(plainTextPath)
    if (!match) {
      this.fail(path, `plainTextPath ${plainTextPath} is not an internal:// path to a file in sources/`)
      return null
    }
    const text = this.files[`sources/${match[1]}`]
    if (text === undefined) {
      this.fail(path, `plainTextPath ${plainTextPath} names no file sources/${match[1]} in the archive`)
      return null
    }
    return Array.from(text).length
  }

  private selection(node: Element, path: string, sourceLength: number | null): void {
    const start = collapse(node.getAttributeNS(null, 'startPosition') ?? '')
    const end = collapse(node.getAttributeNS(null, 'endPosition') ?? '')
    if (/^\+?\d+$/.test(start) && /^\+?\d+$/.test(end)) this.selections.push({ path, start: Number(start), end: Number(end), sourceLength })
  }

  /** Checks the children against the content model; returns the element children that matched, with their types. */
  private content(node: Element, content: Content, path: string): Array<[Element, TypeName, string]> {
    const children: Element[] = []
    let text = ''
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === ELEMENT_NODE) {
        const element = child as Element
        if (element.namespaceURI !== QDA_PROJECT_NS) {
          this.fail(path, `<${element.nodeName}> is not in the ${QDA_PROJECT_NS} namespace (found ${element.namespaceURI ?? 'no namespace'})`)
        } else children.push(element)
      } else if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += child.nodeValue ?? ''
    }
    if (content.kind === 'text') {
      for (const child of children) this.fail(path, `<${node.localName}> holds text only, not <${child.localName}>`)
      return []
    }
    if (content.kind === 'empty') {
      if (children.length > 0 || text.length > 0) this.fail(path, `<${node.localName}> must be empty`)
      return []
    }
    if (text.trim().length > 0) this.fail(path, `<${node.localName}> holds elements only, not text ("${text.trim().slice(0, 40)}")`)
    const counters = new Map<string, number>()
    const childPath = (child: Element): string => {
      const n = (counters.get(child.localName) ?? 0) + 1
      counters.set(child.localName, n)
      return `${path}/${child.localName}[${n}]`
    }
    const matched: Array<[Element, TypeName, string]> = []
    if (content.kind === 'choice') {
      if (children.length < content.min) this.fail(path, `<${node.localName}> needs at least ${content.min} of ${content.options.map((o) => `<${o.name}>`).join(', ')}`)
      for (const child of children) {
        const option = content.options.find((o) => o.name === child.localName)
        const at = childPath(child)
        if (option) matched.push([child, option.type, at])
        else this.fail(at, `unexpected element <${child.localName}> in <${node.localName}>`)
      }
      return matched
    }
    const particles = content.particles
    const missing = (particle: Particle): void => this.fail(path, `<${node.localName}> is missing required <${particle.name}>`)
    let current = 0
    let count = 0
    let previous: string | null = null
    for (const child of children) {
      const at = childPath(child)
      let next = current
      while (next < particles.length && particles[next]!.name !== child.localName) next++
      if (next === particles.length) {
        if (particles.some((particle) => particle.name === child.localName)) {
          this.fail(at, `<${child.localName}> is out of order in <${node.localName}>: it must come before <${previous}>`)
        } else this.fail(at, `unexpected element <${child.localName}> in <${node.localName}>`)
        continue
      }
      if (next !== current) {
        if (count < particles[current]!.min) missing(particles[current]!)
        for (let skipped = current + 1; skipped < next; skipped++) if (particles[skipped]!.min > 0) missing(particles[skipped]!)
        current = next
        count = 0
      }
      const particle = particles[current]!
      count++
      if (count > particle.max) this.fail(at, `<${node.localName}> allows at most ${particle.max} <${particle.name}>`)
      else matched.push([child, particle.type, at])
      previous = child.localName
    }
    if (particles.length > 0) {
      if (count < particles[current]!.min) missing(particles[current]!)
      for (let rest = current + 1; rest < particles.length; rest++) if (particles[rest]!.min > 0) missing(particles[rest]!)
    }
    return matched
  }

  /** Identity rules from the REFI-QDA text: every reference resolves to an element of the right kind. */
  finish(): void {
    for (const reference of this.references) {
      const key = guidKey(reference.value)
      const target = this.guids.get(key)
      if (!target) this.fail(reference.path, `@${reference.attribute}="${reference.value}" refers to no element`)
      else if (target.kind !== reference.kind) {
        this.fail(reference.path, `@${reference.attribute}="${reference.value}" must refer to a <${reference.kind}>, not to ${target.path}`)
      } else if (reference.kind === 'Code' && this.codable.get(key) === false) {
        this.fail(reference.path, `@${reference.attribute}="${reference.value}" refers to a code with isCodable="false"`)
      }
    }
    for (const selection of this.selections) {
      if (selection.end < selection.start) this.fail(selection.path, `endPosition ${selection.end} is before startPosition ${selection.start}`)
      if (selection.sourceLength !== null && selection.end > selection.sourceLength) {
        this.fail(selection.path, `endPosition ${selection.end} is past the end of the source text (${selection.sourceLength} code points)`)
      }
    }
  }
}

/** Checks a project.qde document against Project.xsd's rules for the elements Stance writes; returns the errors, none when valid. */
export function validateRefiQdaProject(xml: string, options: RefiQdaCheckOptions = {}): string[] {
  const declaration = /^\uFEFF?<\?xml\s+version\s*=\s*(["'])([^"']*)\1(?:\s+encoding\s*=\s*(["'])([^"']*)\3)?/.exec(xml)
  const errors: string[] = []
  if (declaration && declaration[2] !== '1.0') errors.push(`XML declaration: version ${declaration[2]} is not 1.0`)
  if (declaration?.[4] !== undefined && declaration[4].toLowerCase() !== 'utf-8') errors.push(`XML declaration: encoding ${declaration[4]} is not UTF-8`)
  let document: Document
  try {
    document = new JSDOM(xml, { contentType: 'application/xml' }).window.document
  } catch (error) {
    return [...errors, `not well-formed XML: ${error instanceof Error ? error.message : String(error)}`]
  }
  if (document.getElementsByTagName('parsererror').length > 0) return [...errors, 'not well-formed XML']
  if (document.doctype) errors.push('a DOCTYPE is not expected in a project document')
  const root = document.documentElement
  if (root.localName !== 'Project' || root.namespaceURI !== QDA_PROJECT_NS) {
    return [...errors, `root element must be <Project> in ${QDA_PROJECT_NS}, found <${root.localName}> in ${root.namespaceURI ?? 'no namespace'}`]
  }
  const checker = new Checker(options.files)
  checker.element(root, 'ProjectType', '/Project', null)
  checker.finish()
  return [...errors, ...checker.errors]
}
