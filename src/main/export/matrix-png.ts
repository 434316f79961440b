import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { inflateSync } from 'node:zlib'
import type { ResvgRenderOptions, Resvg as ResvgClass } from '@resvg/resvg-js'

/** How much larger than the SVG's own size the PNG is drawn: 2× keeps text crisp on high-density screens and slides. */
export const PNG_SCALE = 2

/** The Inter faces the matrix uses (regular labels, semibold heads and counts), in the scripts the app embeds elsewhere. */
const INTER_FILES = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek'].flatMap((subset) => [400, 600].map((weight) => `inter-${subset}-${weight}-normal.woff`))

/** A rasterized picture: PNG bytes, its size in pixels, and its RGBA pixels on demand. */
export interface RenderedPng {
  png: Uint8Array
  width: number
  height: number
  pixels: () => Uint8Array
}

let fontFiles: string[] | undefined

/**
 * Rasterizes an SVG to PNG with resvg at `scale`× its size, on white. Text is set in the bundled Inter
 * (so the picture looks the same on every machine), with the system's fonts as the fallback for scripts
 * Inter lacks. resvg reads only TrueType/OpenType files and @fontsource ships WOFF, so the faces are
 * unpacked once per process into a private temporary folder.
 */
export function svgToPng(svg: string, scale = PNG_SCALE): RenderedPng {
  const require = createRequire(import.meta.url)
  // Loaded on first use: the app starts without touching the native module until a PNG is asked for.
  const { Resvg } = require('@resvg/resvg-js') as { Resvg: typeof ResvgClass }
  const options: ResvgRenderOptions = {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { fontFiles: interFontFiles(), loadSystemFonts: true, defaultFontFamily: 'Inter', sansSerifFamily: 'Inter' },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off'
  }
  const image = new Resvg(svg, options).render()
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height, pixels: () => new Uint8Array(image.pixels) }
}

function interFontFiles(): string[] {
  if (fontFiles) return fontFiles
  const require = createRequire(import.meta.url)
  const source = join(dirname(require.resolve('@fontsource/inter/package.json')), 'files')
  const folder = mkdtempSync(join(tmpdir(), 'stance-fonts-'))
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }))
  fontFiles = INTER_FILES.map((name) => {
    const path = join(folder, name.replace(/\.woff$/, '.ttf'))
    writeFileSync(path, woffToSfnt(readFileSync(join(source, name)), { family: 'Inter' }))
    return path
  })
  return fontFiles
}

/**
 * Unpacks a WOFF 1.0 font into the TrueType/OpenType file it wraps: each table inflated (zlib) unless stored
 * raw, laid out again 4-byte aligned behind a fresh table directory. With `family`, the name table also
 * gets that typographic family (name 16): @fontsource's static faces name only "Inter SemiBold" as their
 * family, so without it a renderer asked for Inter at weight 600 finds just the regular face.
 */
export function woffToSfnt(woff: Buffer, options: { family?: string } = {}): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== 0x774f4646) throw new Error('Not a WOFF 1.0 font.')
  const flavor = woff.readUInt32BE(4)
  const count = woff.readUInt16BE(12)
  const tables: { tag: number; checksum: number; data: Buffer }[] = []
  for (let i = 0; i < count; i++) {
    const entry = 44 + i * 20
    const offset = woff.readUInt32BE(entry + 4)
    const stored = woff.readUInt32BE(entry + 8)
    const length = woff.readUInt32BE(entry + 12)
    const raw = woff.subarray(offset, offset + stored)
    const data = stored < length ? inflateSync(raw) : raw
    if (data.length !== length) throw new Error('A table of the WOFF font has the wrong length.')
    const tag = woff.readUInt32BE(entry)
    if (tag === NAME_TAG && options.family) {
      const named = withTypographicFamily(data, options.family)
      tables.push({ tag, checksum: tableChecksum(named), data: named })
    } else tables.push({ tag, checksum: woff.readUInt32BE(entry + 16), data })
  }
  let searchRange = 1
  let entrySelector = 0
  while (searchRange * 2 <= count) {
    searchRange *= 2
    entrySelector++
  }
  const padded = (n: number): number => (n + 3) & ~3
  const header = 12 + 16 * count
  const out = Buffer.alloc(header + tables.reduce((sum, table) => sum + padded(table.data.length), 0))
  out.writeUInt32BE(flavor, 0)
  out.writeUInt16BE(count, 4)
  out.writeUInt16BE(searchRange * 16, 6)
  out.writeUInt16BE(entrySelector, 8)
  out.writeUInt16BE(count * 16 - searchRange * 16, 10)
  let offset = header
  tables.forEach((table, i) => {
    const record = 12 + i * 16
    out.writeUInt32BE(table.tag, record)
    out.writeUInt32BE(table.checksum, record + 4)
    out.writeUInt32BE(offset, record + 8)
    out.writeUInt32BE(table.data.length, record + 12)
    table.data.copy(out, offset)
    offset += padded(table.data.length)
  })
  return out
}

