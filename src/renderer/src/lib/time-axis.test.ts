import { describe, expect, it } from 'vitest'
import { dayNumber, timeAxis } from './time-axis'

describe('timeAxis', () => {
  it('spaces dates in proportion to the time between them', () => {
    const { points } = timeAxis(['2025-03-01', '2025-03-11', '2025-03-31'])
    expect(points.map((p) => p.x)).toEqual([0, 1 / 3, 1])
    expect(points.every((p) => p.lane === 0)).toBe(true)
  })

  it('stacks items too close to tell apart, and keeps the input order of the results', () => {
    const { points } = timeAxis(['2025-03-31', '2025-03-01', '2025-03-01', '2025-03-02'], { minGap: 0.1 })
    expect(points).toEqual([
      { x: 1, lane: 0 },
      { x: 0, lane: 0 },
      { x: 0, lane: 1 },
      { x: 1 / 30, lane: 2 }
    ])
  })

  it('puts a single date in the middle with its full date as the only tick', () => {
    const { points, ticks } = timeAxis(['2025-02-17', '2025-02-17'], { locale: 'en-US' })
    expect(points.map((p) => p.x)).toEqual([0.5, 0.5])
    expect(ticks).toEqual([{ x: 0.5, label: 'Feb 17, 2025' }])
  })

  it('ticks on Mondays for a few weeks, on month starts for months, on years for years', () => {
    const weeks = timeAxis(['2025-03-01', '2025-03-30'], { locale: 'en-US' }).ticks
    expect(weeks.map((t) => t.label)).toEqual(['Mar 3', 'Mar 10', 'Mar 17', 'Mar 24'])
    const months = timeAxis(['2025-02-17', '2025-06-20'], { locale: 'en-US' }).ticks
    expect(months.map((t) => t.label)).toEqual(['Mar 2025', 'Apr 2025', 'May 2025', 'Jun 2025'])
    const years = timeAxis(['2020-05-01', '2025-06-20'], { locale: 'en-US' }).ticks
    expect(years.map((t) => t.label)).toEqual(['2021', '2022', '2023', '2024', '2025'])
    for (const ticks of [weeks, months, years]) expect(ticks.every((t) => t.x >= 0 && t.x <= 1)).toBe(true)
  })

  it('reads only real YYYY-MM-DD dates', () => {
    expect(dayNumber('1970-01-02')).toBe(1)
    expect(dayNumber('2025-3-1')).toBeNull()
  })
})
