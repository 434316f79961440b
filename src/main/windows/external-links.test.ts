import { describe, expect, it } from 'vitest'
import { parseExternalUrl } from './external-links'

describe('parseExternalUrl: accepted', () => {
  it.each([
    ['https://example.com/', 'https://example.com/'],
    ['https://example.com/a/b?c=d#e', 'https://example.com/a/b?c=d#e'],
    ['http://example.com', 'http://example.com/'],
    ['https://sub.example.co.uk:8443/x', 'https://sub.example.co.uk:8443/x'],
    ['HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
    ['HtTp://Example.com', 'http://example.com/'],
    ['https://xn--bcher-kva.example/', 'https://xn--bcher-kva.example/'],
    ['https://127.0.0.1/', 'https://127.0.0.1/'],
    ['https://[::1]:8080/', 'https://[::1]:8080/'],
    ['https://example.com/%20spaced', 'https://example.com/%20spaced'],
    ['mailto:editor@example.com', 'mailto:editor@example.com'],
    ['MAILTO:editor@example.com?subject=Hi%20there', 'mailto:editor@example.com?subject=Hi%20there'],
    ['mailto:?to=a@example.com', 'mailto:?to=a@example.com']
  ])('%s', (raw, href) => {
    expect(parseExternalUrl(raw)?.href).toBe(href)
  })

  it('returns a URL instance', () => {
    expect(parseExternalUrl('https://example.com')).toBeInstanceOf(URL)
  })
})

describe('parseExternalUrl: refused', () => {
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'JavaScript:alert(document.cookie)',
    'javascript://example.com/%0aalert(1)',
    'java\nscript:alert(1)',
    'java\tscript:alert(1)',
    'java\rscript:alert(1)',
    ' javascript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001https://example.com',
    'https://example.com\u0000',
    ' https://example.com',
    'https://example.com ',
    '\thttps://example.com',
    'https://example.com/\n',
    'https://exa mple.com',
    'https://example.com/\u202Egnp.exe',
    'https://exämple.com',
    'https://example.com/\u00a0',
    'data:text/html,<script>alert(1)</script>',
    'DATA:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    'file:///etc/passwd',
    'FILE:///C:/Windows/System32/calc.exe',
    'file://server/share/x.exe',
    'app://stance/index.html',
    'APP://stance/index.html',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'blob:app://stance/123',
    'ftp://example.com/file',
    'ws://example.com/',
    'wss://example.com/',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'tel:+15555550123',
    'sms:+15555550123',
    'intent://scan/#Intent;scheme=zxing;end',
    'https://user@example.com/',
    'https://user:pass@example.com/',
    'https://bank.example@evil.example/',
    'https://:pass@example.com/',
    'mailto:',
    'https://',
    'https:///path',
    'https://-bad-.example/',
    'https://exa_mple.com/',
    'https://a..b/',
    'http:example.com',
    '//example.com/path',
    '/relative/path',
    'example.com',
    '',
    'https://example.com/' + 'a'.repeat(9000)
  ])('%j', (raw) => {
    expect(parseExternalUrl(raw)).toBeNull()
  })

  it('refuses non-strings', () => {
    expect(parseExternalUrl(undefined as unknown as string)).toBeNull()
    expect(parseExternalUrl(42 as unknown as string)).toBeNull()
  })
})
