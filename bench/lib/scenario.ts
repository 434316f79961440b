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
}

/** A benchmark scenario. */
export interface Scenario {
  id: string
  title: string
  run(options: RunOptions): Promise<ScenarioResult>
}
