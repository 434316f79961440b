import { createHash } from 'node:crypto'
import type { Db } from '../db/connection'
import { migrate } from '../db/migrate'
import { MIGRATIONS } from '../db/migrations'
import { ArticleRepository } from '../db/repositories/article-repository'
import { createRepositories, type Repositories } from '../db/repositories/repositories'
import { CodebookService } from '../services/codebook-service'
import { CodingService } from '../services/coding-service'
import { History } from '../services/history'
import type { ImportRequest } from '../services/import'
import { LibraryService } from '../services/library-service'
import { NoteService } from '../services/note-service'
import { seedLibrary } from '../services/seed-library'
import type { ArticleId, CodeId, HighlightId } from '../../shared/domain/ids'
import type { NoteBlock, NoteDoc, NoteInline } from '../../shared/domain/note-doc'
import type { NoteTarget } from '../../shared/domain/note'
import { AppError } from '../../shared/result'

/**
 * The deterministic operation engine of the crash loop (issue R1). Operation n is chosen from (seed, n)
 * and the store's current state only, and runs through the real services in one transaction that also
 * records n under OP_SETTING. Running ops 1..N on two stores that start alike therefore leaves them with
 * equal canonical states (ids and timestamps aside), which is how the crash loop proves that every
 * committed op is whole and nothing else is there.
 */

/** Settings key holding the number of the last committed operation. */
export const OP_SETTING = 'crash.op'
/** Database file name inside the crash worker's data folder (as bootstrap names it). */
export const WORKER_DATABASE = 'stance.db'
/** Backups folder inside the crash worker's data folder. */
export const WORKER_BACKUPS = 'backups'
/** Backups the crash worker keeps. */
export const WORKER_BACKUP_KEEP = 3

/** Migrates a store and gives it the sample article and default codebook, as Stance does on first start. */
export function prepareStore(db: Db, resourcesDir: string): void {
  migrate(db, MIGRATIONS)
  seedLibrary(db, createRepositories(db), resourcesDir)
}

/** What one operation did: its kind and whether the service accepted it ('ok') or refused it (an AppError code). */
export interface OperationReport {
  op: number
  kind: OperationKind
  outcome: string
}

const KINDS = [
  'import',
  'code',
  'recode',
  'move',
  'deletePassage',
  'saveNote',
  'saveMemo',
  'deleteNote',
  'createCode',
  'renameCode',
  'recolourCode',
  'moveCode',
  'deleteCode',
  'reorderCodes',
  'undo',
  'redo',
  'trashArticle',
  'restoreArticle',
  'purgeArticle',
  'editArticle'
] as const

/** The kinds of operation the engine runs. */
export type OperationKind = (typeof KINDS)[number]

const WEIGHTS: Record<OperationKind, number> = {
  import: 7,
  code: 18,
  recode: 8,
  move: 3,
  deletePassage: 5,
  saveNote: 9,
  saveMemo: 5,
  deleteNote: 4,
  createCode: 5,
  renameCode: 3,
  recolourCode: 3,
  moveCode: 2,
  deleteCode: 4,
  reorderCodes: 2,
  undo: 4,
  redo: 2,
  trashArticle: 2,
  restoreArticle: 2,
  purgeArticle: 1,
  editArticle: 2
}
const TOTAL_WEIGHT = KINDS.reduce((sum, kind) => sum + WEIGHTS[kind], 0)

const WORDS = [
  'talks',
  'Riyadh',
  'ceasefire',
  'sanctions',
  'Kyiv',
  'Moscow',
  'Brussels',
  'Washington',
  'security',
  'guarantees',
  'envoy',
  'minister',
  'said',
  'rejected',
  'welcomed',
  'demanded',
  'переговоры',
  'санкции',
  'Україна',
  'безпека',
  'Élysée',
  'Zelenskyy',
  'Лавров',
  '🇺🇦',
  '🇪🇺',
  'naïve',
  'coöperation',
  'the',
  'a',
  'of',
  'and',
  'to',
  'in',
  'without',
  'table',
  'seat'
]
const CODE_NAMES = ['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance', 'Security', 'Sanctions', 'Санкции', 'Позиция Кремля', 'Élysée line', '🇺🇦 aid', 'Ceasefire']
const KEYS = [null, null, null, '1', '2', '5', '7', '9']

