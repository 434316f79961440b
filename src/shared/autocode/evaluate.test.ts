import { describe, expect, it } from 'vitest'
import { defaultCodeDictionaries } from './default-code-dictionaries'
import { DEFAULT_DICTIONARIES } from './default-dictionaries'
import { evaluateSuggestions } from './evaluate'
import { EVALUATION_FIXTURE } from './fixtures/evaluation-fixture'
import { HOLDOUT_FIXTURE } from './fixtures/holdout-fixture'
import { assembleLabelledArticle, type LabelledArticle } from './labelled-article'
import { splitSentences } from './sentences'

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`

describe('the labelled fixture', () => {
  it('has at least 40 sentences over three articles, labelled with default stance names only', () => {
    expect(EVALUATION_FIXTURE).toHaveLength(3)
    const sentences = EVALUATION_FIXTURE.flatMap((a) => a.paragraphs.flat())
    expect(sentences.length).toBeGreaterThanOrEqual(40)
    const stances = Object.keys(DEFAULT_DICTIONARIES).filter((name) => name.endsWith(' stance'))
    for (const s of [...sentences, ...HOLDOUT_FIXTURE.flatMap((a) => a.paragraphs.flat())]) for (const label of s.stances) expect(stances).toContain(label)
    // Both positives and hard negatives, in every article.
    for (const article of EVALUATION_FIXTURE) {
      const flat = article.paragraphs.flat()
      expect(flat.filter((s) => s.stances.length > 0).length).toBeGreaterThanOrEqual(10)
      expect(flat.filter((s) => s.stances.length === 0).length).toBeGreaterThanOrEqual(5)
    }
  })

  it('assembles text whose sentences the splitter finds exactly where the labels are', () => {
    for (const article of [...EVALUATION_FIXTURE, ...HOLDOUT_FIXTURE]) {
      const { text, sentences } = assembleLabelledArticle(article)
      expect(splitSentences(text).map((s) => [s.start, s.end, s.text])).toEqual(sentences.map((s) => [s.start, s.end, s.text]))
    }
  })
})

describe('evaluateSuggestions', () => {
  it('scores a suggestion on the labelled sentence and code as right, anything else as wrong', () => {
    const article: LabelledArticle = {
      id: 'tiny',
      outlet: 'Test',
      published: '2025-01-01',
      style: 'test',
      paragraphs: [
        [
          { text: 'Lavrov said no.', stances: ['Russian stance'] },
          { text: 'Rubio met Lavrov.', stances: [] },
          { text: 'Polish officials said yes.', stances: ['EU stance'] }
        ],
        [{ text: 'Washington and Brussels both said yes.', stances: ['US stance'] }]
      ]
    }
    const result = evaluateSuggestions([article], defaultCodeDictionaries())
    expect(result.overall).toMatchObject({ sentences: 4, labelled: 3, suggestions: 3, truePositives: 2, falsePositives: 1, falseNegatives: 1 })
    expect(result.falsePositiveList).toEqual([expect.objectContaining({ codeId: 'EU stance', sentence: 'Washington and Brussels both said yes.', cue: 'said' })])
    expect(result.falseNegativeList).toEqual([expect.objectContaining({ codeId: 'EU stance', sentence: 'Polish officials said yes.' })])
    expect(result.overall.precision).toBeCloseTo(2 / 3)
    expect(result.overall.recall).toBeCloseTo(2 / 3)
    expect(result.overall.f1).toBeCloseTo(2 / 3)
  })

  it('reaches precision ≥ 0.8 at recall ≥ 0.6 on the fixture with the default dictionaries', () => {
    const result = evaluateSuggestions(EVALUATION_FIXTURE, defaultCodeDictionaries())
    const holdout = evaluateSuggestions(HOLDOUT_FIXTURE, defaultCodeDictionaries())
    for (const r of [...result.articles, ...holdout.articles]) {
      console.log(`${r.id}: ${r.sentences} sentences, ${r.labelled} labelled, P ${percent(r.precision)} R ${percent(r.recall)} F1 ${percent(r.f1)}`)
    }
    const o = result.overall
    console.log(`fixture overall: ${o.sentences} sentences, ${o.labelled} labelled, ${o.suggestions} suggested, P ${percent(o.precision)} R ${percent(o.recall)} F1 ${percent(o.f1)}`)
    expect(o.sentences).toBeGreaterThanOrEqual(40)
    expect(o.precision).toBeGreaterThanOrEqual(0.8)
    expect(o.recall).toBeGreaterThanOrEqual(0.6)
    // Each article on its own, too, so one style cannot hide behind the others.
    for (const r of result.articles) expect(r.precision).toBeGreaterThanOrEqual(0.8)
  })
})
