import { afterEach, describe, expect, it } from 'vitest'
import { NoteService } from '../services/note-service'
import { openTestLibrary, type TestLibrary } from '../services/test-support'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { Highlight } from '../../shared/domain/highlight'
import type { ArticleId, CodeId } from '../../shared/domain/ids'
import type { NoteDoc } from '../../shared/domain/note-doc'
import { noteToHtml } from '../../shared/notes/note-html'
import { collectBundle } from './collect-bundle'
import { ANNO_CONTEXT, exportW3c, STANCE_NS } from './w3c-export'

const APP = { name: 'Stance', version: '0.1.0' }
const NOW = () => new Date('2025-03-01T12:00:00.000Z')
const URL = 'https://news.example/rockets'

let lib: TestLibrary | undefined
afterEach(() => lib?.store.dispose())

interface Fixture {
  lib: TestLibrary
  rockets: Article
  sanctions: Code
  emoji: Highlight
  both: Highlight
  memo: NoteDoc
  note: NoteDoc
}

function code(articleId: ArticleId, words: string, codeIds: CodeId[]): Highlight {
  const text = lib!.store.repos.articles.textOf(articleId)
  const at = text.indexOf(words)
  if (at < 0) throw new Error(`"${words}" is not in the article`)
  const start = Array.from(text.slice(0, at)).length
  return lib!.coding.create({ articleId, start, end: start + Array.from(words).length, codeIds })
}

function fixture(): Fixture {
  lib = openTestLibrary()
  const [us, ru, , eu] = lib.codes
  const sanctions = lib.codebook.create({ name: 'Sanctions', color: '#8e44ad', parentId: eu.id })
  const rockets = lib.store.repos.articles.insert(
    { title: 'Rockets', outlet: 'Desk', author: null, publishedAt: '2025-02-20', sourceUrl: URL },
    { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '🚀🚀🚀 Ракеты упали. قال الوزير: the talks failed.' }] }] }
  )
  const emoji = code(rockets.id, 'the talks failed', [sanctions.id])
  const both = code(lib.article.id, 'Nothing about Ukraine without Ukraine', [us.id, ru.id])
  const notes = new NoteService(lib.store.db, lib.store.repos)
  const note: NoteDoc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A <claim> & more', marks: [{ type: 'bold' }] }] }] }
  notes.save({ highlightId: both.id }, note, undefined)
  const memo: NoteDoc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'See ' }, { type: 'quoteChip', attrs: { highlightId: emoji.id, quote: 'the talks' } }] }] }
  notes.save({ articleId: rockets.id }, memo, undefined)
  return { lib, rockets, sanctions, emoji, both, memo, note }
}

function bundle(f: Fixture, options: { analyst?: string; codeIds?: CodeId[] } = {}) {
  return collectBundle(f.lib.store.db, f.lib.store.repos, {
    articleIds: [f.lib.article.id, f.rockets.id],
    app: APP,
    analyst: options.analyst ?? 'Ana Analyst',
    now: NOW,
    ...(options.codeIds ? { codeIds: options.codeIds } : {})
  })
}

type Json = Record<string, unknown>
const items = (collection: Json): Json[] => (collection.first as { items: Json[] }).items

