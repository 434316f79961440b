import { createHash, randomBytes } from 'node:crypto'
import { matrixSvg, matrixTitle } from '../../../shared/analysis/matrix-svg'
import type { StanceMatrix } from '../../../shared/domain/analysis'
import type { ArticleBlock, ArticleInline, ArticleMark } from '../../../shared/domain/article-doc'
import type { Code } from '../../../shared/domain/code'
import type { Highlight } from '../../../shared/domain/highlight'
import type { ExportArticle, ExportBundle } from '../../../shared/export/export-bundle'
import { escapeHtml, noteToHtml, noteToPlainText, type QuoteLookup } from '../../../shared/notes/note-html'
import { isNoteEmpty } from '../../../shared/notes/note-summary'

/** Options of the PDF export that shape the printed document. */
export interface PdfDocumentOptions {
  includeNotes: boolean
  includeAppendix: boolean
  paper: 'A4' | 'Letter'
  /**
   * Print the stance × issue matrix the bundle carries: an article's own after its title block, or, for
   * several articles in one file, the matrix of them all on an opening page (default false).
   */
  includeMatrix?: boolean
}

/** A highlight as placed in the export: where its marker is and what its annotation says. */
export interface PlannedHighlight {
  id: string
  /** Index of its article in the bundle. */
  article: number
  /** Its marker number within its article, from 1. */
  number: number
  /** `#rrggbb` of its first code: the annotation colour. */
  color: string
  /** Colours of all its codes, for the stacked underlines. */
  colors: string[]
  codeNames: string[]
  /** Plain text for the annotation's /Contents: codes, then the note. */
  contents: string
  created: string
  modified: string
}

/** An outline (bookmark) entry, placed where the link with its anchor index was printed. */
export interface OutlineNode {
  title: string
  anchor: number
  children: OutlineNode[]
}

/** The printable HTML and the map that lets the annotator find each highlight in the printed PDF. */
export interface PdfLayoutPlan {
  html: string
  /** Private URL prefix of the marker links; unguessable so an article's own links can never pose as one. */
  linkPrefix: string
  /** Per text segment, the indexes (into `highlights`) of the highlights covering it. */
  segments: number[][]
  highlights: PlannedHighlight[]
  outline: OutlineNode[]
  /** Per page-number placeholder in the appendix, the index of the highlight whose page it shows. */
  pageRefs: number[]
  headerTitle: string
}

/**
 * Runs in the print page once fonts are ready: markers that landed on the same line are merged into one
 * label ("3, 4") so numbers never overprint each other in the margin. Layout only; it reads nothing else.
 */
const LAYOUT_SCRIPT = `window.stanceLayout = function () {
  var markers = document.querySelectorAll('.mk');
  var previous = null, previousTop = 0;
  for (var i = 0; i < markers.length; i++) {
    var marker = markers[i];
    var top = marker.getBoundingClientRect().top;
    if (previous && previous.parentNode === marker.parentNode && Math.abs(top - previousTop) < 4) {
      while (marker.firstChild) previous.appendChild(marker.firstChild);
      marker.parentNode.removeChild(marker);
    } else { previous = marker; previousTop = top; }
  }
  return true;
};`

const SCRIPT_HASH = createHash('sha256').update(LAYOUT_SCRIPT).digest('base64')

/** The Content-Security-Policy of the print page: inline styles, embedded fonts and the one layout script, nothing fetched. */
export const PRINT_CSP = `default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; script-src 'sha256-${SCRIPT_HASH}'`

interface Piece {
  text: string
  marks: ArticleMark[]
  hardBreak: boolean
}

/**
 * Builds the print HTML of an export: per article a title block, the legend of the codes used, the stance
 * matrix when asked (for several articles in one file, on an opening page instead), the memo,
 * the text with every highlighted stretch split into non-overlapping segments (each a link to a private
 * URL naming the segment, which Chromium turns into one /Link rectangle per printed line fragment) and
 * numbered margin markers, then an appendix of the passages by code. Everything from the library is escaped
 * here or comes from the safe-by-construction note or matrix serializers.
 */
