import type { CodeDictionary } from './code-dictionary'
import { DEFAULT_DICTIONARIES } from './default-dictionaries'

/** The default dictionaries as the engine reads them, keyed by code name; codes named "… stance" are stances. */
export function defaultCodeDictionaries(): CodeDictionary[] {
  return Object.entries(DEFAULT_DICTIONARIES).map(([name, terms]) => ({
    codeId: name,
    kind: name.endsWith(' stance') ? 'stance' : 'issue',
    terms
  }))
}
