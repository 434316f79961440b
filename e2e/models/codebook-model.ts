import type { Locator, Page } from '@playwright/test'

/** The kinds a group can have, as the codebook dialog names them. */
export type GroupKindLabel = 'Stances' | 'Issues' | 'Other'

/** The codebook dialog: groups with their codes, per-code dictionaries, and the forms for new codes and groups. */
export class CodebookModel {
  readonly dialog: Locator

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Codebook' })
  }

  /** Opens the dialog from the annotations panel's legend. */
  async open(): Promise<void> {
    await this.page.getByRole('complementary', { name: 'Annotations' }).getByRole('button', { name: 'Edit codebook' }).click()
    await this.dialog.waitFor()
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Done' }).click()
    await this.dialog.waitFor({ state: 'hidden' })
  }

  /** Every group's section, in order. */
  groups(): Locator {
    return this.dialog.getByRole('region', { name: /^Group / })
  }

  group(name: string): Locator {
    return this.dialog.getByRole('region', { name: `Group ${name}`, exact: true })
  }

  /** The name fields of the codes in a group, in order (their values are the names). */
  codeNames(group: string): Locator {
    return this.group(group).getByRole('list', { name: `Codes in ${group}`, exact: true }).getByRole('textbox', { name: /^Name of / })
  }

  /** The names of the groups, in order. */
  async groupNames(): Promise<string[]> {
    return this.dialog.getByRole('textbox', { name: /^Name of the group / }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))
  }

  /** The names of the codes outside every group, in order. */
  async ungrouped(): Promise<string[]> {
    return this.dialog
      .getByRole('list', { name: 'Ungrouped codes' })
      .getByRole('textbox', { name: /^Name of / })
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))
  }

  /** The names of the codes in a group, in order. */
  async codesIn(group: string): Promise<string[]> {
    return this.codeNames(group).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))
  }

  /** Adds a group with the form at the bottom of the dialog. */
  async addGroup(name: string, kind: GroupKindLabel): Promise<void> {
    await this.dialog.getByRole('textbox', { name: 'Name of the new group' }).fill(name)
    await this.dialog.getByRole('combobox', { name: 'Kind of the new group' }).selectOption({ label: kind })
    await this.dialog.getByRole('button', { name: 'Add group' }).click()
    await this.group(name).waitFor()
  }

  /** Adds a code with the form, placed by the label of its place option ("In Issues", "Under US stance"). */
  async addCode(name: string, place?: string): Promise<void> {
    await this.dialog.getByRole('textbox', { name: 'Name of the new code' }).fill(name)
    if (place) await this.dialog.getByRole('combobox', { name: 'Parent of the new code' }).selectOption({ label: place })
    await this.dialog.getByRole('button', { name: 'Add code' }).click()
    await this.dialog.getByRole('textbox', { name: `Name of ${name}`, exact: true }).waitFor()
  }

  /** Moves a code with its place menu ("In Stances", "Ungrouped (top level)", "Under US stance"). */
  async moveCode(name: string, place: string): Promise<void> {
    await this.dialog.getByRole('combobox', { name: `Parent of ${name}`, exact: true }).selectOption({ label: place })
  }

  /** The dictionary editor of a code (open it first). */
  dictionary(code: string): Locator {
    return this.dialog.getByRole('group', { name: `Dictionary of ${code}`, exact: true })
  }

  /** The button that shows or hides a code's dictionary. */
  dictionaryToggle(code: string): Locator {
    return this.dialog.getByRole('button', { name: new RegExp(`^Dictionary of ${code}, \\d+ terms?$`) })
  }

  async openDictionary(code: string): Promise<Locator> {
    await this.dictionaryToggle(code).click()
    return this.dictionary(code)
  }

  /** The terms of an open dictionary, as chips. */
  terms(code: string): Locator {
    return this.dictionary(code).getByRole('listitem')
  }

  /** The box that adds terms to a code's dictionary. */
  termInput(code: string): Locator {
    return this.dictionary(code).getByRole('textbox', { name: `Add terms to the dictionary of ${code}` })
  }

  async removeTerm(code: string, term: string): Promise<void> {
    await this.dictionary(code).getByRole('button', { name: `Remove ${term} from ${code}`, exact: true }).click()
  }
}
