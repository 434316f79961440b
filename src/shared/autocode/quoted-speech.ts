/** A text with its quoted passages blanked out, and where those passages were (UTF-16 indices). */
export interface MaskedQuotes {
  /** The text with every quoted passage, marks included, replaced by spaces: same length, same indices. */
  masked: string
  /** Each quoted passage as [start, end), marks included, in order; one left open runs to the end of its line. */
  spans: [number, number][]
}

const LETTER = /[\p{L}\p{M}\p{N}]/u
const OPENS_AFTER = /[\s([{\u2014\u2013-]/u

/**
 * Finds quoted speech: “…”, "…" and ‘…’ (a ’ between letters is an apostrophe, not a closing mark).
 * Quotes never run past a line break, since a quote that goes on into the next paragraph reopens there.
 * Speech inside quotes is the speaker's own words, so attribution is looked for only outside them.
 */
export function maskQuotes(text: string): MaskedQuotes {
  const spans: [number, number][] = []
  let open = -1
  let closer = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (char === '\n') {
      if (open >= 0) spans.push([open, i])
      open = -1
      continue
    }
    if (open < 0) {
      if (char === '“') [open, closer] = [i, '”']
      else if (char === '"') [open, closer] = [i, '"']
      else if (char === '‘' && (i === 0 || OPENS_AFTER.test(text[i - 1]!))) [open, closer] = [i, '’']
      continue
    }
    if (char !== closer) continue
    if (closer === '’' && LETTER.test(text[i - 1] ?? '') && LETTER.test(text[i + 1] ?? '')) continue
    spans.push([open, i + 1])
    open = -1
  }
  if (open >= 0) spans.push([open, text.length])
  // Joined once rather than concatenated piece by piece: a long concatenation chain is slow to index into.
  const parts: string[] = []
  let from = 0
  for (const [start, end] of spans) {
    parts.push(text.slice(from, start), ' '.repeat(end - start))
    from = end
  }
  parts.push(text.slice(from))
  return { masked: parts.join(''), spans }
}
