import { describe, expect, it } from 'vitest'
import type { ArticleId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import { History, type HistoryEntry } from './history'

function entry(label: string, log: string[], fail?: () => never): HistoryEntry {
  return {
    label,
    articleIds: ['a1' as ArticleId],
    codebookChanged: false,
    undo: () => {
      if (fail) fail()
      log.push(`undo ${label}`)
    },
    redo: () => log.push(`redo ${label}`)
  }
}

describe('History', () => {
  it('undoes and redoes in stack order and reports what changed', () => {
    const log: string[] = []
    const history = new History()
    expect(history.undo()).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null, applied: null, articleIds: [], codebookChanged: false })
    history.record(entry('one', log))
    history.record(entry('two', log))
    expect(history.undo()).toEqual({ canUndo: true, canRedo: true, undoLabel: 'one', redoLabel: 'two', applied: 'two', articleIds: ['a1'], codebookChanged: false })
    expect(history.redo().applied).toBe('two')
    expect(history.redo().applied).toBeNull()
    history.undo()
    history.undo()
    expect(log).toEqual(['undo two', 'redo two', 'undo two', 'undo one'])
    expect(history.state()).toEqual({ canUndo: false, canRedo: true, undoLabel: null, redoLabel: 'one' })
  })

  it('forgets the redo stack when a new operation is recorded', () => {
    const history = new History()
    history.record(entry('one', []))
    history.undo()
    history.record(entry('two', []))
    expect(history.state()).toEqual({ canUndo: true, canRedo: false, undoLabel: 'two', redoLabel: null })
  })

  it('keeps only the newest operations up to its limit', () => {
    const history = new History(3)
    for (const label of ['1', '2', '3', '4', '5']) history.record(entry(label, []))
    expect([history.undo(), history.undo(), history.undo(), history.undo()].map((change) => change.applied)).toEqual(['5', '4', '3', null])
  })

  it('drops an entry the data no longer allows, naming it, but keeps one that failed for another reason', () => {
    const history = new History()
    history.record(entry('safe', []))
    history.record(
      entry('stale', [], () => {
        throw new AppError('conflict', 'The passage “x” has been deleted since.')
      })
    )
    expect(() => history.undo()).toThrow(
      expect.objectContaining({ code: 'conflict', message: '“stale” can no longer be undone: The passage “x” has been deleted since. It has been removed from the history.' })
    )
    expect(history.state()).toMatchObject({ undoLabel: 'safe', canRedo: false })
    history.record(
      entry('disk', [], () => {
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })
      })
    )
    expect(() => history.undo()).toThrow(/disk I\/O/)
    expect(history.state().undoLabel).toBe('disk')
  })
})
