import type { ArticleDoc } from '../../src/shared/domain/article-doc'
import { canonicalText } from '../../src/shared/domain/canonical-text'
import { Random } from './random'

const WORDS = (
  'the talks envoy minister ceasefire territory guarantees sanctions delegation kremlin washington kyiv brussels ' +
  'agreement negotiation security summit proposal officials said told reporters insisted according statement ' +
  'reconstruction minerals membership alliance frontline accession partners government president spokesman ' +
  'Переговоры Москва Киев заявил министр 😀 🇪🇺 café naïve'
).split(' ')

/** A generated article and highlight ranges over its canonical text. */
export interface GeneratedArticle {
  doc: ArticleDoc
  text: string
  paragraphs: number
  /** Non-overlapping code-point ranges, each a few words long, spread over the text. */
  ranges: { start: number; end: number }[]
}

/**
 * A deterministic news-like article of `words` words in paragraphs of 40–120 words, and `count`
 * non-overlapping word-aligned ranges for highlights.
 */
export function generateArticle(seed: number, words: number, count: number): GeneratedArticle {
  const random = new Random(seed)
  const content: ArticleDoc['content'] = []
  let left = words
  while (left > 0) {
    const n = Math.min(left, random.int(40, 120))
    const sentence: string[] = []
    for (let i = 0; i < n; i++) sentence.push(random.pick(WORDS))
    left -= n
    const text = sentence.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.'
    content.push({ type: 'paragraph', content: [{ type: 'text', text }] })
  }
  const doc: ArticleDoc = { type: 'doc', content }
  const text = canonicalText(doc)
  const chars = [...text]
  const ranges: { start: number; end: number }[] = []
  const slot = Math.floor(chars.length / count)
  for (let i = 0; i < count; i++) {
    // One range per slot, starting at a word boundary inside the slot's first half.
    let start = i * slot + random.int(0, Math.max(0, Math.floor(slot / 2) - 1))
    while (start > 0 && chars[start - 1] !== ' ' && chars[start - 1] !== '\n') start--
    let end = Math.min(start + random.int(15, 60), (i + 1) * slot - 1)
    while (end < chars.length && /[^\s.]/.test(chars[end]!)) end++
    if (end > start && end <= (i + 1) * slot) ranges.push({ start, end })
  }
  return { doc, text, paragraphs: content.length, ranges }
}
