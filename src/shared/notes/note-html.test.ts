import { describe, expect, it } from 'vitest'
import { noteDocSchema, type NoteBlock, type NoteDoc, type NoteInline, type NoteMark } from '../domain/note-doc'
import { escapeHtml, noteToHtml, noteToPlainText } from './note-html'

const H1 = '11111111-1111-4111-8111-111111111111'
const H2 = '22222222-2222-4222-8222-222222222222'

const text = (value: string, ...marks: NoteMark[]): NoteInline =>
  marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (...content: NoteInline[]): NoteBlock => ({ type: 'paragraph', content })
const li = (...content: NoteBlock[]) => ({ type: 'listItem' as const, content })
const chip = (highlightId: string, quote: string): NoteInline => ({ type: 'quoteChip', attrs: { highlightId, quote } })
const doc = (...content: NoteBlock[]): NoteDoc => ({ type: 'doc', content })

/** A memo using every node and mark the schema allows. */
const golden = doc(
  { type: 'heading', attrs: { level: 2 }, content: [text('Riyadh, day one')] },
  p(
    text('The US '),
    text('framed', { type: 'bold' }),
    text(' it as '),
    text('a first step', { type: 'italic' }, { type: 'bold' }),
    text(' — see '),
    text('the readout', { type: 'link', attrs: { href: 'https://example.org/a?b=1&c=2' } }),
    text(' and '),
    text('code', { type: 'code' }),
    text('.')
  ),
  p(text('Kyiv said: '), chip(H1, 'Nothing about Ukraine without Ukraine'), { type: 'hardBreak' }, text('(not at the table)')),
  { type: 'bulletList', content: [li(p(text('US'))), li(p(text('Russia')), { type: 'bulletList', content: [li(p(text('Lavrov')))] })] },
  { type: 'orderedList', attrs: { start: 3 }, content: [li(p(text('third'))), li(p(text('fourth')))] },
  { type: 'blockquote', content: [p(text('Europe would be consulted later.'))] }
)

describe('noteToHtml', () => {
  it('serializes every node and mark (golden example)', () => {
    expect(noteToHtml(golden)).toBe(
      [
        '<h2>Riyadh, day one</h2>',
        '<p>The US <strong>framed</strong> it as <strong><em>a first step</em></strong> — see ',
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">the readout</a> and <code>code</code>.</p>',
        `<p>Kyiv said: <q class="stance-quote" data-highlight-id="${H1}">Nothing about Ukraine without Ukraine</q><br>(not at the table)</p>`,
        '<ul><li><p>US</p></li><li><p>Russia</p><ul><li><p>Lavrov</p></li></ul></li></ul>',
        '<ol start="3"><li><p>third</p></li><li><p>fourth</p></li></ol>',
        '<blockquote><p>Europe would be consulted later.</p></blockquote>'
      ].join('')
    )
  })

  it('escapes every text and attribute value', () => {
    const hostile = doc(
      p(text('<script>alert("x")</script> & \'quoted\'')),
      p(text('click', { type: 'link', attrs: { href: 'https://x.example/" onerror="alert(1)' } })),
      p(chip(H2, '"><img src=x onerror=alert(1)>'))
    )
    const html = noteToHtml(hostile)
    expect(html).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</p>' +
        '<p><a href="https://x.example/&quot; onerror=&quot;alert(1)" rel="noopener noreferrer">click</a></p>' +
        `<p><q class="stance-quote" data-highlight-id="${H2}">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</q></p>`
    )
    expect(html).not.toMatch(/<script|<img|" onerror/)
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;')
  })

  it('drops links, nodes and attributes the schema would not have let through', () => {
    const bypassed = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }, { type: 'underline' }] }] },
        { type: 'script', content: [{ type: 'text', text: 'alert(1)' }] },
        { type: 'paragraph', content: [{ type: 'image', attrs: { src: 'x' } }] },
        { type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'h' }] }
      ]
    } as unknown as NoteDoc
    expect(noteToHtml(bypassed)).toBe('<p>x</p><p></p><h3>h</h3>')
  })

  it('shows live quotes with their status and colour when a lookup is given', () => {
    const memo = doc(p(chip(H1, 'old words'), text(' '), chip(H2, 'gone')))
    const html = noteToHtml(memo, (id) =>
      id === H1 ? { quote: 'new <words>', color: '#AABBCC', status: 'live' } : id === H2 ? { quote: 'gone', status: 'deleted', color: 'red; x: y' } : undefined
    )
    expect(html).toBe(
      `<p><q class="stance-quote" data-highlight-id="${H1}" style="--stance-quote-color: #aabbcc">new &lt;words&gt;</q> ` +
        `<q class="stance-quote" data-highlight-id="${H2}" data-status="deleted">gone</q></p>`
    )
    expect(noteToHtml(memo, () => undefined)).toContain('>old words</q>')
  })

  it('writes an ordered list start only when it is not 1, and empty paragraphs as <p></p>', () => {
    expect(noteToHtml(doc({ type: 'orderedList', attrs: { start: 1 }, content: [li(p(text('a')))] }))).toBe('<ol><li><p>a</p></li></ol>')
    expect(noteToHtml(doc({ type: 'orderedList', attrs: { start: 0 }, content: [li(p(text('a')))] }))).toBe('<ol start="0"><li><p>a</p></li></ol>')
    expect(noteToHtml(doc({ type: 'paragraph' }))).toBe('<p></p>')
    expect(noteToHtml(doc())).toBe('')
  })
})

