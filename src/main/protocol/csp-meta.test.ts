import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from './csp'

// The renderer page repeats the policy in a <meta> (it then holds under `npm run dev` too, and it is the copy
// electronegativity reads in `npm run lint:security`). Both apply, so the meta must not drift from the header.
describe('the CSP <meta> in src/renderer/index.html', () => {
  const html = readFileSync(path.resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8')
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => m[1])

  it('is the header policy, less frame-ancestors and sandbox (which a <meta> cannot set)', () => {
    expect(metas).toHaveLength(1)
    const headerWithoutFrameAncestors = CONTENT_SECURITY_POLICY.split('; ')
      .filter((directive) => !directive.startsWith('frame-ancestors ') && !directive.startsWith('sandbox '))
      .join('; ')
    expect(metas[0]).toBe(headerWithoutFrameAncestors)
  })

  it('comes before any script', () => {
    expect(html.search(/http-equiv="Content-Security-Policy"/i)).toBeLessThan(html.search(/<script/i))
  })
})
