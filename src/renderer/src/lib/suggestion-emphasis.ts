/** A run of a suggested sentence: plain, the matched actor, or the attribution cue. */
export interface EmphasisRun {
  text: string
  kind: 'plain' | 'actor' | 'cue'
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch)

/**
 * Where `term` occurs in `text`, case-insensitively, preferring an occurrence on word boundaries
 * ("US" in "US officials", not in "discuss"); -1 when it does not occur at all.
 */
function find(text: string, term: string): number {
  if (!term) return -1
  const haystack = text.toLocaleLowerCase()
  const needle = term.toLocaleLowerCase()
  // Lower-casing can change lengths (rare letters); then positions would not line up with the text.
  if (haystack.length !== text.length || needle.length !== term.length) return -1
  let first = -1
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (first < 0) first = at
    const before = isWordChar(needle[0]) ? text[at - 1] : undefined
    const after = isWordChar(needle[needle.length - 1]) ? text[at + needle.length] : undefined
    if (!isWordChar(before) && !isWordChar(after)) return at
  }
  return first
}

/**
 * Splits a suggested sentence into runs so the actor term and the cue can be emphasised. The server
 * sends the terms, not their places, so they are found here; a term that is not in the sentence (a cue
 * that stands for quoted speech, say) is simply not marked. When the two overlap, the actor wins.
 */
export function emphasise(text: string, actor: string, cue: string | null): EmphasisRun[] {
  const marks: { from: number; to: number; kind: 'actor' | 'cue' }[] = []
  const actorAt = find(text, actor)
  if (actorAt >= 0) marks.push({ from: actorAt, to: actorAt + actor.length, kind: 'actor' })
  const cueAt = cue ? find(text, cue) : -1
  if (cue && cueAt >= 0 && !marks.some((m) => cueAt < m.to && cueAt + cue.length > m.from)) marks.push({ from: cueAt, to: cueAt + cue.length, kind: 'cue' })
  marks.sort((a, b) => a.from - b.from)
  const runs: EmphasisRun[] = []
  let at = 0
  for (const mark of marks) {
    if (mark.from > at) runs.push({ text: text.slice(at, mark.from), kind: 'plain' })
    runs.push({ text: text.slice(mark.from, mark.to), kind: mark.kind })
    at = mark.to
  }
  if (at < text.length || runs.length === 0) runs.push({ text: text.slice(at), kind: 'plain' })
  return runs
}
