import { afterEach, describe, expect, it } from 'vitest'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, HighlightId } from '../../shared/domain/ids'
import type { NoteBlock, NoteDoc, NoteInline } from '../../shared/domain/note-doc'
import { NoteService } from './note-service'
import { dumpStore, openTestLibrary, type TestLibrary } from './test-support'

const MISSING = '00000000-0000-4000-8000-000000000000'

let lib: TestLibrary
let notes: NoteService
afterEach(() => lib?.store.dispose())

function setup() {
  lib = openTestLibrary()
  notes = new NoteService(lib.store.db, lib.store.repos)
  return lib
}

/** Codes the first occurrence of `words` in an article with the given codes. */
function code(articleId: ArticleId, words: string, codeIds = [lib.codes[0].id]): Highlight {
  const text = lib.store.repos.articles.textOf(articleId)
  const at = text.indexOf(words)
  if (at < 0) throw new Error(`"${words}" is not in the article`)
  const start = Array.from(text.slice(0, at)).length
  return lib.coding.create({ articleId, start, end: start + Array.from(words).length, codeIds })
}

const text = (value: string, marks?: { type: 'bold' | 'italic' | 'code' }[]): NoteInline => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value })
const chip = (highlightId: string, quote: string): NoteInline => ({ type: 'quoteChip', attrs: { highlightId, quote } })
const p = (...content: NoteInline[]): NoteBlock => ({ type: 'paragraph', content })
const doc = (...content: NoteBlock[]): NoteDoc => ({ type: 'doc', content })
const count = (match: string) => (lib.store.db.prepare('SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH ?').get(match) as { n: number }).n

