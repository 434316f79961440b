import { z } from 'zod'
import type { Article, ArticleSummary } from '../domain/article'
import type { Code } from '../domain/code'
import type { PassageRef, StanceMatrix, Suggestion, Timeline } from '../domain/analysis'
import type { Highlight } from '../domain/highlight'
import type { HistoryChange, HistoryState } from '../domain/history'
import type { ArticleId, CodeId, HighlightId } from '../domain/ids'
import type { Note, NoteSummary } from '../domain/note'
import type { ImportOutcome, ReimportReview } from '../domain/reimport'
import type { SearchResult } from '../domain/search'
import type { AnnotationImportOutcome, ExportProgress, ExportResult, W3cImportReport } from '../export/export-types'
import type { BackupInfo, RecoveryState } from '../domain/backup'
import { noteDocSchema } from '../domain/note-doc'
import type { Result } from '../result'
import type { AppEvent, Channel } from './channels'

/** One channel: a schema for its input and, as a type only, its result value. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  /** One line saying what the channel does, shown in docs and errors. */
  doc: string
  input: I
  /** Phantom field carrying the result type; always undefined at run time. */
  output?: O
}

function spec<O>() {
  return <I extends z.ZodType>(doc: string, input: I): ChannelSpec<I, O> => ({ doc, input })
}

/** Facts about the running app and where its data lives. */
export interface AppInfo {
  name: string
  version: string
  dataDir: string
  databasePath: string
  schemaVersion: number
  runtime: string
}

const none = z.strictObject({})
const articleId = z.uuid({ message: 'must be an article id (a UUID)' }).transform((id) => id as ArticleId)
const codeId = z.uuid({ message: 'must be a code id (a UUID)' }).transform((id) => id as CodeId)
const highlightId = z.uuid({ message: 'must be a highlight id (a UUID)' }).transform((id) => id as HighlightId)
/** A code-point offset into an article's canonical text. */
const offset = z.number().int('must be a whole number').nonnegative('must not be negative').max(2 ** 31)
const codeName = z.string().trim().min(1, 'a code needs a name').max(200, 'a code name has at most 200 characters')
const codeColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour of the form #rrggbb')
  .transform((color) => color.toLowerCase())
const codeShortcut = z.string().regex(/^[1-9]$/, 'must be a single key from 1 to 9').nullable()
const codeDescription = z.string().max(5000, 'a description has at most 5,000 characters')
const codeIds = z.array(codeId).min(1, 'a highlight needs at least one code').max(50)
/** A code's dictionary: actor names, roles and metonyms (stances) or marker words (issues). */
const dictionary = z
  .array(z.string().trim().min(1, 'a dictionary entry cannot be empty').max(200, 'a dictionary entry has at most 200 characters'))
  .max(500, 'a dictionary has at most 500 entries')
const groupKind = z.enum(['stance', 'issue', 'other'], { error: 'must be stance, issue or other' })
/** Which articles an analysis covers; omitted: the whole library. */
const scopeIds = z.array(articleId).min(1, 'choose at least one article').max(100_000).optional()
const matrixColumns = z.enum(['issues', 'articles'], { error: 'columns must be issues or articles' })
/** Sentence-level passages proposed by the autocoder, as the review queue sends them back. */
const suggestedRange = { start: offset, end: offset }
/** The sentence as the queue showed it, so a change made on an older version of the text is refused. */
const suggestedText = z.string().max(100_000, 'a suggested sentence has at most 100,000 characters').optional()
/** What a note is attached to: one highlight or an article (its memo). */
const noteTarget = z.union([z.strictObject({ highlightId }), z.strictObject({ articleId })], {
  error: 'target must be { highlightId } or { articleId }'
})
/** A stored row's version as a window last saw it (notes and highlights); a stale one is a conflict. */
const version = z.number().int('must be a whole number').positive('must be a version number (1 or more)')
const range = z
  .strictObject({ start: offset, end: offset })
  .refine((r) => r.start < r.end, { message: 'start must be before end', path: ['end'] })

const exportOptions = z.strictObject({
  codeIds: z.array(codeId).min(1, 'choose at least one code').max(1000).optional(),
  includeNotes: z.boolean().optional(),
  includeAppendix: z.boolean().optional(),
  paper: z.enum(['A4', 'Letter']).optional(),
  perArticle: z.boolean().optional(),
  includeSources: z.boolean().optional(),
  includeMatrix: z.boolean().optional(),
  analyst: z.string().max(200, 'an analyst name has at most 200 characters').optional()
})
/** An export: which articles, where (the harness passes a path; the app asks with a save dialog) and how. */
const exportRequest = z.strictObject({
  articleIds: z.array(articleId).min(1, 'choose at least one article').max(100_000),
  outputPath: z.string().min(1).max(4096).optional(),
  options: exportOptions.optional(),
  jobId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id is 1–64 letters, digits, - or _')
    .optional()
})

