import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Scenario, ScenarioResult } from './lib/scenario'
import { analysisMatrix } from './scenarios/analysis'
import { anchoring } from './scenarios/anchoring'
import { boot } from './scenarios/boot'
import { exportPdf } from './scenarios/export'
import { ipcRead } from './scenarios/ipc-read'
import { readerCreate, readerMemory, readerOpen } from './scenarios/reader'
import { search } from './scenarios/search'
import { suggestions } from './scenarios/suggestions'
import { write } from './scenarios/write'

/** Every scenario, in the order the table prints them. */
const SCENARIOS: Scenario[] = [boot, readerOpen, anchoring, readerCreate, write, search, exportPdf, readerMemory, ipcRead, analysisMatrix, suggestions]

function parseArgs(argv: string[]): { quick: boolean; only: string | null; out: string } {
  const value = (flag: string): string | null => {
    const index = argv.indexOf(flag)
    return index >= 0 ? (argv[index + 1] ?? null) : null
  }
  return { quick: argv.includes('--quick'), only: value('--only'), out: value('--out') ?? join(import.meta.dirname, 'results.json') }
}

const fmtMs = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`)

/** A figure in its scenario's unit: times in ms (or µs), S8's memory in MiB. */
const fmt = (r: ScenarioResult, value: number): string => (r.unit ? `${value.toFixed(1)} ${r.unit}` : fmtMs(value))

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const chosen = SCENARIOS.filter((s) => !args.only || s.id.toLowerCase() === args.only.toLowerCase())
  if (chosen.length === 0) throw new Error(`No scenario "${args.only}". Known: ${SCENARIOS.map((s) => s.id).join(', ')}`)
  const results: ScenarioResult[] = []
  for (const scenario of chosen) {
    process.stderr.write(`running ${scenario.id}: ${scenario.title}…\n`)
    results.push(await scenario.run({ quick: args.quick }))
  }
  console.table(
    results.map((r) => ({
      scenario: `${r.id} ${r.title}`,
      'feature median': fmt(r, r.feature.median),
      'baseline median': fmt(r, r.baseline.median),
      ratio: `${r.ratio.toFixed(2)}×`,
      'feature p95': fmt(r, r.feature.p95),
      goal: r.goal,
      met: r.met ? 'yes' : 'NO'
    }))
  )
  for (const r of results) if (r.notes) console.log(`${r.id}: ${r.notes}`)
  mkdirSync(dirname(args.out), { recursive: true })
  writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), quick: args.quick, node: process.version, results }, null, 2)}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
