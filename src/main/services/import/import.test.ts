import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ArticleDoc, ArticleInline } from '../../../shared/domain/article-doc'
import { articleDocSchema } from '../../../shared/domain/article-doc'
import { canonicalText } from '../../../shared/domain/canonical-text'
import { decodeDocument, decodeWindows1252, MAX_IMPORT_BYTES } from './decode'
import { importHtmlFragment } from './html'
import { importDocument, kindForFileName, requireKind } from './index'

const fixture = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', name)))

/** Every link target in a document. */
function hrefs(doc: ArticleDoc): string[] {
  return [...JSON.stringify(doc).matchAll(/"href":"([^"]*)"/g)].map((m) => m[1]!)
}

function blockTypes(doc: ArticleDoc): string[] {
  return doc.content.map((block) => (block.type === 'heading' ? `h${block.attrs.level}` : block.type))
}

describe('kindForFileName', () => {
  it('tells the kind from the extension, case-insensitively, and nothing else', () => {
    expect(['a.txt', 'b.TEXT', 'c.md', 'd.Markdown', 'e.html', 'f.HTM', 'g.xhtml'].map(kindForFileName)).toEqual(['text', 'text', 'markdown', 'markdown', 'html', 'html', 'html'])
    expect(['report.pdf', 'notes.docx', 'README', 'archive.html.zip', '.md'].map(kindForFileName)).toEqual([null, null, null, null, 'markdown'])
    expect(() => requireKind('report.pdf')).toThrow(expect.objectContaining({ code: 'invalid-input', message: '“report.pdf” is not a supported type (.txt, .md, .html).' }))
  })
})

describe('decodeDocument', () => {
  it('decodes UTF-8, strips the BOM, normalizes line endings and NFC', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('Cafe\u0301\r\nna\u00efve\rend', 'utf8')])
    expect(decodeDocument(bytes)).toBe('Café\nnaïve\nend')
    expect(decodeDocument('\uFEFFtext')).toBe('text')
  })

  it('falls back to windows-1252 when the bytes are not UTF-8, with its curly quotes and dashes', () => {
    expect(decodeWindows1252(new Uint8Array([0x93, 0x41, 0x94, 0x96, 0x85, 0xe9, 0x81]))).toBe('“A”–…é\u0081')
    expect(decodeDocument(new Uint8Array([0x93, 0x41, 0x94, 0x20, 0x92]))).toBe('“A” ’')
  })

  it('decodes UTF-16 with a byte-order mark', () => {
    expect(decodeDocument(new Uint8Array([0xff, 0xfe, ...Buffer.from('Київ', 'utf16le')]))).toBe('Київ')
  })

  it('honours the charset an HTML page declares when it is not UTF-8', () => {
    const page = Buffer.concat([Buffer.from('<meta charset="windows-1251"><p>'), Buffer.from([0xca, 0xe8, 0xe5, 0xe2]), Buffer.from('</p>')])
    expect(decodeDocument(page, { html: true })).toBe('<meta charset="windows-1251"><p>Киев</p>')
  })

  it('refuses binary, empty and oversized documents, naming the file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52])
    expect(() => decodeDocument(png, { fileName: 'photo.txt' })).toThrow(expect.objectContaining({ code: 'invalid-input', message: '“photo.txt”: This file looks binary, not text.' }))
    const controls = new Uint8Array(1000).map((_, i) => (i % 10 === 0 ? 0x01 : 0x61))
    expect(() => decodeDocument(controls, { fileName: 'x.txt' })).toThrow(/looks binary/)
    expect(() => decodeDocument('a\u0000b')).toThrow('This file looks binary, not text.')
    expect(() => decodeDocument(new Uint8Array(0), { fileName: 'empty.txt' })).toThrow('“empty.txt”: This file is empty.')
    expect(() => decodeDocument(' \n\t\r\n \u00a0', { fileName: 'blank.md' })).toThrow('“blank.md”: This file is empty.')
    expect(() => decodeDocument(new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x61), { fileName: 'big.txt' })).toThrow('“big.txt”: This file is larger than 20 MB, the most Stance imports.')
  })

  it('removes stray control characters, including the search markers', () => {
    const prose = 'plain words '.repeat(10)
    expect(decodeDocument(`${prose}a\u0002b\u0003c\u0007\td\u0085`)).toBe(`${prose}abc\td`)
  })
})

