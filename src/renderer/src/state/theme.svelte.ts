/** The theme the user chose; "system" follows the operating system. */
export type ThemePreference = 'system' | 'light' | 'dark'

const KEY = 'stance.theme'

/** Light and dark themes following the OS unless the user picks one. */
export class ThemeState {
  preference = $state<ThemePreference>('system')
  systemDark = $state(false)
  /** The theme in effect. */
  resolved = $derived<'light' | 'dark'>(this.preference === 'system' ? (this.systemDark ? 'dark' : 'light') : this.preference)

  constructor() {
    const saved = localStorage.getItem(KEY)
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.preference = saved
    const query = window.matchMedia('(prefers-color-scheme: dark)')
    this.systemDark = query.matches
    query.addEventListener('change', (event) => (this.systemDark = event.matches))
  }

  /** Chooses a theme and remembers it. */
  choose(preference: ThemePreference): void {
    this.preference = preference
    localStorage.setItem(KEY, preference)
  }
}
