import type { AppEvent, Channel } from '../shared/ipc/channels'
import type { ChannelOutput, EventPayloads, ParsedInput } from '../shared/ipc/contract'
import { AppError } from '../shared/result'
import type { Db } from './db/connection'
import type { Repositories } from './db/repositories/repositories'
import { listAnchoredHighlights } from './services/anchor-repair'
import { CodebookService } from './services/codebook-service'
import { CodingService } from './services/coding-service'
import { History } from './services/history'
import { LibraryService } from './services/library-service'
import { NoteService } from './services/note-service'
import { SearchService } from './services/search-service'
import { ExportService, type OutputRequest } from './export/export-service'
import type { PdfPrinter } from './export/pdf/pdf-printer'
import { importW3c } from './export/w3c-import'
import { AnalysisService } from './services/analysis-service'
import { exportMatrix } from './export/matrix-export'
import { SuggestionService } from './services/suggestion-service'

/** What the handlers need; plain values so the Electron shell and the e2e harness build them alike. */
export interface HandlerDeps {
  db: Db
  repos: Repositories
  paths: { dataDir: string; databasePath: string }
  app: { name: string; version: string; runtime: string }
  /** The undo journal; one per handler table (one per open database) unless a caller shares one. */
  history?: History
  /** What exports need from the shell; without it the export channels answer `unavailable`. */
  exports?: {
    printer: () => PdfPrinter
    /** A save dialog in the app; the harness returns the path the test passed. Null when the user cancels. */
    chooseOutput: (request: OutputRequest) => Promise<string | null>
    articleTimeoutMs?: number
  }
  /** Sends an event to the app's window(s); events carry ids, so every window may receive them. */
  emit?: <E extends AppEvent>(event: E, payload: EventPayloads[E]) => void
}

/** One function per channel, receiving validated input. */
export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>
}

/** Channels the library host answers itself, whatever state the library is in: recovery and backups. */
export type HostChannel = Extract<Channel, `recovery:${string}` | `backups:${string}`>

/** The handlers over an open library. */
export type LibraryHandlers = Omit<Handlers, HostChannel>

/** The handler table behind every IPC channel; no Electron import, so tests and the harness use it as is. */
export function createHandlers(deps: HandlerDeps): LibraryHandlers {
  const { db, repos } = deps
  const history = deps.history ?? new History()
  const coding = new CodingService(db, repos, history)
  const codebook = new CodebookService(db, repos, history)
  const notes = new NoteService(db, repos)
  const library = new LibraryService(db, repos)
  const search = new SearchService(db)
  const analysis = new AnalysisService(db)
  const suggestions = new SuggestionService(db, repos, history)
  const shell = deps.exports
  const exporter = shell
    ? new ExportService({
        db,
        repos,
        app: deps.app,
        printer: shell.printer,
        chooseOutput: shell.chooseOutput,
        articleTimeoutMs: shell.articleTimeoutMs,
        progress: (progress) => deps.emit?.('export:progress', progress)
      })
    : undefined
  const exporting = (): ExportService => {
    if (!exporter) throw new AppError('unavailable', 'Exporting is not available in this build.')
    return exporter
  }
  return {
    'app:info': () => ({
      name: deps.app.name,
      version: deps.app.version,
      runtime: deps.app.runtime,
      dataDir: deps.paths.dataDir,
      databasePath: deps.paths.databasePath,
      schemaVersion: db.pragma('user_version', { simple: true }) as number
    }),
    'articles:list': ({ trash }) => repos.articles.list({ trash }),
    'articles:get': ({ id }) => repos.articles.require(id),
    'articles:import': (request) => library.import(request),
    'articles:update': ({ id, ...patch }) => library.update(id, patch),
    'articles:delete': ({ id }) => library.delete(id),
    'articles:restore': ({ id }) => library.restore(id),
    'articles:purge': ({ id }) => library.purge(id),
    'articles:replaceText': ({ id, apply, ...request }) => library.replaceText(id, request, apply),
    'search:query': ({ q, limit }) => search.search(q, limit),
    'codebook:list': () => repos.codes.list(),
    'codebook:create': (input) => codebook.create(input),
    'codebook:update': ({ id, ...patch }) => codebook.update(id, patch),
    'codebook:delete': ({ id, mergeInto }) => codebook.delete(id, mergeInto),
    'codebook:reorder': ({ parentId, orderedIds }) => codebook.reorder(parentId, orderedIds),
    'highlights:list': ({ articleId }) => listAnchoredHighlights(db, repos, articleId),
    'highlights:create': (input) => coding.create(input),
    'highlights:update': (input) => coding.update(input),
    'highlights:delete': ({ id, baseVersion }) => coding.delete(id, baseVersion),
    'history:state': () => history.state(),
    'history:undo': () => history.undo(),
    'history:redo': () => history.redo(),
    'notes:list': ({ articleId }) => notes.list(articleId),
    'notes:get': ({ target }) => notes.get(target),
    'notes:save': ({ target, doc, baseVersion }) => notes.save(target, doc, baseVersion),
    'notes:delete': ({ target, baseVersion }) => notes.delete(target, baseVersion),
    'export:defaults': () => exporting().defaults(),
    'export:pdf': (request) => exporting().export('pdf', request),
    'export:markdown': (request) => exporting().export('markdown', request),
    'export:csv': (request) => exporting().export('csv', request),
    'export:w3c': (request) => exporting().export('w3c', request),
    'export:qdpx': (request) => exporting().export('qdpx', request),
    'export:cancel': ({ jobId }) => ({ cancelled: exporting().cancel(jobId) }),
    'import:w3c': ({ text }) => importW3c(db, repos, text),
    'analysis:matrix': ({ columns, articleIds }) => analysis.matrix({ columns, articleIds }),
    'analysis:passages': ({ codeIds, articleIds }) => analysis.passagesWith(codeIds, { articleIds }),
    'analysis:timeline': ({ codeId, articleIds }) => analysis.timeline(codeId, { articleIds }),
    'analysis:exportMatrix': (request) => {
      if (!shell) throw new AppError('unavailable', 'Exporting is not available in this build.')
      return exportMatrix({ db, chooseOutput: shell.chooseOutput }, request)
    },
    'suggestions:list': ({ articleId }) => suggestions.list(articleId),
    'suggestions:accept': ({ articleId, items }) => suggestions.accept(articleId, items),
    'suggestions:reject': ({ articleId, items }) => suggestions.reject(articleId, items)
  }
}
