import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import type { TextIndex } from './text-index'

/** A highlight as the reader paints it: a code-point range and the codes it carries, in codebook order. */
export interface PaintedHighlight {
  id: string
  start: number
  end: number
  /** Codes in codebook order; `rank` is the code's place in the codebook, so overlaps list codes in that order too. */
  codes: { id: string; name: string; color: string; rank: number }[]
}

/** What the plugin keeps: the decorations, mapped through transactions rather than rebuilt. */
export interface HighlightPluginState {
  decorations: DecorationSet
  highlights: PaintedHighlight[]
  activeId: string | null
  flashId: string | null
}

type HighlightMeta =
  | { kind: 'set'; highlights: PaintedHighlight[]; index: TextIndex }
  | { kind: 'active'; id: string | null; index: TextIndex }
  | { kind: 'flash'; id: string | null; index: TextIndex }

/** The plugin's key, for reading its state and sending it highlights. */
export const highlightKey = new PluginKey<HighlightPluginState>('stance-highlights')

/** A translucent tint of a code colour for the highlight background. */
function tint(color: string, percent: number): string {
  return `color-mix(in srgb, ${color} ${percent}%, transparent)`
}

/**
 * Splits highlights into non-overlapping segments so overlaps stay legible: each segment lists every
 * highlight covering it and shows every code as a stacked underline, with striped tints where codes differ.
 */
export function buildDecorations(doc: EditorState['doc'], index: TextIndex, highlights: PaintedHighlight[], activeId: string | null, flashId: string | null): DecorationSet {
  return DecorationSet.create(doc, segmentDecorations(index, highlights, activeId, flashId))
}

/** The segment decorations for a set of highlights (see buildDecorations). */
function segmentDecorations(index: TextIndex, highlights: PaintedHighlight[], activeId: string | null, flashId: string | null): Decoration[] {
  const points = new Set<number>()
  for (const h of highlights) {
    points.add(h.start)
    points.add(h.end)
  }
  const boundaries = [...points].sort((a, b) => a - b)
  const sorted = [...highlights].sort((a, b) => a.start - b.start || b.end - a.end)
  const decorations: Decoration[] = []
  let open: PaintedHighlight[] = []
  let next = 0
  for (let i = 0; i < boundaries.length - 1; i++) {
    const from = boundaries[i]!
    const to = boundaries[i + 1]!
    open = open.filter((h) => h.end > from)
    while (next < sorted.length && sorted[next]!.start <= from) {
      if (sorted[next]!.end > from) open.push(sorted[next]!)
      next++
    }
    if (open.length === 0) continue
    const byId = new Map<string, { name: string; color: string; rank: number }>()
    for (const h of open) for (const c of h.codes) byId.set(c.id, c)
    const codes = [...byId.values()].sort((a, b) => a.rank - b.rank)
    const colors = codes.map((c) => c.color)
    const ids = open.map((h) => h.id)
    const classes = ['hl']
    let style: string | undefined
    if (codes.length === 1) {
      // One code: a class per codebook rank (see highlightStyles), so a thousand spans share one style rule.
      classes.push(`hl-r${codes[0]!.rank}`)
    } else {
      const underline = colors.map((color, k) => `inset 0 -${(k + 1) * 2}px 0 ${color}`).join(', ')
      const stripes = colors.map((c, k) => `${tint(c, 24)} ${k * 7}px ${(k + 1) * 7}px`).join(', ')
      style = `background-image: repeating-linear-gradient(135deg, ${stripes}); box-shadow: ${underline}; padding-bottom: ${(colors.length - 1) * 2}px;`
    }
    if (open.length > 1 || colors.length > 1) classes.push('hl-overlap')
    if (activeId && ids.includes(activeId)) classes.push('hl-active')
    if (flashId && ids.includes(flashId)) classes.push('hl-flash')
    decorations.push(
      Decoration.inline(
        index.toPos(from),
        index.toPos(to),
        {
          class: classes.join(' '),
          ...(style ? { style } : {}),
          title: codes.map((c) => c.name).join(' · '),
          'data-hl': ids.join(' ')
        },
        { ids }
      )
    )
  }
  return decorations
}

