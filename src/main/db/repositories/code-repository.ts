import { randomUUID } from 'node:crypto'
import type { Code } from '../../../shared/domain/code'
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
}

/** Fields of a new code. */
export interface NewCode {
  name: string
  color: string
  description?: string
  parentId?: CodeId | null
  shortcut?: string | null
}

function toCode(row: CodeRow): Code {
  return {
    id: row.id as CodeId,
    name: row.name,
    color: row.color,
    description: row.description,
    parentId: row.parent_id as CodeId | null,
    sortOrder: row.sort_order,
    shortcut: row.shortcut,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
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

  /** Adds a code at the end of its siblings; clashing names or keys are reported in words. */
  insert(input: NewCode): Code {
    const name = input.name.trim()
    const color = input.color.toLowerCase()
    const parentId = input.parentId ?? null
    if (!name) throw new AppError('invalid-input', 'A code needs a name.')
    if (!/^#[0-9a-f]{6}$/.test(color)) throw new AppError('invalid-input', `"${input.color}" is not a colour of the form #rrggbb.`)
    if (parentId && !this.find(parentId)) throw new AppError('not-found', `There is no parent code with id ${parentId}.`)
    const clash = this.db
      .prepare<[string | null, string], { name: string }>("SELECT name FROM codes WHERE ifnull(parent_id, '') = ifnull(?, '') AND lower(name) = lower(?)")
      .get(parentId, name)
    if (clash) throw new AppError('conflict', `A code named "${clash.name}" already exists at that level.`)
    if (input.shortcut) {
      const holder = this.db.prepare<[string], { name: string }>('SELECT name FROM codes WHERE shortcut = ?').get(input.shortcut)
      if (holder) throw new AppError('conflict', `Key ${input.shortcut} already applies "${holder.name}".`)
    }
    const order = this.db
      .prepare<[string | null], { next: number }>("SELECT ifnull(max(sort_order) + 1, 0) AS next FROM codes WHERE ifnull(parent_id, '') = ifnull(?, '')")
      .get(parentId)?.next ?? 0
    const id = randomUUID()
    const now = nowIso()
    this.db
      .prepare(
        `INSERT INTO codes (id, name, color, description, parent_id, sort_order, shortcut, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(id, name, color, input.description ?? '', parentId, order, input.shortcut ?? null, now, now)
    return this.find(id as CodeId) as Code
  }
}
