import type { Node as PMNode } from '@tiptap/pm/model'
import { codePointLength, codePointToUtf16, utf16ToCodePoint } from '../../../shared/anchoring/code-points'
import { BLOCK_SEPARATOR } from '../../../shared/domain/canonical-text'

interface IndexedBlock {
  /** Code-point offset of the block's first character in the canonical text. */
  cpStart: number
  /** Length of the block in code points. */
  cpLength: number
  /** Document position of the block's first character. */
  pos: number
  /** The block's text, with "\n" for hard breaks: inside a text block one UTF-16 unit is one position. */
  text: string
  /** Whether the block has characters outside the BMP; without them code points and UTF-16 units coincide. */
  astral: boolean
}

const SEPARATOR_LENGTH = codePointLength(BLOCK_SEPARATOR)

/**
 * Maps between code-point offsets in an article's canonical text and ProseMirror positions. It walks the
 * document exactly as `textBlocks` in shared/domain/canonical-text.ts walks the stored JSON, so both sides
 * agree on every offset.
 */
export class TextIndex {
  readonly blocks: IndexedBlock[] = []
  /** Length of the canonical text in code points. */
  readonly length: number

  constructor(doc: PMNode) {
    let cp = 0
    doc.descendants((node, pos) => {
      if (!node.isTextblock) return true
      let text = ''
      node.forEach((child) => {
        text += child.isText ? (child.text ?? '') : child.type.name === 'hardBreak' ? '\n' : ''
      })
      if (text.length > 0) {
        if (this.blocks.length > 0) cp += SEPARATOR_LENGTH
        const cpLength = codePointLength(text)
        this.blocks.push({ cpStart: cp, cpLength, pos: pos + 1, text, astral: cpLength !== text.length })
        cp += cpLength
      }
      return false
    })
    this.length = cp
  }

  /** The canonical text, rebuilt from the document (for checks against the stored text). */
  text(): string {
    return this.blocks.map((b) => b.text).join(BLOCK_SEPARATOR)
  }

  /** Index of the last block starting at or before a code-point offset. */
  #blockAtOffset(offset: number): number {
    let low = 0
    let high = this.blocks.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (this.blocks[mid]!.cpStart <= offset) low = mid
      else high = mid - 1
    }
    return low
  }

  /** Document position of a code-point offset; offsets inside a block separator go to the end of the block before it. */
  toPos(offset: number): number {
    if (this.blocks.length === 0) return 0
    const block = this.blocks[this.#blockAtOffset(Math.max(0, offset))]!
    const within = Math.min(Math.max(0, offset - block.cpStart), block.cpLength)
    return block.pos + (block.astral ? codePointToUtf16(block.text, within) : within)
  }

  /**
   * Code-point offset of a document position. Positions between blocks resolve forward for a range
   * start and backward for a range end, so a selection across paragraphs keeps exactly its text.
   */
  toOffset(pos: number, bias: 'start' | 'end' = 'start'): number {
    if (this.blocks.length === 0) return 0
    let low = 0
    let high = this.blocks.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (this.blocks[mid]!.pos <= pos) low = mid
      else high = mid - 1
    }
    const block = this.blocks[low]!
    const unit = pos - block.pos
    const previous = this.blocks[low - 1]
    if (unit < 0 || (unit === 0 && bias === 'end' && previous)) {
      // Before this block's text: a range end belongs to the end of the previous block.
      return bias === 'end' && previous ? previous.cpStart + previous.cpLength : block.cpStart
    }
    if (unit >= block.text.length) {
      // At or past this block's end: a range start belongs to the start of the next block.
      const next = this.blocks[low + 1]
      return bias === 'start' && next ? next.cpStart : block.cpStart + block.cpLength
    }
    // A position inside a surrogate pair cannot be produced by ProseMirror, but clamp to the pair's start anyway.
    return block.cpStart + (block.astral ? utf16ToCodePoint(block.text, unit) : unit)
  }
}
