import type { Db } from '../db/connection'
import type { ChangeSet } from './change-set'
import type { History } from './history'

/** What an undoable operation returns: its value and, when it changed anything, the change and its label. */
export interface Outcome<T> {
  value: T
  change?: { set: ChangeSet; label: string }
}

/**
 * Runs an operation in one transaction and records its change in the history once it has committed,
 * so a failed operation leaves neither data nor an undo entry behind.
 */
export function runUndoable<T>(db: Db, history: History, operation: () => Outcome<T>): T {
  const outcome = db.transaction(operation)()
  if (outcome.change && !outcome.change.set.isEmpty) history.record(outcome.change.set.toEntry(outcome.change.label))
  return outcome.value
}
