import { getSchema } from '@tiptap/core'
import { Node as PMNode } from '@tiptap/pm/model'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildDecorations, highlightStyles, updateDecorations, type PaintedHighlight } from './highlight-decorations'
import { readerExtensions } from './reader-schema'
import { TextIndex } from './text-index'

const schema = getSchema(readerExtensions())
const doc = PMNode.fromJSON(schema, {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: 'Kyiv said no to talks.' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Moscow 😀 disagreed.' }] }
  ]
})
const index = new TextIndex(doc)
const us = { id: 'us', name: 'US stance', color: '#0072b2', rank: 0 }
const ua = { id: 'ua', name: 'Ukrainian stance', color: '#e6b400', rank: 2 }

function segments(highlights: PaintedHighlight[], active: string | null = null) {
  return buildDecorations(doc, index, highlights, active, null)
    .find()
    .map((d) => ({
      text: doc.textBetween(d.from, d.to),
      title: (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs.title,
      ids: (d.spec as { ids: string[] }).ids,
      classes: (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs.class
    }))
}

describe('buildDecorations', () => {
  it('splits overlapping highlights into segments that list every code, in codebook order', () => {
    const result = segments([
      { id: 'b', start: 5, end: 17, codes: [us] },
      { id: 'a', start: 0, end: 12, codes: [ua] }
    ])
    expect(result).toEqual([
      { text: 'Kyiv ', title: 'Ukrainian stance', ids: ['a'], classes: 'hl hl-r2' },
      { text: 'said no', title: 'US stance · Ukrainian stance', ids: ['a', 'b'], classes: 'hl hl-overlap' },
      { text: ' to t', title: 'US stance', ids: ['b'], classes: 'hl hl-r0' }
    ])
  })

  it('spans paragraphs and astral characters by code-point offsets, and marks the active highlight', () => {
    // "Kyiv said no to talks." is 22 code points, then the blank-line separator; "Moscow 😀" ends at 32.
    const result = segments([{ id: 'x', start: 18, end: 32, codes: [us] }], 'x')
    // One inline decoration across the block boundary; ProseMirror draws it in each paragraph.
    expect(result.map((s) => s.text)).toEqual(['lks.Moscow 😀'])
    expect(result.every((s) => s.classes?.includes('hl-active'))).toBe(true)
  })

  it('gives each code rank one stylesheet rule in its colour', () => {
    expect(highlightStyles([{ id: 'a', start: 0, end: 1, codes: [ua, us] }]).split('\n')).toEqual([
      '.reader-doc .hl-r0 { background-color: color-mix(in srgb, #0072b2 22%, transparent); box-shadow: inset 0 -2px 0 #0072b2; }',
      '.reader-doc .hl-r2 { background-color: color-mix(in srgb, #e6b400 22%, transparent); box-shadow: inset 0 -2px 0 #e6b400; }'
    ])
  })

  it('paints nothing without highlights', () => {
    expect(segments([])).toEqual([])
  })
})

describe('updateDecorations', () => {
  const state = (highlights: PaintedHighlight[], activeId: string | null = null) => ({
    highlights,
    activeId,
    flashId: null,
    decorations: buildDecorations(doc, index, highlights, activeId, null)
  })
  const spans = (set: ReturnType<typeof buildDecorations>) =>
    set.find().map((d) => [d.from, d.to, (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs.class, (d.spec as { ids: string[] }).ids.join(' ')])

  it('patches to exactly what a full rebuild paints, for adds, removals, recodes and activation', () => {
    const a = { id: 'a', start: 0, end: 4, codes: [ua] }
    const b = { id: 'b', start: 10, end: 17, codes: [us] }
    const c = { id: 'c', start: 24, end: 30, codes: [us] }
    const cases: [PaintedHighlight[], PaintedHighlight[], string | null][] = [
      [[a, c], [a, b, c], null],
      [[a, b, c], [a, c], null],
      [[a, b, c], [a, { ...b, codes: [us, ua] }, c], null],
      [[a, b, c], [a, { ...b, start: 2, end: 12 }, c], 'b'],
      [[a, b, c], [a, b, c], 'c']
    ]
    for (const [before, after, active] of cases) {
      const patched = updateDecorations(state(before), { highlights: after, activeId: active, flashId: null }, doc, index)
      expect(spans(patched)).toEqual(spans(buildDecorations(doc, index, after, active, null)))
    }
  })

  it('keeps the very same set when nothing changed', () => {
    const prev = state([{ id: 'a', start: 0, end: 4, codes: [ua] }])
    expect(updateDecorations(prev, { highlights: [...prev.highlights], activeId: null, flashId: null }, doc, index)).toBe(prev.decorations)
  })
})

describe('updateDecorations, chained over random edits', () => {
  const spans = (set: ReturnType<typeof buildDecorations>) =>
    set.find().map((d) => [d.from, d.to, (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs.class, (d.spec as { ids: string[] }).ids.join(' ')])
  const length = index.length
  const highlight = fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 1, max: 20 }), fc.boolean())
    .map(([id, start, size, both]) => ({ id: `h${id}`, start, end: Math.min(length, start + size), codes: both ? [us, ua] : [id % 2 ? us : ua] }))
  const step = fc.record({
    highlights: fc.uniqueArray(highlight, { selector: (h) => h.id, maxLength: 6 }),
    activeId: fc.option(fc.constantFrom('h0', 'h1', 'h2', 'h3'), { nil: null }),
    flashId: fc.option(fc.constantFrom('h0', 'h1'), { nil: null })
  })

  it('always paints what a full rebuild paints, however the states follow each other', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let state = { highlights: [] as PaintedHighlight[], activeId: null as string | null, flashId: null as string | null, decorations: buildDecorations(doc, index, [], null, null) }
        for (const next of steps) {
          state = { ...next, decorations: updateDecorations(state, next, doc, index) }
          expect(spans(state.decorations)).toEqual(spans(buildDecorations(doc, index, next.highlights, next.activeId, next.flashId)))
        }
      }),
      { numRuns: 2000 }
    )
  })
})