describe('noteToPlainText', () => {
  it('puts blocks on lines, prefixes list items and blockquotes, and quotes chips', () => {
    expect(noteToPlainText(golden)).toBe(
      [
        'Riyadh, day one',
        'The US framed it as a first step — see the readout and code.',
        'Kyiv said: “Nothing about Ukraine without Ukraine”',
        '(not at the table)',
        '- US',
        '- Russia',
        '  - Lavrov',
        '3. third',
        '4. fourth',
        '> Europe would be consulted later.'
      ].join('\n')
    )
  })

  it('indents continuation lines and nested ordered lists under their marker', () => {
    const nested = doc({
      type: 'orderedList',
      content: [li(p(text('first'), { type: 'hardBreak' }, text('more')), p(text('second paragraph')), { type: 'orderedList', content: [li(p(text('inner')))] })]
    })
    expect(noteToPlainText(nested)).toBe('1. first\n   more\n   second paragraph\n   1. inner')
  })

  it('uses live quote words from the lookup, and is empty for an empty note', () => {
    expect(noteToPlainText(doc(p(chip(H1, 'old'))), () => ({ quote: 'new' }))).toBe('“new”')
    expect(noteToPlainText(doc(p()))).toBe('')
    expect(noteToPlainText(doc())).toBe('')
  })

  it('keeps hostile text as is: plain text is not HTML', () => {
    expect(noteToPlainText(doc(p(text('<script>x</script>'))))).toBe('<script>x</script>')
  })
})

describe('noteDocSchema', () => {
  const withLink = (href: string) => doc(p(text('x', { type: 'link', attrs: { href } })))

  it('accepts the golden document unchanged', () => {
    expect(noteDocSchema.parse(golden)).toEqual(golden)
  })

  it('refuses javascript:, data: and other non-web links', () => {
    for (const href of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', 'file:///etc/passwd', '//evil.example']) {
      expect(noteDocSchema.safeParse(withLink(href)).success, href).toBe(false)
    }
    for (const href of ['https://example.org', 'HTTP://example.org', 'mailto:a@example.org']) expect(noteDocSchema.safeParse(withLink(href)).success, href).toBe(true)
  })

  it('refuses node types outside the note schema and chips without a highlight id', () => {
    expect(noteDocSchema.safeParse({ type: 'doc', content: [{ type: 'script', content: [] }] }).success).toBe(false)
    expect(noteDocSchema.safeParse({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'image', attrs: { src: 'x' } }] }] }).success).toBe(false)
    expect(noteDocSchema.safeParse(doc(p(chip('not-a-uuid', 'x')))).success).toBe(false)
  })

  it('strips attributes it does not know, so they cannot reach the HTML', () => {
    const parsed = noteDocSchema.parse({
      type: 'doc',
      content: [{ type: 'paragraph', attrs: { onclick: 'x' }, content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'https://a.example', target: '_blank', onclick: 'x' } }] }] }]
    })
    expect(parsed).toEqual(doc(p(text('x', { type: 'link', attrs: { href: 'https://a.example' } }))))
  })
})
