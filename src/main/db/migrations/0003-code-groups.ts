import { randomUUID } from 'node:crypto'
import type { Migration } from '../migration'

// Frozen with this migration (later codebooks may differ): what a library seeded before groups existed gets.
const GROUP_COLOR = '#6b7280'
const DEFAULT_STANCE_NAMES = ['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance']
const STANCE_TERMS: Record<string, string[]> = {
  'US stance': ['United States', 'U.S.', 'US', 'America', 'Washington', 'White House', 'State Department', 'Trump', 'Rubio', 'Witkoff', 'Waltz', 'Vance'],
  'Russian stance': ['Russia', 'Kremlin', 'Moscow', 'Putin', 'Lavrov', 'Peskov', 'Ushakov', 'Dmitriev', 'Zakharova', 'Russian Foreign Ministry'],
  'Ukrainian stance': ['Ukraine', 'Kyiv', 'Kiev', 'Zelensky', 'Zelenskyy', 'Sybiha', 'Yermak'],
  'EU stance': ['European Union', 'EU', 'Brussels', 'European Commission', 'von der Leyen', 'Kallas', 'Costa', 'Macron', 'Starmer']
}
const DEFAULT_ISSUES: [name: string, color: string, key: string | null, description: string, terms: string[]][] = [
  ['Ceasefire and territory', '#56b4e9', '5', 'A ceasefire, the front line, and which territory stays with whom.', ['ceasefire', 'cease-fire', 'truce', 'front line', 'territor*', 'occupied', 'annex*', 'Crimea', 'Donbas']],
  ['NATO membership', '#cc79a7', '6', "Ukraine's membership of NATO, neutrality, and the alliance's eastern presence.", ['NATO', 'membership', 'neutral*']],
  ['Security guarantees', '#7b3294', '7', 'Guarantees for Ukraine after a settlement: troops, peacekeepers, treaties.', ['security guarantee*', 'guarantee*', 'peacekeep*']],
  ['Sanctions', '#8c6d31', '8', 'Sanctions on Russia, frozen assets, and their easing or tightening.', ['sanction*', 'frozen assets', 'SWIFT']],
  ['Minerals and reconstruction', '#5e8c31', '9', "Ukraine's minerals, the investment fund, and rebuilding the country.", ['mineral*', 'rare earth*', 'reconstruction', 'rebuild*']],
  ['Who sits at the table', '#8a8a8a', null, 'Who takes part in the talks: Ukraine, Europe, mediators — or who is left out.', ['at the table', 'negotiating table', 'excluded', 'sidelined']]
]

/**
 * Code groups and dictionaries. A group is a top-level code with a kind (stance, issue or other) that
 * holds codes and is never applied to passages — the shape REFI-QDA gives grouping folders
 * (isCodable="false"), so hierarchy, ordering, renaming and undo keep working as they do for codes.
 * Every code gets a dictionary (JSON array of terms) for suggestions, and rejected suggestions are kept.
 *
 * A library made before groups existed has its top-level codes moved under a new "Stances" group in their
 * order; one that still has the four default stances also gets the default "Issues" group (keys 5–9 where
 * free) and the default actor dictionaries. An empty codebook stays empty (seeding adds the groups).
 */
export const codeGroups: Migration = {
  version: 3,
  name: '0003-code-groups',
  up(db) {
    db.exec(`
      ALTER TABLE codes ADD COLUMN group_kind TEXT CHECK (group_kind IS NULL OR group_kind IN ('stance', 'issue', 'other'));
      ALTER TABLE codes ADD COLUMN dictionary TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(dictionary) AND json_type(dictionary) = 'array');

      CREATE TABLE suggestion_rejections (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start       INTEGER NOT NULL CHECK (start >= 0),
        end         INTEGER NOT NULL CHECK (end > start),
        -- No foreign key on the code: undoing a code's deletion brings the same id back, and its rejections with it.
        code_id     TEXT NOT NULL,
        exact       TEXT NOT NULL,
        rejected_at TEXT NOT NULL,
        PRIMARY KEY (article_id, start, end, code_id)
      ) WITHOUT ROWID;
      CREATE INDEX suggestion_rejections_by_code ON suggestion_rejections (code_id);
    `)
    const top = db.prepare<[], { id: string; name: string }>('SELECT id, name FROM codes WHERE parent_id IS NULL ORDER BY sort_order, seq').all()
    if (top.length === 0) return
    const now = new Date().toISOString()
    const taken = new Set(top.map((c) => c.name.toLowerCase()))
    const freeName = (name: string): string => {
      let candidate = name
      for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name} ${n}`
      taken.add(candidate.toLowerCase())
      return candidate
    }
    const insertGroup = db.prepare(
      `INSERT INTO codes (id, name, color, description, parent_id, sort_order, shortcut, created_at, updated_at, group_kind)
       VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?)`
    )
    const stancesId = randomUUID()
    insertGroup.run(stancesId, freeName('Stances'), GROUP_COLOR, 'Who takes a position: one code per actor.', 0, now, now, 'stance')
    const move = db.prepare('UPDATE codes SET parent_id = ?, sort_order = ? WHERE id = ?')
    top.forEach((code, index) => move.run(stancesId, index, code.id))

    const names = new Set(top.map((c) => c.name))
    if (!DEFAULT_STANCE_NAMES.every((name) => names.has(name))) return
    const setTerms = db.prepare("UPDATE codes SET dictionary = ? WHERE parent_id = ? AND name = ? AND dictionary = '[]'")
    for (const [name, terms] of Object.entries(STANCE_TERMS)) setTerms.run(JSON.stringify(terms), stancesId, name)
    const issuesId = randomUUID()
    insertGroup.run(issuesId, freeName('Issues'), GROUP_COLOR, 'What the position is about.', 1, now, now, 'issue')
    const keyTaken = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM codes WHERE shortcut = ?')
    const insertIssue = db.prepare(
      `INSERT INTO codes (id, name, color, description, parent_id, sort_order, shortcut, created_at, updated_at, dictionary)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    DEFAULT_ISSUES.forEach(([name, color, key, description, terms], index) => {
      const shortcut = key && !keyTaken.get(key) ? key : null
      insertIssue.run(randomUUID(), name, color, description, issuesId, index, shortcut, now, now, JSON.stringify(terms))
    })
  }
}
