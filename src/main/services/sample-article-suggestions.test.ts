import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSampleArticle } from './sample-article'
import { sliceCodePoints } from '../../shared/anchoring/code-points'
import { canonicalText } from '../../shared/domain/canonical-text'
import { defaultCodeDictionaries } from '../../shared/autocode/default-code-dictionaries'
import { suggestCodes } from '../../shared/autocode/suggest-codes'

const source = readFileSync(new URL('../../../resources/sample/riyadh-talks.md', import.meta.url), 'utf8')
const text = canonicalText(parseSampleArticle(source).doc)
const suggestions = suggestCodes(text, defaultCodeDictionaries())
const codesFor = (opening: string): string[] => suggestions.filter((s) => s.exact.startsWith(opening)).map((s) => s.codeId)

describe('suggestCodes on the bundled sample article', () => {
  it('proposes suggestions for several stances, each a sentence of the text', () => {
    expect(suggestions.length).toBeGreaterThanOrEqual(4)
    expect(new Set(suggestions.map((s) => s.codeId)).size).toBeGreaterThanOrEqual(2)
    for (const s of suggestions) expect(sliceCodePoints(text, s.start, s.end)).toBe(s.exact)
  })

  it('finds the speakers a reader would mark (checked by eye)', () => {
    expect(codesFor('“The main task is to start rebuilding')).toEqual(['Russian stance'])
    expect(codesFor('Witkoff said Sunday')).toEqual(['US stance'])
    expect(codesFor('“But nobody finds out what is possible')).toEqual(['US stance'])
    expect(codesFor('Kyiv insists on a seat')).toEqual(['Ukrainian stance'])
    expect(codesFor('President Volodymyr Zelenskyy said Monday')).toEqual(['Ukrainian stance'])
    expect(codesFor('Andriy Yermak, Zelenskyy’s chief of staff, ruled out')).toEqual(['Ukrainian stance'])
    expect(codesFor('Ushakov told Russian media')).toEqual(['Russian stance'])
    expect(codesFor('“Europe cannot be a spectator')).toEqual(['EU stance'])
    expect(codesFor('Kyiv and many European capitals argue')).toEqual(['EU stance', 'Ukrainian stance'])
    const lavrov = suggestions.find((s) => s.exact.startsWith('Lavrov repeated on Monday'))
    expect(lavrov).toMatchObject({ codeId: 'Russian stance', actor: 'Lavrov', cue: 'repeated', issueCodeIds: ['NATO membership'] })
  })

  it('leaves background and mere mentions alone', () => {
    for (const opening of [
      'RIYADH, Saudi Arabia — Top diplomats',
      'It marks the sharpest break yet',
      'High-level contact has been scarce',
      'Russian forces occupy roughly a fifth',
      'Under President Joe Biden',
      'Rebuilding the country is expected'
    ]) {
      expect(codesFor(opening)).toEqual([])
    }
  })
})
