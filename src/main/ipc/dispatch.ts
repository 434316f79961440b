import type { z } from 'zod'
import { isChannel } from '../../shared/ipc/channels'
import { contract } from '../../shared/ipc/contract'
import { AppError, fail, ok, type Result } from '../../shared/result'
import type { Handlers } from '../handlers'

/** Where a call came from, as the transport reports it. */
export interface CallSender {
  /** URL of the calling frame, or null when the frame is gone. */
  url: string | null
  /** Whether the calling frame is the window's top frame. */
  isTopFrame: boolean
}

/** Options shared by every transport. */
export interface DispatchOptions {
  /** Origin the app is served from, e.g. `app://stance`. */
  appOrigin: string
  /** Where unexpected errors are reported with their stack. */
  log?: (message: string, error: unknown) => void
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

// SQLite failures that mean "the disk or file is not usable right now", as opposed to a bug.
const UNAVAILABLE_SQLITE = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB)/

/** Whether a sender is the app's own top frame; anything else (sub-frames, other origins, gone frames) is refused. */
export function isTrustedSender(sender: CallSender, appOrigin: string): boolean {
  if (!sender.isTopFrame || !sender.url) return false
  try {
    // Compare scheme and host, not `origin`: custom schemes such as app:// have the opaque origin "null".
    const url = new URL(sender.url)
    const app = new URL(appOrigin)
    return url.protocol === app.protocol && url.host === app.host && url.username === '' && url.password === ''
  } catch {
    return false
  }
}

/** Deepest nesting of arrays and objects a payload may have; real ones (note documents) stay far below it. */
export const MAX_PAYLOAD_DEPTH = 200

/** Whether a value nests arrays/objects deeper than `limit`, found without recursion so it cannot overflow. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) continue
    if (depth >= limit) return true
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
  }
  return false
}

/**
 * The one path every IPC call takes: sender check → input validation → handler → Result.
 * Never throws: Electron would keep only an error's message, so failures travel as values.
 */
export async function dispatch(handlers: Handlers, channel: string, raw: unknown, sender: CallSender, options: DispatchOptions): Promise<Result<unknown>> {
  if (!isTrustedSender(sender, options.appOrigin)) return fail('forbidden', 'Only the Stance window itself may call the app.')
  if (!isChannel(channel)) return fail('not-found', `There is no channel named "${String(channel)}".`)
  // Recursive schemas (note documents) would overflow the stack on absurdly deep input before saying no.
  if (nestsDeeperThan(raw, MAX_PAYLOAD_DEPTH)) return fail('invalid-input', `Invalid input for ${channel}: it nests more than ${MAX_PAYLOAD_DEPTH} levels deep.`)
  let parsed: ReturnType<(typeof contract)[typeof channel]['input']['safeParse']>
  try {
    parsed = contract[channel].input.safeParse(raw)
  } catch (error) {
    return fail('invalid-input', `Invalid input for ${channel}: it could not be read (${(error as Error)?.message ?? String(error)}).`)
  }
  if (!parsed.success) return fail('invalid-input', `Invalid input for ${channel}: ${describeIssues(parsed.error)}`)
  try {
    const handler = handlers[channel] as (input: unknown) => unknown
    return ok(await handler(parsed.data))
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message)
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && UNAVAILABLE_SQLITE.test(code)) {
      return fail('unavailable', `Stance could not write to its data folder (${code}). Nothing saved before was lost; try again once the disk is available.`)
    }
    ;(options.log ?? console.error)(`Unexpected error in ${channel}`, error)
    return fail('internal', `Something went wrong in ${channel}: ${(error as Error)?.message ?? String(error)}`)
  }
}
