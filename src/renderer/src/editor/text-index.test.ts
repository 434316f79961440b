import { getSchema } from '@tiptap/core'
import { Node as PMNode } from '@tiptap/pm/model'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sliceCodePoints } from '../../../shared/anchoring/code-points'
import type { ArticleDoc } from '../../../shared/domain/article-doc'
import { canonicalText } from '../../../shared/domain/canonical-text'
import { readerExtensions } from './reader-schema'
import { TextIndex } from './text-index'

const schema = getSchema(readerExtensions())

const doc: ArticleDoc = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Переговоры 🇺🇦' }] },
    { type: 'paragraph' },
    { type: 'paragraph', content: [{ type: 'text', text: 'Kyiv ' }, { type: 'text', text: 'said', marks: [{ type: 'bold' }] }, { type: 'hardBreak' }, { type: 'text', text: 'no 😀.' }] },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'قال الوزير' }] }] },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'e\u0301 item' }] }] }] }
  ]
}

describe('TextIndex', () => {
  const node = PMNode.fromJSON(schema, doc)
  const index = new TextIndex(node)
  const text = canonicalText(doc)

  it('rebuilds exactly the canonical text the main process stores', () => {
    expect(index.text()).toBe(text)
    expect(index.length).toBe([...text].length)
  })

  it('maps every offset inside a block to the document position of that character', () => {
    const chars = [...text]
    chars.forEach((char, offset) => {
      if (char === '\n' && chars[offset + 1] === '\n') return
      if (char === '\n' && chars[offset - 1] === '\n') return
      const pos = index.toPos(offset)
      const end = index.toPos(offset + 1)
      const between = node.textBetween(pos, end, '\n', '\n')
      expect(between, `offset ${offset}`).toBe(char)
      expect(index.toOffset(pos)).toBe(offset)
    })
  })

  it('round-trips any range to the same text', () => {
    fc.assert(
      fc.property(fc.nat(index.length), fc.nat(index.length), (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a]
        const from = index.toPos(start)
        const to = index.toPos(end)
        const back = [index.toOffset(from, 'start'), index.toOffset(to, 'end')]
        const slice = sliceCodePoints(text, back[0]!, back[1]!)
        // Separators map to block edges, so the round trip may trim them but never changes the words.
        expect(sliceCodePoints(text, start, end).includes(slice.trim()) || slice === '').toBe(true)
      }),
      { numRuns: 500 }
    )
  })
})
