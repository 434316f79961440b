import type { Channel } from '../shared/ipc/channels'
import type { ChannelOutput, ParsedInput } from '../shared/ipc/contract'
import type { Db } from './db/connection'
import type { Repositories } from './db/repositories/repositories'

/** What the handlers need; plain values so the Electron shell and the e2e harness build them alike. */
export interface HandlerDeps {
  db: Db
  repos: Repositories
  paths: { dataDir: string; databasePath: string }
  app: { name: string; version: string; runtime: string }
}

/** One function per channel, receiving validated input. */
export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>
}

/** The handler table behind every IPC channel; no Electron import, so tests and the harness use it as is. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { db, repos } = deps
  return {
    'app:info': () => ({
      name: deps.app.name,
      version: deps.app.version,
      runtime: deps.app.runtime,
      dataDir: deps.paths.dataDir,
      databasePath: deps.paths.databasePath,
      schemaVersion: db.pragma('user_version', { simple: true }) as number
    }),
    'articles:list': () => repos.articles.list(),
    'articles:get': ({ id }) => repos.articles.require(id),
    'codebook:list': () => repos.codes.list()
  }
}
