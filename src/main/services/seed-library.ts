import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../db/connection'
import type { Repositories } from '../db/repositories/repositories'
import { DEFAULT_GROUPS, GROUP_COLOR } from './default-codebook'
import { parseSampleArticle } from './sample-article'

/** Where the bundled sample article lives under the resources folder. */
export const SAMPLE_ARTICLE_PATH = join('sample', 'riyadh-talks.md')

/**
 * Gives a brand-new library the sample article and the default codebook, once: a library that
 * already has articles or codes (even if the user emptied one of them) is left as it is.
 */
export function seedLibrary(db: Db, repos: Repositories, resourcesDir: string): boolean {
  if (repos.settings.get('seeded', false)) return false
  const sample = parseSampleArticle(readFileSync(join(resourcesDir, SAMPLE_ARTICLE_PATH), 'utf8'))
  db.transaction(() => {
    if (repos.articles.count() === 0) repos.articles.insert(sample.meta, sample.doc)
    if (repos.codes.list().length === 0) {
      for (const group of DEFAULT_GROUPS) {
        const parent = repos.codes.insert({ name: group.name, color: GROUP_COLOR, description: group.description, groupKind: group.groupKind })
        for (const code of group.codes) repos.codes.insert({ ...code, parentId: parent.id })
      }
    }
    repos.settings.set('seeded', true)
  })()
  return true
}