export function buildPdfDocument(bundle: ExportBundle, options: PdfDocumentOptions, fontCss: string): PdfLayoutPlan {
  const linkPrefix = `https://stance.invalid/x-${randomBytes(8).toString('hex')}/`
  const codeById = new Map(bundle.codes.map((code) => [code.id, code]))
  const codeRank = new Map(bundle.codes.map((code, index) => [code.id, index]))
  const plan: PdfLayoutPlan = { html: '', linkPrefix, segments: [], highlights: [], outline: [], pageRefs: [], headerTitle: '' }
  const segmentClasses = new Map<string, string>()
  let anchors = 0
  const outlineAnchor = (title: string): { html: string; node: OutlineNode } => {
    const node: OutlineNode = { title, anchor: anchors++, children: [] }
    return { html: `<a class="ol" href="${linkPrefix}o/${node.anchor}">${escapeHtml(title)}</a>`, node }
  }

  const matrixSection = (matrix: StanceMatrix, id: string): { html: string; node: OutlineNode } => {
    const anchor = outlineAnchor(matrixTitle(matrix.columns))
    const svg = matrixSvg(matrix, { title: matrixTitle(matrix.columns), heading: false, idPrefix: id })
    return { node: anchor.node, html: `<section class="matrix"><h2 class="matrix-head">${anchor.html}</h2>${svg}</section>` }
  }

  const sections: string[] = []
  if (options.includeMatrix && bundle.matrix && bundle.articles.length > 1) {
    const overview = matrixSection(bundle.matrix, 'matrix-all')
    plan.outline.push(overview.node)
    const passages = bundle.articles.reduce((sum, entry) => sum + entry.highlights.length, 0)
    const meta: [string, string][] = []
    if (bundle.analyst) meta.push(['Analyst', bundle.analyst])
    meta.push(['Exported', bundle.exportedAt.slice(0, 10)])
    meta.push(['Passages', `${passages} coded in ${bundle.articles.length} articles`])
    sections.push(
      `<section class="overview"><header class="front"><p class="eyebrow">Stance export</p><h1>${bundle.articles.length} articles</h1><dl>${meta
        .map(([k, v]) => `<dt>${k}</dt><dd dir="auto">${escapeHtml(v)}</dd>`)
        .join('')}</dl></header>${overview.html}</section>`
    )
  }
  bundle.articles.forEach((entry, articleIndex) => {
    const sortedCodes = (h: Highlight): Code[] =>
      h.codeIds
        .map((id) => codeById.get(id))
        .filter((c): c is Code => c !== undefined)
        .sort((a, b) => (codeRank.get(a.id) ?? 0) - (codeRank.get(b.id) ?? 0))
    const first = plan.highlights.length
    const numberOf = new Map<string, number>()
    entry.highlights.forEach((h, i) => {
      const codes = sortedCodes(h)
      const note = entry.notes[h.id]
      const noteText = options.includeNotes && note && !isNoteEmpty(note.doc) ? noteToPlainText(note.doc, quoteLookup(entry)) : ''
      numberOf.set(h.id, i + 1)
      plan.highlights.push({
        id: h.id,
        article: articleIndex,
        number: i + 1,
        color: codes[0]?.color ?? '#888888',
        colors: codes.map((c) => c.color),
        codeNames: codes.map((c) => c.name),
        contents: [codes.map((c) => c.name).join(' · '), noteText].filter(Boolean).join('\n\n'),
        created: h.createdAt,
        modified: h.updatedAt
      })
    })

    const title = outlineAnchor(entry.article.title)
    plan.outline.push(title.node)
    const ownMatrix = entry.matrix ?? (bundle.articles.length === 1 ? bundle.matrix : undefined)
    let matrixHtml = ''
    if (options.includeMatrix && ownMatrix) {
      const section = matrixSection(ownMatrix, `matrix-${articleIndex}`)
      title.node.children.push(section.node)
      matrixHtml = section.html
    }
    const textAnchor = outlineAnchor('Article text')
    title.node.children.push(textAnchor.node)

    const body = renderBody(entry, first, plan, linkPrefix, (key) => {
      let cls = segmentClasses.get(key)
      if (!cls) {
        cls = `s${segmentClasses.size}`
        segmentClasses.set(key, cls)
      }
      return cls
    })
    const used = codesUsed(entry, bundle.codes)
    const memo = options.includeNotes && entry.memo && !isNoteEmpty(entry.memo.doc) ? entry.memo : null
    let memoHtml = ''
    if (memo) {
      const memoAnchor = outlineAnchor('Memo')
      title.node.children.push(memoAnchor.node)
      memoHtml = `<section class="memo"><h2>${memoAnchor.html}</h2><div class="note">${noteToHtml(memo.doc, quoteLookup(entry))}</div></section>`
    }

    let appendix = ''
    if (options.includeAppendix && entry.highlights.length > 0) {
      const appendixAnchor = outlineAnchor('Coded passages')
      title.node.children.push(appendixAnchor.node)
      const groups: string[] = []
      for (const { code, count } of used) {
        const groupAnchor = outlineAnchor(`${code.name} (${count})`)
        appendixAnchor.node.children.push(groupAnchor.node)
        const items = entry.highlights
          .filter((h) => h.codeIds.includes(code.id))
          .map((h) => {
            const index = first + (numberOf.get(h.id) ?? 1) - 1
            const planned = plan.highlights[index]
            const n = planned?.number ?? 0
            const others = sortedCodes(h).filter((c) => c.id !== code.id)
            const note = entry.notes[h.id]
            const noteHtml = options.includeNotes && note && !isNoteEmpty(note.doc) ? `<div class="note">${noteToHtml(note.doc, quoteLookup(entry))}</div>` : ''
            plan.pageRefs.push(index)
            const pageRef = `<span class="pref">p.&nbsp;<a class="pnum" href="${linkPrefix}p/${plan.pageRefs.length - 1}"></a></span>`
            const also = others.length > 0 ? `<span class="also">also ${others.map((c) => `<span class="sw" style="background:${c.color}"></span>${escapeHtml(c.name)}`).join(', ')}</span>` : ''
            return `<li class="entry" id="e-${articleIndex}-${n}-${code.id}"><div class="entry-head"><a class="num" href="#m-${articleIndex}-${n}">${n}</a>${also}${pageRef}</div><blockquote dir="auto">${escapeHtml(h.exact)}</blockquote>${noteHtml}</li>`
          })
        groups.push(
          `<section class="group"><h3><span class="sw" style="background:${code.color}"></span>${groupAnchor.html}</h3><ol class="entries">${items.join('')}</ol></section>`
        )
      }
      appendix = `<section class="appendix"><h2>${appendixAnchor.html}</h2>${groups.join('')}</section>`
    }

    const a = entry.article
    const meta: [string, string][] = []
    if (a.outlet) meta.push(['Outlet', a.outlet])
    if (a.author) meta.push(['Author', a.author])
    if (a.publishedAt) meta.push(['Published', a.publishedAt])
    if (a.sourceUrl) meta.push(['Source', a.sourceUrl])
    if (bundle.analyst) meta.push(['Analyst', bundle.analyst])
    meta.push(['Exported', bundle.exportedAt.slice(0, 10)])
    meta.push(['Passages', `${entry.highlights.length} coded with ${used.length} code${used.length === 1 ? '' : 's'}`])
    const legend = used.length
      ? `<ul class="legend">${used.map(({ code, count }) => `<li><span class="sw" style="background:${code.color}"></span><span class="lname">${escapeHtml(code.name)}</span><span class="lcount">${count}</span>${code.description ? `<span class="ldesc">${escapeHtml(code.description)}</span>` : ''}</li>`).join('')}</ul>`
      : '<p class="legend-empty">No coded passages.</p>'
    sections.push(
      `<article class="export-article"><header class="front"><p class="eyebrow">Stance export</p><h1 dir="auto">${title.html}</h1><dl>${meta
        .map(([k, v]) => `<dt>${k}</dt><dd dir="auto">${escapeHtml(v)}</dd>`)
        .join('')}</dl>${legend}</header>${matrixHtml}${memoHtml}<section class="text"><h2 class="text-head">${textAnchor.html}</h2>${body}</section>${appendix}</article>`
    )
  })

  plan.headerTitle = bundle.articles.length === 1 ? (bundle.articles[0]?.article.title ?? '') : `Stance export — ${bundle.articles.length} articles`
  const segmentCss = [...segmentClasses].map(([key, cls]) => `.${cls}{${underlineCss(key.split(','))}}`).join('\n')
  plan.html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}"><title>${escapeHtml(plan.headerTitle)}</title><style>${fontCss}\n${baseCss(options.paper)}\n${segmentCss}</style><script>${LAYOUT_SCRIPT}</script></head><body>${sections.join('')}</body></html>`
  return plan
}

