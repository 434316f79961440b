import type { HighlightId } from '../domain/ids'
import type { NoteBlock, NoteDoc, NoteInline } from '../domain/note-doc'

/** Longest preview of a note, in characters (code points). */
export const NOTE_PREVIEW_LENGTH = 160

/** Every inline node of a note in document order. */
export function* noteInlines(doc: NoteDoc): Generator<NoteInline> {
  function* walk(blocks: readonly NoteBlock[]): Generator<NoteInline> {
    for (const block of blocks) {
      switch (block.type) {
        case 'paragraph':
        case 'heading':
          yield* block.content ?? []
          break
        case 'blockquote':
          yield* walk(block.content)
          break
        case 'bulletList':
        case 'orderedList':
          for (const item of block.content) yield* walk(item.content)
          break
      }
    }
  }
  yield* walk(doc.content)
}

/** The quote chips of a note in document order, repeats included. */
export function quoteChips(doc: NoteDoc): { highlightId: string; quote: string }[] {
  const chips: { highlightId: string; quote: string }[] = []
  for (const inline of noteInlines(doc)) if (inline.type === 'quoteChip') chips.push(inline.attrs)
  return chips
}

/** Ids of the highlights a note quotes, each once, in the order they first appear. */
export function quotedHighlightIds(doc: NoteDoc): HighlightId[] {
  return [...new Set(quoteChips(doc).map((chip) => chip.highlightId))] as HighlightId[]
}

/** Whether a note has neither text (other than whitespace) nor quote chips. */
export function isNoteEmpty(doc: NoteDoc): boolean {
  for (const inline of noteInlines(doc)) {
    if (inline.type === 'quoteChip' || (inline.type === 'text' && inline.text.trim() !== '')) return false
  }
  return true
}

/** A one-line preview of a note's plain text: whitespace collapsed, at most NOTE_PREVIEW_LENGTH code points. */
export function notePreview(plain: string): string {
  const line = plain.replace(/\s+/gu, ' ').trim()
  // Twice as many UTF-16 units always hold at least that many code points.
  const points = Array.from(line.slice(0, NOTE_PREVIEW_LENGTH * 2))
  return points.slice(0, NOTE_PREVIEW_LENGTH).join('').trimEnd()
}
