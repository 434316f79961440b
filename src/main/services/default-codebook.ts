import type { NewCode } from '../db/repositories/code-repository'

/**
 * The codebook a new library starts with: one stance per side, keys 1–4. The colours (Okabe–Ito blue,
 * vermillion and bluish green, plus a deep gold) stay apart for red–green colour-blind readers and on
 * light and dark backgrounds; default-codebook.test.ts checks that with simulated colour vision.
 */
export const DEFAULT_CODEBOOK: readonly NewCode[] = [
  { name: 'US stance', color: '#0072b2', shortcut: '1', description: 'Positions of the United States government and its envoys.' },
  { name: 'Russian stance', color: '#d55e00', shortcut: '2', description: 'Positions of the Kremlin, the Russian government and its officials.' },
  { name: 'Ukrainian stance', color: '#e6b400', shortcut: '3', description: 'Positions of the Ukrainian president, government and officials.' },
  { name: 'EU stance', color: '#009e73', shortcut: '4', description: 'Positions of the European Union, its institutions and European governments.' }
]