describe('NoteService', () => {
  it('saves a formatted memo and gives back exactly that document, with HTML and plain text derived', () => {
    setup()
    const quoted = code(lib.article.id, 'Nothing about Ukraine without Ukraine', [lib.codes[2].id, lib.codes[0].id])
    const memo = doc(
      { type: 'heading', attrs: { level: 1 }, content: [text('Who sits at the table')] },
      p(text('Kyiv '), text('insists', [{ type: 'bold' }, { type: 'italic' }]), text(': '), chip(quoted.id, 'Nothing about Ukraine'), { type: 'hardBreak' }, text('see '), {
        type: 'text',
        text: 'the report',
        marks: [{ type: 'link', attrs: { href: 'https://example.org/r?a=1&b=2' } }]
      }),
      { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('Brussels')), { type: 'orderedList', attrs: { start: 2 }, content: [{ type: 'listItem', content: [p(text('seat'))] }] }] }] },
      { type: 'blockquote', content: [p(text('consulted later', [{ type: 'code' }]))] }
    )
    const saved = notes.save({ articleId: lib.article.id }, memo, undefined)
    expect(saved).toMatchObject({ target: { articleId: lib.article.id }, version: 1, doc: memo })
    expect(notes.get({ articleId: lib.article.id })).toStrictEqual(saved)
    expect(notes.get({ articleId: lib.article.id })?.doc).toStrictEqual(memo)
    // The chip shows the highlight's current words and the colour of its first code in codebook order (US stance).
    expect(saved.html).toBe(
      '<h1>Who sits at the table</h1>' +
        `<p>Kyiv <strong><em>insists</em></strong>: <q class="stance-quote" data-highlight-id="${quoted.id}" style="--stance-quote-color: ${lib.codes[0].color}">Nothing about Ukraine without Ukraine</q>` +
        '<br>see <a href="https://example.org/r?a=1&amp;b=2" rel="noopener noreferrer">the report</a></p>' +
        '<ul><li><p>Brussels</p><ol start="2"><li><p>seat</p></li></ol></li></ul>' +
        '<blockquote><p><code>consulted later</code></p></blockquote>'
    )
    expect(saved.plain).toBe('Who sits at the table\nKyiv insists: “Nothing about Ukraine without Ukraine”\nsee the report\n- Brussels\n  2. seat\n> consulted later')
    expect(count('insists')).toBe(1)
    expect(count('"sits at the table"')).toBe(1)
    expect(count('absent')).toBe(0)
  })

  it('keeps the search index in step with edits and deletes', () => {
    setup()
    const target = { articleId: lib.article.id }
    notes.save(target, doc(p(text('Geneva format'))), undefined)
    notes.save(target, doc(p(text('Istanbul format'))), 1)
    expect(count('Istanbul')).toBe(1)
    expect(count('Geneva')).toBe(0)
    expect(notes.delete(target)).toEqual({ deleted: true })
    expect(notes.delete(target)).toEqual({ deleted: false })
    expect(count('Istanbul')).toBe(0)
    expect(notes.get(target)).toBeNull()
    dumpStore(lib.store.db)
  })

  it('refuses a stale version and overwrites nothing', () => {
    setup()
    const h = code(lib.article.id, 'Brussels')
    const target = { highlightId: h.id }
    notes.save(target, doc(p(text('one'))), undefined)
    const two = notes.save(target, doc(p(text('two'))), 1)
    const before = dumpStore(lib.store.db)
    expect(() => notes.save(target, doc(p(text('stale'))), 1)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: 'This note was changed in another window since you started editing (now version 2, you edited version 1). Reload it to see the other changes.'
      })
    )
    expect(() => notes.save(target, doc(p(text('new'))), undefined)).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(dumpStore(lib.store.db)).toEqual(before)
    expect(notes.get(target)).toStrictEqual(two)
    notes.delete(target)
    expect(() => notes.save(target, doc(p(text('again'))), 2)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/deleted in another window/) }))
    expect(notes.get(target)).toBeNull()
  })

  it('refuses to delete a note changed in another window since it was loaded, and deletes nothing', () => {
    setup()
    const h = code(lib.article.id, 'Brussels')
    const target = { highlightId: h.id }
    notes.save(target, doc(p(text('one'))), undefined)
    // Window A loaded version 1; window B saved version 2 since.
    const two = notes.save(target, doc(p(text('two'))), 1)
    const before = dumpStore(lib.store.db)
    expect(() => notes.delete(target, 1)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: 'This note was changed in another window since you started editing (now version 2, you edited version 1), so it was not deleted. Reload it to see the other changes.'
      })
    )
    expect(dumpStore(lib.store.db)).toEqual(before)
    expect(notes.get(target)).toStrictEqual(two)
    expect(notes.delete(target, 2)).toEqual({ deleted: true })
    // Gone already (deleted in the other window): what the user asked for, so not a conflict.
    expect(notes.delete(target, 2)).toEqual({ deleted: false })
    expect(notes.delete(target)).toEqual({ deleted: false })
    expect(() => notes.delete({ highlightId: MISSING as HighlightId }, 1)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('reports unknown articles and highlights as not-found', () => {
    setup()
    const article = { articleId: MISSING as ArticleId }
    const highlight = { highlightId: MISSING as HighlightId }
    for (const target of [article, highlight]) {
      expect(() => notes.get(target)).toThrow(expect.objectContaining({ code: 'not-found' }))
      expect(() => notes.save(target, doc(p(text('x'))), undefined)).toThrow(expect.objectContaining({ code: 'not-found' }))
      expect(() => notes.delete(target)).toThrow(expect.objectContaining({ code: 'not-found' }))
    }
    expect(() => notes.get(highlight)).toThrow(`There is no passage with id ${MISSING}; it may have been deleted, and its note with it.`)
    expect(() => notes.list(MISSING as ArticleId)).toThrow(expect.objectContaining({ code: 'not-found', message: `There is no article with id ${MISSING}.` }))
    expect(lib.store.db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 })
  })

  it('lists the memo, then highlight notes in reading order, with one-line previews and quoted highlights', () => {
    setup()
    const later = code(lib.article.id, 'Washington')
    const first = code(lib.article.id, 'Zelenskyy')
    const elsewhere = code(lib.other.id, 'Munich')
    expect(notes.list(lib.article.id)).toEqual([])
    notes.save({ highlightId: later.id }, doc(p(text('US  line')), p(text('second\tline'))), undefined)
    notes.save({ highlightId: first.id }, doc(p(text('x'.repeat(300)))), undefined)
    notes.save({ highlightId: elsewhere.id }, doc(p(text('not listed'))), undefined)
    const memo = notes.save({ articleId: lib.article.id }, doc(p(chip(later.id, 'Washington'), text(' vs '), chip(first.id, 'Zelenskyy')), p(chip(later.id, 'Washington'))), undefined)
    const listed = notes.list(lib.article.id)
    expect(listed).toEqual([
      { target: { articleId: lib.article.id }, preview: '“Washington” vs “Zelenskyy” “Washington”', version: 1, updatedAt: memo.updatedAt, quotedHighlightIds: [later.id, first.id] },
      { target: { highlightId: first.id }, preview: 'x'.repeat(160), version: 1, updatedAt: expect.any(String), quotedHighlightIds: [] },
      { target: { highlightId: later.id }, preview: 'US line second line', version: 1, updatedAt: expect.any(String), quotedHighlightIds: [] }
    ])
    expect(notes.list(lib.other.id).map((s) => s.preview)).toEqual(['not listed'])
  })

  it('refuses quotes of another article’s passages, on memos and highlight notes alike', () => {
    setup()
    const own = code(lib.article.id, 'Brussels')
    const foreign = code(lib.other.id, 'free speech')
    const before = dumpStore(lib.store.db)
    for (const target of [{ articleId: lib.article.id }, { highlightId: own.id }]) {
      expect(() => notes.save(target, doc(p(text('see '), chip(foreign.id, 'free speech'))), undefined)).toThrow(
        expect.objectContaining({
          code: 'invalid-input',
          message: 'The quote “free speech” is from “Munich”; a note can only quote passages of its own article. Remove it or copy its words as text.'
        })
      )
    }
    expect(dumpStore(lib.store.db)).toEqual(before)
  })

  it('still saves quotes of deleted passages, with their last words, and marks detached ones', () => {
    setup()
    const gone = code(lib.article.id, 'Brussels')
    const detached = code(lib.article.id, 'Washington')
    lib.store.repos.highlights.markOrphaned(detached.id)
    lib.coding.delete(gone.id)
    const memo = doc(p(chip(gone.id, 'Brussels asked'), chip(detached.id, 'Washington')))
    const saved = notes.save({ articleId: lib.article.id }, memo, undefined)
    expect(saved.doc).toStrictEqual(memo)
    expect(saved.html).toContain(`<q class="stance-quote" data-highlight-id="${gone.id}" data-status="deleted">Brussels asked</q>`)
    expect(saved.html).toContain(`data-highlight-id="${detached.id}" data-status="orphaned" style="--stance-quote-color: ${lib.codes[0].color}">Washington</q>`)
    expect(saved.plain).toBe('“Brussels asked”“Washington”')
    expect(notes.list(lib.article.id)[0]?.quotedHighlightIds).toEqual([gone.id, detached.id])
  })

  it('stores an empty note as empty', () => {
    setup()
    const empty = notes.save({ articleId: lib.article.id }, doc(p()), undefined)
    expect(empty).toMatchObject({ doc: doc(p()), html: '<p></p>', plain: '', version: 1 })
    expect(notes.list(lib.article.id)).toMatchObject([{ preview: '', quotedHighlightIds: [] }])
    expect(notes.save({ articleId: lib.article.id }, doc(), 1)).toMatchObject({ html: '', plain: '', version: 2 })
  })

  it('validates documents itself too: schema violations and the 1 MB limit are invalid-input', () => {
    setup()
    const target = { articleId: lib.article.id }
    const script = { type: 'doc', content: [{ type: 'script', content: [{ type: 'text', text: 'alert(1)' }] }] } as unknown as NoteDoc
    const link = doc(p({ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }))
    const huge = doc(...Array.from({ length: 200 }, () => p(text('y'.repeat(5500)))))
    for (const bad of [script, link, huge]) expect(() => notes.save(target, bad, undefined)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => notes.save(target, huge, undefined)).toThrow(/at most 1 MB/)
    expect(notes.get(target)).toBeNull()
  })

  it('deleting a passage takes its note along; undo brings it back at its version, and editing goes on from there', () => {
    setup()
    const h = code(lib.article.id, 'Brussels')
    const target = { highlightId: h.id }
    notes.save(target, doc(p(text('first'))), undefined)
    const note = notes.save(target, doc(p(text('second'))), 1)
    const memo = notes.save({ articleId: lib.article.id }, doc(p(chip(h.id, 'Brussels'))), undefined)
    lib.coding.delete(h.id)
    expect(() => notes.get(target)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => notes.save(target, doc(p(text('late'))), 2)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(count('second')).toBe(0)
    // The memo keeps its chip (with the last words) and can still be saved.
    expect(notes.get({ articleId: lib.article.id })).toStrictEqual(memo)
    expect(notes.save({ articleId: lib.article.id }, memo.doc, 1).html).toContain('data-status="deleted"')

    lib.history.undo()
    expect(notes.get(target)).toStrictEqual(note)
    expect(count('second')).toBe(1)
    expect(notes.save(target, doc(p(text('third'))), 2)).toMatchObject({ version: 3, plain: 'third' })
    expect(notes.list(lib.article.id).map((s) => s.preview)).toEqual(['“Brussels”', 'third'])
    dumpStore(lib.store.db)

    lib.history.redo()
    expect(() => notes.get(target)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(count('third')).toBe(0)
  })
})
