#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/, next to (never instead of) the
// Node-ABI build in node_modules/better-sqlite3/build that vitest and Playwright load.
// Flipping one binary between ABIs (electron-rebuild's approach) breaks whichever side ran
// last; two binaries side by side lets `npm test` and `npm start` alternate freely.
//
//   node scripts/electron-native.mjs ensure   build if missing (run by prestart/dev)
//   node scripts/electron-native.mjs path     print where the Electron binary goes
//
// Keep bindingDirName() in sync with src/main/native-binding.ts (a unit test checks it).

import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BINDING_FILE = 'better_sqlite3.node'
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'
const PREBUILD_TIMEOUT_MS = 3 * 60_000
const COMPILE_TIMEOUT_MS = 30 * 60_000

export class EnsureError extends Error {}

/** `.native/<this>/better_sqlite3.node`; mirrors electronSqliteBindingPath() in the app. */
export function bindingDirName(electronVersion, platform, arch) {
  return `electron-${electronVersion}-${platform}-${arch}`
}

export function bindingPath(projectRoot, electronVersion, platform, arch) {
  return join(projectRoot, '.native', bindingDirName(electronVersion, platform, arch), BINDING_FILE)
}

/** The executable inside node_modules/electron/dist, as electron/install.js names it. */
export function electronPlatformPath(platform) {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron'
    case 'win32':
      return 'electron.exe'
    default:
      return null
  }
}

/**
 * The arch Electron was (or will be) installed for. Follows electron/install.js, which
 * honours ELECTRON_INSTALL_ARCH / npm_config_arch and picks arm64 for an x64 Node running
 * under Rosetta; building for process.arch alone would then produce the wrong binary.
 */
export function electronArch(env, platform, arch, isRosetta = () => false) {
  const chosen = env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || arch
  if (platform === 'darwin' && chosen === 'x64' && env.npm_config_arch === undefined && isRosetta()) {
    return 'arm64'
  }
  return chosen
}

/** Same test as electron/install.js isInstalled(), returning why it is not. */
export function electronInstallProblem(electronDir, version, platform, env, exists = existsSync, read = readText) {
  const platformPath = electronPlatformPath(platform)
  if (platformPath === null) return `Electron has no builds for platform "${platform}".`
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const executable = join(env.ELECTRON_OVERRIDE_DIST_PATH, read(join(electronDir, 'path.txt')) ?? platformPath)
    return exists(executable) ? null : `ELECTRON_OVERRIDE_DIST_PATH is set but ${executable} does not exist.`
  }
  const installedVersion = read(join(electronDir, 'dist', 'version'))?.trim().replace(/^v/, '')
  if (installedVersion === undefined) return 'node_modules/electron/dist is missing.'
  if (installedVersion !== version) {
    return `node_modules/electron/dist holds Electron ${installedVersion}, not ${version}.`
  }
  if (read(join(electronDir, 'path.txt')) !== platformPath) return 'node_modules/electron/path.txt is missing or wrong.'
  if (!exists(join(electronDir, 'dist', platformPath))) return `node_modules/electron/dist/${platformPath} is missing.`
  return null
}

/**
 * node-gyp to compile with, most trusted first: the one npm itself would use (npm sets
 * npm_config_node_gyp for scripts), npm's bundled copy found from npm_execpath or from
 * the Node install, then a project-local node-gyp. Returns a JS entry point, run with node,
 * so it works the same on Windows (no .cmd shims).
 */
