import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
  StandardFonts,
  rgb,
  type PDFContext,
  type PDFPage
} from 'pdf-lib'
import type { OutlineNode, PdfLayoutPlan, PlannedHighlight } from './export-document'

/** Document information written into the PDF. */
export interface PdfMetadata {
  title: string
  author: string
  subject: string
  keywords: string[]
  creator: string
  created: Date
}

/** What the annotator produced: the final bytes and what a caller reports to the analyst. */
export interface AnnotatedPdf {
  bytes: Uint8Array
  pages: number
  /** Number of /Highlight annotations written (a passage split by a page break has one per page). */
  annotations: number
  /** Highlights that were not found in the printed pages (should be none). */
  missing: string[]
}

/** A rectangle in PDF user space: x1,y1 bottom-left, x2,y2 top-right. */
type Box = [number, number, number, number]

/** Opacity of the fill; the fill multiplies with the page so the words stay black. */
const FILL_OPACITY = 0.35

/**
 * Turns the printed export into an annotated PDF: every private link Chromium wrote for a highlight segment
 * becomes part of one `/Highlight` annotation per highlight and page (quad points from the link rectangles,
 * merged per line), with colour, contents, author, id, popup and an appearance stream; outline anchors become
 * bookmarks; page-number placeholders in the appendix get the page and a link to it. The private links are
 * removed, so nothing of the trick is left in the file.
 */
export async function annotatePdf(printed: Uint8Array, plan: PdfLayoutPlan, analyst: string, meta: PdfMetadata): Promise<AnnotatedPdf> {
  // Parsing and saving yield to the event loop every few dozen objects by default; for a file of thousands
  // of objects that costs more than the work itself, so both run in one go.
  const doc = await PDFDocument.load(printed, { updateMetadata: false, parseSpeed: Number.POSITIVE_INFINITY })
  const context = doc.context
  const pages = doc.getPages()
  const rects = plan.highlights.map(() => new Map<number, Box[]>())
  const anchors = new Map<number, { page: number; x: number; y: number }>()
  const pageRefs = new Map<number, { page: number; box: Box; ref: PDFRef }>()

  pages.forEach((page, pageIndex) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    if (!annots) return
    const keep: (PDFRef | PDFDict)[] = []
    for (let i = 0; i < annots.size(); i++) {
      const raw = annots.get(i)
      const dict = raw instanceof PDFRef ? context.lookupMaybe(raw, PDFDict) : raw instanceof PDFDict ? raw : undefined
      const uri = dict ? linkUri(dict) : undefined
      if (!dict || !uri || !uri.startsWith(plan.linkPrefix)) {
        if (raw instanceof PDFRef || raw instanceof PDFDict) keep.push(raw)
        continue
      }
      const [kind, indexText] = uri.slice(plan.linkPrefix.length).split('/')
      const index = Number(indexText)
      const box = rectOf(dict)
      if (kind === 'p' && raw instanceof PDFRef && box) {
        pageRefs.set(index, { page: pageIndex, box, ref: raw })
        keep.push(raw)
        continue
      }
      if (raw instanceof PDFRef) context.delete(raw)
      if (!box) continue
      if (kind === 'h') {
        for (const h of plan.segments[index] ?? []) {
          const byPage = rects[h]
          if (!byPage) continue
          const list = byPage.get(pageIndex) ?? []
          list.push(box)
          byPage.set(pageIndex, list)
        }
      } else if (kind === 'o' && !anchors.has(index)) {
        anchors.set(index, { page: pageIndex, x: box[0], y: box[3] })
      }
    }
    page.node.set(PDFName.of('Annots'), context.obj(keep))
  })

  let annotations = 0
  const missing: string[] = []
  const firstPage = new Map<number, number>()
  plan.highlights.forEach((h, index) => {
    const byPage = rects[index]
    if (!byPage || byPage.size === 0) {
      missing.push(h.id)
      return
    }
    const pagesOfHighlight = [...byPage.keys()].sort((a, b) => a - b)
    firstPage.set(index, pagesOfHighlight[0] ?? 0)
    pagesOfHighlight.forEach((pageIndex, part) => {
      const page = pages[pageIndex]
      if (!page) return
      addHighlight(context, page, h, mergeLines(byPage.get(pageIndex) ?? []), part, analyst)
      annotations++
    })
  })

  if (pageRefs.size > 0) {
    const font = await doc.embedFont(StandardFonts.Helvetica)
    for (const [refIndex, { page, box, ref }] of pageRefs) {
      const target = firstPage.get(plan.pageRefs[refIndex] ?? -1)
      const dict = context.lookup(ref, PDFDict)
      const targetPage = target === undefined ? undefined : pages[target]
      if (target === undefined || !targetPage) {
        removeAnnot(pages[page], ref)
        continue
      }
      // The placeholder is an empty inline-block one em high sitting on the baseline, so its bottom edge is the baseline.
      const size = Math.min(9, box[3] - box[1])
      pages[page]?.drawText(String(target + 1), { x: box[0], y: box[1], size, font, color: rgb(0.16, 0.16, 0.2) })
      dict.delete(PDFName.of('A'))
      dict.set(PDFName.of('Dest'), context.obj([targetPage.ref, PDFName.of('XYZ'), null, PDFNumber.of(targetPage.getHeight()), null]))
    }
  }

  writeOutline(doc, plan.outline, anchors)
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  if (meta.author) doc.setAuthor(meta.author)
  doc.setSubject(meta.subject)
  doc.setKeywords(meta.keywords)
  doc.setCreator(meta.creator)
  doc.setProducer(`${meta.creator} (Chromium print, pdf-lib annotations)`)
  doc.setCreationDate(meta.created)
  doc.setModificationDate(meta.created)
  const bytes = await doc.save({ useObjectStreams: true, objectsPerTick: Number.POSITIVE_INFINITY })
  return { bytes, pages: pages.length, annotations, missing }
}

