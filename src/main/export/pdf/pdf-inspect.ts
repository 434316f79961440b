import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib'
import { AnnotationMode, getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** A run of text as pdf.js places it: its string and its box in PDF user space. */
export interface TextRun {
  page: number
  str: string
  x: number
  y: number
  width: number
  height: number
}

/** One drawn glyph: its text and its centre point. */
export interface Glyph {
  page: number
  unicode: string
  x: number
  y: number
}

/** An annotation as pdf.js reads it. */
export interface InspectedAnnotation {
  page: number
  subtype: string
  /** pdf.js's id (the object reference). */
  id: string
  /** The annotation's /NM, read with pdf-lib since pdf.js does not expose it. */
  name: string
  color: [number, number, number] | null
  contents: string
  author: string
  quadPoints: number[]
  rect: number[]
  hasAppearance: boolean
  popupRef: string | null
}

/** Everything a test wants to know about a PDF, read with pdf.js (what Firefox and Zotero render with). */
export interface InspectedPdf {
  pages: number
  /** Every glyph pdf.js draws, with the point a third of the way up its middle, in PDF user space. */
  glyphs: Glyph[]
  pageSizes: [number, number][]
  text: string
  runs: TextRun[]
  annotations: InspectedAnnotation[]
  outline: { title: string; children: { title: string; children: unknown[] }[] }[]
  info: Record<string, unknown>
}

/** Reads a PDF with pdfjs-dist (legacy build, Node): text runs with positions, annotations, outline and metadata. */
export async function inspectPdf(bytes: Uint8Array): Promise<InspectedPdf> {
  const names = await annotationNames(bytes)
  const task = getDocument({ data: bytes.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 })
  const doc = await task.promise
  try {
    const runs: TextRun[] = []
    const annotations: InspectedAnnotation[] = []
    const pageSizes: [number, number][] = []
    const texts: string[] = []
    const glyphs: Glyph[] = []
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p)
      glyphs.push(...(await pageGlyphs(page, p)))
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = page.view
      pageSizes.push([x2 - x1, y2 - y1])
      const content = await page.getTextContent()
      let pageText = ''
      for (const item of content.items) {
        if (!('str' in item)) continue
        pageText += item.str + (item.hasEOL ? '\n' : '')
        const [, , , , tx = 0, ty = 0] = item.transform as number[]
        runs.push({ page: p, str: item.str, x: tx, y: ty, width: item.width, height: item.height })
      }
      texts.push(pageText)
      for (const a of (await page.getAnnotations()) as Record<string, unknown>[]) {
        const color = a.color as Uint8ClampedArray | null
        annotations.push({
          page: p,
          subtype: String(a.subtype),
          id: String((a as { id?: string }).id ?? ''),
          name: names.get(String((a as { id?: string }).id ?? '')) ?? '',
          color: color ? [color[0] ?? 0, color[1] ?? 0, color[2] ?? 0] : null,
          contents: String((a.contentsObj as { str?: string } | undefined)?.str ?? ''),
          author: String((a.titleObj as { str?: string } | undefined)?.str ?? ''),
          quadPoints: a.quadPoints ? Array.from(a.quadPoints as ArrayLike<number>) : [],
          rect: Array.from((a.rect as ArrayLike<number>) ?? []),
          hasAppearance: Boolean(a.hasAppearance),
          popupRef: (a.popupRef as string | null | undefined) ?? null
        })
      }
    }
    const outline = ((await doc.getOutline()) ?? []).map(function map(node: { title: string; items: unknown[] }): { title: string; children: { title: string; children: unknown[] }[] } {
      return { title: node.title, children: (node.items as { title: string; items: unknown[] }[]).map(map) }
    })
    const meta = await doc.getMetadata()
    return { pages: doc.numPages, glyphs, pageSizes, text: texts.join('\n'), runs, annotations, outline, info: meta.info as Record<string, unknown> }
  } finally {
    await doc.destroy()
  }
}

type Matrix = [number, number, number, number, number, number]

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]

/** m1 then m2, in PDF's row-vector convention. */
function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a, b, c, d, e, f] = m1
  const [A, B, C, D, E, F] = m2
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
}

/** pdf.js passes matrices either spread as arguments or as one (typed) array. */
function matrixOf(args: unknown[]): Matrix {
  const first = args[0]
  const source = first !== null && typeof first === 'object' && 'length' in first ? Array.from(first as ArrayLike<number>) : (args as number[])
  return [0, 1, 2, 3, 4, 5].map((i) => Number(source[i] ?? 0)) as Matrix
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]]
}

interface GlyphLike {
  unicode?: string
  width?: number
  isSpace?: boolean
}

/**
 * Where pdf.js draws each glyph of a page: a small PDF text-state machine over its operator list (cm,
 * q/Q, form XObjects, BT, Tm, Td, TD, T*, Tc, Tw, Tz, Ts, Tf, Tj/TJ), with widths from pdf.js's own fonts.
 * Annotations are left out so only the page's content counts.
 */
