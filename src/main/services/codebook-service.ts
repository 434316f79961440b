import type { Db } from '../db/connection'
import { DICTIONARY_LIMIT, normalizeDictionary, type CodePatch, type NewCode } from '../db/repositories/code-repository'
import type { Repositories } from '../db/repositories/repositories'
import type { Code } from '../../shared/domain/code'
import type { CodeId } from '../../shared/domain/ids'
import { AppError } from '../../shared/result'
import { ChangeRecorder } from './change-set'
import type { History } from './history'
import { LABELS } from './history-labels'
import { runUndoable, type Outcome } from './undoable'

/** What deleting a code did to the passages that carried it. */
export interface CodeDeletion {
  id: CodeId
  /** Passages that carried the code and now carry the code it was merged into (0 without a merge). */
  merged: number
  /** Passages that carried only this code and were deleted (0 with a merge). */
  removedHighlights: number
}

/** Edits the codebook: adding, changing, deleting or merging and reordering codes, each undoable. */
export class CodebookService {
  constructor(
    private readonly db: Db,
    private readonly repos: Repositories,
    private readonly history: History
  ) {}

  /** Adds a code at the end of its siblings. */
  create(input: NewCode): Code {
    return this.run(() => {
      const recorder = this.recorder()
      const value = this.repos.codes.insert(input)
      const label = value.groupKind ? LABELS.addGroup(value.name) : LABELS.addCode(value.name)
      return { value, change: { set: recorder.finish(), label } }
    })
  }

  /** Changes a code's fields; a new parent puts it at the end of its new siblings. */
  update(id: CodeId, patch: CodePatch): Code {
    return this.run(() => {
      const current = this.repos.codes.require(id)
      const changed = changedFields(current, patch)
      if (changed.length === 0) return { value: current }
      const recorder = this.recorder()
      const value = this.repos.codes.update(id, patch)
      return { value, change: { set: recorder.finish(), label: this.updateLabel(current, value, changed) } }
    })
  }

  /**
   * Deletes a code. With `mergeInto`, every passage that carried it carries that code instead; without,
   * the code is taken off its passages and passages left with no code are deleted (notes included).
   * Sub-codes move up to the deleted code's parent, after the codes already there.
   */
  delete(id: CodeId, mergeInto?: CodeId): CodeDeletion {
    return this.run(() => {
      const code = this.repos.codes.require(id)
      const target = mergeInto === undefined ? undefined : this.repos.codes.require(mergeInto)
      if (target?.id === id) throw new AppError('invalid-input', `"${code.name}" cannot be merged into itself.`)
      if (target && code.groupKind) throw new AppError('invalid-input', `"${code.name}" is a group; its codes cannot be merged as one. Delete the group to move its codes up a level, or merge its codes one by one.`)
      if (target?.groupKind) throw new AppError('invalid-input', `"${code.name}" cannot be merged into "${target.name}": it is a group, and groups are never applied to passages.`)
      if (target && this.repos.codes.descendantIds(id).has(target.id)) {
        throw new AppError('invalid-input', `"${code.name}" cannot be merged into "${target.name}", which is one of its own sub-codes.`)
      }
      const recorder = this.recorder()
      const highlightIds = this.repos.highlights.idsWithCode(id)
      let removedHighlights = 0
      for (const highlightId of highlightIds) {
        recorder.trackHighlight(highlightId)
        const remaining = this.repos.highlights.require(highlightId).codeIds.filter((codeId) => codeId !== id)
        if (target && !remaining.includes(target.id)) remaining.push(target.id)
        if (remaining.length > 0) {
          this.repos.highlights.setCodes(highlightId, remaining)
        } else {
          this.repos.highlights.delete(highlightId)
          removedHighlights++
        }
      }
      // The merged code's dictionary joins the target's, so suggestions still find its actor.
      if (target && code.dictionary.length > 0) {
        const joined = normalizeDictionary([...target.dictionary, ...code.dictionary]).slice(0, DICTIONARY_LIMIT)
        if (joined.length !== target.dictionary.length) this.repos.codes.update(target.id, { dictionary: joined })
      }
      this.repos.codes.delete(id)
      const value = { id, merged: target ? highlightIds.length : 0, removedHighlights }
      const label = target ? LABELS.mergeCode(code.name, target.name) : LABELS.deleteCode(code.name)
      return { value, change: { set: recorder.finish(), label } }
    })
  }

  /** Sets the order of one parent's children (null: the top level); returns the whole codebook. */
  reorder(parentId: CodeId | null, orderedIds: readonly CodeId[]): Code[] {
    return this.run(() => {
      const recorder = this.recorder()
      this.repos.codes.reorder(parentId, orderedIds)
      return { value: this.repos.codes.list(), change: { set: recorder.finish(), label: LABELS.reorderCodes() } }
    })
  }

  private recorder(): ChangeRecorder {
    const recorder = new ChangeRecorder(this.db, this.repos)
    recorder.trackCodebook()
    return recorder
  }

  private updateLabel(before: Code, after: Code, changed: readonly (keyof CodePatch)[]): string {
    if (changed.length > 1) return LABELS.editCode(after.name)
    switch (changed[0]) {
      case 'name':
        return LABELS.renameCode(after.name)
      case 'color':
        return LABELS.recolourCode(after.name)
      case 'description':
        return LABELS.describeCode(after.name)
      case 'shortcut':
        return after.shortcut === null ? LABELS.removeKey(after.name) : LABELS.assignKey(after.shortcut, after.name)
      case 'groupKind':
        return LABELS.changeGroupKind(after.name)
      case 'dictionary':
        return LABELS.editDictionary(after.name)
      case 'parentId':
        return LABELS.moveCode(after.name, after.parentId === null ? null : this.repos.codes.require(after.parentId).name)
      default:
        return LABELS.editCode(before.name)
    }
  }

  private run<T>(operation: () => Outcome<T>): T {
    return runUndoable(this.db, this.history, operation)
  }
}

// The fields a patch would really change, compared the way the repository stores them.
function changedFields(current: Code, patch: CodePatch): (keyof CodePatch)[] {
  const changed: (keyof CodePatch)[] = []
  if (patch.name !== undefined && patch.name.trim() !== current.name) changed.push('name')
  if (patch.color !== undefined && patch.color.toLowerCase() !== current.color) changed.push('color')
  if (patch.description !== undefined && patch.description !== current.description) changed.push('description')
  if (patch.shortcut !== undefined && patch.shortcut !== current.shortcut) changed.push('shortcut')
  if (patch.parentId !== undefined && patch.parentId !== current.parentId) changed.push('parentId')
  if (patch.groupKind !== undefined && patch.groupKind !== current.groupKind) changed.push('groupKind')
  if (patch.dictionary !== undefined && JSON.stringify(normalizeDictionary(patch.dictionary)) !== JSON.stringify(current.dictionary)) changed.push('dictionary')
  return changed
}
