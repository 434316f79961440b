import type { Timing } from './measure'

/** How hard to run: `quick` only proves a scenario still works. */
export interface RunOptions {
  quick: boolean
}

/** What one scenario reports: the feature and its same-run baseline, and the goal it is held to. */
export interface ScenarioResult {
  id: string
  title: string
  feature: Timing
  baseline: Timing
  /** feature median / baseline median. */
  ratio: number
  goal: string
  met: boolean
  notes?: string
  /** What the timings measure when not milliseconds (S8 reports MiB). */
  unit?: string
}

/** A benchmark scenario. */
export interface Scenario {
  id: string
  title: string
  run(options: RunOptions): Promise<ScenarioResult>
}

/** Builds a scenario's result: the ratio defaults to feature median over baseline median. */
export function report(
  scenario: Pick<Scenario, 'id' | 'title'>,
  parts: { feature: Timing; baseline: Timing; goal: string; met: (ratio: number) => boolean; ratio?: number; notes?: string; unit?: string }
): ScenarioResult {
  const ratio = parts.ratio ?? parts.feature.median / parts.baseline.median
  return {
    id: scenario.id,
    title: scenario.title,
    feature: parts.feature,
    baseline: parts.baseline,
    ratio,
    goal: parts.goal,
    met: parts.met(ratio),
    ...(parts.notes ? { notes: parts.notes } : {}),
    ...(parts.unit ? { unit: parts.unit } : {})
  }
}
