import type { Suggestion } from '../src/shared/domain/analysis'
import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { ReaderModel } from './models/reader-model'
import { SuggestionsModel } from './models/suggestions-model'

/** Three suggestions on different, non-overlapping sentences, so deciding one leaves the others in the queue. */
function threeApart(list: Suggestion[]): [Suggestion, Suggestion, Suggestion] {
  const chosen: Suggestion[] = []
  for (const s of list) {
    if (chosen.every((c) => s.end <= c.start || s.start >= c.end)) chosen.push(s)
    if (chosen.length === 3) return chosen as [Suggestion, Suggestion, Suggestion]
  }
  throw new Error(`the sample article has fewer than three separate suggested sentences (${list.length} suggestions)`)
}

test('review queue: scan, accept two (one recoded), reject one, then undo the reject and an accept', async ({ app }) => {
  const page = app.page
  const queue = new SuggestionsModel(page)
  const passages = new AnnotationsModel(page)
  const reader = new ReaderModel(page)
  const articleId = await queue.articleId()
  const names = await queue.codeNames()

  await queue.open()
  await expect(queue.region).toContainText('Nothing is coded until you accept')
  await queue.scan()
  const listed = await queue.listed(articleId)
  expect(listed.length).toBeGreaterThanOrEqual(3)
  await expect(queue.items).toHaveCount(listed.length)
  await expect(queue.summary).toHaveText(new RegExp(`^${listed.length} suggestions in ‘US and Russian envoys`))
  await expect(queue.acceptAll).toHaveText(`Accept all (${listed.length})`)
  expect(await queue.keys()).toEqual(listed.map((s) => s.key))

  const [first, second, third] = threeApart(listed)
  // The actor term is emphasised inside the sentence.
  await expect(queue.sentence(first.key).locator('strong.actor')).toHaveText(new RegExp(first.actor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'))

  // Clicking a sentence shows it in the reader, selected and underlined, and codes nothing.
  await queue.sentence(second.key).click()
  await expect(queue.sentence(second.key)).toHaveAttribute('aria-current', 'true')
  await expect.poll(() => reader.selectedText()).toBe(second.exact)
  await expect(reader.text.locator('.sg-focus')).toHaveText(second.exact)
  expect(await queue.highlights(articleId)).toHaveLength(0)

  // Accept the first as proposed, with the keyboard.
  await queue.sentence(first.key).focus()
  await page.keyboard.press('a')
  await expect(queue.item(first.key)).toHaveCount(0)

  // Change the second's stance code, then accept it.
  const changedTo = names[second.codeId] === 'EU stance' ? 'US stance' : 'EU stance'
  await queue.changeCode(second.key, changedTo)
  await queue.accept(second.key)
  await expect.poll(async () => (await queue.highlights(articleId)).length).toBe(2)

  await queue.reject(third.key)
  await expect(queue.item(third.key)).toHaveCount(0)
  await expect(queue.undo).toHaveText(/Undo Reject suggestion/)

  // Exactly the two accepted sentences are coded, with the codes chosen.
  const coded = await queue.highlights(articleId)
  expect(coded.map((h) => h.exact).sort()).toEqual([first.exact, second.exact].sort())
  const byText = Object.fromEntries(coded.map((h) => [h.exact, h.codeIds.map((id) => names[id]).sort()]))
  expect(byText[first.exact]).toEqual([first.codeId, ...first.issueCodeIds].map((id) => names[id]).sort())
  expect(byText[second.exact]).toEqual([changedTo, ...second.issueCodeIds.map((id) => names[id])].sort())
  await passages.panel.getByRole('tab', { name: 'Passages' }).click()
  await expect(passages.passages(names[first.codeId]!)).toContainText([first.exact])
  await expect(passages.passages(changedTo)).toContainText([second.exact])
  await expect(passages.panel.getByRole('heading', { name: /^Coded passages/ })).toContainText('2')

  // Undo once: the reject is undone and its suggestion is back.
  await queue.open()
  await queue.undo.click()
  await expect(queue.item(third.key)).toHaveCount(1)
  await expect(queue.undo).toHaveText(/Undo Accept suggestion/)
  expect(await queue.highlights(articleId)).toHaveLength(2)

  // Undo again: the second accept is undone, its passage gone and its suggestion back (as it was changed).
  await queue.undo.click()
  await expect.poll(async () => (await queue.highlights(articleId)).map((h) => h.exact)).toEqual([first.exact])
  await expect(queue.item(second.key)).toHaveCount(1)
  const changedId = Object.entries(names).find(([, name]) => name === changedTo)![0]
  await expect(queue.codeMenu(second.key)).toHaveValue(changedId)
  await expect(queue.item(first.key)).toHaveCount(0)
})

test('a suggestion accepted with a changed stance code leaves the queue, and comes back on undo', async ({ app }) => {
  const queue = new SuggestionsModel(app.page)
  const names = await queue.codeNames()
  const { articleId, listed } = await queue.openAndScan()
  const [item] = listed
  const changedTo = names[item!.codeId] === 'EU stance' ? 'US stance' : 'EU stance'
  await queue.changeCode(item!.key, changedTo)
  await queue.accept(item!.key)
  await expect.poll(async () => (await queue.highlights(articleId)).flatMap((h) => h.codeIds.map((id) => names[id]))).toContain(changedTo)
  // The analyst settled this sentence: proposing its original code again would ask the same question twice.
  await expect(queue.item(item!.key)).toHaveCount(0)
  await queue.undo.click()
  await expect(queue.item(item!.key)).toHaveCount(1)
  expect(await queue.highlights(articleId)).toHaveLength(0)
})

test('a rejected suggestion stays rejected after a reload and a new scan', async ({ app }) => {
  const queue = new SuggestionsModel(app.page)
  const { articleId, listed } = await queue.openAndScan()
  const [rejected] = listed
  expect(rejected).toBeDefined()
  await queue.reject(rejected!.key)
  await expect(queue.item(rejected!.key)).toHaveCount(0)

  await app.reload()
  const again = new SuggestionsModel(app.page)
  await again.open()
  await again.scan()
  await expect(again.items.first()).toBeVisible()
  expect(await again.keys()).not.toContain(rejected!.key)
  expect((await again.listed(articleId)).map((s) => s.key)).not.toContain(rejected!.key)
  expect(await again.highlights(articleId)).toHaveLength(0)
})

test('Accept all codes every suggestion in one step, and one Undo removes them all', async ({ app }) => {
  const queue = new SuggestionsModel(app.page)
  const { articleId, listed } = await queue.openAndScan()
  expect(listed.length).toBeGreaterThanOrEqual(3)
  await queue.acceptAll.click()
  await expect(queue.items).toHaveCount(0)
  await expect(queue.region).toContainText('All suggestions reviewed')
  const coded = await queue.highlights(articleId)
  expect(new Set(coded.map((h) => h.exact))).toEqual(new Set(listed.map((s) => s.exact)))
  await expect(queue.undo).toHaveText(new RegExp(`Undo Accept ${listed.length} suggestions`))

  await queue.undo.click()
  await expect(queue.items).toHaveCount(listed.length)
  expect(await queue.highlights(articleId)).toHaveLength(0)
})

test('keyboard review: arrows move, R rejects and moves on, Enter shows the sentence in the reader', async ({ app }) => {
  const page = app.page
  const queue = new SuggestionsModel(page)
  const reader = new ReaderModel(page)
  const { articleId, listed } = await queue.openAndScan()
  expect(listed.length).toBeGreaterThanOrEqual(3)
  const [a, b] = listed
  await queue.sentence(a!.key).focus()
  await page.keyboard.press('ArrowDown')
  await expect(queue.sentence(b!.key)).toBeFocused()
  await expect(queue.sentence(b!.key)).toHaveAttribute('aria-current', 'true')
  await expect(reader.text.locator('.sg-focus')).toHaveText(b!.exact)
  await page.keyboard.press('ArrowUp')
  await expect(queue.sentence(a!.key)).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('r')
  await expect(queue.item(b!.key)).toHaveCount(0)
  // The suggestion that took its place has the focus, so review carries on from the keyboard.
  const next = (await queue.keys())[1]!
  await expect(queue.sentence(next)).toBeFocused()
  await page.keyboard.press('Enter')
  const shown = listed.find((s) => s.key === next)!
  await expect.poll(() => reader.selectedText()).toBe(shown.exact)
  expect(await queue.highlights(articleId)).toHaveLength(0)
})

test('screenshot: the queue with one suggestion under review, its sentence selected in the reader', async ({ app }) => {
  const page = app.page
  const queue = new SuggestionsModel(page)
  const reader = new ReaderModel(page)
  const { listed } = await queue.openAndScan()
  // One accepted already, so the Undo button names it.
  await queue.accept(listed[0]!.key)
  await expect(queue.undo).toHaveText(/Undo Accept suggestion/)
  // One that also proposes issues, so the picture shows every part of an item.
  const shown = listed.find((s, i) => i >= 1 && (s.end <= listed[0]!.start || s.start >= listed[0]!.end) && s.issueCodeIds.length > 0 && s.cue) ?? listed[1]!
  await queue.sentence(shown.key).click()
  await expect.poll(() => reader.selectedText()).toBe(shown.exact)
  await expect(reader.text.locator('.sg-focus')).toHaveText(shown.exact)
  // The tabs stay in view above the queue's own sticky header however far the list scrolls.
  await expect(page.getByRole('tab', { name: /Suggestions/ })).toBeInViewport()
  if (process.env.STANCE_DOCS_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/suggestions.png' })
})