function quoteLookup(entry: ExportArticle): QuoteLookup {
  const byId = new Map(entry.highlights.map((h) => [h.id as string, h]))
  return (id) => {
    const h = byId.get(id)
    return h ? { quote: h.exact } : undefined
  }
}

function codesUsed(entry: ExportArticle, codes: readonly Code[]): { code: Code; count: number }[] {
  return codes
    .map((code) => ({ code, count: entry.highlights.filter((h) => h.codeIds.includes(code.id)).length }))
    .filter((row) => row.count > 0)
}

// Stacked underlines, one 2-px band per code from the bottom up, as in the reader; the fill comes from
// the native annotation so the printed page and a viewer's highlight never double up.
function underlineCss(colors: string[]): string {
  const layers = colors.map((color, i) => `linear-gradient(${color},${color}) 0 calc(100% - ${i * 3}px)/100% 2px no-repeat`)
  return `background:${layers.join(',')};padding-bottom:${Math.max(0, colors.length - 1) * 3}px`
}

/**
 * Renders an article's blocks, splitting text at every highlight boundary. Offsets walk the canonical
 * text exactly as `textBlocks` does (empty blocks skipped, "\n\n" between blocks, "\n" per hard break),
 * counting code points, so a segment is the same text the highlight's offsets name.
 */
