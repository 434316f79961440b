import { randomUUID } from 'node:crypto'
import type { Code, GroupKind } from '../../../shared/domain/code'
import type { CodeId } from '../../../shared/domain/ids'
import { AppError } from '../../../shared/result'
import type { Db } from '../connection'
import { nowIso } from './clock'

interface CodeRow {
  id: string
  name: string
  color: string
  description: string
  parent_id: string | null
  sort_order: number
  shortcut: string | null
  created_at: string
  updated_at: string
  group_kind: GroupKind | null
  /** JSON array of terms. */
  dictionary: string
}

/** A code row exactly as stored, seq included, so undo can put it back byte for byte. */
export interface CodeSnapshot extends Readonly<CodeRow> {
  readonly seq: number
}

/** Fields of a new code. */
export interface NewCode {
  name: string
  color: string
  description?: string
  parentId?: CodeId | null
  shortcut?: string | null
  /** Makes the new code a group of this kind: top-level, no key, never applied to passages. */
  groupKind?: GroupKind | null
  dictionary?: readonly string[]
}

/** Fields of a code to change; undefined leaves a field as it is, null clears parent or key. */
export interface CodePatch {
  name?: string
  color?: string
  description?: string
  parentId?: CodeId | null
  shortcut?: string | null
  /** Groups only: what the group stands for. */
  groupKind?: GroupKind
  dictionary?: readonly string[]
}

/** The most terms a dictionary keeps. */
export const DICTIONARY_LIMIT = 500

function toCode(row: CodeRow): Code {
  return {
    id: row.id as CodeId,
    name: row.name,
    color: row.color,
    description: row.description,
    parentId: row.parent_id as CodeId | null,
    sortOrder: row.sort_order,
    shortcut: row.shortcut,
    groupKind: row.group_kind,
    dictionary: JSON.parse(row.dictionary) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

function normalizeName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) throw new AppError('invalid-input', 'A code needs a name.')
  return trimmed
}

