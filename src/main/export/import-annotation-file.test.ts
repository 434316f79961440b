import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestLibrary, type TestLibrary } from '../services/test-support'
import { importAnnotationFile } from './import-annotation-file'
import { importW3c } from './w3c-import'

let dir: string
let lib: TestLibrary
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stance-annotation-file-'))
  lib = openTestLibrary()
})
afterEach(() => {
  lib.store.db.close()
  rmSync(dir, { recursive: true, force: true })
})

const importer = (request: { text: string }) => importW3c(lib.store.db, lib.store.repos, request.text)

describe('importAnnotationFile', () => {
  it('imports a W3C file from disk and returns the report', async () => {
    const path = join(dir, 'tags.jsonld')
    const quote = 'Nothing about Ukraine without Ukraine'
    writeFileSync(
      path,
      JSON.stringify({
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        type: 'Annotation',
        body: [{ type: 'TextualBody', purpose: 'tagging', value: lib.codes[2].name }],
        target: { source: `urn:uuid:${lib.article.id}`, 'stance:article': lib.article.id, selector: { type: 'TextQuoteSelector', exact: quote } }
      })
    )
    const outcome = await importAnnotationFile(path, importer)
    expect(outcome).toMatchObject({ fileName: 'tags.jsonld', error: null, report: { highlights: { created: 1 } } })
    expect(lib.store.repos.highlights.listByArticle(lib.article.id).map((h) => h.exact)).toEqual([quote])
  })

  it('says in words why a file could not be imported, and changes nothing', async () => {
    writeFileSync(join(dir, 'broken.jsonld'), '{ not json')
    writeFileSync(join(dir, 'empty.jsonld'), '  \n')
    const broken = await importAnnotationFile(join(dir, 'broken.jsonld'), importer)
    expect(broken).toMatchObject({ fileName: 'broken.jsonld', report: null, error: expect.stringMatching(/JSON/) })
    expect(await importAnnotationFile(join(dir, 'empty.jsonld'), importer)).toMatchObject({ report: null, error: 'The file is empty.' })
    expect(await importAnnotationFile(join(dir, 'gone.jsonld'), importer)).toMatchObject({ report: null, error: 'The file is no longer there.' })
    expect(await importAnnotationFile(dir, importer)).toMatchObject({ report: null, error: 'This is not a file.' })
    expect(lib.store.repos.highlights.listByArticle(lib.article.id)).toEqual([])
  })
})
