/** App-wide keyboard commands. */
export type Shortcut = 'undo' | 'redo' | 'next-highlight' | 'previous-highlight' | 'search' | 'export' | 'analysis'

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform)

/** The command a key press stands for, if any (Ctrl on Windows/Linux, Cmd on macOS). */
export function shortcutOf(event: KeyboardEvent): Shortcut | null {
  const mod = isMac ? event.metaKey : event.ctrlKey
  const key = event.key.toLowerCase()
  if (mod && !event.altKey && !event.shiftKey && key === 'k') return 'search'
  if (mod && !event.altKey && !event.shiftKey && key === 'e') return 'export'
  if (mod && !event.altKey && event.shiftKey && key === 'a') return 'analysis'
  if (mod && !event.altKey && key === 'z') return event.shiftKey ? 'redo' : 'undo'
  if (mod && !event.altKey && !event.shiftKey && key === 'y' && !isMac) return 'redo'
  if (event.altKey && !mod && !event.shiftKey && event.key === 'ArrowDown') return 'next-highlight'
  if (event.altKey && !mod && !event.shiftKey && event.key === 'ArrowUp') return 'previous-highlight'
  return null
}

/** Whether an event target is a text field with its own editing (and undo). */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.closest('.reader-doc')) return false
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
}