/** A small, fast PRNG (mulberry32) seeded from (seed, op number). */
class Random {
  private state: number

  constructor(seed: number, op: number) {
    const digest = createHash('sha256').update(`${seed}:${op}`).digest()
    this.state = digest.readUInt32LE(0)
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)]
  }

  words(min: number, max: number): string {
    const count = min + this.int(max - min + 1)
    return Array.from({ length: count }, () => this.pick(WORDS) as string).join(' ')
  }

  color(): string {
    return `#${this.int(0x1000000).toString(16).padStart(6, '0')}`
  }
}

interface ArticleRow {
  id: ArticleId
  seq: number
  length: number
  trashed: number
}
interface CodeRow {
  id: CodeId
  seq: number
  name: string
  parent_id: CodeId | null
}
interface HighlightRow {
  id: HighlightId
  seq: number
  article_id: ArticleId
  start: number
  end: number
  exact: string
}

/** A chosen operation: synchronous ones run inside the op's transaction, an import runs its own. */
type Chosen = { kind: OperationKind; run: () => unknown } | { kind: 'import'; request: ImportRequest }

/** Runs numbered operations through the real services on one connection; its History lives as long as it does. */
export class OperationEngine {
  readonly repos: Repositories
  readonly history = new History()
  readonly coding: CodingService
  readonly codebook: CodebookService
  readonly notes: NoteService
  readonly library: LibraryService

  constructor(
    readonly db: Db,
    readonly seed: number,
    /** Imports long articles (hundreds of paragraphs), so the library grows to megabytes and a backup takes many steps. */
    readonly large = false,
    /** Checks that a refused operation left every row as it was (a canonical dump before each op: for small test libraries). */
    readonly verifyRefusals = false
  ) {
    this.repos = createRepositories(db)
    this.coding = new CodingService(db, this.repos, this.history)
    this.codebook = new CodebookService(db, this.repos, this.history)
    this.notes = new NoteService(db, this.repos)
    this.library = new LibraryService(db, this.repos)
  }

  /** The number of the last committed operation (0 before the first). */
  committed(): number {
    return this.repos.settings.get(OP_SETTING, 0)
  }

  /**
   * Runs operation n: chosen from (seed, n) and the state, applied through a service, with n recorded in
   * the same transaction. A refusal (an AppError) still records n, and must have left the data as it was
   * (checked with verifyRefusals); any other error is a bug and is thrown with nothing committed.
   */
  async run(n: number): Promise<OperationReport> {
    const before = this.verifyRefusals ? canonicalState(this.db, { withoutOp: true }) : undefined
    const report = await this.runChosen(n)
    if (before !== undefined && report.outcome !== 'ok' && canonicalState(this.db, { withoutOp: true }) !== before) {
      throw new Error(`op ${n} (${report.kind}) was refused (${report.outcome}) but changed the data: a refusal half applied`)
    }
    return report
  }

  private async runChosen(n: number): Promise<OperationReport> {
    const chosen = this.choose(n)
    if (chosen.kind === 'import' && 'request' in chosen) return { op: n, kind: 'import', outcome: await this.importArticle(n, chosen.request) }
    const run = (chosen as { run: () => unknown }).run
    const outcome = this.db.transaction(() => {
      let result = 'ok'
      try {
        run()
      } catch (error) {
        if (!(error instanceof AppError)) throw error
        result = error.code
      }
      this.repos.settings.set(OP_SETTING, n)
      return result
    })()
    return { op: n, kind: chosen.kind, outcome }
  }

  /**
   * LibraryService.import parses the document (asynchronously) and then inserts the article; the insert is
   * wrapped so that it commits together with the op number, and no transaction stays open across an await.
   */
  private async importArticle(n: number, request: ImportRequest): Promise<string> {
    const real = this.repos.articles
    const articles = Object.create(real) as ArticleRepository
    articles.insert = (meta, doc) =>
      this.db.transaction(() => {
        const article = ArticleRepository.prototype.insert.call(real, meta, doc)
        this.repos.settings.set(OP_SETTING, n)
        return article
      })()
    try {
      await new LibraryService(this.db, { ...this.repos, articles }).import(request)
      return 'ok'
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      this.db.transaction(() => this.repos.settings.set(OP_SETTING, n))()
      return error.code
    }
  }

