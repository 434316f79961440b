/** A nested `api.<domain>.<verb>` object of invoke functions and event subscriptions. */
export type ApiObject = Readonly<Record<string, Readonly<Record<string, (input: never) => unknown>>>>

/** Subscribes a listener to one event; returns the unsubscribe function. */
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void

/**
 * Builds the frozen `api.<domain>.<verb>` object from the channel list around one invoke function.
 * Self-contained (no outside references) because the e2e harness injects its source text into the page,
 * so the page sees exactly the API the preload exposes.
 */
export function buildApi(
  channels: readonly string[],
  invoke: (channel: string, input: unknown) => Promise<unknown>,
  events: readonly string[],
  subscribe: Subscribe
): ApiObject {
  const api: Record<string, Record<string, (input: never) => unknown>> = {}
  for (const channel of channels) {
    const [domain, verb] = channel.split(':')
    if (!domain || !verb) continue
    const group = (api[domain] ??= {})
    group[verb] = (input: unknown) => invoke(channel, input)
  }
  // `menu:command` becomes `api.menu.onCommand(listener)`: one named subscription per event, no generic `on`.
  for (const event of events) {
    const [domain, name] = event.split(':')
    if (!domain || !name) continue
    const group = (api[domain] ??= {})
    group[`on${name[0]!.toUpperCase()}${name.slice(1)}`] = ((listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('A listener function is required.')
      return subscribe(event, listener)
    }) as (input: never) => unknown
  }
  for (const group of Object.values(api)) Object.freeze(group)
  return Object.freeze(api)
}