describe('exportW3c', () => {
  it('writes an AnnotationCollection with every key the W3C model requires', () => {
    const f = fixture()
    const out = exportW3c(bundle(f))
    const collection = JSON.parse(out) as Json
    expect(collection['@context']).toEqual([ANNO_CONTEXT, { stance: STANCE_NS }])
    expect(collection.type).toBe('AnnotationCollection')
    expect(collection.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(collection.label).toBe('Stance annotations: 2 articles')
    expect(collection.generated).toBe('2025-03-01T12:00:00.000Z')
    expect(collection.generator).toMatchObject({ type: 'Software', name: 'Stance', 'stance:version': '0.1.0' })
    expect(collection.first).toMatchObject({ type: 'AnnotationPage', startIndex: 0 })
    const annotations = items(collection)
    expect(collection.total).toBe(annotations.length)
    expect(annotations).toHaveLength(3)
    for (const annotation of annotations) {
      expect(annotation.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
      expect(annotation.type).toBe('Annotation')
      expect(['highlighting', 'commenting']).toContain(annotation.motivation)
      expect(Date.parse(annotation.created as string)).not.toBeNaN()
      expect(Date.parse(annotation.modified as string)).not.toBeNaN()
      expect(annotation.creator).toEqual({ type: 'Person', name: 'Ana Analyst' })
      const target = annotation.target as Json
      expect(typeof target.source).toBe('string')
      expect(typeof target['stance:article']).toBe('string')
      for (const body of annotation.body as Json[]) {
        expect(body.type).toBe('TextualBody')
        expect(['tagging', 'commenting']).toContain(body.purpose)
        expect(typeof body.value).toBe('string')
      }
    }
    // Exporting the same bundle again gives the same text, and the JSON reads back to itself.
    expect(exportW3c(bundle(f))).toBe(out)
    expect(JSON.stringify(JSON.parse(out), null, 2)).toBe(out)
  })

  it('counts selector offsets in code points, not UTF-16 units', () => {
    const f = fixture()
    const annotation = items(JSON.parse(exportW3c(bundle(f))) as Json).find((a) => a.id === `urn:uuid:${f.emoji.id}`)!
    const target = annotation.target as { source: string; 'stance:article': string; selector: Json[] }
    expect(target.source).toBe(URL)
    expect(target['stance:article']).toBe(f.rockets.id)
    const [quote, position] = target.selector as [Json, Json]
    expect(quote).toEqual({ type: 'TextQuoteSelector', exact: 'the talks failed', prefix: '🚀🚀🚀 Ракеты упали. قال الوزير: ', suffix: '.' })
    const utf16 = f.rockets.text.indexOf('the talks failed')
    const start = Array.from(f.rockets.text.slice(0, utf16)).length
    expect(position).toEqual({ type: 'TextPositionSelector', start, end: start + 16 })
    // Three rockets before the quote: three code points, six UTF-16 units.
    expect(utf16 - start).toBe(3)
    expect(Array.from(f.rockets.text).slice(position.start as number, position.end as number).join('')).toBe(quote.exact)
  })

  it('gives each code a tagging body with stance:code and the note a commenting body with its HTML and document', () => {
    const f = fixture()
    const [us, ru] = f.lib.codes
    const annotation = items(JSON.parse(exportW3c(bundle(f))) as Json).find((a) => a.id === `urn:uuid:${f.both.id}`)!
    expect(annotation.motivation).toBe('highlighting')
    expect(annotation.body).toEqual([
      { type: 'TextualBody', purpose: 'tagging', value: 'US stance', 'stance:code': { id: us.id, color: us.color, parent: null } },
      { type: 'TextualBody', purpose: 'tagging', value: 'Russian stance', 'stance:code': { id: ru.id, color: ru.color, parent: null } },
      expect.objectContaining({ type: 'TextualBody', purpose: 'commenting', format: 'text/html', value: '<p><strong>A &lt;claim&gt; &amp; more</strong></p>', 'stance:doc': f.note })
    ])
    // A source without an address is named by the article's id.
    expect((annotation.target as Json).source).toBe(`urn:uuid:${f.lib.article.id}`)
  })

  it('writes a memo as a commenting annotation on the whole article, its quote chip showing the passage now', () => {
    const f = fixture()
    const memo = items(JSON.parse(exportW3c(bundle(f))) as Json).find((a) => a.motivation === 'commenting')!
    expect(memo.target).toEqual({ source: URL, 'stance:article': f.rockets.id })
    const [body] = memo.body as Json[]
    expect(body).toMatchObject({ purpose: 'commenting', format: 'text/html', 'stance:doc': f.memo })
    expect(body!.value).toBe(noteToHtml(f.memo, () => ({ quote: 'the talks failed', color: '#8e44ad', status: 'live' })))
  })

  it('carries the sources and the codes used with their ancestors, so nesting survives', () => {
    const f = fixture()
    const collection = JSON.parse(exportW3c(bundle(f, { codeIds: [f.sanctions.id] }))) as Json
    const [, , , eu] = f.lib.codes
    expect(collection['stance:codebook']).toEqual([
      { id: eu.id, name: 'EU stance', color: eu.color, description: eu.description, parentId: null, sortOrder: 3, shortcut: '4', groupKind: null, dictionary: eu.dictionary },
      { id: f.sanctions.id, name: 'Sanctions', color: '#8e44ad', description: '', parentId: eu.id, sortOrder: 0, shortcut: null, groupKind: null, dictionary: [] }
    ])
    const sources = collection['stance:sources'] as Json[]
    expect(sources.map((s) => s.id)).toEqual([f.lib.article.id, f.rockets.id])
    expect(sources[1]).toEqual({ id: f.rockets.id, title: 'Rockets', outlet: 'Desk', author: null, publishedAt: '2025-02-20', sourceUrl: URL, doc: f.rockets.doc })
  })

  it('leaves out notes, memos, sources and an empty analyst when asked', () => {
    const f = fixture()
    const collection = JSON.parse(exportW3c(bundle(f, { analyst: '  ' }), { includeNotes: false, includeSources: false })) as Json
    expect(collection['stance:sources']).toBeUndefined()
    expect(collection['stance:codebook']).toBeUndefined()
    const annotations = items(collection)
    expect(annotations).toHaveLength(2)
    for (const annotation of annotations) {
      expect(annotation.motivation).toBe('highlighting')
      expect(annotation.creator).toBeUndefined()
      expect((annotation.body as Json[]).every((body) => body.purpose === 'tagging')).toBe(true)
    }
  })
})
