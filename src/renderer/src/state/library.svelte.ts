import type { Article, ArticleSummary } from '../../../shared/domain/article'
import type { ArticleId } from '../../../shared/domain/ids'
import { api, unwrap } from '../lib/api'
import type { Notices } from './notices.svelte'

const LAST_ARTICLE_KEY = 'stance.lastArticle'

/** The library list and the article open in the reader. */
export class LibraryState {
  articles = $state.raw<ArticleSummary[]>([])
  /** The open article; raw because its document is large and replaced whole. */
  current = $state.raw<Article | null>(null)
  selectedId = $state<ArticleId | null>(null)
  loading = $state(true)
  opening = $state(false)

  constructor(private readonly notices: Notices) {}

  /** Loads the list and reopens the last article read (or the first one). */
  async load(): Promise<void> {
    this.loading = true
    try {
      this.articles = await unwrap(api.articles.list({}))
      const last = localStorage.getItem(LAST_ARTICLE_KEY)
      const target = this.articles.find((a) => a.id === last) ?? this.articles[0]
      if (target) await this.open(target.id)
    } catch (error) {
      this.notices.report('Could not load the library', error)
    } finally {
      this.loading = false
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
