import { closeSync, fsyncSync, openSync, statSync } from 'node:fs'

/**
 * Flushes a file, or a folder (so a rename in it survives a power cut), to disk. A file that cannot be
 * flushed is an error; a folder may not be openable for this on every platform (Windows), which is tolerated.
 */
export function fsyncPath(path: string): void {
  const folder = statSync(path).isDirectory()
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if (folder) return
    throw error
  }
  try {
    fsyncSync(fd)
  } catch (error) {
    if (!folder) throw error
  } finally {
    closeSync(fd)
  }
}