function normalizeColor(color: string): string {
  const lower = color.toLowerCase()
  if (!/^#[0-9a-f]{6}$/.test(lower)) throw new AppError('invalid-input', `"${color}" is not a colour of the form #rrggbb.`)
  return lower
}

/** Trims terms, drops empty ones and case-insensitive repeats (the first spelling wins). */
export function normalizeDictionary(terms: readonly string[]): string[] {
  const seen = new Set<string>()
  const kept: string[] = []
  for (const raw of terms) {
    const term = raw.trim().replace(/\s+/g, ' ')
    if (!term) continue
    if (term.length > 200) throw new AppError('invalid-input', `The dictionary entry "${term.slice(0, 40)}…" is longer than 200 characters.`)
    const key = term.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    kept.push(term)
  }
  if (kept.length > DICTIONARY_LIMIT) throw new AppError('invalid-input', `A dictionary has at most ${DICTIONARY_LIMIT} entries; this one has ${kept.length}.`)
  return kept
}

function sameLevel(a: string | null, b: string | null): boolean {
  return (a ?? '') === (b ?? '')
}

/** Stores the codebook. */
export class CodeRepository {
  constructor(private readonly db: Db) {}

  /** Every code, each parent before its children, siblings in their order. */
  list(): Code[] {
    const rows = this.db.prepare<[], CodeRow>('SELECT * FROM codes ORDER BY sort_order, seq').all()
    const byParent = new Map<string | null, CodeRow[]>()
    for (const row of rows) {
      const siblings = byParent.get(row.parent_id) ?? []
      siblings.push(row)
      byParent.set(row.parent_id, siblings)
    }
    const ordered: Code[] = []
    const visit = (parent: string | null): void => {
      for (const row of byParent.get(parent) ?? []) {
        ordered.push(toCode(row))
        visit(row.id)
      }
    }
    visit(null)
    return ordered
  }

  /** One code, or undefined. */
  find(id: CodeId): Code | undefined {
    const row = this.db.prepare<[string], CodeRow>('SELECT * FROM codes WHERE id = ?').get(id)
    return row ? toCode(row) : undefined
  }

  /** One code, or a not-found error naming the id. */
  require(id: CodeId): Code {
    const code = this.find(id)
    if (!code) throw new AppError('not-found', `There is no code with id ${id}.`)
    return code
  }

  /** A code that passages may carry: it exists and is not a group. */
  requireApplicable(id: CodeId): Code {
    const code = this.require(id)
    if (code.groupKind) throw new AppError('invalid-input', `"${code.name}" is a group; code passages with one of the codes in it.`)
    return code
  }

  /** The codes directly under a parent (null: top level), in their order. */
  children(parentId: CodeId | null): Code[] {
    return this.db
      .prepare<[string | null], CodeRow>("SELECT * FROM codes WHERE ifnull(parent_id, '') = ifnull(?, '') ORDER BY sort_order, seq")
      .all(parentId)
      .map(toCode)
  }

  /** Ids of every code below a code, at any depth. */
  descendantIds(id: CodeId): Set<CodeId> {
    const rows = this.db
      .prepare<[string], { id: string }>(
        `WITH RECURSIVE below (id) AS (SELECT id FROM codes WHERE parent_id = ? UNION SELECT c.id FROM codes c JOIN below b ON c.parent_id = b.id)
         SELECT id FROM below`
      )
      .all(id)
    return new Set(rows.map((row) => row.id as CodeId))
  }

  /** Adds a code at the end of its siblings; clashing names or keys are reported in words. */
  insert(input: NewCode): Code {
    const name = normalizeName(input.name)
    const color = normalizeColor(input.color)
    const parentId = input.parentId ?? null
    const groupKind = input.groupKind ?? null
    if (parentId && !this.find(parentId)) throw new AppError('not-found', `There is no parent code with id ${parentId}.`)
    if (groupKind && parentId) throw new AppError('invalid-input', `The group "${name}" must be at the top level; groups cannot sit inside other codes.`)
    if (groupKind && input.shortcut) throw new AppError('invalid-input', `The group "${name}" cannot have a key: groups are never applied to passages.`)
    this.assertNameFree(parentId, name, null)
    if (input.shortcut) this.assertKeyFree(input.shortcut, null)
    const dictionary = JSON.stringify(normalizeDictionary(input.dictionary ?? []))
    const id = randomUUID()
    const now = nowIso()
    this.db
      .prepare(
        `INSERT INTO codes (id, name, color, description, parent_id, sort_order, shortcut, created_at, updated_at, group_kind, dictionary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(id, name, color, input.description ?? '', parentId, this.nextOrder(parentId), input.shortcut ?? null, now, now, groupKind, dictionary)
    return this.find(id as CodeId) as Code
  }

  /**
   * Changes a code's fields with the rules of insert. A new parent must exist and must not lie below
   * the code; the code then goes to the end of its new siblings and its old siblings close the gap.
   */
  update(id: CodeId, patch: CodePatch): Code {
    const current = this.require(id)
    const name = patch.name === undefined ? current.name : normalizeName(patch.name)
    const color = patch.color === undefined ? current.color : normalizeColor(patch.color)
    const description = patch.description ?? current.description
    const shortcut = patch.shortcut === undefined ? current.shortcut : patch.shortcut
    const parentId = patch.parentId === undefined ? current.parentId : patch.parentId
    const dictionary = patch.dictionary === undefined ? current.dictionary : normalizeDictionary(patch.dictionary)
    let groupKind = current.groupKind
    if (patch.groupKind !== undefined && patch.groupKind !== current.groupKind) {
      if (!current.groupKind) throw new AppError('invalid-input', `"${current.name}" is a code, not a group; only a group has a kind.`)
      groupKind = patch.groupKind
    }
    if (current.groupKind && parentId) throw new AppError('invalid-input', `The group "${current.name}" must stay at the top level.`)
    if (current.groupKind && shortcut) throw new AppError('invalid-input', `The group "${current.name}" cannot have a key: groups are never applied to passages.`)
    const moves = !sameLevel(parentId, current.parentId)
    if (moves && parentId) {
      const parent = this.find(parentId)
      if (!parent) throw new AppError('not-found', `There is no parent code with id ${parentId}.`)
      if (parentId === id) throw new AppError('invalid-input', `"${current.name}" cannot be placed under itself.`)
      if (this.descendantIds(id).has(parentId)) {
        throw new AppError('invalid-input', `"${current.name}" cannot be placed under "${parent.name}", which is one of its own sub-codes.`)
      }
    }
    if (moves || name.toLowerCase() !== current.name.toLowerCase()) this.assertNameFree(parentId, name, id)
    if (shortcut !== null && shortcut !== current.shortcut) this.assertKeyFree(shortcut, id)
    const sortOrder = moves ? this.nextOrder(parentId) : current.sortOrder
    this.db
      .prepare(
        'UPDATE codes SET name = ?, color = ?, description = ?, parent_id = ?, sort_order = ?, shortcut = ?, group_kind = ?, dictionary = ?, updated_at = ? WHERE id = ?'
      )
      .run(name, color, description, parentId, sortOrder, shortcut, groupKind, JSON.stringify(dictionary), nowIso(), id)
    if (moves) this.compact(current.parentId)
    return this.find(id) as Code
  }

  /**
   * Deletes a code that no passage uses any more. Its sub-codes move up to its parent, after the codes
   * already there, and the siblings close the gap.
   */
  delete(id: CodeId): void {
    const code = this.require(id)
    if (this.db.prepare('SELECT 1 FROM highlight_codes WHERE code_id = ? LIMIT 1').get(id)) {
      throw new AppError('conflict', `"${code.name}" is still applied to passages; remove it from them first.`)
    }
    const children = this.children(id)
    for (const child of children) {
      const holder = this.nameHolder(code.parentId, child.name, [id])
      if (holder) {
        throw new AppError('conflict', `"${code.name}" cannot be deleted: its sub-code "${child.name}" would move up beside "${holder}". Rename one of them first.`)
      }
    }
    if (children.length > 0) {
      // A sub-code may share the name of the code it leaves, and the unique index is checked row by row.
      this.db.prepare('UPDATE codes SET name = id WHERE id = ?').run(id)
      const lift = this.db.prepare('UPDATE codes SET parent_id = ?, sort_order = ?, updated_at = ? WHERE id = ?')
      const first = this.nextOrder(code.parentId)
      const now = nowIso()
      children.forEach((child, index) => lift.run(code.parentId, first + index, now, child.id))
    }
    this.db.prepare('DELETE FROM codes WHERE id = ?').run(id)
    this.compact(code.parentId)
  }

  /** Sets the order of a parent's children; the list must name each current child exactly once. */
  reorder(parentId: CodeId | null, orderedIds: readonly CodeId[]): void {
    const parent = parentId ? this.require(parentId) : null
    const where = parent ? `under "${parent.name}"` : 'at the top level'
    const current = this.children(parentId).map((code) => code.id)
    const given = new Set(orderedIds)
    if (given.size !== orderedIds.length) throw new AppError('invalid-input', `The new order names a code twice; list each code ${where} once.`)
    const stranger = orderedIds.find((id) => !current.includes(id))
    if (stranger) throw new AppError('invalid-input', `The code ${stranger} is not ${where}; the new order may only list the codes there.`)
    if (given.size !== current.length) {
      throw new AppError('invalid-input', `The new order lists ${given.size} of the ${current.length} codes ${where}; it must list all of them.`)
    }
    const set = this.db.prepare('UPDATE codes SET sort_order = ? WHERE id = ? AND sort_order <> ?')
    orderedIds.forEach((id, index) => set.run(index, id, index))
  }

  /** The stored row of a code, or undefined. */
  snapshot(id: CodeId): CodeSnapshot | undefined {
    return this.db.prepare<[string], CodeSnapshot>('SELECT * FROM codes WHERE id = ?').get(id)
  }

  /** Every stored code row, by id. */
  snapshotAll(): Map<CodeId, CodeSnapshot> {
    const rows = this.db.prepare<[], CodeSnapshot>('SELECT * FROM codes').all()
    return new Map(rows.map((row) => [row.id as CodeId, row]))
  }

  /**
   * Puts a code row back exactly as snapshotted: inserted under its old id (and seq, when free) if it is
   * gone, otherwise overwritten. Its parent must exist by the end of the transaction.
   */
  restore(row: CodeSnapshot): void {
    if (this.snapshot(row.id as CodeId)) {
      this.db
        .prepare(
          `UPDATE codes SET name = @name, color = @color, description = @description, parent_id = @parent_id, sort_order = @sort_order,
           shortcut = @shortcut, group_kind = @group_kind, dictionary = @dictionary, created_at = @created_at, updated_at = @updated_at WHERE id = @id`
        )
        .run(row)
      return
    }
    this.db
      .prepare(
        `INSERT INTO codes (seq, id, name, color, description, parent_id, sort_order, shortcut, group_kind, dictionary, created_at, updated_at)
         VALUES ((SELECT CASE WHEN EXISTS (SELECT 1 FROM codes WHERE seq = @seq) THEN NULL ELSE @seq END),
                 @id, @name, @color, @description, @parent_id, @sort_order, @shortcut, @group_kind, @dictionary, @created_at, @updated_at)`
      )
      .run(row)
  }

  /** Removes a code row as is, for undo, which restores the siblings' order from their own snapshots. */
  remove(id: CodeId): void {
    this.db.prepare('DELETE FROM codes WHERE id = ?').run(id)
  }

  private assertNameFree(parentId: CodeId | null, name: string, except: CodeId | null): void {
    const holder = this.nameHolder(parentId, name, except ? [except] : [])
    if (holder) throw new AppError('conflict', `A code named "${holder}" already exists at that level.`)
  }

  // Compared in JavaScript because SQLite's lower() folds only ASCII, and codebooks here are often Cyrillic.
  private nameHolder(parentId: CodeId | null, name: string, except: readonly CodeId[]): string | undefined {
    const folded = name.toLowerCase()
    return this.children(parentId).find((code) => !except.includes(code.id) && code.name.toLowerCase() === folded)?.name
  }

  private assertKeyFree(shortcut: string, except: CodeId | null): void {
    if (!/^[1-9]$/.test(shortcut)) throw new AppError('invalid-input', `"${shortcut}" is not a key from 1 to 9.`)
    const holder = this.db.prepare<[string, string], { name: string }>('SELECT name FROM codes WHERE shortcut = ? AND id <> ?').get(shortcut, except ?? '')
    if (holder) throw new AppError('conflict', `Key ${shortcut} already applies "${holder.name}".`)
  }

  private nextOrder(parentId: CodeId | null): number {
    return (
      this.db
        .prepare<[string | null], { next: number }>("SELECT ifnull(max(sort_order) + 1, 0) AS next FROM codes WHERE ifnull(parent_id, '') = ifnull(?, '')")
        .get(parentId)?.next ?? 0
    )
  }

  // Keeps sortOrder a position from 0 after a code leaves a level.
  private compact(parentId: CodeId | null): void {
    const set = this.db.prepare('UPDATE codes SET sort_order = ? WHERE id = ? AND sort_order <> ?')
    this.children(parentId).forEach((code, index) => set.run(index, code.id, index))
  }
}
