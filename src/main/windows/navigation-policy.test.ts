import { describe, expect, it } from 'vitest'
import { isAppUrl } from './navigation-policy'

describe('isAppUrl', () => {
  const appUrl = 'app://stance/index.html'

  it.each([
    'app://stance/index.html',
    'app://stance/',
    'app://stance/index.html#/documents/4',
    'app://stance/index.html?view=reader',
    'app://STANCE/index.html'
  ])('accepts %j', (url) => {
    expect(isAppUrl(url, appUrl)).toBe(true)
  })

  it.each([
    'app://evil/index.html',
    'app://stance.evil/index.html',
    'app://stance:1234/index.html',
    'app://user@stance/index.html',
    'app://user:pw@stance/index.html',
    'app:///index.html',
    'https://stance/index.html',
    'http://stance/',
    'file:///index.html',
    'javascript:alert(1)',
    'about:blank',
    'data:text/html,hi',
    'not a url',
    ''
  ])('refuses %j', (url) => {
    expect(isAppUrl(url, appUrl)).toBe(false)
  })

  it('treats the dev server as the app only when it is the app URL', () => {
    const dev = 'http://localhost:5173/'
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', appUrl)).toBe(false)
  })

  it('refuses everything when the app URL itself is invalid', () => {
    expect(isAppUrl('app://stance/', 'nonsense')).toBe(false)
  })
})
