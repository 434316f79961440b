import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import fc from 'fast-check'

/** Where in a payload a mutation applies: object keys and array indexes from the root. */
export type Path = readonly (string | number)[]

/**
 * One payload the fuzzer sends, with what it is meant to exercise. `unknownId` marks payloads built to name
 * ids no row has: when the schema accepts them they must be answered not-found, not skipped as valid.
 */
export class FuzzCase {
  constructor(
    readonly category: string,
    readonly where: string,
    readonly payload: unknown,
    readonly unknownId = false
  ) {}

  /** How fast-check and the failure report print the case: 10 MB strings and deep nesting abbreviated. */
  [fc.toStringMethod](): string {
    return `${this.category} at ${this.where}: ${abbreviate(this.payload)}`
  }
}

/** Nesting depth of the fuzzer's deep payloads. */
export const DEEP_LEVELS = 10_000

/** A 10 MB string, built once and shared by every payload that uses it. */
export const BIG_STRING = 'x'.repeat(10 * 1024 * 1024)

function nest(levels: number, wrap: (inner: unknown) => unknown, inner: unknown): unknown {
  let value = inner
  for (let i = 0; i < levels; i++) value = wrap(value)
  return value
}

/** `[[[…[null]…]]]`, DEEP_LEVELS arrays deep. */
export const DEEP_ARRAY = nest(DEEP_LEVELS, (inner) => [inner], null)
/** `{ a: { a: … } }`, DEEP_LEVELS objects deep. */
export const DEEP_OBJECT = nest(DEEP_LEVELS, (inner) => ({ a: inner }), 1)

/** A note document whose blocks nest `levels` deep (blockquotes, or bullet lists of list items), otherwise well-formed. */
export function deepNoteDoc(levels: number, kind: 'blockquote' | 'bulletList'): unknown {
  const paragraph = { type: 'paragraph', content: [{ type: 'text', text: 'deep' }] }
  const block =
    kind === 'blockquote'
      ? nest(levels, (inner) => ({ type: 'blockquote', content: [inner] }), paragraph)
      : nest(levels, (inner) => ({ type: 'bulletList', content: [{ type: 'listItem', content: [inner] }] }), paragraph)
  return { type: 'doc', content: [block] }
}

/** A JSON-safe deep copy (samples are plain JSON). */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Every node of a JSON value below the root, with its path. */
export function nodesOf(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const children: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : isRecord(value) ? Object.entries(value) : []
  return children.flatMap(([key, child]) => [{ path: [...path, key], value: child }, ...nodesOf(child, [...path, key])])
}

/** Paths of the objects in a JSON value, the root included. */
function objectPaths(value: unknown): Path[] {
  return [...(isRecord(value) ? [[]] : []), ...nodesOf(value).filter((n) => isRecord(n.value)).map((n) => n.path)]
}

function show(path: Path): string {
  return path.length ? path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('') : '(root)'
}

/** A copy of `root` with the node at `path` replaced (an own property, even for keys such as `__proto__`). */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value
  const copy = clone(root)
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

/** A copy of `root` without the key or array element at `path`. */
export function removeAt(root: unknown, path: Path): unknown {
  const copy = clone(root)
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1)
  else delete node[last]
  return copy
}

/**
 * `root` with an own property `key` (whose value is the JSON text `valueJson`) added to the object at `path`,
 * built by JSON.parse so that `__proto__` becomes an own key rather than the prototype.
 */
export function withOwnKey(root: unknown, path: Path, key: string, valueJson: string, first: boolean): unknown {
  const write = (node: unknown, at: Path): string => {
    if (Array.isArray(node)) return `[${node.map((child, i) => write(child, [...at, i])).join(',')}]`
    if (!isRecord(node)) return JSON.stringify(node)
    const entries = Object.entries(node).map(([k, child]) => `${JSON.stringify(k)}:${write(child, [...at, k])}`)
    if (at.length === path.length && at.every((k, i) => k === path[i])) {
      const injected = `${JSON.stringify(key)}:${valueJson}`
      if (first) entries.unshift(injected)
      else entries.push(injected)
    }
    return `{${entries.join(',')}}`
  }
  return JSON.parse(write(root, []))
}

/** Values of the wrong type for any field. */
const WRONG_TYPES: unknown[] = [undefined, null, 0, 1, -1, '', 'x', ' ', 'null', 'undefined', true, false, [], {}, [null], [{}], new Uint8Array(4), new Date(0), new Map(), new Set(), Object.create(null)]

/** Numbers that break naive code: NaN, infinities, -0, huge, unsafe, fractional and negative values. */
const SPECIAL_NUMBERS: unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  -1,
  0.5,
  -0.5,
  1e-300,
  Number.MIN_VALUE,
  -(2 ** 31),
  2 ** 31,
  2 ** 31 + 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 1,
  -(2 ** 53) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e21,
  10n ** 30n
]

