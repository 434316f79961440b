import { join } from 'node:path'
import type { BrowserContext, Route } from '@playwright/test'
import { buildApi } from '../src/shared/ipc/api-shape'
import { CHANNELS, EVENTS } from '../src/shared/ipc/channels'
import { dispatch } from '../src/main/ipc/dispatch'
import type { Handlers } from '../src/main/handlers'
import { createAppFileHandler } from '../src/main/protocol/app-file-handler'

/** Where the harness serves the built renderer; routed by Playwright, never resolved on a network. */
export const HARNESS_ORIGIN = 'https://stance.invalid'

const ROOT = join(import.meta.dirname, '..')
const RENDERER_DIR = join(ROOT, 'out', 'renderer')
const serveAppFile = createAppFileHandler(RENDERER_DIR)

async function serve(route: Route, externalRequests: string[]): Promise<void> {
  const url = route.request().url()
  if (!url.startsWith(`${HARNESS_ORIGIN}/`)) {
    // Stance is offline: anything else the page asks for is recorded for the tests and refused.
    externalRequests.push(url)
    await route.abort('blockedbyclient')
    return
  }
  // The same handler the app:// protocol uses, so traversal rules and headers are tested as shipped.
  const appUrl = `app://stance${url.slice(HARNESS_ORIGIN.length)}`
  const response = await serveAppFile(new Request(appUrl, { method: route.request().method() }))
  await route.fulfill({
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: Buffer.from(await response.arrayBuffer())
  })
}

/**
 * Bridges a browser context to the real handler table exactly as the preload does: `window.api` is built
 * by the same `buildApi` over the same channel list, and every call goes through the same dispatch wrapper.
 * Returns the list that collects requests to anywhere but the app (`externalRequests` when given, filled live).
 */
export async function bridgeContext(context: BrowserContext, handlers: () => Handlers, externalRequests: string[] = []): Promise<string[]> {
  await context.route('**/*', (route) => serve(route, externalRequests))
  await context.exposeBinding('__stanceInvoke', async (source, channel: string, input: unknown) => {
    const frame = source.frame
    const result = await dispatch(handlers(), channel, input, { url: frame.url(), isTopFrame: frame.parentFrame() === null }, { appOrigin: HARNESS_ORIGIN })
    // Results are plain JSON; one string crosses Playwright's protocol far faster than a large object graph.
    return JSON.stringify(result)
  })
  // In Electron the page's window.close() closes its BrowserWindow (the close guard lets it through);
  // a browser ignores it for pages it did not open, so the harness closes the page itself.
  await context.exposeBinding('__stanceCloseWindow', (source) => source.page.close())
  await context.addInitScript({ content: 'window.close = () => { window.__stanceCloseWindow() }' })
  // Events: a listener registry in the page, fed by `__stanceEmit` (what webContents.send does in the app).
  await context.addInitScript({
    content: `(() => {
      const invoke = window.__stanceInvoke;
      const listeners = new Map();
      const subscribe = (event, listener) => {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      };
      Object.defineProperty(window, '__stanceEmit', { value: (event, payload) => { for (const l of listeners.get(event) ?? []) l(payload); } });
      Object.defineProperty(window, 'api', { value: (${buildApi.toString()})(${JSON.stringify(CHANNELS)}, (channel, input) => invoke(channel, input).then((json) => JSON.parse(json)), ${JSON.stringify(EVENTS)}, subscribe), enumerable: true });
    })();`
  })
  return externalRequests
}
