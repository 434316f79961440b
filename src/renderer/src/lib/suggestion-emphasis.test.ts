import { describe, expect, it } from 'vitest'
import { emphasise } from './suggestion-emphasis'

const marked = (text: string, actor: string, cue: string | null): string =>
  emphasise(text, actor, cue)
    .map((r) => (r.kind === 'actor' ? `[${r.text}]` : r.kind === 'cue' ? `<${r.text}>` : r.text))
    .join('')

describe('emphasise', () => {
  it('marks the actor and the cue, case-insensitively, keeping the text as written', () => {
    expect(marked('Kremlin spokesman Dmitry Peskov told reporters in Moscow.', 'peskov', 'TOLD')).toBe('Kremlin spokesman Dmitry [Peskov] <told> reporters in Moscow.')
  })

  it('prefers a whole-word occurrence over one inside another word', () => {
    expect(marked('They discuss what US officials said.', 'US', 'said')).toBe('They discuss what [US] officials <said>.')
  })

  it('falls back to the first occurrence when no whole word matches', () => {
    expect(marked('Ukrainians were not invited.', 'Ukrainian', null)).toBe('[Ukrainian]s were not invited.')
  })

  it('leaves terms that are not in the sentence unmarked', () => {
    expect(marked('“We are going there to listen,” he said.', 'Witkoff', 'quotation')).toBe('“We are going there to listen,” he said.')
  })

  it('lets the actor win when the cue overlaps it', () => {
    expect(marked('According to Washington, talks begin.', 'Washington', 'to Washington')).toBe('According to [Washington], talks begin.')
  })

  it('keeps an empty sentence as one empty run', () => {
    expect(emphasise('', 'US', null)).toEqual([{ text: '', kind: 'plain' }])
  })

  it('handles a cue before the actor', () => {
    expect(marked('According to the State Department, Rubio will lead.', 'State Department', 'according to')).toBe('<According to> the [State Department], Rubio will lead.')
  })
})
