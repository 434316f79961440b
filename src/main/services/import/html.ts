import type { ArticleDoc } from '../../../shared/domain/article-doc'
import { domToDoc } from './dom-to-doc'
import { importError } from './errors'
import { noMeta, type FoundMeta } from './metadata'

/** The placeholder address pages are parsed under: relative links resolve to it and are then dropped. */
export const PARSE_URL = 'https://stance.invalid/'

/** What the HTML path gives back: the document and whatever metadata the page carried. */
export interface HtmlImport {
  meta: FoundMeta
  doc: ArticleDoc
}

// jsdom, Readability and DOMPurify are loaded on the first HTML or Markdown import, not at start-up.
async function libraries() {
  const [{ JSDOM, VirtualConsole }, { Readability }, { default: createDOMPurify }] = await Promise.all([
    import('jsdom'),
    import('@mozilla/readability'),
    import('dompurify')
  ])
  return { JSDOM, VirtualConsole, Readability, createDOMPurify }
}

type Libraries = Awaited<ReturnType<typeof libraries>>

/** Tags DOMPurify removes with their content on top of its defaults: nothing of these reaches the reading document. */
const FORBID_TAGS = ['style', 'img', 'picture', 'source', 'video', 'audio', 'svg', 'math', 'form', 'input', 'button', 'select', 'textarea', 'iframe', 'object', 'embed', 'base', 'link', 'meta']

/**
 * A DOM with no scripts run and nothing loaded: jsdom's defaults (no `runScripts`, no `resources`) mean
 * <script>, <iframe>, <img>, stylesheets and <base> are inert markup. Its console goes nowhere.
 */
function parse(libs: Libraries, html: string) {
  return new libs.JSDOM(html, { url: PARSE_URL, virtualConsole: new libs.VirtualConsole() })
}

function sanitizeToElement(libs: Libraries, window: ReturnType<typeof parse>['window'], html: string): Element {
  const purify = libs.createDOMPurify(window as unknown as Parameters<typeof libs.createDOMPurify>[0])
  return purify.sanitize(html, {
    RETURN_DOM: true,
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'class', 'id', 'srcset', 'src'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false
  }) as Element // RETURN_DOM gives the <body> holding the sanitized content
}

function metaTags(document: Document): Map<string, string> {
  const tags = new Map<string, string>()
  for (const meta of Array.from(document.querySelectorAll('meta[content]'))) {
    const key = (meta.getAttribute('property') ?? meta.getAttribute('name') ?? meta.getAttribute('itemprop') ?? '').trim().toLowerCase()
    const content = meta.getAttribute('content')?.trim()
    if (key && content && !tags.has(key)) tags.set(key, content)
  }
  return tags
}

function first(tags: Map<string, string>, keys: string[], accept: (value: string) => boolean = () => true): string | null {
  for (const key of keys) {
    const value = tags.get(key)
    if (value && accept(value)) return value
  }
  return null
}

const notAnAddress = (value: string): boolean => !/^https?:\/\//i.test(value)

