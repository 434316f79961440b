/**
 * Every IPC channel, as `domain:verb`. Dependency-free because the sandboxed preload bundles it;
 * the contract in contract.ts must give each one a schema and a result type.
 */
export const CHANNELS = [
  'app:info',
  'articles:list',
  'articles:get',
  'articles:import',
  'articles:update',
  'articles:delete',
  'articles:restore',
  'articles:purge',
  'articles:replaceText',
  'search:query',
  'codebook:list',
  'codebook:create',
  'codebook:update',
  'codebook:delete',
  'codebook:reorder',
  'highlights:list',
  'highlights:create',
  'highlights:update',
  'highlights:delete',
  'history:state',
  'history:undo',
  'history:redo',
  'notes:list',
  'notes:get',
  'notes:save',
  'notes:delete',
  'export:defaults',
  'export:pdf',
  'export:markdown',
  'export:csv',
  'export:w3c',
  'export:qdpx',
  'export:cancel',
  'import:w3c',
  'analysis:matrix',
  'analysis:passages',
  'analysis:timeline',
  'analysis:exportMatrix',
  'suggestions:list',
  'suggestions:accept',
  'suggestions:reject',
  'recovery:state',
  'recovery:restore',
  'recovery:startEmpty',
  'recovery:continue',
  'backups:list',
  'backups:create',
  'backups:restore',
  'backups:configure'
] as const

/** A channel name. */
export type Channel = (typeof CHANNELS)[number]

/** Whether a string names a channel. */
export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value)
}

/** Events the main process sends to the window, as `domain:name`; the page subscribes with `api.<domain>.on<Name>`. */
export const EVENTS = ['menu:command', 'app:closing', 'articles:imported', 'export:progress', 'import:completed'] as const

/** An event name. */
export type AppEvent = (typeof EVENTS)[number]