/** A backup's id: its file name, as the backups list gives it. */
const backupId = z.string().regex(/^stance-\d{8}T\d{9}Z-[a-z-]{5,14}\.db$/, 'must be a backup id from the backups list')

/** The backups and how many are kept. */
export interface BackupList {
  backups: BackupInfo[]
  keep: number
  folder: string
}

/** The IPC contract: every channel's input schema and result type. */
export const contract = {
  'app:info': spec<AppInfo>()('Name, version and data location of the running app.', none),
  'articles:list': spec<ArticleSummary[]>()(
    'Articles in the library, newest first (or those in the trash, with trash: true).',
    z.strictObject({ trash: z.boolean().optional() })
  ),
  'articles:import': spec<Article>()(
    'Imports one document (plain text, Markdown or HTML; text or raw bytes, at most 20 MB) as a new article.',
    z.strictObject({
      kind: z.enum(['text', 'markdown', 'html']),
      content: z.union([z.string().max(20 * 1024 * 1024, 'a document may be at most 20 MB'), z.instanceof(Uint8Array).refine((b) => b.byteLength <= 20 * 1024 * 1024, 'a document may be at most 20 MB')]),
      fileName: z.string().max(1024).optional()
    })
  ),
  'articles:update': spec<Article>()(
    "Edits an article's title, outlet, author, publication date (YYYY-MM-DD) or source URL.",
    z.strictObject({
      id: articleId,
      title: z.string().trim().min(1, 'an article needs a title').max(1000).optional(),
      outlet: z.string().trim().max(500).nullable().optional(),
      author: z.string().trim().max(500).nullable().optional(),
      publishedAt: z.iso.date('must be a date as YYYY-MM-DD').nullable().optional(),
      sourceUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) address' }).max(4096).nullable().optional()
    })
  ),
  'articles:delete': spec<{ id: ArticleId }>()('Moves an article, with its highlights and notes, to the trash.', z.strictObject({ id: articleId })),
  'articles:restore': spec<Article>()('Brings an article back from the trash, intact.', z.strictObject({ id: articleId })),
  'articles:purge': spec<{ id: ArticleId }>()('Deletes an article in the trash for good, with its highlights and notes.', z.strictObject({ id: articleId })),
  'articles:replaceText': spec<ReimportReview>()(
    "Re-imports a newer version of an article: with apply false, reviews how its highlights would re-anchor; with apply true, replaces the text and re-anchors them.",
    z.strictObject({
      id: articleId,
      kind: z.enum(['text', 'markdown', 'html']),
      content: z.union([z.string().max(20 * 1024 * 1024), z.instanceof(Uint8Array)]),
      fileName: z.string().max(1024).optional(),
      apply: z.boolean()
    })
  ),
  'search:query': spec<SearchResult>()(
    'Full-text search over article text, titles, highlight quotes, notes and code names, with snippets grouped by article; supports "phrases" and prefix*.',
    z.strictObject({ q: z.string().trim().min(1, 'type something to search for').max(500), limit: z.number().int().min(1).max(500).optional() })
  ),
  'articles:get': spec<Article>()(
    'One article with its display document and canonical plain text.',
    z.strictObject({ id: articleId })
  ),
  'codebook:list': spec<Code[]>()('Every code of the codebook, parents before children, in order.', none),
  'codebook:create': spec<Code>()(
    'Adds a code at the end of its siblings; names are unique among siblings and keys among all codes.',
    z.strictObject({
      name: codeName,
      color: codeColor,
      description: codeDescription.optional(),
      parentId: codeId.nullable().optional(),
      shortcut: codeShortcut.optional(),
      groupKind: groupKind.nullable().optional(),
      dictionary: dictionary.optional()
    })
  ),
  'codebook:update': spec<Code>()(
    "Renames, recolours, describes, re-keys or re-parents a code, sets a group's kind or a code's dictionary; omitted fields stay as they are.",
    z.strictObject({
      id: codeId,
      name: codeName.optional(),
      color: codeColor.optional(),
      description: codeDescription.optional(),
      parentId: codeId.nullable().optional(),
      shortcut: codeShortcut.optional(),
      groupKind: groupKind.optional(),
      dictionary: dictionary.optional()
    })
  ),
  'codebook:delete': spec<{ id: CodeId; merged: number; removedHighlights: number }>()(
    'Deletes a code. With mergeInto, its passages take that code instead; without, passages left with no code are removed. Children move up a level.',
    z.strictObject({ id: codeId, mergeInto: codeId.optional() })
  ),
  'codebook:reorder': spec<Code[]>()(
    'Sets the order of the children of one parent (null for top-level codes); the list must name each of them once.',
    z.strictObject({ parentId: codeId.nullable(), orderedIds: z.array(codeId).min(1).max(1000) })
  ),
  'highlights:list': spec<Highlight[]>()(
    "An article's highlights in reading order, re-anchored if the text no longer matches their position.",
    z.strictObject({ articleId })
  ),
  'highlights:create': spec<Highlight>()(
    'Codes a code-point range of an article; coding the exact range of an existing highlight adds the codes to it instead.',
    z
      .strictObject({ articleId, start: offset, end: offset, codeIds })
      .refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] })
  ),
  'highlights:update': spec<Highlight>()(
    "Replaces a highlight's codes and/or moves it to a new range (re-attaching an orphan); baseVersion is the highlight's version the window last saw, and a stale one is a conflict.",
    z
      .strictObject({ id: highlightId, codeIds: codeIds.optional(), range: range.optional(), baseVersion: version.optional() })
      .refine((u) => u.codeIds !== undefined || u.range !== undefined, { message: 'give codeIds or range to change' })
  ),
  'highlights:delete': spec<{ id: HighlightId }>()(
    "Deletes a highlight with its note (undoable); baseVersion is the highlight's version the window last saw, and a stale one is a conflict.",
    z.strictObject({ id: highlightId, baseVersion: version.optional() })
  ),
  'history:state': spec<HistoryState>()('Whether coding and codebook operations can be undone or redone, and their names.', none),
  'history:undo': spec<HistoryChange>()('Undoes the last coding or codebook operation.', none),
  'history:redo': spec<HistoryChange>()('Redoes the last undone operation.', none),
  'notes:list': spec<NoteSummary[]>()("An article's memo and the notes on its highlights, as previews.", z.strictObject({ articleId })),
  'notes:get': spec<Note | null>()('The note on a highlight or the memo of an article, or null when there is none.', z.strictObject({ target: noteTarget })),
  'notes:save': spec<Note>()(
    'Creates or replaces a note from its editor document; baseVersion is the version edited (omit for a new note) and a stale one is a conflict.',
    z.strictObject({ target: noteTarget, doc: noteDocSchema, baseVersion: z.number().int().positive().optional() })
  ),
  'notes:delete': spec<{ deleted: boolean }>()(
    'Deletes the note on a highlight or an article memo; baseVersion is the version the window last saw, and a stale one is a conflict.',
    z.strictObject({ target: noteTarget, baseVersion: version.optional() })
  ),
  'export:defaults': spec<{ analyst: string; paper: 'A4' | 'Letter' }>()('The analyst name and paper size the export dialog starts from.', none),
  'export:pdf': spec<ExportResult>()(
    'Exports articles as an annotated PDF (native /Highlight annotations, legend, margin markers, appendix, outline); one combined file or one per article.',
    exportRequest
  ),
  'export:markdown': spec<ExportResult>()('Exports articles as Markdown: front matter, then quotes grouped by code with their notes.', exportRequest),
  'export:csv': spec<ExportResult>()('Exports one CSV row per highlight and code, quoted for spreadsheets and safe from formula injection.', exportRequest),
  'export:w3c': spec<ExportResult>()('Exports a W3C Web Annotation collection (JSON-LD) that import:w3c reads back.', exportRequest),
  'export:qdpx': spec<ExportResult>()('Exports a REFI-QDA project (.qdpx) with sources, codes, codings and notes.', exportRequest),
  'export:cancel': spec<{ cancelled: boolean }>()('Cancels a running export by its job id; nothing is left at the destination.', z.strictObject({ jobId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })),
  'import:w3c': spec<W3cImportReport>()(
    'Imports a W3C Web Annotation file (JSON text, at most 50 MB) into the library, all or nothing.',
    z.strictObject({ text: z.string().min(1, 'the file is empty').max(50 * 1024 * 1024, 'an annotation file may be at most 50 MB') })
  ),
  'analysis:matrix': spec<StanceMatrix>()(
    'The stance × issue (or stance × article) matrix: distinct coded passages per cell, sub-codes counted with their parents.',
    z.strictObject({ columns: matrixColumns, articleIds: scopeIds })
  ),
  'analysis:passages': spec<PassageRef[]>()(
    "The passages carrying every one of the given codes (a code counts with its sub-codes), within the articles given, by date and place: a matrix cell's passages.",
    z.strictObject({ codeIds: z.array(codeId).min(1, 'choose at least one code').max(2, 'at most two codes (a row and a column)'), articleIds: scopeIds })
  ),
  'analysis:timeline': spec<Timeline>()(
    "One stance or issue code's passages placed on their articles' publication dates, with the shifts where an actor's stance on an issue changed.",
    z.strictObject({ codeId, articleIds: scopeIds })
  ),
  'analysis:exportMatrix': spec<{ path: string; bytes: number }>()(
    'Exports the matrix as CSV, SVG or PNG (the harness passes a path; the app asks with a save dialog).',
    z.strictObject({
      columns: matrixColumns,
      articleIds: scopeIds,
      format: z.enum(['csv', 'svg', 'png'], { error: 'format must be csv, svg or png' }),
      outputPath: z.string().min(1).max(4096).optional()
    })
  ),
  'suggestions:list': spec<Suggestion[]>()(
    "Scans an article for sentences where a stance code's actor speaks or is the subject of a stance, minus those already coded or rejected.",
    z.strictObject({ articleId })
  ),
  'suggestions:accept': spec<Highlight[]>()(
    "Codes accepted suggestions (each with the codes the analyst kept and, as codeId, the stance it proposed — a changed one is remembered as rejected) as highlights, in one undoable step.",
    z.strictObject({
      articleId,
      items: z
        .array(z.strictObject({ ...suggestedRange, codeIds, codeId: codeId.optional(), exact: suggestedText }).refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] }))
        .min(1, 'accept at least one suggestion')
        .max(5000)
    })
  ),
  'suggestions:reject': spec<{ rejected: number }>()(
    'Rejects suggestions so they are not proposed again for this article, in one undoable step.',
    z.strictObject({
      articleId,
      items: z
        .array(z.strictObject({ ...suggestedRange, codeId, exact: suggestedText }).refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] }))
        .min(1, 'reject at least one suggestion')
        .max(5000)
    })
  ),
  'recovery:state': spec<RecoveryState>()('Whether the library opened at start, or what was wrong with it, the backups to restore and what was kept.', none),
  'recovery:restore': spec<RecoveryState>()('After a start-up problem: replaces the library with a backup and opens it.', z.strictObject({ id: backupId })),
  'recovery:startEmpty': spec<RecoveryState>()('After a start-up problem: starts a new library (the damaged file stays where it was kept).', none),
  'recovery:continue': spec<RecoveryState>()('After a foreign write log was set aside: opens the library as last fully saved.', none),
  'backups:list': spec<BackupList>()('The rolling backups, newest first, how many are kept and where.', none),
  'backups:create': spec<BackupInfo>()('Backs the library up now (SQLite online backup).', none),
  'backups:restore': spec<RecoveryState>()('Replaces the open library with a backup, keeping the current state as a backup first.', z.strictObject({ id: backupId })),
  'backups:configure': spec<BackupList>()('Sets how many backups to keep (1–100) and prunes older ones.', z.strictObject({ keep: z.number().int('must be a whole number').min(1, 'keep at least one backup').max(100, 'at most 100 backups') }))
} satisfies Record<Channel, ChannelSpec>

