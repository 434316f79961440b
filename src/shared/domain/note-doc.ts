import { z } from 'zod'

/** Largest note Stance stores, as its JSON text. */
export const MAX_NOTE_BYTES = 1_000_000

/** A mark in a note: bold, italic, inline code, or a link to an http(s) or mailto address. */
export type NoteMark = { type: 'bold' } | { type: 'italic' } | { type: 'code' } | { type: 'link'; attrs: { href: string } }

/** Inline content of a note. */
export type NoteInline =
  | { type: 'text'; text: string; marks?: NoteMark[] }
  | { type: 'hardBreak' }
  /** A live quote of a highlight of the same article; `quote` keeps its last known words. */
  | { type: 'quoteChip'; attrs: { highlightId: string; quote: string } }

/** A block of a note. */
export type NoteBlock =
  | { type: 'paragraph'; content?: NoteInline[] }
  | { type: 'heading'; attrs: { level: 1 | 2 | 3 }; content?: NoteInline[] }
  | { type: 'blockquote'; content: NoteBlock[] }
  | { type: 'bulletList'; content: NoteListItem[] }
  | { type: 'orderedList'; attrs?: { start?: number }; content: NoteListItem[] }

/** A list item of a note. */
export interface NoteListItem {
  type: 'listItem'
  content: NoteBlock[]
}

/** A note's document: ProseMirror JSON restricted to the note editor's schema. */
export interface NoteDoc {
  type: 'doc'
  content: NoteBlock[]
}

const href = z
  .string()
  .trim()
  .max(4096)
  .refine((value) => /^(https?:\/\/|mailto:)/i.test(value), 'links in notes may only point to http(s) or mailto addresses')

// Objects strip keys they do not know (TipTap adds attrs such as a link's target and rel): only what the
// schema names is stored, so nothing else can ride along into exports.
const mark: z.ZodType<NoteMark> = z.union([
  z.object({ type: z.literal('bold') }),
  z.object({ type: z.literal('italic') }),
  z.object({ type: z.literal('code') }),
  z.object({ type: z.literal('link'), attrs: z.object({ href }) })
])

const inline: z.ZodType<NoteInline> = z.union([
  z.object({ type: z.literal('text'), text: z.string().min(1), marks: z.array(mark).max(10).optional() }),
  z.object({ type: z.literal('hardBreak') }),
  z.object({
    type: z.literal('quoteChip'),
    attrs: z.object({ highlightId: z.uuid('a quote must name a highlight'), quote: z.string().max(10_000) })
  })
])

const inlineContent = z.array(inline).optional()

const listItem: z.ZodType<NoteListItem> = z.lazy(() => z.object({ type: z.literal('listItem'), content: z.array(block).min(1) }))

const block: z.ZodType<NoteBlock> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('paragraph'), content: inlineContent }),
    z.object({ type: z.literal('heading'), attrs: z.object({ level: z.union([z.literal(1), z.literal(2), z.literal(3)]) }), content: inlineContent }),
    z.object({ type: z.literal('blockquote'), content: z.array(block).min(1) }),
    z.object({ type: z.literal('bulletList'), content: z.array(listItem).min(1) }),
    z.object({
      type: z.literal('orderedList'),
      attrs: z.object({ start: z.number().int().min(0).max(1_000_000).optional() }).optional(),
      content: z.array(listItem).min(1)
    })
  ])
)

/** Validates a note document from the editor; also enforces the 1 MB limit. */
export const noteDocSchema: z.ZodType<NoteDoc> = z
  .object({ type: z.literal('doc'), content: z.array(block).max(20_000) })
  .refine((doc) => JSON.stringify(doc).length <= MAX_NOTE_BYTES, `a note may be at most 1 MB`)
