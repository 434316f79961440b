import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../db/open-test-database'
import { DEFAULT_GROUPS, GROUP_COLOR } from '../services/default-codebook'
import type { Article } from '../../shared/domain/article'
import type { Code } from '../../shared/domain/code'
import type { ArticleId } from '../../shared/domain/ids'
import type { OutputRequest } from './export-service'
import { exportMatrix, type MatrixExportDeps } from './matrix-export'

let store: TestDatabase
let dir: string
let march: Article
let april: Article

beforeEach(() => {
  store = openTestDatabase()
  dir = mkdtempSync(join(tmpdir(), 'stance-matrix-'))
  const { repos } = store
  const codes: Record<string, Code> = {}
  for (const group of DEFAULT_GROUPS) {
    const parent = repos.codes.insert({ name: group.name, color: GROUP_COLOR, groupKind: group.groupKind })
    for (const code of group.codes) codes[code.name] = repos.codes.insert({ ...code, parentId: parent.id })
  }
  codes.Rejects = repos.codes.insert({ name: '=Rejects', color: '#aa0000', parentId: codes['Russian stance']!.id })
  const paragraph = (text: string) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })
  const article = (title: string, publishedAt: string, text: string) => repos.articles.insert({ title, outlet: null, author: null, publishedAt, sourceUrl: null }, { type: 'doc', content: [paragraph(text)] })
  march = article('March', '2025-03-01', 'Moscow rejects NATO. Washington wants a ceasefire. Kyiv wants guarantees.')
  april = article('April', '2025-04-10', 'Moscow rejects NATO again.')
  const code = (a: Article, phrase: string, ...names: string[]) => {
    const start = a.text.indexOf(phrase)
    repos.highlights.insert({ articleId: a.id, start, end: start + phrase.length, codeIds: names.map((n) => codes[n]!.id) })
  }
  code(march, 'Moscow rejects NATO.', 'Rejects', 'NATO membership')
  code(march, 'Washington wants a ceasefire.', 'US stance', 'Ceasefire and territory')
  code(march, 'Kyiv wants guarantees.', 'Ukrainian stance', 'Security guarantees', 'NATO membership')
  code(april, 'Moscow rejects NATO again.', 'Russian stance', 'NATO membership')
})

afterEach(() => {
  store.dispose()
  rmSync(dir, { recursive: true, force: true })
})

function deps(choose: (request: OutputRequest) => string | null, asked: OutputRequest[] = []): MatrixExportDeps {
  return {
    db: store.db,
    chooseOutput: async (request) => {
      asked.push(request)
      return choose(request)
    },
    now: () => new Date('2026-11-27T10:00:00Z')
  }
}

describe('exportMatrix', () => {
  it('writes the CSV of the library, proposing a dated name', async () => {
    const asked: OutputRequest[] = []
    const path = join(dir, 'matrix.csv')
    const result = await exportMatrix(deps(() => path, asked), { columns: 'issues', format: 'csv' })
    expect(asked).toEqual([{ format: 'csv', suggestedName: 'stance-matrix-2026-11-27.csv', requested: undefined, directory: false }])
    expect(result).toEqual({ path, bytes: readFileSync(path).byteLength })
    const lines = readFileSync(path, 'utf8').split('\r\n')
    expect(lines[0]).toBe('\uFEFFStance,Ceasefire and territory,NATO membership,Security guarantees,Sanctions,Minerals and reconstruction,Who sits at the table,Total')
    expect(lines).toContain('Russian stance,0,2,0,0,0,0,2')
    expect(lines).toContain('Russian stance ▸ =Rejects,0,1,0,0,0,0,1')
    expect(lines).toContain('Total,1,3,1,0,0,0,4')
  })

  it('writes an SVG and a PNG of the articles given, adding the extension to a bare name', async () => {
    const svg = await exportMatrix(deps((r) => r.requested ?? null), { columns: 'articles', articleIds: [march.id], format: 'svg', outputPath: join(dir, 'march') })
    expect(svg.path).toBe(join(dir, 'march.svg'))
    const text = readFileSync(svg.path, 'utf8')
    expect(text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(text).toContain('Stances × articles')
    expect(text).toContain('3 coded passages in 1 article · 2026-11-27')
    expect(text).not.toContain('April')

    const asked: OutputRequest[] = []
    const png = await exportMatrix(deps((r) => r.requested ?? null, asked), { columns: 'issues', format: 'png', outputPath: join(dir, 'm.png') })
    expect(asked[0]?.suggestedName).toBe('stance-matrix-2026-11-27.png')
    const bytes = readFileSync(png.path)
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG')
    expect(png.bytes).toBe(bytes.byteLength)
  })

  it('leaves nothing behind when the analyst cancels, and refuses bad destinations and articles', async () => {
    await expect(exportMatrix(deps(() => null), { columns: 'issues', format: 'png' })).rejects.toMatchObject({ code: 'cancelled' })
    expect(readdirSync(dir)).toEqual([])
    await expect(exportMatrix(deps(() => 'relative.svg'), { columns: 'issues', format: 'svg' })).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(exportMatrix(deps(() => join(dir, 'missing', 'm.svg')), { columns: 'issues', format: 'svg' })).rejects.toMatchObject({ code: 'not-found' })
    const unknown = '00000000-0000-4000-8000-000000000000' as ArticleId
    await expect(exportMatrix(deps(() => join(dir, 'm.csv')), { columns: 'issues', format: 'csv', articleIds: [unknown] })).rejects.toMatchObject({ code: 'not-found' })
    writeFileSync(join(dir, 'keep.csv'), 'older')
    await expect(exportMatrix(deps(() => join(dir, 'keep')), { columns: 'issues', format: 'csv' })).rejects.toMatchObject({ code: 'conflict' })
    expect(readFileSync(join(dir, 'keep.csv'), 'utf8')).toBe('older')
    expect(readdirSync(dir)).toEqual(['keep.csv'])
    expect(existsSync(join(dir, 'm.csv'))).toBe(false)
  })
})