function renderBody(entry: ExportArticle, first: number, plan: PdfLayoutPlan, linkPrefix: string, classFor: (key: string) => string): string {
  const highlights = entry.highlights
  let offset = 0
  let firstBlock = true
  const starts = new Map<number, number[]>()
  highlights.forEach((h, i) => {
    const list = starts.get(h.start) ?? []
    list.push(i)
    starts.set(h.start, list)
  })

  const inlineHtml = (content: readonly ArticleInline[] | undefined): string | null => {
    const pieces: Piece[] = []
    for (const node of content ?? []) {
      if (node.type === 'text') pieces.push({ text: node.text, marks: node.marks ?? [], hardBreak: false })
      else pieces.push({ text: '\n', marks: [], hardBreak: true })
    }
    if (pieces.length === 0 || pieces.every((p) => p.text.length === 0)) return null
    if (!firstBlock) offset += 2
    firstBlock = false
    // A passage may start on the separator between blocks; its marker goes where its words begin.
    let html = pendingMarkers(offset)
    for (const piece of pieces) {
      if (piece.hardBreak) {
        html += markersAt(offset) + '<br>'
        offset += 1
        continue
      }
      const chars = Array.from(piece.text)
      let i = 0
      while (i < chars.length) {
        const here = offset + i
        html += markersAt(here)
        // Cut at the next highlight boundary after here.
        let next = chars.length
        for (const h of highlights) {
          if (h.start > here && h.start - offset < next) next = h.start - offset
          if (h.end > here && h.end - offset < next) next = h.end - offset
        }
        const text = chars.slice(i, next).join('')
        const covering: number[] = []
        highlights.forEach((h, hi) => {
          if (h.start <= here && h.end > here) covering.push(first + hi)
        })
        let inner = withMarks(escapeHtml(text), piece.marks)
        if (covering.length > 0) {
          plan.segments.push(covering)
          const colors = [...new Set(covering.flatMap((index) => plan.highlights[index]?.colors ?? []))]
          inner = `<a class="hl ${classFor(colors.join(','))}" href="${linkPrefix}h/${plan.segments.length - 1}">${inner}</a>`
        }
        html += inner
        i = next
      }
      offset += chars.length
    }
    return html
  }

  const pendingMarkers = (upTo: number): string => {
    let html = ''
    for (const at of [...starts.keys()].filter((at) => at < upTo).sort((a, b) => a - b)) html += markersAt(at)
    return html
  }

  const markersAt = (at: number): string => {
    const list = starts.get(at)
    if (!list) return ''
    starts.delete(at)
    return `<span class="mk">${list
      .map((i) => {
        const planned = plan.highlights[first + i]
        const n = planned?.number ?? i + 1
        const firstCode = highlights[i]?.codeIds[0] ?? ''
        return `<a id="m-${planned?.article ?? 0}-${n}" href="#e-${planned?.article ?? 0}-${n}-${firstCode}" style="border-color:${planned?.color ?? '#888888'}">${n}</a>`
      })
      .join('')}</span>`
  }

  const blocks = (list: readonly ArticleBlock[]): string =>
    list
      .map((block) => {
        switch (block.type) {
          case 'paragraph': {
            const html = inlineHtml(block.content)
            return html === null ? '' : `<p dir="auto">${html}</p>`
          }
          case 'heading': {
            const html = inlineHtml(block.content)
            return html === null ? '' : `<h${block.attrs.level + 1} class="ah" dir="auto">${html}</h${block.attrs.level + 1}>`
          }
          case 'blockquote':
            return `<blockquote class="aq">${blocks(block.content)}</blockquote>`
          case 'bulletList':
          case 'orderedList': {
            const tag = block.type === 'bulletList' ? 'ul' : 'ol'
            return `<${tag}>${block.content.map((item) => `<li>${blocks(item.content)}</li>`).join('')}</${tag}>`
          }
          case 'horizontalRule':
            return '<hr>'
          default:
            return ''
        }
      })
      .join('')
  return blocks(entry.article.doc.content)
}

