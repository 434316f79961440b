import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * Where `scripts/electron-native.mjs ensure` puts better-sqlite3 compiled for this
 * Electron. A separate file, because node_modules/better-sqlite3/build must stay the
 * Node-ABI build that vitest and Playwright load. Keep in sync with bindingDirName()
 * in that script (the unit test compares the two).
 */
export function electronSqliteBindingPath(
  appRoot: string,
  versions: NodeJS.ProcessVersions,
  platform: NodeJS.Platform,
  arch: NodeJS.Architecture | string
): string {
  const electron = versions.electron
  if (!electron) {
    throw new Error('electronSqliteBindingPath() must be called from Electron (process.versions.electron is missing).')
  }
  return path.join(appRoot, '.native', `electron-${electron}-${platform}-${arch}`, 'better_sqlite3.node')
}

/**
 * The native binding to hand better-sqlite3 (`nativeBinding` option), or undefined in a
 * packaged app, whose node_modules copy was already rebuilt for Electron by the packager.
 */
export function resolveElectronSqliteBinding(
  appRoot: string,
  packaged: boolean,
  env: {
    versions: NodeJS.ProcessVersions
    platform: NodeJS.Platform
    arch: string
    exists: (file: string) => boolean
  } = { versions: process.versions, platform: process.platform, arch: process.arch, exists: existsSync }
): string | undefined {
  if (packaged) return undefined
  const bindingPath = electronSqliteBindingPath(appRoot, env.versions, env.platform, env.arch)
  if (!env.exists(bindingPath)) {
    throw new Error(
      `better-sqlite3 has not been built for Electron ${env.versions.electron ?? '?'} (${env.platform}-${env.arch}): ` +
        `${bindingPath} is missing. Start the app with \`npm start\` (its prestart step builds it) ` +
        'or run `node scripts/electron-native.mjs ensure` first.'
    )
  }
  return bindingPath
}
