import type { Article, ArticleSummary } from '../../../shared/domain/article'
import type { ArticleId } from '../../../shared/domain/ids'
import { api, unwrap } from '../lib/api'
import type { ImportOutcome, ReimportReview } from '../../../shared/domain/reimport'
import { importKindOf } from '../lib/import-kind'
import type { Notices } from './notices.svelte'

/** How the library list is ordered. */
export type LibrarySort = 'date' | 'title' | 'changed'

/** A document handed to Stance (from the file picker, a drop or the clipboard), already read into memory. */
export interface IncomingDocument {
  fileName: string
  kind: 'text' | 'markdown' | 'html'
  content: string | Uint8Array<ArrayBuffer>
}

/** Reads picked or dropped files; the renderer gets their bytes, never a path. */
export async function readFiles(files: Iterable<File>): Promise<{ documents: IncomingDocument[]; refused: ImportOutcome[] }> {
  const documents: IncomingDocument[] = []
  const refused: ImportOutcome[] = []
  for (const file of files) {
    const kind = importKindOf(file.name)
    if (!kind) refused.push({ fileName: file.name, ok: false, articleId: null, title: null, error: `“${file.name}” is not a supported type (.txt, .md, .html).` })
    else if (file.size > 20 * 1024 * 1024) refused.push({ fileName: file.name, ok: false, articleId: null, title: null, error: `“${file.name}” is larger than 20 MB.` })
    else documents.push({ fileName: file.name, kind, content: new Uint8Array(await file.arrayBuffer()) })
  }
  return { documents, refused }
}

const LAST_ARTICLE_KEY = 'stance.lastArticle'

/** The library list and the article open in the reader. */
export class LibraryState {
  articles = $state.raw<ArticleSummary[]>([])
  /** The open article; raw because its document is large and replaced whole. */
  current = $state.raw<Article | null>(null)
  selectedId = $state<ArticleId | null>(null)
  loading = $state(true)
  opening = $state(false)
  trash = $state.raw<ArticleSummary[]>([])
  sort = $state<LibrarySort>('date')
  filter = $state('')
  /** Only articles with passages coded with this code. */
  codeFilter = $state<string | null>(null)

  /** The list as shown: filtered by text and code, in the chosen order. */
  visible: ArticleSummary[] = $derived.by(() => {
    const needle = this.filter.trim().toLocaleLowerCase()
    const shown = this.articles.filter(
      (a) =>
        (!needle || [a.title, a.outlet ?? '', a.author ?? ''].some((field) => field.toLocaleLowerCase().includes(needle))) &&
        (!this.codeFilter || (a.codeCounts[this.codeFilter] ?? 0) > 0)
    )
    const by = {
      date: (a: ArticleSummary, b: ArticleSummary) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || b.createdAt.localeCompare(a.createdAt),
      title: (a: ArticleSummary, b: ArticleSummary) => a.title.localeCompare(b.title),
      changed: (a: ArticleSummary, b: ArticleSummary) => b.updatedAt.localeCompare(a.updatedAt)
    }[this.sort]
    return [...shown].sort(by)
  })

  constructor(private readonly notices: Notices) {}

  /** Loads the list and reopens the last article read (or the first one). */
  async load(): Promise<void> {
    this.loading = true
    try {
      await this.refresh()
      // Let the list paint before the article's text is laid out: the library shows at once, the reader follows.
      await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
      const last = localStorage.getItem(LAST_ARTICLE_KEY)
      const target = this.articles.find((a) => a.id === last) ?? this.articles[0]
      if (target) await this.open(target.id)
    } catch (error) {
      this.notices.report('Could not load the library', error)
    } finally {
      this.loading = false
    }
  }

  /** Re-reads the list and the trash (after imports, edits, coding). */
  async refresh(): Promise<void> {
    try {
      const [articles, trash] = await Promise.all([unwrap(api.articles.list({})), unwrap(api.articles.list({ trash: true }))])
      this.articles = articles
      this.trash = trash
    } catch (error) {
      this.notices.report('Could not load the library', error)
    }
  }

  /** Imports documents one by one; returns an outcome per document (failures are not thrown). */
  async importAll(documents: IncomingDocument[]): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = []
    for (const doc of documents) {
      const result = await api.articles.import({ kind: doc.kind, content: doc.content, fileName: doc.fileName })
      outcomes.push(
        result.ok
          ? { fileName: doc.fileName, ok: true, articleId: result.value.id, title: result.value.title, error: null }
          : { fileName: doc.fileName, ok: false, articleId: null, title: null, error: result.error.message }
      )
    }
    await this.refresh()
    return outcomes
  }

  /** Edits the open article's details. */
  async update(fields: { title?: string; outlet?: string | null; author?: string | null; publishedAt?: string | null; sourceUrl?: string | null }): Promise<boolean> {
    const current = this.current
    if (!current) return false
    try {
      this.current = await unwrap(api.articles.update({ id: current.id, ...fields }))
      await this.refresh()
      return true
    } catch (error) {
      this.notices.report('Could not save the article details', error)
      return false
    }
  }

  /** Moves an article to the trash. */
  async moveToTrash(id: ArticleId): Promise<boolean> {
    try {
      await unwrap(api.articles.delete({ id }))
      if (this.current?.id === id) this.current = null
      if (this.selectedId === id) this.selectedId = null
      await this.refresh()
      return true
    } catch (error) {
      this.notices.report('Could not move the article to the trash', error)
      return false
    }
  }

  /** Brings an article back from the trash. */
  async restore(id: ArticleId): Promise<boolean> {
    try {
      await unwrap(api.articles.restore({ id }))
      await this.refresh()
      return true
    } catch (error) {
      this.notices.report('Could not restore the article', error)
      return false
    }
  }

  /** Deletes a trashed article for good. */
  async purge(id: ArticleId): Promise<void> {
    try {
      await unwrap(api.articles.purge({ id }))
      await this.refresh()
    } catch (error) {
      this.notices.report('Could not delete the article', error)
    }
  }

  /** Reviews (apply false) or applies (apply true) a newer version of the open article. */
  async replaceText(doc: IncomingDocument, apply: boolean): Promise<ReimportReview | null> {
    const current = this.current
    if (!current) return null
    try {
      const review = await unwrap(api.articles.replaceText({ id: current.id, kind: doc.kind, content: doc.content, fileName: doc.fileName, apply }))
      if (apply) {
        this.current = await unwrap(api.articles.get({ id: current.id }))
        await this.refresh()
      }
      return review
    } catch (error) {
      this.notices.report(apply ? 'Could not replace the text' : 'Could not read the new version', error)
      return null
    }
  }

  /** Opens an article in the reader. */
  async open(id: ArticleId): Promise<void> {
    this.selectedId = id
    this.opening = true
    try {
      const article = await unwrap(api.articles.get({ id }))
      // A slower earlier request must not replace the article chosen after it.
      if (this.selectedId !== id) return
      this.current = article
      localStorage.setItem(LAST_ARTICLE_KEY, id)
    } catch (error) {
      this.notices.report('Could not open the article', error)
    } finally {
      if (this.selectedId === id) this.opening = false
    }
  }
}
