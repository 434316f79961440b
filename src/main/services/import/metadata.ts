import type { ArticleMeta } from '../../../shared/domain/article'

/** Metadata an import found; every field may be missing. */
export type FoundMeta = { [K in keyof ArticleMeta]: ArticleMeta[K] | null }

/** An empty set of found metadata. */
export function noMeta(): FoundMeta {
  return { title: null, outlet: null, author: null, publishedAt: null, sourceUrl: null }
}

// eslint-disable-next-line no-control-regex -- control characters never belong in metadata
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g

/** A single-line, trimmed, NFC value cut to `max` characters, or null when nothing is left. */
export function cleanField(raw: string | null | undefined, max: number): string | null {
  if (raw === null || raw === undefined) return null
  const value = raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().normalize('NFC')
  if (!value) return null
  return [...value].length <= max ? value : `${[...value].slice(0, max - 1).join('')}…`
}

/** A publication date as YYYY-MM-DD from an ISO date or timestamp, or anything Date can read; null otherwise. */
export function toIsoDate(raw: string | null | undefined): string | null {
  const value = raw?.trim()
  if (!value) return null
  // The calendar date as written comes first: a timestamp's own time zone says which day it was published.
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?![\d])/.exec(value)
  const date = iso ? new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]))) : new Date(Date.parse(value))
  if (Number.isNaN(date.getTime())) return null
  const text = iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : date.toISOString().slice(0, 10)
  // Reject dates that rolled over (2025-02-30) and years outside four digits.
  if (iso && date.toISOString().slice(0, 10) !== text) return null
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !text.startsWith('0') ? text : null
}

/** An absolute http(s) address, or null: relative and other addresses are dropped rather than guessed at. */
export function httpUrl(raw: string | null | undefined): string | null {
  const value = raw?.trim()
  if (!value || value.length > 4096) return null
  try {
    const url = new URL(value)
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.hostname === 'stance.invalid') return null
    return url.href
  } catch {
    return null
  }
}

/** Fills the fields of `base` that are still missing from `extra`. */
export function mergeMeta(base: FoundMeta, extra: Partial<FoundMeta>): FoundMeta {
  return {
    title: base.title ?? extra.title ?? null,
    outlet: base.outlet ?? extra.outlet ?? null,
    author: base.author ?? extra.author ?? null,
    publishedAt: base.publishedAt ?? extra.publishedAt ?? null,
    sourceUrl: base.sourceUrl ?? extra.sourceUrl ?? null
  }
}

/** Cleans every field to what the store and the contract accept. */
export function cleanMeta(found: FoundMeta): FoundMeta {
  return {
    title: cleanField(found.title, 1000),
    outlet: cleanField(found.outlet, 500),
    author: cleanField(found.author, 500),
    publishedAt: toIsoDate(found.publishedAt),
    sourceUrl: httpUrl(found.sourceUrl)
  }
}
