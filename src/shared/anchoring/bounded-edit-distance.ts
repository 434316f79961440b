/**
 * Levenshtein distance in UTF-16 units when it is at most `limit`, else null. Only the diagonal band
 * |i − j| ≤ limit can stay under the limit, so this costs O(|a| · limit) rather than O(|a| · |b|), which
 * keeps it affordable for whole paragraphs.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number | null {
  if (limit < 0 || Math.abs(a.length - b.length) > limit) return null
  if (a === b) return 0
  const beyond = limit + 1
  const width = 2 * limit + 1
  // Row i holds D[i][j] for j = i − limit … i + limit, at column offset j − i + limit.
  let previous = new Int32Array(width).fill(beyond)
  let current = new Int32Array(width).fill(beyond)
  for (let j = 0; j <= Math.min(limit, b.length); j++) previous[j + limit] = j
  for (let i = 1; i <= a.length; i++) {
    current.fill(beyond)
    const unit = a.charCodeAt(i - 1)
    let rowBest = beyond
    const from = Math.max(0, i - limit)
    const to = Math.min(b.length, i + limit)
    for (let j = from; j <= to; j++) {
      const k = j - i + limit
      let value = j === 0 ? i : beyond
      if (j > 0) {
        // Diagonal stays at offset k in the previous row; up is k + 1 there; left is k − 1 here.
        const diagonal = previous[k]! + (unit === b.charCodeAt(j - 1) ? 0 : 1)
        const up = k + 1 < width ? previous[k + 1]! + 1 : beyond
        const left = k > 0 ? current[k - 1]! + 1 : beyond
        value = Math.min(diagonal, up, left, beyond)
      }
      current[k] = value
      if (value < rowBest) rowBest = value
    }
    if (rowBest > limit) return null
    const swap = previous
    previous = current
    current = swap
  }
  const distance = previous[b.length - a.length + limit]!
  return distance <= limit ? distance : null
}
