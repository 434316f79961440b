import { describe, expect, it } from 'vitest'
import type { NoteDoc } from '../domain/note-doc'
import { isNoteEmpty, NOTE_PREVIEW_LENGTH, notePreview, quoteChips, quotedHighlightIds } from './note-summary'

const H1 = '11111111-1111-4111-8111-111111111111'
const H2 = '22222222-2222-4222-8222-222222222222'
const chip = (highlightId: string, quote = 'q') => ({ type: 'quoteChip' as const, attrs: { highlightId, quote } })

describe('quotedHighlightIds', () => {
  it('finds chips in paragraphs, headings, blockquotes and nested lists, each id once in order', () => {
    const doc: NoteDoc = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [chip(H2)] },
        { type: 'blockquote', content: [{ type: 'paragraph', content: [chip(H1)] }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [chip(H2, 'again')] }] }] }] }] }
      ]
    }
    expect(quotedHighlightIds(doc)).toEqual([H2, H1])
    expect(quoteChips(doc).map((c) => c.quote)).toEqual(['q', 'q', 'again'])
  })
})

describe('isNoteEmpty', () => {
  it('is true with no text but whitespace and no chips', () => {
    expect(isNoteEmpty({ type: 'doc', content: [] })).toBe(true)
    expect(isNoteEmpty({ type: 'doc', content: [{ type: 'paragraph' }, { type: 'paragraph', content: [{ type: 'text', text: '  ' }, { type: 'hardBreak' }] }] })).toBe(true)
    expect(isNoteEmpty({ type: 'doc', content: [{ type: 'paragraph', content: [chip(H1, '')] }] })).toBe(false)
    expect(isNoteEmpty({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] })).toBe(false)
  })
})

describe('notePreview', () => {
  it('collapses whitespace to one line', () => {
    expect(notePreview('  First line\n\n- item\t two  ')).toBe('First line - item two')
  })

  it('cuts at 160 code points without splitting a character', () => {
    expect(NOTE_PREVIEW_LENGTH).toBe(160)
    expect(notePreview('a'.repeat(500))).toBe('a'.repeat(160))
    const flags = '🇺🇦'.repeat(200)
    const preview = notePreview(flags)
    expect(Array.from(preview)).toHaveLength(160)
    expect(preview).toBe(flags.slice(0, 320))
    expect(notePreview('x'.repeat(159) + ' y')).toBe('x'.repeat(159))
  })
})
