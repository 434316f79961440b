const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })

/** Formats a YYYY-MM-DD date for display, in the reader's locale. */
export function formatDate(isoDate: string | null): string {
  if (!isoDate) return ''
  const date = new Date(`${isoDate}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date)
}

/** "1,234 words · 6 min read" for an article header. */
export function formatLength(words: number): string {
  const minutes = Math.max(1, Math.round(words / 230))
  return `${words.toLocaleString()} words · ${minutes} min read`
}

/** The host of a URL, for a compact source line. */
export function hostOf(url: string | null): string {
  if (!url) return ''
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
