import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import type { TextIndex } from './text-index'

/** A code-point range of the canonical text. */
export interface TextRange {
  start: number
  end: number
}

interface SuggestionMeta {
  range: TextRange | null
  index: TextIndex
}

/** The plugin's key, for sending it the sentence under review. */
export const suggestionKey = new PluginKey<DecorationSet>('stance-suggestion')

/** The class the reader styles the sentence under review with (a dashed underline). */
export const SUGGESTION_CLASS = 'sg-focus'

/**
 * Marks the sentence of the suggestion under review, so the analyst sees where it sits in the article
 * before deciding; it is a decoration only and codes nothing. One range at most.
 */
export function suggestionPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: suggestionKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        const meta = tr.getMeta(suggestionKey) as SuggestionMeta | undefined
        if (!meta) return tr.docChanged ? set.map(tr.mapping, tr.doc) : set
        const { range, index } = meta
        if (!range || range.start >= range.end || range.end > index.length) return DecorationSet.empty
        return DecorationSet.create(tr.doc, [Decoration.inline(index.toPos(range.start), index.toPos(range.end), { class: SUGGESTION_CLASS, 'data-suggestion': '' })])
      }
    },
    props: {
      decorations(state) {
        return suggestionKey.getState(state) ?? DecorationSet.empty
      }
    }
  })
}
