import type { ArticleMeta } from '../../shared/domain/article'
import type { ArticleBlock, ArticleDoc } from '../../shared/domain/article-doc'
import { AppError } from '../../shared/result'

/** An article read from a bundled text file: its metadata and display document. */
export interface ParsedArticle {
  meta: ArticleMeta
  doc: ArticleDoc
}

function field(front: Map<string, string>, key: string): string | null {
  const value = front.get(key)?.trim()
  return value ? value : null
}

/**
 * Reads the bundled sample format: a `---` front-matter block of `key: value` lines, then paragraphs
 * separated by blank lines, with `## ` marking a subheading. Text is NFC-normalized so offsets are stable.
 */
export function parseSampleArticle(source: string): ParsedArticle {
  const normalized = source.replace(/\r\n?/g, '\n').normalize('NFC')
  const match = /^---\n([\s\S]*?)\n---\n/.exec(normalized)
  if (!match) throw new AppError('invalid-input', 'The sample article has no front matter.')
  const front = new Map<string, string>()
  for (const line of (match[1] ?? '').split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) front.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const title = field(front, 'title')
  if (!title) throw new AppError('invalid-input', 'The sample article has no title.')
  const blocks: ArticleBlock[] = normalized
    .slice(match[0].length)
    .split(/\n{2,}/)
    .map((chunk) => chunk.replace(/\s*\n\s*/g, ' ').trim())
    .filter((chunk) => chunk.length > 0)
    .map((chunk): ArticleBlock =>
      chunk.startsWith('## ')
        ? { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: chunk.slice(3).trim() }] }
        : { type: 'paragraph', content: [{ type: 'text', text: chunk }] }
    )
  return {
    meta: {
      title,
      outlet: field(front, 'outlet'),
      author: field(front, 'author'),
      publishedAt: field(front, 'published'),
      sourceUrl: field(front, 'url')
    },
    doc: { type: 'doc', content: blocks }
  }
}
