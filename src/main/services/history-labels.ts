/**
 * The names undoable operations carry in the Edit menu ("Undo Code passage as US stance"); kept in
 * one place so the wording stays consistent and the renderer's tests can rely on it.
 */

/** "US stance", "US stance and EU stance", or "3 codes". */
function codeList(names: readonly string[]): string {
  if (names.length === 1) return names[0] ?? ''
  if (names.length === 2) return `${names[0]} and ${names[1]}`
  return `${names.length} codes`
}

/** Labels of coding and codebook operations. */
export const LABELS = {
  codePassage: (codeNames: readonly string[]) => (codeNames.length > 2 ? `Code passage with ${codeList(codeNames)}` : `Code passage as ${codeList(codeNames)}`),
  addToPassage: (codeNames: readonly string[]) => `Add ${codeList(codeNames)} to passage`,
  recodePassage: () => 'Recode passage',
  movePassage: () => 'Move passage',
  moveAndRecodePassage: () => 'Move and recode passage',
  reattachPassage: () => 'Re-attach passage',
  deletePassage: () => 'Delete passage',
  addCode: (name: string) => `Add code ${name}`,
  renameCode: (newName: string) => `Rename code to ${newName}`,
  recolourCode: (name: string) => `Recolour ${name}`,
  describeCode: (name: string) => `Edit description of ${name}`,
  assignKey: (key: string, name: string) => `Assign key ${key} to ${name}`,
  removeKey: (name: string) => `Remove key from ${name}`,
  moveCode: (name: string, parentName: string | null) => (parentName === null ? `Move ${name} to the top level` : `Move ${name} under ${parentName}`),
  editCode: (name: string) => `Edit code ${name}`,
  deleteCode: (name: string) => `Delete code ${name}`,
  mergeCode: (name: string, intoName: string) => `Merge ${name} into ${intoName}`,
  reorderCodes: () => 'Reorder codes',
  addGroup: (name: string) => `Add group ${name}`,
  changeGroupKind: (name: string) => `Change what ${name} stands for`,
  editDictionary: (name: string) => `Edit dictionary of ${name}`,
  acceptSuggestions: (count: number) => (count === 1 ? 'Accept suggestion' : `Accept ${count} suggestions`),
  rejectSuggestions: (count: number) => (count === 1 ? 'Reject suggestion' : `Reject ${count} suggestions`)
} as const
