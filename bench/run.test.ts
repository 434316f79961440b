import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

describe('npm run bench --quick', () => {
  it('runs every scenario and records numbers for each (never judged on time)', { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'stance-bench-smoke-'))
    try {
      const out = join(dir, 'results.json')
      execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), '--quick', '--out', out], { stdio: 'pipe', timeout: 280_000 })
      const report = JSON.parse(readFileSync(out, 'utf8')) as { quick: boolean; results: { id: string; feature: { median: number }; baseline: { median: number }; ratio: number }[] }
      expect(report.quick).toBe(true)
      // Every scenario of the table, S1–S8, the IPC read reference, and the analysis matrix and suggestions (S9, S10).
      expect(report.results.map((r) => r.id).sort()).toEqual(['IPC-R', 'S1', 'S10', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9'])
      for (const result of report.results) {
        expect(result.feature.median, result.id).toBeGreaterThan(0)
        expect(result.baseline.median, result.id).toBeGreaterThan(0)
        expect(Number.isFinite(result.ratio), result.id).toBe(true)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