  private articles(): ArticleRow[] {
    return this.db.prepare<[], ArticleRow>('SELECT id, seq, length, deleted_at IS NOT NULL AS trashed FROM articles ORDER BY seq').all()
  }

  private codes(): CodeRow[] {
    return this.db.prepare<[], CodeRow>('SELECT id, seq, name, parent_id FROM codes ORDER BY seq').all()
  }

  private highlights(): HighlightRow[] {
    return this.db.prepare<[], HighlightRow>('SELECT id, seq, article_id, start, end, exact FROM highlights ORDER BY seq').all()
  }

  private someCodes(random: Random, codes: readonly CodeRow[]): CodeId[] {
    const count = 1 + random.int(Math.min(3, codes.length))
    return Array.from({ length: count }, () => (random.pick(codes) as CodeRow).id)
  }

  private range(random: Random, length: number): { start: number; end: number } {
    const start = random.int(Math.max(1, length - 1))
    const end = Math.min(length, start + 1 + random.int(80))
    return { start, end }
  }

  private noteDoc(random: Random, quotable: readonly HighlightRow[]): NoteDoc {
    const content: NoteBlock[] = [{ type: 'paragraph', content: [{ type: 'text', text: random.words(1, 25) }] }]
    if (random.chance(0.3)) content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: random.words(1, 4), marks: [{ type: 'bold' }] }] })
    const quoted = random.chance(0.5) ? random.pick(quotable) : undefined
    if (quoted) {
      const inline: NoteInline[] = [{ type: 'text', text: 'As quoted: ' }, { type: 'quoteChip', attrs: { highlightId: quoted.id, quote: quoted.exact } }]
      content.push({ type: 'paragraph', content: inline })
    }
    return { type: 'doc', content }
  }

  private importRequest(random: Random): ImportRequest {
    const title = random.words(2, 8)
    const paragraphs = this.large
      ? Array.from({ length: 60 + random.int(200) }, () => random.words(20, 80))
      : Array.from({ length: 1 + random.int(6) }, () => random.words(6, 60))
    const roll = random.next()
    if (roll < 0.02) {
      const body = paragraphs.map((p) => `<p>${p}</p>`).join('')
      const html = `<!doctype html><html><head><title>${title}</title><meta name="author" content="${random.words(1, 2)}"></head><body><article><h1>${title}</h1>${body}</article></body></html>`
      return { kind: 'html', content: html, fileName: 'page.html' }
    }
    if (roll < 0.06) {
      const front = random.chance(0.5) ? `---\ntitle: ${title}\noutlet: ${random.words(1, 2)}\ndate: 2025-0${1 + random.int(9)}-1${random.int(10)}\n---\n` : ''
      return { kind: 'markdown', content: `${front}# ${title}\n\n${paragraphs.map((p, i) => (i % 2 ? `*${p}*` : p)).join('\n\n')}\n`, fileName: 'notes.md' }
    }
    // Now and then nothing readable: a refusal that must still be recorded as a whole op.
    if (roll < 0.09) return { kind: 'text', content: '   \n\n  ', fileName: 'empty.txt' }
    return { kind: 'text', content: `${title}\n\n${paragraphs.join('\n\n')}\n`, fileName: 'article.txt' }
  }

  private choose(n: number): Chosen {
    const random = new Random(this.seed, n)
    let roll = random.int(TOTAL_WEIGHT)
    let kind: OperationKind = KINDS[0]
    for (const candidate of KINDS) {
      roll -= WEIGHTS[candidate]
      if (roll < 0) {
        kind = candidate
        break
      }
    }
    const articles = this.articles()
    const live = articles.filter((a) => !a.trashed && a.length > 0)
    const codes = this.codes()
    const highlights = this.highlights()
    kind = fallback(kind, { articles: articles.length, live: live.length, codes: codes.length, highlights: highlights.length })
    const article = random.pick(articles) as ArticleRow
    const code = random.pick(codes) as CodeRow
    const highlight = random.pick(highlights) as HighlightRow
    const sameArticle = (articleId: ArticleId) => highlights.filter((h) => h.article_id === articleId)

    switch (kind) {
      case 'import':
        return { kind, request: this.importRequest(random) }
      case 'code': {
        const target = random.pick(live) as ArticleRow
        // Sometimes exactly the range of an existing passage, which adds codes to it instead.
        const existing = random.chance(0.2) ? random.pick(sameArticle(target.id)) : undefined
        const range = existing ? { start: existing.start, end: existing.end } : this.range(random, target.length)
        const codeIds = this.someCodes(random, codes)
        return { kind, run: () => this.coding.create({ articleId: target.id, ...range, codeIds }) }
      }
      case 'recode': {
        const codeIds = this.someCodes(random, codes)
        return { kind, run: () => this.coding.update({ id: highlight.id, codeIds }) }
      }
      case 'move': {
        const length = articles.find((a) => a.id === highlight.article_id)?.length ?? 1
        const range = this.range(random, length)
        const codeIds = random.chance(0.3) ? this.someCodes(random, codes) : undefined
        return { kind, run: () => this.coding.update({ id: highlight.id, range, ...(codeIds ? { codeIds } : {}) }) }
      }
      case 'deletePassage':
        return { kind, run: () => this.coding.delete(highlight.id) }
      case 'saveNote':
      case 'saveMemo': {
        const target: NoteTarget = kind === 'saveNote' ? { highlightId: highlight.id } : { articleId: article.id }
        const articleId = kind === 'saveNote' ? highlight.article_id : article.id
        // Mostly chips of the same article; now and then one of another article, which is refused.
        const quotable = random.chance(0.9) ? sameArticle(articleId) : highlights
        const doc = this.noteDoc(random, quotable)
        const stale = random.chance(0.05)
        return {
          kind,
          run: () => {
            const current = this.repos.notes.find(target)
            const base = current === undefined ? (stale ? 1 : undefined) : stale ? current.version + 1 : current.version
            return this.notes.save(target, doc, base)
          }
        }
      }
      case 'deleteNote': {
        const notes = this.db.prepare<[], { highlight_id: HighlightId | null; article_id: ArticleId | null }>('SELECT highlight_id, article_id FROM notes ORDER BY seq').all()
        const note = random.pick(notes)
        const target: NoteTarget = note?.highlight_id ? { highlightId: note.highlight_id } : { articleId: note?.article_id ?? article.id }
        return { kind, run: () => this.notes.delete(target) }
      }
      case 'createCode': {
        const name = `${random.pick(CODE_NAMES)}${random.chance(0.5) ? '' : ` ${random.int(6)}`}`
        const parentId = random.chance(0.4) ? (code?.id ?? null) : null
        const shortcut = random.pick(KEYS) ?? null
        const color = random.color()
        const description = random.chance(0.5) ? random.words(0, 12) : undefined
        return { kind, run: () => this.codebook.create({ name, color, parentId, shortcut, ...(description !== undefined ? { description } : {}) }) }
      }
      case 'renameCode': {
        const name = `${random.pick(CODE_NAMES)}${random.chance(0.3) ? '' : ` ${random.int(9)}`}`
        return { kind, run: () => this.codebook.update(code.id, { name }) }
      }
      case 'recolourCode': {
        const color = random.color()
        const shortcut = random.chance(0.3) ? (random.pick(KEYS) ?? null) : undefined
        return { kind, run: () => this.codebook.update(code.id, { color, ...(shortcut !== undefined ? { shortcut } : {}) }) }
      }
      case 'moveCode': {
        const parentId = random.chance(0.3) ? null : (random.pick(codes) as CodeRow).id
        return { kind, run: () => this.codebook.update(code.id, { parentId }) }
      }
      case 'deleteCode': {
        const mergeInto = random.chance(0.7) ? random.pick(codes)?.id : undefined
        return { kind, run: () => this.codebook.delete(code.id, mergeInto) }
      }
      case 'reorderCodes': {
        const parentId = random.chance(0.5) ? null : code.id
        const children = this.repos.codes.children(parentId).map((c) => c.id)
        const ordered = [...children]
        for (let i = ordered.length - 1; i > 0; i--) {
          const j = random.int(i + 1)
          ;[ordered[i], ordered[j]] = [ordered[j] as CodeId, ordered[i] as CodeId]
        }
        return { kind, run: () => this.codebook.reorder(parentId, ordered) }
      }
      case 'undo':
        return { kind, run: () => this.history.undo() }
      case 'redo':
        return { kind, run: () => this.history.redo() }
      case 'trashArticle':
        return { kind, run: () => this.library.delete(article.id) }
      case 'restoreArticle': {
        const trashed = articles.filter((a) => a.trashed)
        const target = random.pick(trashed) ?? article
        return { kind, run: () => this.library.restore(target.id) }
      }
      case 'purgeArticle': {
        // Mostly a trashed one; an article still in the library is refused.
        const trashed = articles.filter((a) => a.trashed)
        const target = (random.chance(0.85) ? random.pick(trashed) : undefined) ?? article
        return { kind, run: () => this.library.purge(target.id) }
      }
      case 'editArticle': {
        const title = random.words(1, 6)
        const publishedAt = random.chance(0.2) ? '2025-02-30' : `2025-0${1 + random.int(9)}-${10 + random.int(18)}`
        return { kind, run: () => this.library.update(article.id, { title, publishedAt }) }
      }
    }
  }
}