const NAME_TAG = 0x6e616d65 // 'name'
const WINDOWS_ENGLISH = [3, 1, 0x409] as const

/**
 * A format-0 name table with Windows-English records for the typographic family (16) and subfamily (17)
 * added or replaced; the subfamily is what the legacy family name (1) says beyond the family ("SemiBold").
 */
function withTypographicFamily(table: Buffer, family: string): Buffer {
  const count = table.readUInt16BE(2)
  const storage = table.readUInt16BE(4)
  const records: { ids: number[]; text: Buffer }[] = []
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12
    const ids = [0, 2, 4, 6].map((k) => table.readUInt16BE(at + k))
    const length = table.readUInt16BE(at + 8)
    const offset = storage + table.readUInt16BE(at + 10)
    records.push({ ids, text: table.subarray(offset, offset + length) })
  }
  const english = (id: number): string | undefined => {
    const record = records.find((r) => r.ids[0] === WINDOWS_ENGLISH[0] && r.ids[1] === WINDOWS_ENGLISH[1] && r.ids[2] === WINDOWS_ENGLISH[2] && r.ids[3] === id)
    return record ? Buffer.from(record.text).swap16().toString('utf16le') : undefined
  }
  const legacy = english(1) ?? family
  const subfamily = legacy.startsWith(`${family} `) ? legacy.slice(family.length + 1) : (english(2) ?? 'Regular')
  const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16()
  const kept = records.filter((r) => !(r.ids[0] === WINDOWS_ENGLISH[0] && r.ids[1] === WINDOWS_ENGLISH[1] && r.ids[2] === WINDOWS_ENGLISH[2] && (r.ids[3] === 16 || r.ids[3] === 17)))
  kept.push({ ids: [...WINDOWS_ENGLISH, 16], text: utf16be(family) }, { ids: [...WINDOWS_ENGLISH, 17], text: utf16be(subfamily) })
  // Records are sorted by platform, encoding, language, then name id.
  kept.sort((a, b) => a.ids.reduce((order, id, k) => order || id - (b.ids[k] ?? 0), 0))
  const header = 6 + kept.length * 12
  const out = Buffer.alloc(header + kept.reduce((sum, r) => sum + r.text.length, 0))
  out.writeUInt16BE(0, 0)
  out.writeUInt16BE(kept.length, 2)
  out.writeUInt16BE(header, 4)
  let offset = 0
  kept.forEach((record, i) => {
    const at = 6 + i * 12
    record.ids.forEach((id, k) => out.writeUInt16BE(id, at + k * 2))
    out.writeUInt16BE(record.text.length, at + 8)
    out.writeUInt16BE(offset, at + 10)
    record.text.copy(out, header + offset)
    offset += record.text.length
  })
  return out
}

/** The OpenType table checksum: the sum of its big-endian 32-bit words, zero-padded. */
function tableChecksum(data: Buffer): number {
  let sum = 0
  for (let i = 0; i < data.length; i += 4) {
    const word = Buffer.alloc(4)
    data.copy(word, 0, i, Math.min(i + 4, data.length))
    sum = (sum + word.readUInt32BE(0)) >>> 0
  }
  return sum
}
