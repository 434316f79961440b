import type { Code, GroupKind } from '../../../shared/domain/code'

/** A part of the codebook as lists show it: a group and every code inside it, or (group null) the codes outside all groups. */
export interface CodeSection {
  group: Code | null
  /** The section's codes at any depth, parents before their children, siblings in their order. */
  codes: Code[]
}

/** Whether a code is a group: a folder of codes that is never applied to a passage. */
export function isGroup(code: Code): boolean {
  return code.groupKind !== null && code.groupKind !== undefined
}

/** How each kind of group is labelled. */
export const GROUP_KIND_LABELS: Readonly<Record<GroupKind, string>> = { stance: 'Stances', issue: 'Issues', other: 'Other' }

export { GROUP_COLOR } from '../../../shared/domain/group-color'

/**
 * Splits a codebook (as listed: parents first, siblings in order) into its groups, in order, then the
 * ungrouped codes, if any. Groups are top-level, so a code belongs to the group at the top of its branch.
 */
export function codeSections(codes: readonly Code[]): CodeSection[] {
  const byId = new Map(codes.map((code) => [code.id as string, code]))
  const top = (code: Code): Code => {
    let current = code
    for (let depth = 0; current.parentId && depth < 64; depth++) {
      const parent = byId.get(current.parentId)
      if (!parent) break
      current = parent
    }
    return current
  }
  const groups = new Map<string, CodeSection>()
  const ungrouped: CodeSection = { group: null, codes: [] }
  for (const code of codes) {
    if (isGroup(code)) {
      if (!code.parentId) groups.set(code.id, { group: code, codes: [] })
      continue
    }
    const root = top(code)
    const section = (isGroup(root) ? groups.get(root.id) : undefined) ?? ungrouped
    section.codes.push(code)
  }
  return [...groups.values(), ...(ungrouped.codes.length > 0 ? [ungrouped] : [])]
}