/** Keys that pollute prototypes when copied naively; the fuzzer adds them as own keys. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']
/** JSON texts for the values of those keys. */
const PROTO_VALUES = ['{"polluted":true}', '{"__proto__":{"polluted":true}}', '{"prototype":{"polluted":true}}', 'null', '1', '"x"', '[]', '{}']

/** Ways to garble an id that must not find its row (or file). */
const LOOKALIKES: ((id: string) => string)[] = [
  (id) => id.toUpperCase(),
  (id) => ` ${id}`,
  (id) => `${id}\n`,
  (id) => `${id}\u0000`,
  (id) => id.slice(1),
  (id) => `${id}0`,
  (id) => `{${id}}`,
  (id) => `urn:uuid:${id}`,
  (id) => `../${id}`,
  (id) => `${id}/../stance.db`,
  (id) => `..\\..\\${id}`,
  () => 'stance.db',
  () => "' OR 1=1 --",
  () => '%',
  () => '*',
  () => '00000000-0000-0000-0000-000000000000',
  () => 'ffffffff-ffff-ffff-ffff-ffffffffffff'
]

/** What the fuzzer needs to know about a channel besides its schema. */
export interface FuzzTarget {
  /** A payload the channel's schema accepts. */
  sample: unknown
  /** Ids of rows that exist; sample leaves equal to one of them are id fields, to be swapped for unknown ids. */
  knownIds: ReadonlySet<string>
  /** Other id fields (not row ids, e.g. backup file names) and how to make well-formed ids that name nothing. */
  otherIds?: { path: Path; unknown: fc.Arbitrary<string> }[]
}

/** Malformed payloads (and payloads naming unknown ids) for one channel, built around its valid sample. */
export function fuzzCases({ sample, knownIds, otherIds = [] }: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const fields = nodesOf(sample)
  const paths = fields.map((n) => n.path)
  const objects = objectPaths(sample)
  const unknownUuid = fc.oneof(fc.uuid({ version: 4 }), fc.uuid(), fc.constant('00000000-0000-4000-8000-000000000000')).filter((id) => !knownIds.has(id))
  const idFields = [
    ...fields.filter((n) => typeof n.value === 'string' && knownIds.has(n.value)).map((n) => ({ path: n.path, value: n.value as string, unknown: unknownUuid })),
    ...otherIds.map(({ path, unknown }) => ({ path, value: String(getAt(sample, path)), unknown }))
  ]
  const ranges = objects.filter((p) => {
    const node = getAt(sample, p)
    return isRecord(node) && typeof node.start === 'number' && typeof node.end === 'number'
  })
  const anyPath = paths.length ? fc.constantFrom(...paths) : undefined
  const at = (category: string, values: fc.Arbitrary<unknown>, where = anyPath): fc.Arbitrary<FuzzCase> | undefined =>
    where && fc.tuple(where, values).map(([path, value]) => new FuzzCase(category, show(path), setAt(sample, path, value)))

  const anything = fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
    withUnicodeString: true
  })

  const arbitraries: (fc.Arbitrary<FuzzCase> | undefined)[] = [
    // The whole payload of the wrong type, or the sample wrapped or serialized.
    fc
      .constantFrom<unknown>(...WRONG_TYPES, NaN, Infinity, -0, BIG_STRING, DEEP_ARRAY, DEEP_OBJECT, [sample], JSON.stringify(sample), { payload: sample })
      .map((payload) => new FuzzCase('root-wrong-type', '(root)', payload)),
    anything.map((payload) => new FuzzCase('root-random', '(root)', payload)),
    // One field corrupted at a time.
    at('wrong-type', fc.constantFrom(...WRONG_TYPES)),
    at('random-value', anything),
    at('huge-string', fc.constant(BIG_STRING)),
    at('deep-nesting', fc.constantFrom(DEEP_ARRAY, DEEP_OBJECT)),
    at('special-number', fc.oneof(fc.constantFrom(...SPECIAL_NUMBERS), fc.double(), fc.integer({ min: -(2 ** 31), max: -1 }))),
    at('uint8array', fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constant(new Uint8Array(0)))),
    paths.length
      ? fc.constantFrom(...paths).map((path) => new FuzzCase('missing-key', show(path), removeAt(sample, path)))
      : fc.constant(new FuzzCase('missing-key', '(root)', {})),
    objects.length
      ? fc
          .tuple(fc.constantFrom(...objects), fc.oneof(fc.constantFrom('extra', 'id', 'type', 'ID', 'Id', '', ' ', 'then', 'admin', '0'), fc.string({ maxLength: 12 })), fc.jsonValue({ maxDepth: 2 }))
          .filter(([path, key]) => !Object.hasOwn(getAt(sample, path) as object, key) && !PROTO_KEYS.includes(key))
          .map(([path, key, value]) => new FuzzCase('extra-key', `${show(path)}.${key}`, withOwnKey(sample, path, key, JSON.stringify(value), false)))
      : undefined,
    objects.length
      ? fc
          .tuple(fc.constantFrom(...objects), fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...PROTO_VALUES), fc.boolean())
          .map(([path, key, value, first]) => new FuzzCase('proto-key', `${show(path)}.${key}`, withOwnKey(sample, path, key, value, first)))
      : undefined,
    // Offsets out of order or negative, wherever the sample has a { start, end } pair.
    ranges.length
      ? fc
          .tuple(
            fc.constantFrom(...ranges),
            fc.oneof(
              fc.tuple(fc.nat({ max: 2 ** 31 }), fc.nat({ max: 1000 })).map(([end, by]) => ({ start: end + by, end })),
              fc.tuple(fc.integer({ min: -(2 ** 31), max: -1 }), fc.nat()).map(([start, end]) => ({ start, end })),
              fc.tuple(fc.nat(), fc.integer({ min: -(2 ** 31), max: -1 })).map(([start, end]) => ({ start, end }))
            )
          )
          .map(([path, { start, end }]) => new FuzzCase('reversed-offsets', show(path), setAt(setAt(sample, [...path, 'start'], start), [...path, 'end'], end)))
      : undefined,
    // Ids: well-formed ids that name nothing, and look-alikes of real ones (case, padding, wrapping, paths, SQL).
    idFields.length
      ? fc.constantFrom(...idFields).chain((field) => field.unknown.map((id) => new FuzzCase('unknown-id', show(field.path), setAt(sample, field.path, id), true)))
      : undefined,
    idFields.length
      ? fc
          .tuple(fc.constantFrom(...idFields), fc.nat({ max: LOOKALIKES.length - 1 }))
          .map(([field, variant]) => new FuzzCase('id-lookalike', show(field.path), setAt(sample, field.path, LOOKALIKES[variant]!(field.value)), true))
      : undefined
  ]
  return fc.oneof(...arbitraries.filter((a): a is fc.Arbitrary<FuzzCase> => a !== undefined))
}