async function pageGlyphs(page: Awaited<ReturnType<Awaited<ReturnType<typeof getDocument>['promise']>['getPage']>>, pageNumber: number): Promise<Glyph[]> {
  const list = await page.getOperatorList({ annotationMode: AnnotationMode.DISABLE })
  const out: Glyph[] = []
  let ctm: Matrix = IDENTITY
  let tm: Matrix = IDENTITY
  let tlm: Matrix = IDENTITY
  let text = { size: 1, fontMatrix: [0.001, 0, 0, 0.001, 0, 0] as number[], charSpacing: 0, wordSpacing: 0, hScale: 1, rise: 0, leading: 0 }
  const stack: { ctm: Matrix; text: typeof text }[] = []
  const moveText = (tx: number, ty: number): void => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm)
    tm = tlm
  }
  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i] as unknown[]
    switch (fn) {
      case OPS.save:
        stack.push({ ctm, text: { ...text } })
        break
      case OPS.restore: {
        const top = stack.pop()
        if (top) ({ ctm, text } = top)
        break
      }
      case OPS.transform:
        ctm = multiply(matrixOf(args), ctm)
        break
      case OPS.paintFormXObjectBegin:
        stack.push({ ctm, text: { ...text } })
        if (args[0] !== null && typeof args[0] === 'object') ctm = multiply(matrixOf(args), ctm)
        break
      case OPS.paintFormXObjectEnd: {
        const top = stack.pop()
        if (top) ({ ctm, text } = top)
        break
      }
      case OPS.beginText:
        tm = IDENTITY
        tlm = IDENTITY
        break
      case OPS.setTextMatrix:
        tm = tlm = matrixOf(args)
        break
      case OPS.moveText:
        moveText(args[0] as number, args[1] as number)
        break
      case OPS.setLeadingMoveText:
        text.leading = -(args[1] as number)
        moveText(args[0] as number, args[1] as number)
        break
      case OPS.nextLine:
        moveText(0, -text.leading)
        break
      case OPS.setLeading:
        text.leading = args[0] as number
        break
      case OPS.setCharSpacing:
        text.charSpacing = args[0] as number
        break
      case OPS.setWordSpacing:
        text.wordSpacing = args[0] as number
        break
      case OPS.setHScale:
        text.hScale = (args[0] as number) / 100
        break
      case OPS.setTextRise:
        text.rise = args[0] as number
        break
      case OPS.setFont: {
        const font = page.commonObjs.has(args[0] as string) ? (page.commonObjs.get(args[0] as string) as { fontMatrix?: number[] }) : undefined
        text.size = args[1] as number
        text.fontMatrix = font?.fontMatrix ?? [0.001, 0, 0, 0.001, 0, 0]
        break
      }
      case OPS.showText:
      case OPS.showSpacedText:
      case OPS.nextLineShowText: {
        if (fn === OPS.nextLineShowText) moveText(0, -text.leading)
        const fm = text.fontMatrix
        const em = (fm[0] ?? 0.001) * 1000
        for (const g of (args[0] as (GlyphLike | number)[]) ?? []) {
          if (typeof g === 'number') {
            tm = multiply([1, 0, 0, 1, (-g / 1000) * text.size * text.hScale, 0], tm)
            continue
          }
          const w0 = ((g.width ?? 0) / 1000) * em
          const trm = multiply(multiply([text.size * text.hScale, 0, 0, text.size, 0, text.rise], tm), ctm)
          const [x, y] = apply(trm, w0 / 2, 0.3)
          if (g.unicode) out.push({ page: pageNumber, unicode: g.unicode, x, y })
          const advance = (w0 * text.size + text.charSpacing + (g.isSpace ? text.wordSpacing : 0)) * text.hScale
          tm = multiply([1, 0, 0, 1, advance, 0], tm)
        }
        break
      }
    }
  })
  return out
}

/** The characters of the glyphs whose centres lie inside a set of quads, in drawing order. */
export function glyphsInQuads(glyphs: readonly Glyph[], page: number, quadPoints: readonly number[]): string {
  const boxes = quadBoxes(quadPoints)
  return glyphs
    .filter((g) => g.page === page && boxes.some(([x1, y1, x2, y2]) => g.x >= x1 && g.x <= x2 && g.y >= y1 && g.y <= y2))
    .map((g) => g.unicode)
    .join('')
}

function quadBoxes(quadPoints: readonly number[]): [number, number, number, number][] {
  const boxes: [number, number, number, number][] = []
  for (let i = 0; i + 7 < quadPoints.length; i += 8) {
    const xs = [quadPoints[i], quadPoints[i + 2], quadPoints[i + 4], quadPoints[i + 6]] as number[]
    const ys = [quadPoints[i + 1], quadPoints[i + 3], quadPoints[i + 5], quadPoints[i + 7]] as number[]
    boxes.push([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)])
  }
  return boxes
}

/** /NM of every annotation by pdf.js-style id ("12R"). */
async function annotationNames(bytes: Uint8Array): Promise<Map<string, string>> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const names = new Map<string, string>()
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    for (const raw of annots?.asArray() ?? []) {
      if (!(raw instanceof PDFRef)) continue
      const nm = doc.context.lookupMaybe(raw, PDFDict)?.get(PDFName.of('NM'))
      if (nm instanceof PDFString || nm instanceof PDFHexString) names.set(`${raw.objectNumber}R${raw.generationNumber ? raw.generationNumber : ''}`, nm.decodeText())
    }
  }
  return names
}