function linkUri(dict: PDFDict): string | undefined {
  if (dict.get(PDFName.of('Subtype')) !== PDFName.of('Link')) return undefined
  const action = dict.lookupMaybe(PDFName.of('A'), PDFDict)
  const uri = action?.lookup(PDFName.of('URI'))
  return uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined
}

function rectOf(dict: PDFDict): Box | undefined {
  const rect = dict.lookupMaybe(PDFName.of('Rect'), PDFArray)
  if (!rect || rect.size() !== 4) return undefined
  const n = [0, 1, 2, 3].map((i) => rect.lookup(i, PDFNumber).asNumber())
  const [a = 0, b = 0, c = 0, d = 0] = n
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)]
}

function removeAnnot(page: PDFPage | undefined, ref: PDFRef): void {
  const annots = page?.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
  if (!annots) return
  const index = annots.asArray().findIndex((item) => item === ref)
  if (index >= 0) annots.remove(index)
}

/**
 * Joins the rectangles of adjacent segments on one line into one box, so a passage gets one quad per line
 * (what viewers select and what a reader expects to see), not one per overlapping stretch.
 */
export function mergeLines(boxes: readonly Box[]): Box[] {
  const sorted = [...boxes].sort((a, b) => b[3] - a[3] || a[0] - b[0])
  const lines: Box[] = []
  for (const box of sorted) {
    const line = lines.find((l) => {
      const overlap = Math.min(l[3], box[3]) - Math.max(l[1], box[1])
      const height = Math.min(l[3] - l[1], box[3] - box[1])
      return height > 0 && overlap / height > 0.6 && box[0] <= l[2] + 1.5 && box[2] >= l[0] - 1.5
    })
    if (line) {
      line[0] = Math.min(line[0], box[0])
      line[1] = Math.min(line[1], box[1])
      line[2] = Math.max(line[2], box[2])
      line[3] = Math.max(line[3], box[3])
    } else lines.push([...box])
  }
  return lines.sort((a, b) => b[3] - a[3] || a[0] - b[0])
}

function pdfDate(iso: string): PDFString {
  const d = new Date(iso)
  const t = Number.isNaN(d.getTime()) ? new Date(0) : d
  const p = (n: number) => String(n).padStart(2, '0')
  return PDFString.of(`D:${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}Z`)
}

function hexColor(color: string): [number, number, number] {
  const value = /^#([0-9a-f]{6})$/i.exec(color)?.[1] ?? '888888'
  return [0, 2, 4].map((i) => Math.round((parseInt(value.slice(i, i + 2), 16) / 255) * 1000) / 1000) as [number, number, number]
}

