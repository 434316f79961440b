import type { CodeId } from './ids'

/** What a group of codes stands for: the actors' stances, the issues, or anything else. */
export type GroupKind = 'stance' | 'issue' | 'other'

/**
 * A code of the codebook: a stance or an issue that passages are coded with, or — when `groupKind` is
 * set — a top-level group (a folder such as "Stances" or "Issues") that holds codes and is never applied.
 */
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
  /** Set on groups only: what the group's codes stand for. Groups are top-level and carry no passages. */
  groupKind: GroupKind | null
  /**
   * The code's dictionary for suggestions: for a stance code, its actor's names, roles, institutions and
   * metonyms ("Kremlin", "Moscow"); for an issue code, words that mark the issue ("ceasefire").
   */
  dictionary: string[]
  createdAt: string
  updatedAt: string
}
