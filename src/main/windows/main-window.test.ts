import { beforeEach, describe, expect, it, vi } from 'vitest'

// Electron cannot run here, so its main-process API is replaced by recording fakes and
// the tests check the wiring: options passed, listeners attached, decisions taken.
const electron = vi.hoisted(() => {
  class FakeWebContents {
    handlers = new Map<string, Array<(...args: unknown[]) => void>>()
    windowOpenHandler: ((details: { url: string }) => unknown) | undefined
    on(event: string, listener: (...args: unknown[]) => void): this {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener])
      return this
    }
    emit(event: string, ...args: unknown[]): void {
      for (const listener of this.handlers.get(event) ?? []) listener(...args)
    }
    setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
      this.windowOpenHandler = handler
    }
    isDestroyed(): boolean {
      return false
    }
  }

  const windows: FakeBrowserWindow[] = []
  class FakeBrowserWindow {
    webContents = new FakeWebContents()
    options: Record<string, unknown>
    onceHandlers = new Map<string, () => void>()
    shown = false
    loaded: string | undefined
    background: string | undefined
    constructor(options: Record<string, unknown>) {
      this.options = options
      windows.push(this)
    }
    once(event: string, listener: () => void): this {
      this.onceHandlers.set(event, listener)
      return this
    }
    handlers = new Map<string, (...args: unknown[]) => void>()
    on(event: string, listener: (...args: unknown[]) => void): this {
      this.handlers.set(event, listener)
      return this
    }
    destroy(): void {}
    show(): void {
      this.shown = true
    }
    isDestroyed(): boolean {
      return false
    }
    setBackgroundColor(color: string): void {
      this.background = color
    }
    loadURL(url: string): Promise<void> {
      this.loaded = url
      return Promise.resolve()
    }
    static fromWebContents(contents: unknown): FakeBrowserWindow | null {
      return windows.find((w) => w.webContents === contents) ?? null
    }
  }

  return {
    windows,
    FakeWebContents,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showMessageBox: vi.fn() },
    shell: { openExternal: vi.fn(async () => {}) },
    nativeTheme: {
      shouldUseDarkColors: false,
      listeners: new Set<() => void>(),
      on(_event: 'updated', listener: () => void) {
        this.listeners.add(listener)
      },
      off(_event: 'updated', listener: () => void) {
        this.listeners.delete(listener)
      },
      emit(_event: 'updated') {
        for (const listener of this.listeners) listener()
      }
    }
  }
})

vi.mock('electron', () => ({
  BrowserWindow: electron.BrowserWindow,
  dialog: electron.dialog,
  shell: electron.shell,
  nativeTheme: electron.nativeTheme
}))

const { createMainWindow } = await import('./main-window')
const { guardWebContents } = await import('./web-contents-guards')
const { secureWebPreferences } = await import('./web-preferences')

const APP_URL = 'app://stance/index.html'
const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function open() {
  const window = createMainWindow({ preloadPath: '/out/preload/index.cjs', appUrl: APP_URL })
  return window as unknown as InstanceType<typeof electron.BrowserWindow>
}

function navigate(contents: InstanceType<typeof electron.FakeWebContents>, event: string, url: string, extra = {}) {
  const details = { url, isMainFrame: true, preventDefault: vi.fn(), ...extra }
  contents.emit(event, details)
  return details.preventDefault
}

beforeEach(() => {
  electron.dialog.showMessageBox.mockReset()
  electron.shell.openExternal.mockClear()
})