export function nodeGypCandidates(env, execPath, projectRoot, platform = process.platform) {
  const candidates = []
  if (env.npm_config_node_gyp) candidates.push(env.npm_config_node_gyp)
  if (env.npm_execpath && /npm-cli\.js$/.test(env.npm_execpath)) {
    candidates.push(join(dirname(dirname(env.npm_execpath)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  }
  const nodeDir = dirname(execPath)
  const npmDir =
    platform === 'win32' ? join(nodeDir, 'node_modules', 'npm') : join(nodeDir, '..', 'lib', 'node_modules', 'npm')
  candidates.push(join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  candidates.push(join(projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  return candidates
}

export function electronVersionOf(projectRoot) {
  const pkg = readText(join(projectRoot, 'node_modules', 'electron', 'package.json'))
  if (pkg === undefined) return undefined
  try {
    const version = JSON.parse(pkg).version
    return typeof version === 'string' ? version : undefined
  } catch {
    return undefined
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function isRosetta() {
  const result = spawnSync('sysctl', ['-in', 'sysctl.proc_translated'], { encoding: 'utf8' })
  return result.status === 0 && result.stdout.trim() === '1'
}

// Progress goes to stderr along with the children's output, so the two stay in order.
function log(message) {
  console.error(`[electron-native] ${message}`)
}

// npm exports the *Stance* package's metadata as npm_package_*; prebuild-install reads
// some of those (npm_package_resolved/from) as if they described better-sqlite3.
function childEnv() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) if (key.startsWith('npm_package_')) delete env[key]
  return env
}

function run(label, args, cwd, timeout, verbose) {
  log(`${label}: ${[basename(process.execPath), ...args.map((a) => (isAbsolute(a) ? relativeOrSelf(a) : a))].join(' ')}`)
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: childEnv(),
    timeout,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: verbose ? 'inherit' : 'pipe'
  })
  if (result.status === 0) return { ok: true }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim()
  const why = result.error
    ? result.error.code === 'ETIMEDOUT'
      ? `timed out after ${timeout / 1000}s`
      : result.error.message
    : failureReason(output, `exit code ${result.status ?? result.signal}`)
  const tail = output
    .split(/\r?\n/)
    .filter((line) => !/ERR! (stack\s+at |System |command |cwd |node -v |node-gyp -v )/.test(line))
    .slice(-12)
    .join('\n')
  if (tail) console.error(tail.replace(/^/gm, `  ${label} | `))
  return { ok: false, why }
}

/** One line saying why a prebuild-install/node-gyp run failed, picked out of its log. */
export function failureReason(output, fallback) {
  const url = [...output.matchAll(/\bGET (https?:\/\/\S+)/g)].at(-1)?.[1]
  const networkError = /getaddrinfo \S+ \S+|\bE(?:NOTFOUND|CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN|HOSTUNREACH|NETUNREACH)\b[^\n]*/.exec(output)
  if (networkError || /network connectivity/.test(output)) {
    const detail = networkError ? ` (${networkError[0].trim()})` : ''
    return `network error${detail}${url ? ` fetching ${url}` : ''}`
  }
  const errorLine = output
    .split(/\r?\n/)
    .find((line) => /ERR!|\berror\b/i.test(line) && !/ERR! (stack|System|command|cwd|node -v|node-gyp -v)\b/.test(line))
  return errorLine?.trim() || fallback
}

function relativeOrSelf(file) {
  const rel = relative(PROJECT_ROOT, file)
  return rel.startsWith('..') ? file : rel
}

function buildBinding({ projectRoot, electronVersion, platform, arch, verbose }) {
  const sourceDir = join(projectRoot, 'node_modules', 'better-sqlite3')
  if (!existsSync(join(sourceDir, 'package.json'))) {
    throw new EnsureError('node_modules/better-sqlite3 is missing; run `npm install` first.')
  }

  const workDir = mkdtempSync(join(tmpdir(), 'stance-better-sqlite3-'))
  const copyDir = join(workDir, 'better-sqlite3')
  const failures = []
  try {
    // The Node-ABI build/ is left out of the copy: it is never read, written or replaced.
    cpSync(sourceDir, copyDir, {
      recursive: true,
      filter: (src) => {
        const rel = relative(sourceDir, src)
        return rel !== 'build' && rel !== 'node_modules' && !rel.startsWith(`build${sep}`)
      }
    })
    const built = join(copyDir, 'build', 'Release', BINDING_FILE)

    const requireFromSqlite = createRequire(join(sourceDir, 'package.json'))
    let prebuildInstall
    try {
      prebuildInstall = requireFromSqlite.resolve('prebuild-install/bin.js')
    } catch {
      failures.push('prebuild-install: not installed next to better-sqlite3')
    }
    if (prebuildInstall) {
      log(`downloading a prebuilt better-sqlite3 for Electron ${electronVersion} (${platform}-${arch})…`)
      const result = run(
        'prebuild-install',
        [prebuildInstall, '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--platform=${platform}`, '--verbose'],
        copyDir,
        PREBUILD_TIMEOUT_MS,
        verbose
      )
      if (!result.ok) failures.push(`prebuild-install: ${result.why}`)
    }

    if (!existsSync(built)) {
      const nodeGyp = nodeGypCandidates(process.env, process.execPath, projectRoot).find((c) => existsSync(c))
      if (!nodeGyp) {
        failures.push('node-gyp: not found (looked for npm_config_node_gyp, npm’s bundled copy, node_modules/node-gyp)')
      } else {
        log(`compiling better-sqlite3 against Electron ${electronVersion} headers (takes a few minutes)…`)
        const result = run(
          'node-gyp',
          [
            nodeGyp,
            'rebuild',
            '--release',
            '--runtime=electron',
            `--target=${electronVersion}`,
            `--arch=${arch}`,
            `--dist-url=${ELECTRON_HEADERS_URL}`,
            // Electron's headers get their own cache dir so they never mix with Node's.
            `--devdir=${join(homedir(), '.electron-gyp')}`,
            '--jobs=max'
          ],
          copyDir,
          COMPILE_TIMEOUT_MS,
          verbose
        )
        if (!result.ok) failures.push(`node-gyp: ${result.why}`)
      }
    }

    if (!existsSync(built) || statSync(built).size === 0) {
      return { ok: false, failures: failures.length > 0 ? failures : ['no build/Release/better_sqlite3.node was produced'] }
    }

    const target = bindingPath(projectRoot, electronVersion, platform, arch)
    mkdirSync(dirname(target), { recursive: true })
    // Copy then rename, so an interrupted run never leaves a half-written file that the
    // "already built" check would trust.
    const partial = `${target}.${process.pid}.partial`
    copyFileSync(built, partial)
    renameSync(partial, target)
    return { ok: true, target }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

export function ensure({ projectRoot = PROJECT_ROOT, verbose = false } = {}) {
  const electronDir = join(projectRoot, 'node_modules', 'electron')
  const electronVersion = electronVersionOf(projectRoot)
  if (electronVersion === undefined) {
    throw new EnsureError('The electron package is not installed (node_modules/electron/package.json is missing); run `npm install`.')
  }
  const platform = process.platform
  const arch = electronArch(process.env, platform, process.arch, platform === 'darwin' ? isRosetta : undefined)
  const problems = []

  let electronProblem = electronInstallProblem(electronDir, electronVersion, platform, process.env)
  if (electronProblem !== null) {
    // The electron package fetches its binary on first use; do it now so a failure is reported here, in words.
    log(`downloading Electron ${electronVersion} (node_modules/electron/install.js)…`)
    const download = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: projectRoot, stdio: verbose ? 'inherit' : 'pipe', timeout: 10 * 60_000 })
    if (download.status === 0) electronProblem = electronInstallProblem(electronDir, electronVersion, platform, process.env)
  }
  if (electronProblem !== null) {
    problems.push(
      `Electron ${electronVersion}'s binary is not installed: ${electronProblem} ` +
        `Downloading it failed: the electron package fetches it on first use from ` +
        `https://github.com/electron/electron/releases/download/v${electronVersion}/electron-v${electronVersion}-${platform}-${arch}.zip, ` +
        `a host this machine cannot reach. With network access run \`npx install-electron\` ` +
        `(the package's own installer, i.e. \`node node_modules/electron/install.js\`). Otherwise set ELECTRON_MIRROR ` +
        `to a reachable mirror before running it, pre-seed that zip in the electron_config_cache directory, or set ` +
        `ELECTRON_OVERRIDE_DIST_PATH to an existing Electron ${electronVersion} directory.`
    )
  }

  const target = bindingPath(projectRoot, electronVersion, platform, arch)
  if (existsSync(target) && statSync(target).size > 0) {
    log(`better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}) is ready: ${relativeOrSelf(target)}`)
  } else {
    const result = buildBinding({ projectRoot, electronVersion, platform, arch, verbose })
    if (result.ok) {
      log(`built better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}): ${relativeOrSelf(result.target)}`)
    } else {
      problems.push(
        `better-sqlite3 could not be built for Electron ${electronVersion} (${platform}-${arch}): ${result.failures.join('; ')}. ` +
          `A prebuilt binary needs https://github.com/WiseLibs/better-sqlite3/releases to be reachable; compiling ` +
          `needs ${ELECTRON_HEADERS_URL} (Electron's headers), Python 3 and a C++20 toolchain ` +
          `(build-essential on Linux, Xcode Command Line Tools on macOS, Visual Studio Build Tools on Windows). ` +
          `Fix that and re-run \`node scripts/electron-native.mjs ensure\` (add --verbose for full output). ` +
          `node_modules/better-sqlite3/build was not touched, so tests under Node keep working.`
      )
    }
  }

  if (problems.length > 0) throw new EnsureError(problems.join('\n\n'))
}

function main(argv) {
  const [command = 'ensure', ...flags] = argv
  const verbose = flags.includes('--verbose')
  if (command === 'path') {
    const version = electronVersionOf(PROJECT_ROOT)
    if (version === undefined) throw new EnsureError('node_modules/electron is not installed; run `npm install`.')
    const arch = electronArch(process.env, process.platform, process.arch, process.platform === 'darwin' ? isRosetta : undefined)
    console.log(bindingPath(PROJECT_ROOT, version, process.platform, arch))
    return
  }
  if (command !== 'ensure') {
    throw new EnsureError(`Unknown command "${command}". Usage: node scripts/electron-native.mjs ensure [--verbose] | path`)
  }
  ensure({ verbose })
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2))
  } catch (error) {
    const message = error instanceof EnsureError ? error.message : (error?.stack ?? String(error))
    console.error(`\n[electron-native] Cannot start Stance under Electron.\n\n${message}\n`)
    process.exit(1)
  }
}