function addHighlight(context: PDFContext, page: PDFPage, h: PlannedHighlight, boxes: Box[], part: number, analyst: string): void {
  const rect: Box = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3]))
  ]
  // Viewers expect top-left, top-right, bottom-left, bottom-right per line.
  const quads = boxes.flatMap(([x1, y1, x2, y2]) => [x1, y2, x2, y2, x1, y1, x2, y1])
  const [r, g, b] = hexColor(h.color)
  const fill = boxes.map(([x1, y1, x2, y2]) => `${num(x1)} ${num(y1)} ${num(x2 - x1)} ${num(y2 - y1)} re`).join('\n')
  const appearance = context.stream(`/GS0 gs\n${num(r)} ${num(g)} ${num(b)} rg\n${fill}\nf\n`, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: rect,
    Resources: { ExtGState: { GS0: { Type: 'ExtGState', BM: 'Multiply', ca: FILL_OPACITY, CA: FILL_OPACITY } } }
  })
  const appearanceRef = context.register(appearance)
  const highlightRef = context.nextRef()
  const popup = context.obj({
    Type: 'Annot',
    Subtype: 'Popup',
    Rect: [rect[2], Math.max(0, rect[3] - 120), rect[2] + 180, rect[3]],
    Parent: highlightRef,
    Open: false,
    F: 28
  })
  const popupRef = context.register(popup)
  const annot = context.obj({
    Type: 'Annot',
    Subtype: 'Highlight',
    Rect: rect,
    QuadPoints: quads.map(num),
    C: [r, g, b],
    CA: 1,
    F: 4,
    Contents: PDFHexString.fromText(h.contents),
    T: PDFHexString.fromText(analyst || 'Stance'),
    NM: PDFHexString.fromText(part === 0 ? h.id : `${h.id}#${part + 1}`),
    Subj: PDFHexString.fromText(h.codeNames.join(', ') || 'Highlight'),
    M: pdfDate(h.modified),
    CreationDate: pdfDate(h.created),
    P: page.ref,
    Popup: popupRef,
    AP: { N: appearanceRef },
    // Tags have no standard slot; a private key keeps them machine-readable next to /Contents.
    StanceCodes: PDFHexString.fromText(JSON.stringify(h.codeNames))
  })
  context.assign(highlightRef, annot)
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
  if (annots) {
    annots.push(highlightRef)
    annots.push(popupRef)
  } else page.node.set(PDFName.of('Annots'), context.obj([highlightRef, popupRef]))
}

function num(value: number): number {
  return Math.round(value * 1000) / 1000
}

function writeOutline(doc: PDFDocument, roots: readonly OutlineNode[], anchors: Map<number, { page: number; x: number; y: number }>): void {
  const context = doc.context
  const pages = doc.getPages()
  const build = (nodes: readonly OutlineNode[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } | undefined => {
    const placed = nodes.filter((node) => anchors.has(node.anchor))
    if (placed.length === 0) return undefined
    const refs = placed.map(() => context.nextRef())
    let count = 0
    placed.forEach((node, i) => {
      const ref = refs[i] as PDFRef
      const anchor = anchors.get(node.anchor) as { page: number; x: number; y: number }
      const page = pages[anchor.page] ?? pages[0]
      const children = build(node.children, ref)
      const entry: Record<string, unknown> = {
        Title: PDFHexString.fromText(node.title),
        Parent: parent,
        Dest: [page?.ref, PDFName.of('XYZ'), null, num(anchor.y + 6), null]
      }
      if (i > 0) entry.Prev = refs[i - 1]
      if (i < refs.length - 1) entry.Next = refs[i + 1]
      if (children) Object.assign(entry, { First: children.first, Last: children.last, Count: children.count })
      context.assign(ref, context.obj(entry as never))
      count += 1 + (children?.count ?? 0)
    })
    return { first: refs[0] as PDFRef, last: refs[refs.length - 1] as PDFRef, count }
  }
  const outlinesRef = context.nextRef()
  const tree = build(roots, outlinesRef)
  if (!tree) return
  context.assign(outlinesRef, context.obj({ Type: 'Outlines', First: tree.first, Last: tree.last, Count: tree.count }))
  doc.catalog.set(PDFName.of('Outlines'), outlinesRef)
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'))
}