describe('createMainWindow', () => {
  it('creates a hidden 1280x820 "Stance" window with the secure preferences', () => {
    const window = open()
    expect(window.options).toMatchObject({
      title: 'Stance',
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 600,
      show: false,
      backgroundColor: '#fbfaf7',
      webPreferences: { preload: '/out/preload/index.cjs', sandbox: true, contextIsolation: true, nodeIntegration: false }
    })
    // The keys restated at the call site (for electronegativity) change nothing: exactly secureWebPreferences().
    expect(window.options.webPreferences).toEqual(secureWebPreferences('/out/preload/index.cjs'))
    expect(window.loaded).toBe(APP_URL)
    expect(window.shown).toBe(false)
    window.onceHandlers.get('ready-to-show')?.()
    expect(window.shown).toBe(true)
    // Closing first asks the page to save its open note.
    expect(window.handlers.has('close')).toBe(true)
  })

  it('follows the system theme for the background', () => {
    electron.nativeTheme.shouldUseDarkColors = true
    const window = open()
    expect(window.options.backgroundColor).toBe('#17191d')
    electron.nativeTheme.shouldUseDarkColors = false
    electron.nativeTheme.emit('updated')
    expect(window.background).toBe('#fbfaf7')
    const before = electron.nativeTheme.listeners.size
    window.onceHandlers.get('closed')?.()
    expect(electron.nativeTheme.listeners.size).toBe(before - 1)
  })

  it('allows navigation inside app://stance only', () => {
    const { webContents } = open()
    expect(navigate(webContents, 'will-navigate', 'app://stance/index.html#/doc/2')).not.toHaveBeenCalled()
    expect(navigate(webContents, 'will-navigate', 'file:///etc/passwd')).toHaveBeenCalledOnce()
    expect(navigate(webContents, 'will-navigate', 'app://evil/index.html')).toHaveBeenCalledOnce()
    expect(navigate(webContents, 'will-redirect', 'app://stance/other.html')).not.toHaveBeenCalled()
    expect(navigate(webContents, 'will-redirect', 'https://example.com/')).toHaveBeenCalledOnce()
    expect(
      navigate(webContents, 'will-frame-navigate', 'https://example.com/', { isMainFrame: false })
    ).toHaveBeenCalledOnce()
  })

  it('refuses <webview>', () => {
    const { webContents } = open()
    const event = { preventDefault: vi.fn() }
    webContents.emit('will-attach-webview', event, {}, {})
    expect(event.preventDefault).toHaveBeenCalledOnce()
  })

  it('denies new windows and opens confirmed web links in the browser', async () => {
    const { webContents } = open()
    electron.dialog.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false })

    expect(webContents.windowOpenHandler?.({ url: 'https://example.com/a?b=c' })).toEqual({ action: 'deny' })
    await flush()

    const [parent, options] = electron.dialog.showMessageBox.mock.calls[0] ?? []
    expect(parent).toBeInstanceOf(electron.BrowserWindow)
    expect(options).toMatchObject({
      buttons: ['Open in browser', 'Cancel'],
      detail: 'https://example.com/a?b=c',
      cancelId: 1
    })
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/a?b=c')
  })

  it('does not open the link when the user cancels', async () => {
    const { webContents } = open()
    electron.dialog.showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false })
    webContents.windowOpenHandler?.({ url: 'mailto:editor@example.com' })
    await flush()
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce()
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'app://stance/index.html', 'https://u:p@example.com/'])(
    'denies %j without asking',
    async (url) => {
      const { webContents } = open()
      expect(webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' })
      await flush()
      expect(electron.dialog.showMessageBox).not.toHaveBeenCalled()
      expect(electron.shell.openExternal).not.toHaveBeenCalled()
    }
  )

  it('offers a clicked web link instead of navigating to it', async () => {
    const { webContents } = open()
    electron.dialog.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false })
    expect(navigate(webContents, 'will-navigate', 'https://example.com/story')).toHaveBeenCalledOnce()
    await flush()
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/story')
  })

  it('shows one prompt at a time', async () => {
    const { webContents } = open()
    let answer: (value: { response: number }) => void = () => {}
    electron.dialog.showMessageBox.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    for (let i = 0; i < 5; i++) webContents.windowOpenHandler?.({ url: `https://example.com/${i}` })
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce()
    answer({ response: 1 })
    await flush()
    webContents.windowOpenHandler?.({ url: 'https://example.com/again' })
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(2)
  })

  it('guards a webContents only once', () => {
    const { webContents } = open()
    guardWebContents(webContents as never, { appUrl: APP_URL })
    expect(webContents.handlers.get('will-navigate')).toHaveLength(1)
  })
})
