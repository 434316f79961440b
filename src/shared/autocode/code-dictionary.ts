/** A code's dictionary as the suggestion engine reads it: stance terms name actors, issue terms mark topics. */
export interface CodeDictionary {
  codeId: string
  kind: 'stance' | 'issue'
  terms: readonly string[]
}
