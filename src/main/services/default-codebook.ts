import type { GroupKind } from '../../shared/domain/code'
import { DEFAULT_DICTIONARIES } from '../../shared/autocode/default-dictionaries'
import type { NewCode } from '../db/repositories/code-repository'

/** A group of the default codebook and the codes in it. */
export interface DefaultGroup {
  name: string
  groupKind: GroupKind
  description: string
  codes: readonly NewCode[]
}

export { GROUP_COLOR } from '../../shared/domain/group-color'

const withDictionary = (code: NewCode): NewCode => ({ ...code, dictionary: [...(DEFAULT_DICTIONARIES[code.name] ?? [])] })

/**
 * The stances a new library starts with: one per side, keys 1–4. The colours (Okabe–Ito blue,
 * vermillion and bluish green, plus a deep gold) stay apart for red–green colour-blind readers and on
 * light and dark backgrounds; default-codebook.test.ts checks that with simulated colour vision.
 */
export const DEFAULT_STANCES: readonly NewCode[] = [
  { name: 'US stance', color: '#0072b2', shortcut: '1', description: 'Positions of the United States government and its envoys.' },
  { name: 'Russian stance', color: '#d55e00', shortcut: '2', description: 'Positions of the Kremlin, the Russian government and its officials.' },
  { name: 'Ukrainian stance', color: '#e6b400', shortcut: '3', description: 'Positions of the Ukrainian president, government and officials.' },
  { name: 'EU stance', color: '#009e73', shortcut: '4', description: 'Positions of the European Union, its institutions and European governments.' }
].map(withDictionary)

/** The issues a new library starts with, keys 5–9 on the first five; colours kept clear of the stances'. */
export const DEFAULT_ISSUES: readonly NewCode[] = [
  { name: 'Ceasefire and territory', color: '#56b4e9', shortcut: '5', description: 'A ceasefire, the front line, and which territory stays with whom.' },
  { name: 'NATO membership', color: '#cc79a7', shortcut: '6', description: "Ukraine's membership of NATO, neutrality, and the alliance's eastern presence." },
  { name: 'Security guarantees', color: '#7b3294', shortcut: '7', description: 'Guarantees for Ukraine after a settlement: troops, peacekeepers, treaties.' },
  { name: 'Sanctions', color: '#8c6d31', shortcut: '8', description: 'Sanctions on Russia, frozen assets, and their easing or tightening.' },
  { name: 'Minerals and reconstruction', color: '#5e8c31', shortcut: '9', description: "Ukraine's minerals, the investment fund, and rebuilding the country." },
  { name: 'Who sits at the table', color: '#8a8a8a', shortcut: null, description: 'Who takes part in the talks: Ukraine, Europe, mediators — or who is left out.' }
].map(withDictionary)

/** The default codebook: a "Stances" group with the four actors and an "Issues" group with the issues. */
export const DEFAULT_GROUPS: readonly DefaultGroup[] = [
  { name: 'Stances', groupKind: 'stance', description: 'Who takes a position: one code per actor.', codes: DEFAULT_STANCES },
  { name: 'Issues', groupKind: 'issue', description: 'What the position is about.', codes: DEFAULT_ISSUES }
]
