import path from 'node:path'

export const APP_ORIGIN = 'app://stance'
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

export interface RuntimeInputs {
  packaged: boolean
  /** `app.getAppPath()`: the project root in dev/preview, app.asar when packaged. */
  appPath: string
  /** `process.resourcesPath`. */
  resourcesPath: string
  env: Record<string, string | undefined>
}

export interface RuntimeConfig {
  /** What the main window loads. */
  appUrl: string
  /** The origin IPC senders must have. */
  appOrigin: string
  /** Network origins the session may still reach (only the dev server, only in dev). */
  allowedNetworkOrigins: string[]
  resourcesDir: string
  devTools: boolean
}

/**
 * Decides where the renderer comes from. Normally that is `app://stance`; under
 * `electron-vite dev` the renderer is served (with HMR) from the URL in
 * ELECTRON_RENDERER_URL, which is honoured only in unpackaged runs and only for a
 * loopback http(s) server, so an environment variable can never point a shipped app at
 * a remote page.
 */
export function runtimeConfig(inputs: RuntimeInputs): RuntimeConfig {
  const resourcesDir = inputs.packaged ? inputs.resourcesPath : path.join(inputs.appPath, 'resources')
  const devServer = inputs.packaged ? null : devServerUrl(inputs.env.ELECTRON_RENDERER_URL)

  if (devServer) {
    return {
      appUrl: devServer.href,
      appOrigin: devServer.origin,
      allowedNetworkOrigins: [devServer.origin],
      resourcesDir,
      devTools: true
    }
  }
  return {
    appUrl: APP_ENTRY_URL,
    appOrigin: APP_ORIGIN,
    allowedNetworkOrigins: [],
    resourcesDir,
    devTools: !inputs.packaged
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

function devServerUrl(raw: string | undefined): URL | null {
  if (!raw) return null
  try {
    const url = new URL(raw)
    if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)) return url
  } catch {
    // Fall through: a malformed value means "no dev server".
  }
  return null
}
