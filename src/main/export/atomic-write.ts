import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** A file written under a temporary name next to its destination, not yet visible there. */
export interface StagedFile {
  path: string
  temp: string
}

/**
 * Writes bytes to a hidden temporary file beside the destination and flushes them to disk; `commitStaged`
 * renames it into place. A crash, failure or cancel before the rename leaves the destination as it was.
 */
export function stageFile(path: string, data: Uint8Array | string): StagedFile {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`)
  const fd = openSync(temp, 'wx', 0o644)
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let written = 0
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, { force: true })
    throw error
  }
  closeSync(fd)
  return { path, temp }
}

/**
 * Moves staged files into place (rename is atomic within a folder). If one rename fails, the files already
 * moved are removed again, so a multi-file export lands whole or not at all; callers give only new names
 * to multi-file exports, so removing them never loses an older file.
 */
export function commitStaged(files: readonly StagedFile[]): void {
  const done: StagedFile[] = []
  try {
    for (const file of files) {
      renameSync(file.temp, file.path)
      done.push(file)
    }
  } catch (error) {
    if (files.length > 1) for (const file of done) rmSync(file.path, { force: true })
    throw error
  }
}

/** Removes staged files that will not be committed. */
export function discardStaged(files: readonly StagedFile[]): void {
  for (const file of files) rmSync(file.temp, { force: true })
}
