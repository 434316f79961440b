import type { CodeDictionary } from './code-dictionary'
import type { CodeSuggestionDraft } from './code-suggestion-draft'
import { assembleLabelledArticle, type LabelledArticle } from './labelled-article'
import { suggestCodes } from './suggest-codes'

/** Counts and ratios of suggestions against labels at the sentence × stance level. */
export interface EvaluationFigures {
  sentences: number
  /** Labelled (sentence, stance) pairs. */
  labelled: number
  suggestions: number
  truePositives: number
  falsePositives: number
  falseNegatives: number
  precision: number
  recall: number
  f1: number
}

/** A wrong or missed (sentence, stance) pair, for reading the engine's mistakes. */
export interface EvaluationMistake {
  article: string
  codeId: string
  sentence: string
  /** For a false positive: the actor and cue that triggered it. */
  actor?: string
  cue?: string | null
}

/** One article's figures and mistakes. */
export interface ArticleEvaluation extends EvaluationFigures {
  id: string
  outlet: string
  style: string
  falsePositiveList: EvaluationMistake[]
  falseNegativeList: EvaluationMistake[]
}

/** Figures per article and over all of them (pooled counts, not an average of ratios). */
export interface Evaluation {
  articles: ArticleEvaluation[]
  overall: EvaluationFigures
  falsePositiveList: EvaluationMistake[]
  falseNegativeList: EvaluationMistake[]
}

/** Share of a pair's span that the other covers must exceed this on both sides to count as the same sentence. */
const MIN_OVERLAP = 0.5

function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole
}

function figures(sentences: number, labelled: number, suggestions: number, tp: number): EvaluationFigures {
  const precision = ratio(tp, suggestions)
  const recall = ratio(tp, labelled)
  return {
    sentences,
    labelled,
    suggestions,
    truePositives: tp,
    falsePositives: suggestions - tp,
    falseNegatives: labelled - tp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  }
}

function sameSentence(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start)
  return overlap > MIN_OVERLAP * (a.end - a.start) && overlap > MIN_OVERLAP * (b.end - b.start)
}

function evaluateArticle(article: LabelledArticle, dictionaries: readonly CodeDictionary[]): ArticleEvaluation {
  const { text, sentences } = assembleLabelledArticle(article)
  const suggestions: CodeSuggestionDraft[] = suggestCodes(text, dictionaries)
  const labels = sentences.flatMap((s) => s.stances.map((codeId) => ({ start: s.start, end: s.end, text: s.text, codeId, matched: false })))
  const falsePositiveList: EvaluationMistake[] = []
  let tp = 0
  for (const suggestion of suggestions) {
    const label = labels.find((l) => !l.matched && l.codeId === suggestion.codeId && sameSentence(l, suggestion))
    if (label) {
      label.matched = true
      tp++
    } else {
      falsePositiveList.push({ article: article.id, codeId: suggestion.codeId, sentence: suggestion.exact, actor: suggestion.actor, cue: suggestion.cue })
    }
  }
  const falseNegativeList = labels.filter((l) => !l.matched).map((l) => ({ article: article.id, codeId: l.codeId, sentence: l.text }))
  return {
    id: article.id,
    outlet: article.outlet,
    style: article.style,
    ...figures(sentences.length, labels.length, suggestions.length, tp),
    falsePositiveList,
    falseNegativeList
  }
}

/**
 * Runs the suggestion engine on hand-labelled articles and scores it: a suggestion is right when its code
 * matches a label of a sentence that it covers for most of both lengths; each label counts once.
 */
export function evaluateSuggestions(articles: readonly LabelledArticle[], dictionaries: readonly CodeDictionary[]): Evaluation {
  const results = articles.map((article) => evaluateArticle(article, dictionaries))
  const sum = (pick: (r: ArticleEvaluation) => number): number => results.reduce((total, r) => total + pick(r), 0)
  return {
    articles: results,
    overall: figures(
      sum((r) => r.sentences),
      sum((r) => r.labelled),
      sum((r) => r.suggestions),
      sum((r) => r.truePositives)
    ),
    falsePositiveList: results.flatMap((r) => r.falsePositiveList),
    falseNegativeList: results.flatMap((r) => r.falseNegativeList)
  }
}
