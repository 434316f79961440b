import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { guardClose, type ClosableWindow } from './close-guard'

function fakeWindow() {
  let listener: ((event: { preventDefault(): void }) => void) | undefined
  const window = {
    sent: [] as string[],
    destroyed: false,
    on: (_event: 'close', l: (event: { preventDefault(): void }) => void) => (listener = l),
    isDestroyed: () => window.destroyed,
    destroy: () => (window.destroyed = true),
    webContents: { send: (channel: string) => void window.sent.push(channel) },
    close() {
      const event = { prevented: false, preventDefault: () => (event.prevented = true) }
      listener?.(event)
      return !event.prevented
    }
  }
  return window satisfies ClosableWindow
}

describe('guardClose', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('holds the first close, asks the page to save, and lets the page’s own close through', () => {
    const window = fakeWindow()
    guardClose(window)
    expect(window.close()).toBe(false)
    expect(window.sent).toEqual(['app:closing'])
    expect(window.close()).toBe(true)
    vi.runAllTimers()
    expect(window.sent).toEqual(['app:closing'])
  })

  it('closes a page that never answers after the timeout', () => {
    const window = fakeWindow()
    guardClose(window, 3000)
    window.close()
    vi.advanceTimersByTime(2999)
    expect(window.destroyed).toBe(false)
    vi.advanceTimersByTime(1)
    expect(window.destroyed).toBe(true)
  })
})