function getAt(root: unknown, path: Path): unknown {
  let node = root
  for (const key of path) node = (node as Record<string | number, unknown>)[key]
  return node
}

/** How deep the first-child chain of a value goes (enough to spot the fuzzer's deep payloads). */
function depthOf(value: unknown, limit = DEEP_LEVELS * 3): number {
  let depth = 0
  let node = value
  while (depth < limit && typeof node === 'object' && node !== null && !ArrayBuffer.isView(node)) {
    const first: unknown = Array.isArray(node) ? node[0] : Object.values(node)[0]
    if (first === undefined) break
    node = first
    depth++
  }
  return depth
}

/** A short, printable rendering of any payload: long strings, deep nesting and binary data abbreviated. */
export function abbreviate(value: unknown, level = 0): string {
  if (typeof value === 'string') return value.length > 60 ? `<${value.length}-char string ${JSON.stringify(value.slice(0, 12))}…>` : JSON.stringify(value)
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value !== 'object' || value === null) return String(value)
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`
  if (value instanceof Date || value instanceof Map || value instanceof Set) return `${value.constructor.name}(…)`
  const depth = depthOf(value)
  if (depth > 20) return `<${depth} levels of ${Array.isArray(value) ? 'arrays' : 'objects'}>`
  if (level >= 6) return Array.isArray(value) ? '[…]' : '{…}'
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map((item) => abbreviate(item, level + 1))
    return `[${items.join(', ')}${value.length > 5 ? `, …${value.length - 5} more` : ''}]`
  }
  const entries = Object.keys(value).map((key) => `${JSON.stringify(key)}: ${abbreviate((value as Record<string, unknown>)[key], level + 1)}`)
  return `${Object.getPrototypeOf(value) === null ? 'null-proto ' : ''}{${entries.join(', ')}}`
}

/** Tables whose rows make up the library's content: everything but full-text indexes and their shadow tables. */
export function contentTables(db: Database.Database): string[] {
  const tables = db.prepare<[], { name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name)
  return tables.map((t) => t.name).filter((name) => !virtual.includes(name) && !virtual.some((v) => name.startsWith(`${v}_`)))
}

/** A hash of every row of each content table (and of the schema version), for before/after comparisons. */
export function storeDigest(db: Database.Database): Record<string, string> {
  const digests: Record<string, string> = {}
  for (const name of contentTables(db)) {
    const rows = db
      .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
      .raw()
      .all()
      .map((row) => JSON.stringify(row))
      .sort()
    digests[name] = createHash('sha256').update(`${rows.length}\u0000${rows.join('\n')}`).digest('hex')
  }
  digests['(user_version)'] = String(db.pragma('user_version', { simple: true }))
  return digests
}

/** The tables whose content differs between two digests. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name]).sort()
}

/** Every id in the content tables' `id` columns. */
export function storedIds(db: Database.Database): Set<string> {
  const ids = new Set<string>()
  for (const name of contentTables(db)) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info("${name.replaceAll('"', '""')}")`).all()
    if (!columns.some((c) => c.name === 'id')) continue
    for (const id of db.prepare(`SELECT id FROM "${name.replaceAll('"', '""')}"`).pluck().all()) ids.add(String(id))
  }
  return ids
}