/** Title, author, outlet, publication date and canonical address from a page's head, before anything changes it. */
function pageMeta(document: Document): FoundMeta {
  const tags = metaTags(document)
  const canonical = Array.from(document.querySelectorAll('link[rel][href]')).find((link) =>
    (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical')
  )
  const time = document.querySelector('time[datetime]')
  return {
    title: first(tags, ['og:title', 'twitter:title', 'dc.title']) ?? null,
    author: first(tags, ['author', 'article:author', 'byline', 'dc.creator', 'parsely-author', 'sailthru.author', 'twitter:creator'], notAnAddress),
    outlet: first(tags, ['og:site_name', 'application-name', 'publisher']),
    publishedAt:
      first(tags, ['article:published_time', 'datepublished', 'date', 'pubdate', 'publishdate', 'dc.date', 'dc.date.issued', 'dcterms.created', 'sailthru.date', 'parsely-pub-date']) ??
      time?.getAttribute('datetime') ??
      null,
    sourceUrl: canonical?.getAttribute('href') ?? first(tags, ['og:url'])
  }
}

/** Page furniture that is never the article: navigation, side boxes, site header and footer, forms. */
const FURNITURE = 'nav, aside, form, [role="navigation"], [role="complementary"], [role="contentinfo"], [role="banner"], body > header, body > footer'

const AD_TOKEN = /^(ad|ads|advert|adverts|advertisement|advertising|sponsor|sponsored|promo|promoted|outbrain|taboola)$|^ad[-_]|[-_]ad$/i

/**
 * Removes page furniture and elements whose class or id says they are advertising. Readability mostly leaves
 * them out anyway, but keeps ads that sit inside the story and falls back to the navigation of a page that
 * has no article, which should be refused instead.
 */
function removeBoilerplate(document: Document): void {
  for (const element of Array.from(document.querySelectorAll(FURNITURE))) element.remove()
  for (const element of Array.from(document.querySelectorAll('[class], [id]'))) {
    const tokens = [...(element.getAttribute('class') ?? '').split(/\s+/), element.getAttribute('id') ?? '']
    if (tokens.some((token) => token && AD_TOKEN.test(token))) element.remove()
  }
}

/** Whether an element holds any word outside links (what is left of a page without an article is mostly its navigation). */
function hasUnlinkedWords(root: Element): boolean {
  for (const child of Array.from(root.childNodes)) {
    if (child.nodeType === 3 && /[\p{L}\p{N}]/u.test((child as CharacterData).data)) return true
    if (child.nodeType === 1 && (child as Element).localName !== 'a' && hasUnlinkedWords(child as Element)) return true
  }
  return false
}

/**
 * The page's one <h1> when <title> contains it ("Headline | Site"), which is the headline without the site
 * name; or that <h1> alone when the page has no <title> at all (pasted fragments).
 */
function headline(document: Document): string | null {
  const headings = document.querySelectorAll('h1')
  const text = headings.length === 1 ? (headings[0]?.textContent ?? '').replace(/\s+/g, ' ').trim() : ''
  const title = document.title.replace(/\s+/g, ' ').trim()
  if (!title) return text || null
  return text && title.toLowerCase().includes(text.toLowerCase()) ? text : null
}

/**
 * An HTML page: metadata from its head, the main article found by Readability (run on a copy), sanitized
 * by DOMPurify in the same window, then converted to the reading document.
 */
export async function importHtml(html: string, fileName: string | undefined): Promise<HtmlImport> {
  const libs = await libraries()
  const dom = parse(libs, html)
  try {
    const { document } = dom.window
    // <base> would redirect relative links; they are dropped instead.
    for (const base of Array.from(document.querySelectorAll('base'))) base.remove()
    const meta = pageMeta(document)
    const heading = headline(document)
    removeBoilerplate(document)
    const readable = new libs.Readability(document.cloneNode(true) as Document).parse()
    if (!readable?.content || !readable.textContent?.trim()) throw importError(fileName, 'No readable article was found in this HTML page.')
    const body = sanitizeToElement(libs, dom.window, readable.content)
    if (!hasUnlinkedWords(body)) throw importError(fileName, 'No readable article was found in this HTML page.')
    const doc = domToDoc(body)
    const author = meta.author ?? (readable.byline?.trim() || null)
    return {
      meta: {
        title: meta.title ?? heading ?? (readable.title?.trim() || null) ?? (document.title.trim() || null),
        author: author?.replace(/^by\s+/i, '') ?? null,
        outlet: meta.outlet ?? (readable.siteName?.trim() || null),
        publishedAt: meta.publishedAt ?? (readable.publishedTime?.trim() || null),
        sourceUrl: meta.sourceUrl
      },
      doc
    }
  } finally {
    dom.window.close()
  }
}

/**
 * HTML the app produced itself (from Markdown): no article to find, so it is sanitized and converted whole.
 * A leading <h1> becomes the title when `titleFromHeading` is set.
 */
export async function importHtmlFragment(html: string, options: { titleFromHeading: boolean }): Promise<HtmlImport> {
  const libs = await libraries()
  const dom = parse(libs, '<!doctype html><html><body></body></html>')
  try {
    const body = sanitizeToElement(libs, dom.window, html)
    const meta = noMeta()
    const firstElement = body.firstElementChild
    if (options.titleFromHeading && firstElement?.localName === 'h1') {
      meta.title = firstElement.textContent
      firstElement.remove()
    }
    return { meta, doc: domToDoc(body) }
  } finally {
    dom.window.close()
  }
}
