#!/usr/bin/env node
// `npm run lint:security`: @doyensec/electronegativity over Stance's sources, offline, failing on any finding of
// MEDIUM severity or above (whatever its confidence) and on any file it could not parse.
//
// What it reads, and why the sources rather than out/
//   electronegativity understands `new BrowserWindow({... webPreferences ...})`, CSP in HTML and headers, openExternal,
//   navigation and permission handlers, and the Electron version from package.json (its defaults for sandbox,
//   nodeIntegration, remote, ... depend on it). So it is given a staging copy of:
//   - package.json, from which it takes the Electron version (without it, it assumes Electron 0.1.0 and flags every
//     default of that era) and runs its package.json checks (custom Chromium switches, disabled security warnings);
//   - src/**/*.ts and *.html, which it parses itself (TypeScript via typescript-estree/babel);
//   - src/**/*.svelte compiled to JavaScript with the project's own svelte compiler, because electronegativity reads
//     only .js/.ts/.html and would otherwise not see the renderer's components at all.
//   The built out/ is not used: it is the same code bundled with third-party libraries (a wall of findings nobody
//   owns), without package.json, and it only exists after `npm run build`; the sources give findings on the lines
//   to fix and let this run before the build, right after `npm run lint`.
//   Left out of the copy: unit tests (*.test.ts) and test fixtures (**/fixtures/**): they are not shipped and hold
//   hostile or deliberately broken input on purpose (csp.test.ts tampers with the CSP, hostile.html is an XSS corpus).
//
// Offline
//   The CLI fetches translations from a remote bucket on every start (locales/i18n.js, not switchable) and
//   AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list. This script runs electronegativity's
//   runner in-process instead of the CLI, sets up its English messages from the copy bundled in the package, and
//   replaces its HTTP client (`got`) and Node's http/https with stand-ins that refuse, so a check that tries the
//   network fails this script loudly instead of silently passing or hanging.
//
// Excluded checks (EXCLUDED_CHECKS below), each with its reason:
//   - AvailableSecurityFixesGlobalCheck (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK): needs the network (see above).
//     Electron is pinned to an exact version in package.json and updated deliberately; that is where security
//     releases are picked up.
//   - AuxclickJSCheck (AUXCLICK_JS_CHECK): asks every BrowserWindow for `disableBlinkFeatures: 'Auxclick'`. That
//     Blink runtime feature no longer exists in the Chromium of current Electron (the auxclick event shipped
//     unflagged long ago), so the setting would be a no-op written only to satisfy the linter. What the check guards
//     against, a middle-click opening a link in a new window, goes through `setWindowOpenHandler` in Electron 12+
//     (disposition background-tab), which every webContents gets from guardWebContents (deny, then offer the link
//     to the system browser after a dialog); main-window.test.ts covers that, and e2e/hardening.spec.ts
//     middle-clicks an article link.
//
// Inline suppressions (`// eng-disable CHECK_ID` on the flagged line) are allowed only where INLINE_SUPPRESSIONS
// lists them with a reason; any other one fails the run, so they cannot pile up unseen.
//
// Usage: node scripts/lint-security.mjs [--all] [--root DIR]
//   --all   also print the findings below MEDIUM
//   --root  scan another project laid out like this one (scripts/lint-security.test.ts uses it)

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'

const rootArg = process.argv.indexOf('--root')
const ROOT = rootArg > 0 && process.argv[rootArg + 1] ? resolve(process.argv[rootArg + 1]) : join(import.meta.dirname, '..')
const FAIL_AT = 2 // electronegativity's severity values: 0 informational, 1 low, 2 medium, 3 high

const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck', 'AuxclickJSCheck']

/** file (relative to the repo) -> check ids that may be suppressed there with `eng-disable`, and why. */
const INLINE_SUPPRESSIONS = {
  'src/main/windows/web-contents-guards.ts': {
    OPEN_EXTERNAL_JS_CHECK:
      'the one shell.openExternal call: its URL comes from parseExternalUrl (http, https or mailto only, canonical, ' +
      'no credentials; external-links.test.ts) and is opened only after the user confirms a dialog showing it ' +
      '(web-contents-guards.test.ts)'
  }
}

const showAll = process.argv.includes('--all')

const requireHere = createRequire(import.meta.url)
const engRoot = dirname(requireHere.resolve('@doyensec/electronegativity/package.json'))
const engRequire = createRequire(join(engRoot, 'dist', 'runner.js'))
const engVersion = JSON.parse(readFileSync(join(engRoot, 'package.json'), 'utf8')).version

// ---- offline: no network client reaches electronegativity ----
const networkAttempts = []
function refuse(what) {
  networkAttempts.push(what)
  throw new Error(`lint:security runs offline; electronegativity tried to reach ${what}`)
}
// got's calls return promises, so its stand-in rejects; Node's clients throw at once.
const offlineGot = async (url) => refuse(String(url))
offlineGot.head = offlineGot
offlineGot.get = offlineGot
for (const client of [http, https]) {
  client.request = (target) => refuse(typeof target === 'string' ? target : String(target?.href ?? target?.hostname))
  client.get = client.request
}

function preload(modulePath, exports) {
  const stand = new Module(modulePath)
  stand.filename = modulePath
  stand.loaded = true
  stand.exports = exports
  Module._cache[modulePath] = stand
}

