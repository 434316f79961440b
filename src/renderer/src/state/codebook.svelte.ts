import type { Code } from '../../../shared/domain/code'
import type { CodeId } from '../../../shared/domain/ids'
import { api, unwrap } from '../lib/api'
import type { HistoryState } from './history.svelte'
import type { Notices } from './notices.svelte'

/** Fields the codebook manager edits. */
export interface CodeFields {
  name?: string
  color?: string
  description?: string
  parentId?: CodeId | null
  shortcut?: string | null
}

/** The codebook as the renderer shows it, and every edit to it. */
export class CodebookState {
  codes = $state.raw<Code[]>([])
  /** Codes by id. */
  byId: Readonly<Record<string, Code>> = $derived(Object.fromEntries(this.codes.map((code) => [code.id, code])))
  /** Codes by their key 1–9. */
  byShortcut: Readonly<Record<string, Code>> = $derived(Object.fromEntries(this.codes.filter((c) => c.shortcut).map((code) => [code.shortcut as string, code])))

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

  /** Depth of a code in the tree (0 for top level). */
  depth(code: Code): number {
    let depth = 0
    let parent = code.parentId ? this.byId[code.parentId] : undefined
    while (parent && depth < 20) {
      depth++
      parent = parent.parentId ? this.byId[parent.parentId] : undefined
    }
    return depth
  }

  /** "Parent ▸ Child" for nested codes. */
  path(code: Code): string {
    const parts = [code.name]
    let parent = code.parentId ? this.byId[code.parentId] : undefined
    while (parent && parts.length < 20) {
      parts.unshift(parent.name)
      parent = parent.parentId ? this.byId[parent.parentId] : undefined
    }
    return parts.join(' ▸ ')
  }

  /** Adds a code; returns it, or null after telling the user why not. */
  async create(fields: { name: string; color: string; description?: string; parentId?: CodeId | null; shortcut?: string | null }): Promise<Code | null> {
    return this.#mutate('Could not add the code', () => unwrap(api.codebook.create(fields)))
  }

  /** Changes fields of a code. */
  async update(id: CodeId, fields: CodeFields): Promise<Code | null> {
    return this.#mutate('Could not change the code', () => unwrap(api.codebook.update({ id, ...fields })))
  }

  /** Deletes a code, optionally merging its passages into another. */
  async remove(id: CodeId, mergeInto?: CodeId): Promise<boolean> {
    return (await this.#mutate('Could not delete the code', () => unwrap(api.codebook.delete(mergeInto ? { id, mergeInto } : { id })))) !== null
  }

  /** Moves a code one place up or down among its siblings. */
  async move(code: Code, direction: -1 | 1): Promise<void> {
    const siblings = this.codes.filter((c) => c.parentId === code.parentId)
    const index = siblings.findIndex((c) => c.id === code.id)
    const target = index + direction
    if (index < 0 || target < 0 || target >= siblings.length) return
    const ordered = siblings.map((c) => c.id)
    ordered.splice(index, 1)
    ordered.splice(target, 0, code.id)
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
