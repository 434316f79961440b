import type { ArticleBlock, ArticleDoc, ArticleInline } from './article-doc'

/** Separator placed between text blocks in the canonical text. */
export const BLOCK_SEPARATOR = '\n\n'

/** The text of one text block (paragraph or heading), in document order. */
export interface TextBlock {
  /** The block's text: its text runs, with "\n" for each hard break. */
  text: string
}

function inlineText(content: ArticleInline[] | undefined): string {
  let text = ''
  for (const node of content ?? []) text += node.type === 'text' ? node.text : '\n'
  return text
}

function collect(blocks: ArticleBlock[], out: TextBlock[]): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
      case 'heading': {
        const text = inlineText(block.content)
        // Empty blocks are skipped so that blank paragraphs never change offsets.
        if (text.length > 0) out.push({ text })
        break
      }
      case 'blockquote':
        collect(block.content, out)
        break
      case 'bulletList':
      case 'orderedList':
        for (const item of block.content) collect(item.content, out)
        break
      case 'horizontalRule':
        break
    }
  }
}

/** The non-empty text blocks of a document in reading order; the renderer walks its editor state the same way. */
export function textBlocks(doc: ArticleDoc): TextBlock[] {
  const out: TextBlock[] = []
  collect(doc.content, out)
  return out
}

/**
 * The canonical plain text of an article: its non-empty text blocks joined by a blank line.
 * Every stored offset counts Unicode code points over exactly this string.
 */
export function canonicalText(doc: ArticleDoc): string {
  return textBlocks(doc)
    .map((block) => block.text)
    .join(BLOCK_SEPARATOR)
}
