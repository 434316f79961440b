/**
 * Every IPC channel, as `domain:verb`. Dependency-free because the sandboxed preload bundles it;
 * the contract in contract.ts must give each one a schema and a result type.
 */
export const CHANNELS = ['app:info', 'articles:list', 'articles:get', 'codebook:list'] as const

/** A channel name. */
export type Channel = (typeof CHANNELS)[number]

/** Whether a string names a channel. */
export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value)
}
