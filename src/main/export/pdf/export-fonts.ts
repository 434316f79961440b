import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The faces the export prints with: the reader's serif for text and Inter for labels. */
const FACES: { pkg: string; css: string[] }[] = [
  { pkg: '@fontsource/noto-serif', css: ['400.css', '700.css', '400-italic.css', '700-italic.css'] },
  { pkg: '@fontsource/inter', css: ['400.css', '600.css'] }
]

/** Subsets worth embedding: the scripts of the sample material; others fall back to system fonts. */
const SUBSETS = /-(latin|latin-ext|cyrillic|cyrillic-ext|greek)-\d+-(normal|italic)\.woff2/

let cached: string | undefined

/**
 * @font-face rules with the bundled fonts as data: URLs, so the print page needs no file or network access
 * and prints alike on every machine; Chromium embeds only the glyphs used, so the PDF stays small.
 */
export function exportFontCss(): string {
  if (cached !== undefined) return cached
  const require = createRequire(import.meta.url)
  const rules: string[] = []
  for (const face of FACES) {
    const root = dirname(require.resolve(`${face.pkg}/package.json`))
    for (const file of face.css) {
      const css = readFileSync(join(root, file), 'utf8')
      for (const block of css.split('@font-face').slice(1)) {
        const body = block.slice(block.indexOf('{') + 1, block.lastIndexOf('}'))
        const url = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(body)?.[1]
        if (!url || !SUBSETS.test(url)) continue
        const data = readFileSync(join(root, 'files', url)).toString('base64')
        const descriptors = body
          .split(';')
          .map((line) => line.trim())
          .filter((line) => /^(font-family|font-style|font-weight|unicode-range):/.test(line))
        rules.push(`@font-face{${descriptors.join(';')};font-display:block;src:url(data:font/woff2;base64,${data}) format('woff2')}`)
      }
    }
  }
  cached = rules.join('\n')
  return cached
}