describe('importDocument: plain text', () => {
  it('reads a windows-1252 file: title from the first line, paragraphs on blank lines, curly quotes kept', async () => {
    const { meta, doc } = await importDocument({ kind: 'text', content: fixture('cp1252.txt'), fileName: 'cp1252.txt' })
    expect(meta).toEqual({ title: 'Talks in Riyadh', outlet: null, author: null, publishedAt: null, sourceUrl: null })
    expect(canonicalText(doc)).toBe('“Nothing about Ukraine without Ukraine,” Zelenskyy said – and his ministers agreed.\n\nThe café’s owner shrugged. …')
    expect(blockTypes(doc)).toEqual(['paragraph', 'paragraph'])
  })

  it('takes the file name as title when the first line is long, and keeps that line in the body', async () => {
    const long = 'word '.repeat(60).trim()
    const { meta, doc } = await importDocument({ kind: 'text', content: `${long}\n\nSecond.`, fileName: 'notes/field-report.txt' })
    expect(meta.title).toBe('field-report')
    expect(canonicalText(doc)).toBe(`${long}\n\nSecond.`)
    expect((await importDocument({ kind: 'text', content: 'x'.repeat(300) })).meta.title).toBe('Untitled article')
  })

  it('keeps a lone first line as the body when there is nothing else', async () => {
    const { meta, doc } = await importDocument({ kind: 'text', content: 'Only line', fileName: 'a.txt' })
    expect(meta.title).toBe('Only line')
    expect(canonicalText(doc)).toBe('Only line')
  })
})

describe('importDocument: Markdown', () => {
  it('reads front matter and converts the body through the HTML path, dropping a repeated title', async () => {
    const { meta, doc } = await importDocument({ kind: 'markdown', content: fixture('front-matter.md'), fileName: 'munich.md' })
    expect(meta).toEqual({
      title: 'Munich: a speech and its echo',
      author: 'Max Mustermann',
      outlet: 'Policy Review',
      publishedAt: '2025-02-14',
      sourceUrl: 'https://review.example.org/munich'
    })
    expect(blockTypes(doc)).toEqual(['paragraph', 'h2', 'blockquote', 'orderedList', 'paragraph'])
    expect(canonicalText(doc)).toBe(
      'The vice-president spoke in Munich about free speech and European security, and the hall fell silent.\n\nReactions\n\n' +
        'Germany\'s defence minister called the remarks "unacceptable".\n\nBerlin protested.\n\nParis called a meeting.\n\nSee the transcript and a script.'
    )
    const first = doc.content[0]
    expect(first?.type === 'paragraph' && first.content?.filter((n): n is Extract<ArticleInline, { type: 'text' }> => n.type === 'text' && n.marks !== undefined)).toEqual([
      { type: 'text', text: 'Munich', marks: [{ type: 'bold' }] },
      { type: 'text', text: 'free speech', marks: [{ type: 'italic' }] }
    ])
    expect(hrefs(doc)).toEqual(['https://example.org/transcript'])
    expect(JSON.stringify(doc)).not.toMatch(/<script|alert|tracker|img|javascript:/i)
  })

  it('takes a leading # heading as the title when there is no front matter', async () => {
    const { meta, doc } = await importDocument({ kind: 'markdown', content: '# The headline\n\nBody text.\n\n#### Deep\n\n###### Deeper', fileName: 'x.md' })
    expect(meta.title).toBe('The headline')
    expect(blockTypes(doc)).toEqual(['paragraph', 'h4', 'h4'])
  })
})

