import { codePointLength } from '../anchoring/code-points'
import { BLOCK_SEPARATOR } from '../domain/canonical-text'

/** One sentence of an evaluation article and the stances (default code names) a careful coder gives it. */
export interface LabelledSentence {
  text: string
  stances: readonly string[]
}

/** A hand-labelled article for measuring suggestions: paragraphs (blocks) of labelled sentences. */
export interface LabelledArticle {
  id: string
  outlet: string
  published: string
  style: string
  paragraphs: readonly (readonly LabelledSentence[])[]
}

/** A labelled sentence placed in the assembled text, with code-point offsets (end exclusive). */
export interface PlacedSentence extends LabelledSentence {
  start: number
  end: number
}

/** An article's canonical text and its sentences with offsets into it. */
export interface AssembledArticle {
  text: string
  sentences: PlacedSentence[]
}

/**
 * Builds the canonical text the way the app does (blocks joined by a blank line; sentences of a block
 * joined by one space) so each label lines up with its sentence's code-point range.
 */
export function assembleLabelledArticle(article: LabelledArticle): AssembledArticle {
  const sentences: PlacedSentence[] = []
  const blocks: string[] = []
  let offset = 0
  article.paragraphs.forEach((paragraph, p) => {
    if (p > 0) offset += codePointLength(BLOCK_SEPARATOR)
    paragraph.forEach((sentence, s) => {
      if (s > 0) offset += 1
      const length = codePointLength(sentence.text)
      sentences.push({ ...sentence, start: offset, end: offset + length })
      offset += length
    })
    blocks.push(paragraph.map((sentence) => sentence.text).join(' '))
  })
  return { text: blocks.join(BLOCK_SEPARATOR), sentences }
}
