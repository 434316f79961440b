import { beforeEach, describe, expect, it, vi } from 'vitest'

// "An external link asks before opening": Electron's dialog and shell are stand-ins, and a bare webContents (no
// BrowserWindow around it, so the dialog is app-modal) is guarded. main-window.test.ts covers the same through
// the main window.
const electron = vi.hoisted(() => ({
  dialog: { showMessageBox: vi.fn() },
  shell: { openExternal: vi.fn(async () => {}) },
  BrowserWindow: { fromWebContents: vi.fn(() => null) }
}))
vi.mock('electron', () => electron)

const { guardWebContents } = await import('./web-contents-guards')

class StandInWebContents {
  readonly handlers = new Map<string, Array<(event: unknown) => void>>()
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined
  on(name: string, listener: (event: unknown) => void): this {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), listener])
    return this
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler
  }
  isDestroyed(): boolean {
    return false
  }
  /** A click on a link: Chromium asks `will-navigate` first; returns whether the navigation was stopped. */
  click(url: string): boolean {
    const event = { url, isMainFrame: true, preventDefault: vi.fn() }
    for (const listener of this.handlers.get('will-navigate') ?? []) listener(event)
    return event.preventDefault.mock.calls.length > 0
  }
}

function guarded(): StandInWebContents {
  const contents = new StandInWebContents()
  guardWebContents(contents as never, { appUrl: 'app://stance/index.html' })
  return contents
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

beforeEach(() => {
  electron.dialog.showMessageBox.mockReset()
  electron.shell.openExternal.mockClear()
})

describe('external links ask before opening', () => {
  it('cancel: the link is not opened and the page stays', async () => {
    electron.dialog.showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false })
    const contents = guarded()
    expect(contents.click('https://example.com/story?id=7')).toBe(true)
    await settle()
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce()
    const [options] = electron.dialog.showMessageBox.mock.calls[0] ?? []
    expect(options).toMatchObject({ message: 'Open this link in your browser?', detail: 'https://example.com/story?id=7', buttons: ['Open in browser', 'Cancel'], defaultId: 1, cancelId: 1 })
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })

  it('confirm: the link is opened once, with exactly the URL shown', async () => {
    electron.dialog.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false })
    const contents = guarded()
    expect(contents.click('https://example.com/story?id=7')).toBe(true)
    await settle()
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce()
    expect(electron.shell.openExternal).toHaveBeenCalledOnce()
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/story?id=7')
  })

  it('window.open and target=_blank: denied, then asked the same way', async () => {
    electron.dialog.showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false })
    const contents = guarded()
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/popup' })).toEqual({ action: 'deny' })
    await settle()
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce()
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })

  it('a dialog that fails opens nothing and does not throw', async () => {
    electron.dialog.showMessageBox.mockRejectedValue(new Error('no display'))
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const contents = guarded()
    contents.click('https://example.com/')
    await settle()
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
    expect(error).toHaveBeenCalledOnce()
    error.mockRestore()
  })

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'https://user:pw@example.com/'])(
    '%s: stopped without asking',
    async (url) => {
      const contents = guarded()
      expect(contents.click(url)).toBe(true)
      await settle()
      expect(electron.dialog.showMessageBox).not.toHaveBeenCalled()
      expect(electron.shell.openExternal).not.toHaveBeenCalled()
    }
  )

  it('a link inside the app navigates without asking', async () => {
    const contents = guarded()
    expect(contents.click('app://stance/index.html#/article/1')).toBe(false)
    await settle()
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled()
  })
})
