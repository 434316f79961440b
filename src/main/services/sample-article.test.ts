import { describe, expect, it } from 'vitest'
import { parseSampleArticle } from './sample-article'

describe('parseSampleArticle', () => {
  it('reads front matter, paragraphs and subheadings, normalizing line ends and Unicode', () => {
    const parsed = parseSampleArticle('---\r\ntitle: Kyiv\r\noutlet: Desk\r\npublished: 2025-02-18\r\n---\r\n\r\nFirst line\r\ncontinues.\r\n\r\n## Cafe\u0301\r\n\r\nLast.\r\n')
    expect(parsed.meta).toEqual({ title: 'Kyiv', outlet: 'Desk', author: null, publishedAt: '2025-02-18', sourceUrl: null })
    expect(parsed.doc.content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'First line continues.' }] },
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Café' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Last.' }] }
    ])
  })

  it('refuses a file without front matter or title', () => {
    expect(() => parseSampleArticle('Just text')).toThrow(/front matter/)
    expect(() => parseSampleArticle('---\noutlet: x\n---\nBody')).toThrow(/title/)
  })
})