function signature(h: PaintedHighlight): string {
  return `${h.start}:${h.end}:${h.codes.map((c) => `${c.id}|${c.color}|${c.name}|${c.rank}`).join(',')}`
}

/** Above this many changed highlights a full rebuild is as cheap as patching. */
const PATCH_LIMIT = 200

/**
 * Moves from one painted state to the next by replacing only the decorations around highlights that
 * changed (added, removed, recoded, activated, flashed). Rebuilding every decoration made ProseMirror
 * redraw all thousand spans for each new highlight.
 */
export function updateDecorations(prev: HighlightPluginState, next: Omit<HighlightPluginState, 'decorations'>, doc: EditorState['doc'], index: TextIndex): DecorationSet {
  if (prev.highlights.length === 0) return buildDecorations(doc, index, next.highlights, next.activeId, next.flashId)
  const before = new Map(prev.highlights.map((h) => [h.id, h]))
  const after = new Map(next.highlights.map((h) => [h.id, h]))
  const touched: PaintedHighlight[] = []
  for (const h of next.highlights) {
    const old = before.get(h.id)
    if (!old || signature(old) !== signature(h)) touched.push(h, ...(old ? [old] : []))
  }
  for (const h of prev.highlights) if (!after.has(h.id)) touched.push(h)
  const marks: [string | null, string | null][] = [
    [prev.activeId, next.activeId],
    [prev.flashId, next.flashId]
  ]
  for (const [was, is] of marks) {
    if (was === is) continue
    for (const id of [was, is]) {
      const h = id ? (after.get(id) ?? before.get(id)) : undefined
      if (h) touched.push(h)
    }
  }
  if (touched.length === 0) return prev.decorations
  if (touched.length > PATCH_LIMIT) return buildDecorations(doc, index, next.highlights, next.activeId, next.flashId)
  let from = Math.min(...touched.map((h) => h.start))
  let to = Math.max(...touched.map((h) => h.end))
  // Segments depend on every highlight overlapping the range, old and new: widen until none sticks out.
  for (let widened = true; widened; ) {
    widened = false
    for (const h of [...prev.highlights, ...next.highlights]) {
      if (h.start < to && h.end > from && (h.start < from || h.end > to)) {
        from = Math.min(from, h.start)
        to = Math.max(to, h.end)
        widened = true
      }
    }
  }
  const posFrom = index.toPos(from)
  const posTo = index.toPos(to)
  const stale = prev.decorations.find(posFrom, posTo).filter((d) => d.to > posFrom && d.from < posTo)
  const inRange = next.highlights.filter((h) => h.start < to && h.end > from)
  return prev.decorations.remove(stale).add(doc, segmentDecorations(index, inRange, next.activeId, next.flashId))
}

/** The stylesheet behind the `hl-r<rank>` classes: a tint and an underline in each code's colour. */
export function highlightStyles(highlights: PaintedHighlight[]): string {
  const colors = new Map<number, string>()
  for (const h of highlights) for (const c of h.codes) colors.set(c.rank, c.color)
  return [...colors]
    .sort(([a], [b]) => a - b)
    .map(([rank, color]) => `.reader-doc .hl-r${rank} { background-color: ${tint(color, 22)}; box-shadow: inset 0 -2px 0 ${color}; }`)
    .join('\n')
}

/** The ProseMirror plugin that paints highlights as decorations kept in plugin state. */
export function highlightPlugin(): Plugin<HighlightPluginState> {
  return new Plugin<HighlightPluginState>({
    key: highlightKey,
    state: {
      init: () => ({ decorations: DecorationSet.empty, highlights: [], activeId: null, flashId: null }),
      apply(tr, value, _old, state) {
        const meta = tr.getMeta(highlightKey) as HighlightMeta | undefined
        if (!meta) {
          // The reader's document does not change, but if it ever does, decorations follow their text.
          return tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value
        }
        const next = { ...value }
        if (meta.kind === 'set') next.highlights = meta.highlights
        if (meta.kind === 'active') next.activeId = meta.id
        if (meta.kind === 'flash') next.flashId = meta.id
        next.decorations = updateDecorations(value, next, state.doc, meta.index)
        return next
      }
    },
    props: {
      decorations(state) {
        return highlightKey.getState(state)?.decorations ?? DecorationSet.empty
      }
    }
  })
}
