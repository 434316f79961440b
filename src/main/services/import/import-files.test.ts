import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ArticleId } from '../../../shared/domain/ids'
import { openTestDatabase, type TestDatabase } from '../../db/open-test-database'
import { LibraryService } from '../library-service'
import { MAX_IMPORT_BYTES } from './decode'
import { importFiles } from './import-files'
import type { ImportRequest } from './index'

let dir: string
let store: TestDatabase
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stance-import-'))
  store = openTestDatabase()
})
afterEach(() => {
  store.dispose()
  rmSync(dir, { recursive: true, force: true })
})

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('importFiles', () => {
  it('imports each file through the importer and reports every outcome in order, one failure not stopping the rest', async () => {
    const library = new LibraryService(store.db, store.repos)
    const paths = [
      file('talks.txt', 'Talks in Riyadh\n\nEnvoys met.'),
      file('report.pdf', '%PDF-1.7'),
      file('empty.md', '   \n'),
      file('page.html', '<html><head><title>Page</title></head><body><article><p>The article text of a page.</p></article></body></html>'),
      file('photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])),
      join(dir, 'gone.md')
    ]
    mkdirSync(join(dir, 'folder.md'))
    paths.push(join(dir, 'folder.md'))
    const outcomes = await importFiles(paths, (request) => library.import(request))
    const articles = store.repos.articles.list()
    const id = (title: string): ArticleId | undefined => articles.find((a) => a.title === title)?.id
    expect(outcomes).toEqual([
      { fileName: 'talks.txt', ok: true, articleId: id('Talks in Riyadh'), title: 'Talks in Riyadh', error: null },
      { fileName: 'report.pdf', ok: false, articleId: null, title: null, error: '“report.pdf” is not a supported type (.txt, .md, .html).' },
      { fileName: 'empty.md', ok: false, articleId: null, title: null, error: '“empty.md”: This file is empty.' },
      { fileName: 'page.html', ok: true, articleId: id('Page'), title: 'Page', error: null },
      { fileName: 'photo.txt', ok: false, articleId: null, title: null, error: '“photo.txt”: This file looks binary, not text.' },
      { fileName: 'gone.md', ok: false, articleId: null, title: null, error: '“gone.md”: The file is no longer there.' },
      { fileName: 'folder.md', ok: false, articleId: null, title: null, error: '“folder.md”: This is not a file.' }
    ])
    expect(articles).toHaveLength(2)
    expect(store.repos.articles.require(id('Talks in Riyadh')!).text).toBe('Envoys met.')
  })

  it('refuses a file over 20 MB from its size, before reading it', async () => {
    const big = file('big.txt', '')
    // A sparse file: its size says 20 MB + 1 without writing the bytes.
    const { truncateSync } = await import('node:fs')
    truncateSync(big, MAX_IMPORT_BYTES + 1)
    const seen: ImportRequest[] = []
    const outcomes = await importFiles([big], (request) => {
      seen.push(request)
      return { id: 'x' as ArticleId, title: 'x' }
    })
    expect(seen).toEqual([])
    expect(outcomes).toEqual([{ fileName: 'big.txt', ok: false, articleId: null, title: null, error: '“big.txt”: This file is larger than 20 MB, the most Stance imports.' }])
  })

  it('reports an unexpected importer failure in words', async () => {
    const outcomes = await importFiles([file('a.txt', 'text')], () => {
      throw new Error('disk on fire')
    })
    expect(outcomes).toEqual([{ fileName: 'a.txt', ok: false, articleId: null, title: null, error: '“a.txt”: The file could not be imported (disk on fire).' }])
  })
})
