import type { Code, GroupKind } from './code'

/**
 * What a code stands for: the kind of the group it sits in (at any depth), or null for a code outside
 * every group and for groups themselves.
 */
export function codeDimension(code: Code, byId: Readonly<Record<string, Code>>): GroupKind | null {
  if (code.groupKind) return null
  let current: Code | undefined = code
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.groupKind) return current.groupKind
    current = current.parentId ? byId[current.parentId] : undefined
  }
  return null
}
