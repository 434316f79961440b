import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { commitStaged, discardStaged, stageFile } from './atomic-write'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stance-atomic-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('staged writes', () => {
  it('keeps the old file until commit, then replaces it whole', () => {
    const path = join(dir, 'export.md')
    writeFileSync(path, 'old analysis')
    const staged = stageFile(path, 'new analysis ✓')
    expect(readFileSync(path, 'utf8')).toBe('old analysis')
    expect(readdirSync(dir)).toHaveLength(2)
    commitStaged([staged])
    expect(readFileSync(path, 'utf8')).toBe('new analysis ✓')
    expect(readdirSync(dir)).toEqual(['export.md'])
  })

  it('leaves nothing behind when discarded, and the destination untouched', () => {
    const path = join(dir, 'export.pdf')
    writeFileSync(path, 'keep me')
    const staged = [stageFile(path, new Uint8Array([1, 2, 3])), stageFile(join(dir, 'other.pdf'), new Uint8Array([4]))]
    discardStaged(staged)
    expect(readdirSync(dir)).toEqual(['export.pdf'])
    expect(readFileSync(path, 'utf8')).toBe('keep me')
  })

  it('fails cleanly when the folder is gone', () => {
    expect(() => stageFile(join(dir, 'missing', 'x.csv'), 'a')).toThrow()
    expect(existsSync(join(dir, 'missing'))).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })
})