/** The contract's type. */
export type Contract = typeof contract

/** What a caller passes to a channel. */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>

/** What a handler receives after validation. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>

/** The value of a successful call. */
export type ChannelOutput<C extends Channel> = Exclude<Contract[C]['output'], undefined>

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never
type VerbOf<C, D extends string> = C extends `${D}:${infer V}` ? V : never

/** Commands the application menu sends to the window. */
export type MenuCommand = 'undo' | 'redo' | 'export' | 'analysis'

/** The payload of each event main sends to the window. */
export interface EventPayloads {
  /** A menu command the window carries out: undo/redo (of coding, or of the focused text field), open the export dialog, or switch to or from Analysis. */
  'menu:command': MenuCommand
  /** The window is about to close: save what is pending, then call window.close() again. */
  'app:closing': null
  /** Files chosen in File ▸ Import… were imported (or refused), one outcome per file. */
  'articles:imported': ImportOutcome[]
  /** How far a running export has got. */
  'export:progress': ExportProgress
  /** File ▸ Import Annotations… read and imported a W3C file (or could not). */
  'import:completed': AnnotationImportOutcome
}

type ChannelApi = {
  [D in DomainOf<Channel>]: {
    [V in VerbOf<Channel, D>]: (input: ChannelInput<`${D}:${V}` & Channel>) => Promise<Result<ChannelOutput<`${D}:${V}` & Channel>>>
  }
}

type EventApi = {
  [D in DomainOf<AppEvent>]: {
    [N in VerbOf<AppEvent, D> as `on${Capitalize<N>}`]: (listener: (payload: EventPayloads[`${D}:${N}` & AppEvent]) => void) => () => void
  }
}

/** The page-side API: `api.<domain>.<verb>(input)` for every channel, resolving to a Result, and `api.<domain>.on<Event>(listener)` for every event. */
export type Api = ChannelApi & EventApi
