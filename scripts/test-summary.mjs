// Prints one line, "N passed, N failed", summed over every test runner's JSON report.
// Usage: node scripts/test-summary.mjs <exit status of npm test>
import { existsSync, readFileSync } from 'node:fs'

const status = Number(process.argv[2] ?? 0)
let passed = 0
let failed = 0
let skipped = 0
const seen = []

if (existsSync('test-results/unit.json')) {
  const unit = JSON.parse(readFileSync('test-results/unit.json', 'utf8'))
  passed += unit.numPassedTests ?? 0
  failed += unit.numFailedTests ?? 0
  skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0)
  seen.push('vitest')
}
if (existsSync('test-results/e2e.json')) {
  const e2e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'))
  passed += (e2e.stats?.expected ?? 0) + (e2e.stats?.flaky ?? 0)
  failed += e2e.stats?.unexpected ?? 0
  skipped += e2e.stats?.skipped ?? 0
  seen.push('playwright')
}
// A failing step with no failing test (typecheck, lint, build, a runner that crashed) still counts as a failure.
if (status !== 0 && failed === 0) failed = 1
console.error(`runners reported: ${seen.join(', ') || 'none'}`)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
