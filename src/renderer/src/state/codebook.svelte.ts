import type { Code, GroupKind } from '../../../shared/domain/code'
import { codeDimension } from '../../../shared/domain/code-dimension'
import type { CodeId } from '../../../shared/domain/ids'
import { api, unwrap } from '../lib/api'
import { codeSections, GROUP_COLOR, isGroup, type CodeSection } from '../lib/code-groups'
import type { HistoryState } from './history.svelte'
import type { Notices } from './notices.svelte'

/** Fields the codebook manager edits. */
export interface CodeFields {
  name?: string
  color?: string
  description?: string
  parentId?: CodeId | null
  shortcut?: string | null
  /** Groups only: what the group's codes stand for. */
  groupKind?: GroupKind
  dictionary?: string[]
}

/** The codebook as the renderer shows it, and every edit to it. */
export class CodebookState {
  codes = $state.raw<Code[]>([])
  /** Codes by id. */
  byId: Readonly<Record<string, Code>> = $derived(Object.fromEntries(this.codes.map((code) => [code.id, code])))
  /** Codes by their key 1–9. */
  byShortcut: Readonly<Record<string, Code>> = $derived(Object.fromEntries(this.codes.filter((c) => c.shortcut).map((code) => [code.shortcut as string, code])))
  /** The groups ("Stances", "Issues", …), in their order. */
  groups: Code[] = $derived(this.codes.filter(isGroup))
  /** The codes a passage may carry: every code but the groups. */
  applicable: Code[] = $derived(this.codes.filter((code) => !isGroup(code)))
  /** The codebook as lists show it: each group with its codes, then the ungrouped codes. */
  sections: CodeSection[] = $derived(codeSections(this.codes))

  constructor(
    private readonly notices: Notices,
    private readonly history: HistoryState,
    /** Runs after every successful edit; deleting or merging a code changes passages' codes too. */
    private readonly afterChange: () => Promise<void> = async () => {}
  ) {}

  /** Loads every code. */
  async load(): Promise<void> {
    try {
      this.codes = await unwrap(api.codebook.list({}))
    } catch (error) {
      this.notices.report('Could not load the codebook', error)
    }
  }

  /** Depth of a code below its group, or in the tree when it is in none (0 for a code directly in a group, and for groups). */
  depth(code: Code): number {
    let depth = 0
    let parent = code.parentId ? this.byId[code.parentId] : undefined
    while (parent && !isGroup(parent) && depth < 20) {
      depth++
      parent = parent.parentId ? this.byId[parent.parentId] : undefined
    }
    return depth
  }

  /** "Parent ▸ Child" for nested codes; the group is left out, its name says what the code is, not which it is. */
  path(code: Code): string {
    const parts = [code.name]
    let parent = code.parentId ? this.byId[code.parentId] : undefined
    while (parent && !isGroup(parent) && parts.length < 20) {
      parts.unshift(parent.name)
      parent = parent.parentId ? this.byId[parent.parentId] : undefined
    }
    return parts.join(' ▸ ')
  }

  /** What a code stands for (its group's kind), or null for groups and ungrouped codes. */
  dimension(code: Code): GroupKind | null {
    return codeDimension(code, this.byId)
  }

  /** Adds a code; returns it, or null after telling the user why not. */
  async create(fields: { name: string; color: string; description?: string; parentId?: CodeId | null; shortcut?: string | null; dictionary?: string[] }): Promise<Code | null> {
    return this.#mutate('Could not add the code', () => unwrap(api.codebook.create(fields)))
  }

  /** Adds a top-level group of codes, drawn in the neutral group colour. */
  async createGroup(name: string, groupKind: GroupKind): Promise<Code | null> {
    return this.#mutate('Could not add the group', () => unwrap(api.codebook.create({ name, color: GROUP_COLOR, parentId: null, groupKind })))
  }

  /** Changes fields of a code. */
  async update(id: CodeId, fields: CodeFields): Promise<Code | null> {
    return this.#mutate('Could not change the code', () => unwrap(api.codebook.update({ id, ...fields })))
  }

  /** Replaces a code's dictionary. */
  async setDictionary(id: CodeId, dictionary: string[]): Promise<Code | null> {
    return this.#mutate('Could not change the dictionary', () => unwrap(api.codebook.update({ id, dictionary })))
  }

  /** Deletes a code, optionally merging its passages into another. */
  async remove(id: CodeId, mergeInto?: CodeId): Promise<boolean> {
    return (await this.#mutate('Could not delete the code', () => unwrap(api.codebook.delete(mergeInto ? { id, mergeInto } : { id })))) !== null
  }

  /**
   * Moves a code one place up or down among its siblings. At the top level, groups move among the groups
   * and ungrouped codes among themselves, as the lists show them; the groups are stored first.
   */
  async move(code: Code, direction: -1 | 1): Promise<void> {
    const siblings = this.codes.filter((c) => c.parentId === code.parentId)
    const lane = code.parentId ? siblings : siblings.filter((c) => isGroup(c) === isGroup(code))
    const index = lane.findIndex((c) => c.id === code.id)
    const target = index + direction
    if (index < 0 || target < 0 || target >= lane.length) return
    const moved = lane.map((c) => c.id)
    moved.splice(index, 1)
    moved.splice(target, 0, code.id)
    const rest = siblings.filter((c) => !lane.includes(c)).map((c) => c.id)
    const ordered = code.parentId ? moved : isGroup(code) ? [...moved, ...rest] : [...rest, ...moved]
    await this.#mutate('Could not reorder the codes', () => unwrap(api.codebook.reorder({ parentId: code.parentId, orderedIds: ordered })))
  }

  async #mutate<T>(failure: string, call: () => Promise<T>): Promise<T | null> {
    try {
      const value = await call()
      await Promise.all([this.load(), this.history.refresh(), this.afterChange()])
      return value
    } catch (error) {
      this.notices.report(failure, error)
      return null
    }
  }
}
