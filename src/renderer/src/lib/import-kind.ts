/** The import kind for a file name, or null for types Stance does not read. */
export function importKindOf(fileName: string): 'text' | 'markdown' | 'html' | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase()
  if (extension === 'txt' || extension === 'text') return 'text'
  if (extension === 'md' || extension === 'markdown') return 'markdown'
  if (extension === 'html' || extension === 'htm' || extension === 'xhtml') return 'html'
  return null
}
