import type { CodeId } from './ids'

/** A code of the codebook: a stance (or later an issue) that passages are coded with. */
export interface Code {
  id: CodeId
  name: string
  /** Colour as lowercase #rrggbb. */
  color: string
  description: string
  parentId: CodeId | null
  /** Position among its siblings, from 0. */
  sortOrder: number
  /** Single key 1–9 that applies the code in the reader, or null. */
  shortcut: string | null
  createdAt: string
  updatedAt: string
}