const NEEDS_CODES = new Set<OperationKind>(['code', 'recode', 'renameCode', 'recolourCode', 'moveCode', 'deleteCode', 'reorderCodes'])
const NEEDS_HIGHLIGHTS = new Set<OperationKind>(['recode', 'move', 'deletePassage', 'saveNote'])
const NEEDS_ARTICLES = new Set<OperationKind>(['saveMemo', 'deleteNote', 'trashArticle', 'restoreArticle', 'purgeArticle', 'editArticle'])

// An operation the state can serve when the drawn one has nothing to work on (no codes, passages or articles).
function fallback(kind: OperationKind, counts: { articles: number; live: number; codes: number; highlights: number }): OperationKind {
  if (NEEDS_HIGHLIGHTS.has(kind) && counts.highlights === 0) kind = 'code'
  if (NEEDS_CODES.has(kind) && counts.codes === 0) return 'createCode'
  if (kind === 'code' && counts.live === 0) return 'import'
  if (NEEDS_ARTICLES.has(kind) && counts.articles === 0) return 'import'
  return kind
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/**
 * Every row of the library without ids or timestamps: rows are named by table and seq (deterministic when
 * two stores run the same operations), references and ids inside text (quote chips) are replaced by those
 * names, ids of rows that no longer exist by "gone", and long texts by a hash. Columns are taken as they
 * come, so columns added by later migrations are compared too. Two stores that committed the same
 * operations give the same string.
 */
export function canonicalState(db: Db, options: { withoutOp?: boolean } = {}): string {
  const names = new Map<string, string>()
  const tables = ['articles', 'codes', 'highlights', 'notes'] as const
  const rows: Record<string, Record<string, unknown>[]> = {}
  for (const table of tables) {
    rows[table] = db.prepare(`SELECT * FROM ${table} ORDER BY seq`).all() as Record<string, unknown>[]
    for (const row of rows[table]) names.set(row.id as string, `${table[0]}${row.seq as number}`)
  }
  const ref = (value: unknown): unknown => (typeof value === 'string' ? (names.get(value) ?? `unknown:${value}`) : value)
  const text = (value: unknown): unknown => (typeof value === 'string' ? value.replace(UUID, (id) => names.get(id) ?? 'gone') : value)
  const hash = (value: unknown): string => createHash('sha256').update(String(value)).digest('hex').slice(0, 16)
  const canonical = (row: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const [column, value] of Object.entries(row)) {
      if (column === 'id') continue
      if (column === 'deleted_at') out.trashed = value !== null
      else if (column.endsWith('_at')) continue
      else if (column.endsWith('_id')) out[column] = ref(value)
      else if (column === 'doc_json' || column === 'text') out[column] = hash(text(value))
      else out[column] = text(value)
    }
    return out
  }
  const links = db.prepare('SELECT highlight_id, code_id FROM highlight_codes').all() as { highlight_id: string; code_id: string }[]
  const state = {
    ...Object.fromEntries(tables.map((table) => [table, (rows[table] ?? []).map(canonical)])),
    highlightCodes: links.map((r) => `${String(ref(r.highlight_id))}>${String(ref(r.code_id))}`).sort(),
    settings: db.prepare('SELECT key, value FROM settings WHERE key <> ? ORDER BY key').all(options.withoutOp ? OP_SETTING : '')
  }
  return JSON.stringify(state)
}
