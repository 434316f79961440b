/** A nested `api.<domain>.<verb>` object of invoke functions. */
export type ApiObject = Readonly<Record<string, Readonly<Record<string, (input: unknown) => Promise<unknown>>>>>

/**
 * Builds the frozen `api.<domain>.<verb>` object from the channel list around one invoke function.
 * Self-contained (no outside references) because the e2e harness injects its source text into the page,
 * so the page sees exactly the API the preload exposes.
 */
export function buildApi(channels: readonly string[], invoke: (channel: string, input: unknown) => Promise<unknown>): ApiObject {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const channel of channels) {
    const [domain, verb] = channel.split(':')
    if (!domain || !verb) continue
    const group = (api[domain] ??= {})
    group[verb] = (input: unknown) => invoke(channel, input)
  }
  for (const group of Object.values(api)) Object.freeze(group)
  return Object.freeze(api)
}
