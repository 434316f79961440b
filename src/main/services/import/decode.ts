import { importError } from './errors'

/** The largest document Stance imports, in bytes (UTF-8 for text handed over as a string). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

/** Why a document over MAX_IMPORT_BYTES is refused. */
export const TOO_BIG = 'This file is larger than 20 MB, the most Stance imports.'

/** More control characters than this share of a file's start means it is not text. */
const MAX_CONTROL_RATIO = 0.05
const SAMPLE = 64 * 1024

// C0 controls other than tab, line feed, form feed and carriage return; DEL.
function isStrayControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f
}

/** Whether the start of a file is binary: a NUL, or more than 5% stray control characters. */
function looksBinary(length: number, codeAt: (i: number) => number): boolean {
  const sample = Math.min(length, SAMPLE)
  let controls = 0
  for (let i = 0; i < sample; i++) {
    const code = codeAt(i)
    if (code === 0) return true
    if (isStrayControl(code)) controls++
  }
  return sample > 0 && controls / sample > MAX_CONTROL_RATIO
}

// windows-1252's 0x80–0x9F (0 where the byte is unassigned). Node 20's TextDecoder decodes the label as
// ISO-8859-1, turning curly quotes and dashes into C1 controls, so the table is spelled out here.
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
]

/** Decodes windows-1252 (the WHATWG mapping, which also serves for the labels latin1 and iso-8859-1). */
export function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = []
  const CHUNK = 8192
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const end = Math.min(bytes.length, offset + CHUNK)
    const codes = new Array<number>(end - offset)
    for (let i = offset; i < end; i++) {
      const byte = bytes[i]!
      codes[i - offset] = byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] || byte : byte
    }
    chunks.push(String.fromCharCode(...codes))
  }
  return chunks.join('')
}

function decodeAs(encoding: string, bytes: Uint8Array): string {
  return encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(encoding).decode(bytes)
}

/** The charset an HTML page declares in a meta tag near its start, if TextDecoder knows it. */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = decodeWindows1252(bytes.subarray(0, 4096))
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head)
  if (!match?.[1]) return null
  try {
    return new TextDecoder(match[1]).encoding
  } catch {
    return null
  }
}

function decodeBytes(bytes: Uint8Array, html: boolean): string {
  // A byte-order mark settles the encoding (and UTF-16 has NUL bytes, so it is looked for first).
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3))
  if (looksBinary(bytes.length, (i) => bytes[i]!)) throw new BinaryError()
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Not UTF-8: a page may say what it is; otherwise the common legacy encoding of Western text.
    const declared = html ? declaredCharset(bytes) : null
    if (declared) return decodeAs(declared, bytes)
    return decodeWindows1252(bytes)
  }
}

class BinaryError extends Error {}

/**
 * Turns imported content into clean text: refuses documents over 20 MB and binary files, decodes bytes
 * (byte-order mark, else UTF-8, else — for HTML — the declared charset, else windows-1252), drops a BOM,
 * normalizes line endings to "\n" and the text to NFC, and removes stray control characters (which
 * include the search-snippet markers U+0002/U+0003). Empty or whitespace-only documents are refused.
 */
export function decodeDocument(content: string | Uint8Array, options: { fileName?: string; html?: boolean } = {}): string {
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength
  if (size > MAX_IMPORT_BYTES) {
    throw importError(options.fileName, TOO_BIG)
  }
  let text: string
  try {
    if (typeof content === 'string') {
      if (looksBinary(content.length, (i) => content.charCodeAt(i))) throw new BinaryError()
      text = content
    } else {
      text = decodeBytes(content, options.html === true)
    }
  } catch (error) {
    if (error instanceof BinaryError) throw importError(options.fileName, 'This file looks binary, not text.')
    throw error
  }
  text = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n\n')
    // C0 controls but tab and newline, DEL, and C1 controls (windows-1252's unassigned bytes decode to these).
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
    .normalize('NFC')
  if (text.trim().length === 0) throw importError(options.fileName, 'This file is empty.')
  return text
}
