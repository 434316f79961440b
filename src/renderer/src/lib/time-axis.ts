const DAY = 86_400_000

/** Days since 1970 of a YYYY-MM-DD date, or null when it is not one. */
export function dayNumber(isoDate: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!match) return null
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return Number.isNaN(ms) ? null : Math.round(ms / DAY)
}

/** A point on the axis: where (0 to 1) and on which lane (0 on the axis, 1, 2… stacked above close neighbours). */
export interface AxisPoint {
  x: number
  lane: number
}

/** A labelled date on the axis. */
export interface AxisTick {
  x: number
  label: string
}

type Step = { kind: 'day'; days: number } | { kind: 'month'; months: number }

const STEPS: Step[] = [
  { kind: 'day', days: 1 },
  { kind: 'day', days: 2 },
  { kind: 'day', days: 7 },
  { kind: 'day', days: 14 },
  { kind: 'month', months: 1 },
  { kind: 'month', months: 2 },
  { kind: 'month', months: 3 },
  { kind: 'month', months: 6 },
  { kind: 'month', months: 12 },
  { kind: 'month', months: 24 },
  { kind: 'month', months: 60 },
  { kind: 'month', months: 120 }
]

/**
 * Places dated items on a proportional time axis: x from 0 (the earliest date) to 1 (the latest), and a
 * lane for each so that items closer than `minGap` are stacked rather than drawn over each other. Ticks
 * fall on round dates (days, weeks, months, years, whichever gives at most `maxTicks`).
 */
export function timeAxis(
  dates: readonly string[],
  options: { minGap?: number; maxTicks?: number; locale?: string } = {}
): { points: AxisPoint[]; ticks: AxisTick[] } {
  const minGap = options.minGap ?? 0.04
  const maxTicks = options.maxTicks ?? 6
  const days = dates.map((d) => dayNumber(d) ?? 0)
  if (days.length === 0) return { points: [], ticks: [] }
  const first = Math.min(...days)
  const last = Math.max(...days)
  const span = last - first
  const at = (day: number): number => (span === 0 ? 0.5 : (day - first) / span)

  // Lanes: each point goes to the lowest lane whose last point is far enough to its left.
  const laneEnds: number[] = []
  const order = days.map((day, index) => ({ day, index })).sort((a, b) => a.day - b.day || a.index - b.index)
  const points: AxisPoint[] = new Array<AxisPoint>(days.length)
  for (const { day, index } of order) {
    const x = at(day)
    let lane = laneEnds.findIndex((end) => x - end >= minGap)
    if (lane === -1) {
      lane = laneEnds.length
      laneEnds.push(x)
    } else laneEnds[lane] = x
    points[index] = { x, lane }
  }

  const long = new Intl.DateTimeFormat(options.locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
  if (span === 0) return { points, ticks: [{ x: 0.5, label: long.format(new Date(first * DAY)) }] }

  const step = STEPS.find((s) => (s.kind === 'day' ? span / s.days : span / (30.44 * s.months)) <= maxTicks) ?? STEPS[STEPS.length - 1]!
  const dayLabel = new Intl.DateTimeFormat(options.locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })
  const monthLabel = new Intl.DateTimeFormat(options.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' })
  const yearLabel = new Intl.DateTimeFormat(options.locale, { year: 'numeric', timeZone: 'UTC' })
  const ticks: AxisTick[] = []
  if (step.kind === 'day') {
    // Weekly and fortnightly ticks fall on Mondays (day 4 since 1970 was a Monday).
    const anchor = step.days >= 7 ? 4 : 0
    const start = Math.ceil((first - anchor) / step.days) * step.days + anchor
    for (let day = start; day <= last; day += step.days) ticks.push({ x: at(day), label: dayLabel.format(new Date(day * DAY)) })
  } else {
    const begin = new Date(first * DAY)
    let year = begin.getUTCFullYear()
    let month = begin.getUTCMonth()
    if (begin.getUTCDate() !== 1) month++
    // Round to a multiple of the step from January, so quarters start in Jan/Apr/Jul/Oct and years in January.
    month = Math.ceil(month / step.months) * step.months
    for (;;) {
      year += Math.floor(month / 12)
      month %= 12
      const day = Math.round(Date.UTC(year, month, 1) / DAY)
      if (day > last) break
      const date = new Date(day * DAY)
      ticks.push({ x: at(day), label: step.months >= 12 ? yearLabel.format(date) : monthLabel.format(date) })
      month += step.months
    }
  }
  return { points, ticks }
}