describe('importDocument: HTML', () => {
  it('finds the article in a news page: metadata from the head, no navigation, ads, scripts, images or comments', async () => {
    const { meta, doc } = await importDocument({ kind: 'html', content: fixture('news.html'), fileName: 'riyadh.html' })
    expect(meta).toEqual({
      title: 'Envoys meet in Riyadh as Kyiv objects',
      outlet: 'The Daily Wire Service',
      author: 'Jane Correspondent',
      publishedAt: '2025-02-18',
      sourceUrl: 'https://news.example.com/world/riyadh-talks'
    })
    const text = canonicalText(doc)
    expect(text.startsWith('American and Russian officials met in Riyadh on Tuesday')).toBe(true)
    expect(text).toContain('“Nothing about Ukraine without Ukraine,” President Volodymyr Zelenskyy said')
    expect(text.endsWith('had not yet been touched.')).toBe(true)
    for (const junk of ['Subscribe', 'Advertisement', 'Sponsored', 'Related stories', 'Comments', 'All rights reserved', 'tracking', 'dataLayer', 'Privacy']) {
      expect(text, junk).not.toContain(junk)
    }
    expect(blockTypes(doc)).toEqual(['paragraph', 'paragraph', 'h2', 'paragraph', 'blockquote', 'paragraph', 'bulletList', 'paragraph'])
    expect(hrefs(doc)).toEqual(['https://gov.example.ua/statement'])
    expect(JSON.stringify(doc)).toContain('{"type":"text","text":"pointedly absent","marks":[{"type":"bold"}]}')
    expect(articleDocSchema.safeParse(doc).success).toBe(true)
  })

  it('leaves nothing of a hostile page but its text and safe links', async () => {
    const { meta, doc } = await importDocument({ kind: 'html', content: fixture('hostile.html'), fileName: 'hostile.html' })
    expect(meta).toMatchObject({ title: 'Hostile page', sourceUrl: null })
    const json = JSON.stringify(doc)
    const bad = ['javascript:', 'vbscript:', 'data:', 'alert', 'evil.example', 'onerror', 'onclick', 'iframe', 'srcdoc', 'svg text', 'math', 'form input', 'Go', 'noscript text']
    for (const needle of [...bad, 'template text', 'background', 'url(', 'relative/page', 'pixel', 'poster', '\\u0002', '\\u0003']) {
      expect(json, needle).not.toContain(needle)
    }
    expect(hrefs(doc)).toEqual(['https://other.example/protocol-relative', 'https://safe.example/ok', 'mailto:desk@example.org'])
    expect(canonicalText(doc)).toBe(
      'This paragraph is the real article text, long enough to be picked as content. It continues after the image.\n\n' +
        'Links: javascript, mixed case, leading space, data, vbscript, relative, protocol relative, safe and mail.\n\n' +
        'More text and after.\n\nStyled paragraph with an entity marker inside and the end of the article.'
    )
  })

  it('collapses whitespace like a browser, keeps line breaks and <pre> lines, maps heading levels and flattens containers', async () => {
    // Straight to sanitizing and converting: Readability's choice of content is not what is tested here.
    const html = `<article>
      <h1>One</h1><p>  Lead   text
      over <b> two </b> lines <i>and</i>&nbsp;more<br>  after   a break<br><br></p>
      <h5>Five</h5><h6>Six</h6><h3>Three</h3>
      <div><section><p>Nested</p>loose text<table><tr><td>cell one</td><td>cell two</td></tr></table></section></div>
      <p>   </p><p><span> </span></p>
      <pre>line 1\n  line 2</pre>
      <ul><li><h4>Heading item</h4></li><li><ul><li>nested only</li></ul></li></ul>
      <p>Long enough paragraph so that Readability keeps the whole body of this little test page as the article content.</p>
    </article>`
    const { doc } = await importHtmlFragment(html, { titleFromHeading: false })
    expect(blockTypes(doc)).toEqual(['h2', 'paragraph', 'h4', 'h4', 'h3', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'bulletList', 'paragraph'])
    expect(doc.content[1]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Lead text over ' },
        { type: 'text', text: 'two ', marks: [{ type: 'bold' }] },
        { type: 'text', text: 'lines ' },
        { type: 'text', text: 'and', marks: [{ type: 'italic' }] },
        { type: 'text', text: ' more' },
        { type: 'hardBreak' },
        { type: 'text', text: 'after a break' }
      ]
    })
    expect(canonicalText(doc).split('\n\n').slice(5, 10)).toEqual(['Nested', 'loose text', 'cell one', 'cell two', 'line 1\n  line 2'])
    // List items start with a paragraph, as the reader's schema requires.
    expect(doc.content[10]).toEqual({
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Heading item' }] }] },
        {
          type: 'listItem',
          content: [{ type: 'paragraph' }, { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nested only' }] }] }] }]
        }
      ]
    })
  })

  it('refuses a page with nothing readable', async () => {
    const empty = '<html><head><title>Nothing</title><script>alert(1)</script></head><body><nav><a href="/">Home</a></nav><img src="x.png"></body></html>'
    await expect(importDocument({ kind: 'html', content: empty, fileName: 'empty.html' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: '“empty.html”: No readable article was found in this HTML page.'
    })
  })
})

describe('importDocument: pages without an article', () => {
  it('refuses a page that is only navigation or furniture', async () => {
    for (const page of [
      '<html><head><title>x</title></head><body><nav>Home</nav></body></html>',
      '<html><body><header><a href="/">Site</a></header><aside>Advertisement: buy now</aside><footer>© Site</footer></body></html>'
    ]) {
      await expect(importDocument({ kind: 'html', content: page, fileName: 'no-article.html' }), page).rejects.toMatchObject({
        code: 'invalid-input',
        message: '“no-article.html”: No readable article was found in this HTML page.'
      })
    }
  })
})