preload(engRequire.resolve('got'), offlineGot)
// The bundled English messages, registered as the global `__` the checks use; no download of "updated" ones.
const i18n = engRequire('i18n')
preload(join(engRoot, 'dist', 'locales', 'i18n.js'), async () => {
  i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: join(engRoot, 'dist', 'locales'), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: global })
  i18n.setLocale('en-US')
})

// ---- stage what electronegativity should read ----
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') yield* walk(path)
    } else yield path
  }
}

const stage = mkdtempSync(join(tmpdir(), 'stance-lint-security-'))
const staged = new Map() // staged path -> repo-relative source path
try {
  cpSync(join(ROOT, 'package.json'), join(stage, 'package.json'))
  staged.set(join(stage, 'package.json'), 'package.json')
  const { compile } = await import('svelte/compiler')
  for (const file of walk(join(ROOT, 'src'))) {
    const rel = relative(ROOT, file).split(sep).join('/')
    if (/\.test\.ts$/.test(rel)) continue
    if (/\.(ts|html)$/.test(rel)) {
      const target = join(stage, rel)
      mkdirSync(dirname(target), { recursive: true })
      cpSync(file, target)
      staged.set(target, rel)
    } else if (rel.endsWith('.svelte')) {
      const target = join(stage, `${rel}.js`)
      mkdirSync(dirname(target), { recursive: true })
      const { js } = compile(readFileSync(file, 'utf8'), { filename: rel, generate: 'client', runes: true })
      writeFileSync(target, js.code)
      staged.set(target, rel)
    }
  }

  const suppressionProblems = auditSuppressions(staged)

  // ---- run ----
  const run = engRequire(join(engRoot, 'dist', 'runner.js'))
  const result = await run(
    {
      input: stage,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: false,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: undefined,
      parserPlugins: []
    },
    false
  )

  const where = (file) => (file === 'N/A' ? 'N/A' : (staged.get(file) ?? relative(stage, file)))
  const issues = result.issues.map((issue) => ({
    id: issue.id,
    severity: issue.severity.name,
    severityValue: issue.severity.value,
    confidence: issue.confidence.name,
    file: where(issue.file),
    line: issue.location.line,
    column: issue.location.column,
    sample: (issue.sample ?? '').trim(),
    description: issue.description,
    manualReview: issue.manualReview,
    properties: issue.properties
  }))
  const failing = issues.filter((i) => i.severityValue >= FAIL_AT)
  const below = issues.filter((i) => i.severityValue < FAIL_AT)
  const parseErrors = result.errors.filter((e) => !e.tolerable)
  const version = issues.find((i) => i.id === 'ELECTRON_VERSION_JSON_CHECK')?.properties?.versionNumber

  const line = (i) => `  ${i.severity.padEnd(13)} ${i.confidence.padEnd(9)} ${i.id}  ${i.file}:${i.line}:${i.column}${i.manualReview ? '  (manual review)' : ''}\n      ${i.sample.slice(0, 160)}\n      ${i.description}`
  console.log(
    `electronegativity ${engVersion}: ${staged.size} files, ${result.atomicChecks} atomic + ${result.globalChecks} global checks, Electron ${version ?? 'version not found'}; excluded: ${EXCLUDED_CHECKS.join(', ')}`
  )
  if (showAll && below.length > 0) console.log(`Below MEDIUM (not failing):\n${below.map(line).join('\n')}`)
  else if (below.length > 0) console.log(`${below.length} finding(s) below MEDIUM (${[...new Set(below.map((i) => `${i.id} ${i.severity}`))].join(', ')}); --all lists them.`)
  for (const error of result.errors.filter((e) => e.tolerable)) console.log(`  parse warning: ${where(error.file)}: ${error.message}`)

  const problems = []
  if (version === undefined) problems.push('electronegativity did not read the Electron version from package.json')
  if (networkAttempts.length > 0) problems.push(`network attempts: ${networkAttempts.join(', ')}`)
  for (const error of parseErrors) problems.push(`could not parse ${where(error.file)} (so it was not checked): ${error.message}`)
  problems.push(...suppressionProblems)
  if (failing.length > 0) problems.push(`${failing.length} finding(s) at MEDIUM or above:\n${failing.map(line).join('\n')}`)

  if (problems.length > 0) {
    console.error(`lint:security failed:\n${problems.map((p) => `- ${p}`).join('\n')}`)
    process.exitCode = 1
  } else {
    console.log('0 findings at MEDIUM or above.')
  }
} finally {
  rmSync(stage, { recursive: true, force: true })
}

/** Every `eng-disable` in the staged files must be listed in INLINE_SUPPRESSIONS. */
function auditSuppressions(files) {
  const problems = []
  for (const [path, rel] of files) {
    const text = readFileSync(path, 'utf8')
    for (const match of text.matchAll(/eng-disable[ \t]+([\w \t,]+)/gi)) {
      for (const id of match[1].trim().split(/[\s,]+/)) {
        if (!INLINE_SUPPRESSIONS[rel]?.[id.toUpperCase()]) problems.push(`${rel}: eng-disable ${id} is not listed with a reason in scripts/lint-security.mjs`)
      }
    }
  }
  return problems
}
