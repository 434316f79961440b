/** Dark text of the app, used on light fills. */
const DARK_TEXT = '#1d2025'
/** Light text, used on dark fills. */
const LIGHT_TEXT = '#ffffff'

function channels(hex: string): [number, number, number] {
  const value = /^#?([0-9a-f]{6})$/i.exec(hex)?.[1] ?? '808080'
  return [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16)) as [number, number, number]
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG contrast ratio between two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** `color` laid over `base` at `amount` (0 = base, 1 = color). */
export function mix(color: string, base: string, amount: number): string {
  const t = Math.min(1, Math.max(0, amount))
  const c = channels(color)
  const b = channels(base)
  return toHex(c.map((v, i) => b[i]! + (v - b[i]!) * t))
}

/**
 * The fill and text colour of a matrix cell: the row's colour laid over the cell background, stronger
 * as the count nears the largest cell. The faintest non-empty cell keeps enough tint to tell it from an
 * empty one; the text is whichever of the app's dark or white text reads better on the fill.
 */
export function heat(color: string, base: string, count: number, max: number): { fill: string; text: string } | null {
  if (count <= 0 || max <= 0) return null
  const fill = mix(color, base, 0.16 + 0.84 * Math.min(1, count / max))
  return { fill, text: contrast(fill, DARK_TEXT) >= contrast(fill, LIGHT_TEXT) ? DARK_TEXT : LIGHT_TEXT }
}