// Article links print as styled text: a live link would nest with the segment links and, in a shared PDF,
// invite a click on an address nobody checked.
function withMarks(html: string, marks: readonly ArticleMark[]): string {
  let out = html
  if (marks.some((m) => m.type === 'italic')) out = `<em>${out}</em>`
  if (marks.some((m) => m.type === 'bold')) out = `<strong>${out}</strong>`
  if (marks.some((m) => m.type === 'link')) out = `<span class="link">${out}</span>`
  return out
}

function baseCss(paper: 'A4' | 'Letter'): string {
  return `@page { size: ${paper === 'A4' ? 'A4' : 'letter'}; margin: 20mm 0; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; padding: 0 18mm 0 30mm; font-family: 'Noto Serif', 'Noto Naskh Arabic', 'Noto Sans Arabic', 'DejaVu Serif', serif, 'Noto Color Emoji', 'Apple Color Emoji', 'Segoe UI Emoji'; font-size: 10.5pt; line-height: 1.55; color: #1b1b1f; }
.export-article + .export-article { break-before: page; }
.front { margin-bottom: 8mm; }
.eyebrow { font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 8pt; letter-spacing: 0.08em; text-transform: uppercase; color: #6b6b76; margin: 0 0 2mm; }
h1 { font-size: 20pt; line-height: 1.2; margin: 0 0 4mm; }
h1 a.ol, h2 a.ol, h3 a.ol { color: inherit; text-decoration: none; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 5mm; font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 8.5pt; margin: 0 0 5mm; }
dt { color: #6b6b76; } dd { margin: 0; overflow-wrap: anywhere; }
.legend { list-style: none; padding: 3mm 4mm; margin: 0; border: 0.6pt solid #d5d5dc; border-radius: 2mm; font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 8.5pt; }
.legend li { display: flex; align-items: baseline; gap: 2mm; padding: 0.8mm 0; }
.lname { font-weight: 600; min-width: 32mm; }
.lcount { color: #6b6b76; font-variant-numeric: tabular-nums; min-width: 8mm; text-align: right; }
.ldesc { color: #4b4b55; }
.sw { display: inline-block; width: 3mm; height: 3mm; border-radius: 0.8mm; margin-right: 1.5mm; vertical-align: -0.3mm; }
.text-head, .memo h2, .appendix > h2, .matrix-head { font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 8pt; letter-spacing: 0.08em; text-transform: uppercase; color: #6b6b76; font-weight: 600; margin: 6mm 0 3mm; border-bottom: 0.6pt solid #d5d5dc; padding-bottom: 1mm; }
.overview { break-after: page; }
.matrix { break-inside: avoid; margin-bottom: 6mm; }
.matrix svg { display: block; max-width: 100%; height: auto; }
.text p, .text li { position: relative; margin: 0 0 2.6mm; orphans: 2; widows: 2; }
/* As in the reader: runs of spaces and indentation are text the offsets count, and a passage may be made of them. */
.text p, .text .ah { white-space: pre-wrap; }
.text .ah { font-size: 12.5pt; margin: 5mm 0 2mm; position: relative; break-after: avoid; }
.aq { margin: 0 0 2.6mm 6mm; padding-left: 4mm; border-left: 1pt solid #c9c9d1; color: #33333b; }
.link { text-decoration: underline; text-decoration-color: #9a9aa6; }
a.hl { color: inherit; text-decoration: none; }
.mk { position: absolute; right: calc(100% + 3mm); font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 6.5pt; line-height: 1; white-space: nowrap; margin-top: 0.9mm; }
.mk a { display: inline-block; min-width: 3.2mm; padding: 0.5mm 0.7mm; margin-left: 0.6mm; text-align: center; border: 0.7pt solid; border-radius: 1.6mm; color: #2b2b33; text-decoration: none; font-variant-numeric: tabular-nums; background: #fff; }
[dir="rtl"] .mk, p:dir(rtl) > .mk { right: calc(100% + 3mm); }
.memo .note, .entry .note { font-size: 9.5pt; }
.entry .note { margin: 1.5mm 0 0 3mm; padding-left: 1mm; }
.appendix { break-before: page; }
.group h3 { font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 10.5pt; margin: 5mm 0 2mm; break-after: avoid; }
.entries { list-style: none; padding: 0; margin: 0; }
.entry { break-inside: avoid; margin: 0 0 3.5mm; padding: 0 0 3mm; border-bottom: 0.5pt solid #e3e3e8; }
.entry-head { display: flex; gap: 3mm; align-items: baseline; font-family: Inter, 'DejaVu Sans', sans-serif; font-size: 8pt; color: #4b4b55; }
.entry-head .num { font-weight: 700; color: #1b1b1f; text-decoration: none; min-width: 6mm; }
.also .sw { width: 2.2mm; height: 2.2mm; margin: 0 1mm 0 0; }
.pref { margin-left: auto; white-space: nowrap; }
.pnum { display: inline-block; width: 7mm; height: 1em; vertical-align: baseline; text-decoration: none; }
.entry blockquote { margin: 1mm 0 1mm; padding-left: 3mm; border-left: 1pt solid #c9c9d1; font-style: italic; }
.note p { margin: 0 0 1.5mm; } .note ul, .note ol { margin: 0 0 1.5mm; padding-left: 5mm; }
.note blockquote { margin: 0 0 1.5mm; padding-left: 3mm; border-left: 1pt solid #d5d5dc; }
.note q.stance-quote { font-style: italic; } .note a { color: #1d4ed8; }
.note code { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; }
hr { border: 0; border-top: 0.6pt solid #d5d5dc; margin: 4mm 0; }`
}
