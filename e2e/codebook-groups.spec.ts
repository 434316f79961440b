import { join } from 'node:path'
import type { Locator } from '@playwright/test'
import { expect, test } from './fixtures'
import { AnnotationsModel } from './models/annotations-model'
import { CodebookModel } from './models/codebook-model'
import { ReaderModel } from './models/reader-model'
import { StancePage } from './models/stance-page'

const SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots')
const STANCES = ['US stance', 'Russian stance', 'Ukrainian stance', 'EU stance']
const ISSUES = ['Ceasefire and territory', 'NATO membership', 'Security guarantees', 'Sanctions', 'Minerals and reconstruction', 'Who sits at the table']
const ALLIES = "Actors' allies"
const PAUSE = 'We are not talking about a pause that lets Kyiv rearm and regroup'
const ROOT_CAUSES = 'Any settlement has to remove the root causes of this conflict'

/** Pastes text into a field the way a browser does, with the text on the clipboard event. */
async function paste(field: Locator, text: string): Promise<void> {
  await field.evaluate((box, value) => {
    const data = new DataTransfer()
    data.setData('text/plain', value)
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

test('the codebook shows its groups; groups, codes and dictionaries are edited there and kept', async ({ app }, testInfo) => {
  const codebook = new CodebookModel(app.page)
  await codebook.open()

  // The seeded groups, their kinds and codes; a group has no key and no colour of its own.
  await expect(codebook.groups()).toHaveCount(2)
  expect(await codebook.groupNames()).toEqual(['Stances', 'Issues'])
  await expect(codebook.dialog.getByRole('combobox', { name: 'Kind of the group Stances' })).toHaveValue('stance')
  await expect(codebook.dialog.getByRole('combobox', { name: 'Kind of the group Issues' })).toHaveValue('issue')
  await expect(codebook.group('Stances')).toContainText('4 codes')
  await expect(codebook.group('Issues')).toContainText('6 codes')
  expect(await codebook.codesIn('Stances')).toEqual(STANCES)
  expect(await codebook.codesIn('Issues')).toEqual(ISSUES)
  await expect(codebook.dialog.getByLabel('Key for Stances', { exact: true })).toHaveCount(0)
  await expect(codebook.dialog.getByLabel('Colour of Stances', { exact: true })).toHaveCount(0)
  await expect(codebook.dictionaryToggle('Russian stance')).toHaveAccessibleName(/^Dictionary of Russian stance, \d+ terms$/)

  // The screenshot: a stance's prefilled actor dictionary, open (then closed again).
  await expect(await codebook.openDictionary('Russian stance')).toContainText('Kremlin')
  await codebook.termInput('Russian stance').focus()
  await app.page.evaluate(() => document.fonts.ready)
  const shot = await app.page.screenshot()
  await testInfo.attach('dictionary-editor', { body: shot, contentType: 'image/png' })
  if (process.env.STANCE_DOCS_SCREENSHOTS) await app.page.screenshot({ path: join(SHOTS, 'dictionary-editor.png') })
  await codebook.dictionaryToggle('Russian stance').click()
  await expect(codebook.dictionary('Russian stance')).toHaveCount(0)

  // A new group of stances, a code added inside it, a code moved in from Stances and put first.
  await codebook.addGroup(ALLIES, 'Stances')
  await expect(codebook.dialog.getByRole('combobox', { name: `Kind of the group ${ALLIES}` })).toHaveValue('stance')
  await expect(codebook.group(ALLIES)).toContainText('No codes yet')
  await codebook.group(ALLIES).getByRole('button', { name: `Add a code to ${ALLIES}` }).click()
  await expect(codebook.dialog.getByRole('textbox', { name: 'Name of the new code' })).toBeFocused()
  await app.page.keyboard.type('UK stance')
  await app.page.keyboard.press('Enter')
  await expect.poll(() => codebook.codesIn(ALLIES)).toEqual(['UK stance'])
  await codebook.moveCode('EU stance', `In ${ALLIES}`)
  await expect.poll(() => codebook.codesIn(ALLIES)).toEqual(['UK stance', 'EU stance'])
  expect(await codebook.codesIn('Stances')).toEqual(STANCES.slice(0, 3))
  await codebook.dialog.getByRole('button', { name: 'Move EU stance up' }).click()
  await expect.poll(() => codebook.codesIn(ALLIES)).toEqual(['EU stance', 'UK stance'])
  await expect(codebook.group(ALLIES)).toContainText('2 codes')
  // Groups move among the groups.
  await codebook.dialog.getByRole('button', { name: `Move the group ${ALLIES} up` }).click()
  await expect.poll(() => codebook.groupNames()).toEqual(['Stances', ALLIES, 'Issues'])
  await codebook.dialog.getByRole('button', { name: `Move the group ${ALLIES} down` }).click()
  await expect.poll(() => codebook.groupNames()).toEqual(['Stances', 'Issues', ALLIES])

  // An issue code moves between groups as well.
  await codebook.moveCode('Sanctions', 'In Stances')
  await expect.poll(() => codebook.codesIn('Stances')).toEqual([...STANCES.slice(0, 3), 'Sanctions'])
  await codebook.moveCode('Sanctions', 'In Issues')
  await expect.poll(() => codebook.codesIn('Issues')).toEqual([...ISSUES.filter((name) => name !== 'Sanctions'), 'Sanctions'])

  // The new code's dictionary: typed terms (Enter, comma), a pasted list with a repeat, a removal.
  const dictionary = await codebook.openDictionary('UK stance')
  await expect(dictionary).toContainText('Names, roles, institutions and places that stand for this actor — used by Suggest codes')
  await codebook.termInput('UK stance').fill('Downing Street')
  await codebook.termInput('UK stance').press('Enter')
  await expect(codebook.terms('UK stance')).toHaveText(['Downing Street'])
  await codebook.termInput('UK stance').pressSequentially('Starmer,')
  await expect(codebook.terms('UK stance')).toHaveText(['Downing Street', 'Starmer'])
  await expect(codebook.termInput('UK stance')).toHaveValue('')
  await paste(codebook.termInput('UK stance'), 'Foreign Office\nLammy, downing street\r\nBritish government')
  await expect(codebook.terms('UK stance')).toHaveText(['Downing Street', 'Starmer', 'Foreign Office', 'Lammy', 'British government'])
  await expect(dictionary.getByRole('status')).toContainText('Already listed: “downing street”')
  await codebook.removeTerm('UK stance', 'Foreign Office')
  await expect(codebook.terms('UK stance')).toHaveText(['Downing Street', 'Starmer', 'Lammy', 'British government'])
  await expect(codebook.termInput('UK stance')).toBeFocused()
  // Too long a term stays in the box with a word on why.
  await codebook.termInput('UK stance').fill('x'.repeat(201))
  await codebook.termInput('UK stance').press('Enter')
  await expect(dictionary.getByRole('status')).toContainText('Longer than 200 characters')
  await expect(codebook.terms('UK stance')).toHaveCount(4)
  await codebook.termInput('UK stance').fill('')
  // An issue code's dictionary speaks of marker words.
  await expect(await codebook.openDictionary('Sanctions')).toContainText('Words that mark this issue')
  await expect(codebook.terms('Sanctions').first()).toHaveText('sanction*')

  // A group's kind can change, and an empty group can go.
  await codebook.addGroup('Scratch', 'Other')
  await codebook.dialog.getByRole('combobox', { name: 'Kind of the group Scratch' }).selectOption({ label: 'Issues' })
  await expect(codebook.dialog.getByRole('combobox', { name: 'Kind of the group Scratch' })).toHaveValue('issue')
  await codebook.dialog.getByRole('button', { name: 'Delete the group Scratch' }).click()
  await codebook.group('Scratch').getByRole('button', { name: 'Delete the group Scratch' }).last().click()
  await expect(codebook.group('Scratch')).toHaveCount(0)
  await codebook.close()

  // The legend shows the new group as a heading over its codes.
  const legend = new StancePage(app.page).annotations.getByRole('region', { name: 'Codebook' })
  await expect(legend.getByRole('heading', { level: 3 })).toHaveText(['Stances', 'Issues', ALLIES])
  await expect(legend.getByRole('list', { name: ALLIES }).getByRole('listitem')).toHaveText([/^\s*EU stance\s*0\s*4\s*$/, /^\s*UK stance\s*0\s*$/])

  // Everything is stored: after a reload the groups, places, order and dictionary are as left.
  await app.reload()
  await codebook.open()
  expect(await codebook.groupNames()).toEqual(['Stances', 'Issues', ALLIES])
  expect(await codebook.codesIn(ALLIES)).toEqual(['EU stance', 'UK stance'])
  await expect(codebook.dictionaryToggle('UK stance')).toHaveAccessibleName('Dictionary of UK stance, 4 terms')
  await codebook.openDictionary('UK stance')
  await expect(codebook.terms('UK stance')).toHaveText(['Downing Street', 'Starmer', 'Lammy', 'British government'])

  // Deleting a group that holds codes keeps the codes, outside every group.
  await codebook.dialog.getByRole('button', { name: `Delete the group ${ALLIES}` }).click()
  await expect(codebook.group(ALLIES)).toContainText('Its 2 codes stay')
  await codebook.group(ALLIES).getByRole('button', { name: `Delete the group ${ALLIES}` }).last().click()
  await expect(codebook.group(ALLIES)).toHaveCount(0)
  await expect.poll(() => codebook.ungrouped()).toEqual(['EU stance', 'UK stance'])

})

test('the picker lists codes under group headings and adds an issue to a passage coded with a stance', async ({ app }) => {
  const reader = new ReaderModel(app.page)
  const panel = new AnnotationsModel(app.page)

  await reader.code(PAUSE, '2')
  await expect(panel.passages('Russian stance')).toHaveText([PAUSE])

  // The same range again: the picker shows the groups as headings, and only codes can be picked.
  await reader.dragSelect(PAUSE)
  await expect(reader.picker).toBeVisible()
  await expect(reader.picker.getByRole('group')).toHaveCount(2)
  await expect(reader.picker.getByRole('group', { name: 'Stances' }).getByRole('menuitem')).toHaveCount(4)
  await expect(reader.picker.getByRole('group', { name: 'Issues' }).getByRole('menuitem')).toHaveCount(6)
  await expect(reader.picker.getByText('Stances', { exact: true })).toBeVisible()
  await expect(reader.picker.getByText('Issues', { exact: true })).toBeVisible()
  await expect(reader.picker.getByRole('menuitem', { name: /^Code as (Stances|Issues)/ })).toHaveCount(0)
  await expect(reader.picker.getByRole('menuitem', { name: 'Code as Ceasefire and territory (key 5)' })).toBeVisible()
  await expect(reader.picker.getByRole('menuitem', { name: 'Code as Who sits at the table', exact: true })).toBeVisible()
  await app.page.keyboard.press('5')
  await expect(reader.picker).toBeHidden()
  await expect(reader.highlights).toHaveCount(1)
  await expect(reader.highlights.first()).toHaveAttribute('title', 'Russian stance · Ceasefire and territory')
  await expect(panel.passages('Ceasefire and territory')).toHaveText([PAUSE])

  // Arrow keys move through the codes and pass over the headings; Enter picks.
  await reader.code(ROOT_CAUSES, '2')
  await reader.dragSelect(ROOT_CAUSES)
  await reader.picker.getByRole('menuitem', { name: /^Code as EU stance/ }).focus()
  await app.page.keyboard.press('ArrowDown')
  await expect(reader.picker.getByRole('menuitem', { name: /^Code as Ceasefire and territory/ })).toBeFocused()
  await app.page.keyboard.press('End')
  await expect(reader.picker.getByRole('menuitem', { name: 'Code as Who sits at the table', exact: true })).toBeFocused()
  await app.page.keyboard.press('ArrowDown')
  await expect(reader.picker.getByRole('menuitem', { name: /^Code as US stance/ })).toBeFocused()
  // Up from the first code wraps to the last, then climbs back through the issues.
  for (let i = 0; i < 5; i++) await app.page.keyboard.press('ArrowUp')
  await expect(reader.picker.getByRole('menuitem', { name: /^Code as NATO membership/ })).toBeFocused()
  await app.page.keyboard.press('Enter')
  await expect(panel.passages('NATO membership')).toHaveText([ROOT_CAUSES])
  await expect(reader.highlights.filter({ hasText: ROOT_CAUSES })).toHaveAttribute('title', 'Russian stance · NATO membership')

  // The recode menu of a passage heads its codes by group too.
  const card = panel.card('NATO membership', ROOT_CAUSES)
  await card.getByRole('button', { name: 'Change codes' }).click()
  const recode = card.getByRole('group', { name: 'Codes of this passage' })
  await expect(recode.getByRole('group')).toHaveCount(2)
  await expect(recode.getByRole('group', { name: 'Issues' }).getByRole('checkbox', { name: 'NATO membership' })).toBeChecked()
  await expect(recode.getByRole('group', { name: 'Stances' }).getByRole('checkbox', { name: 'Russian stance' })).toBeChecked()
  await expect(recode.getByRole('checkbox')).toHaveCount(10)
})
