declare const brand: unique symbol

/** A string id that cannot be mixed up with another entity's id at compile time. */
export type Brand<T, B extends string> = T & { readonly [brand]: B }

/** Id of an article (a UUID). */
export type ArticleId = Brand<string, 'ArticleId'>
/** Id of a code in the codebook (a UUID). */
export type CodeId = Brand<string, 'CodeId'>
/** Id of a highlight (a UUID). */
export type HighlightId = Brand<string, 'HighlightId'>
/** Id of a note (a UUID). */
export type NoteId = Brand<string, 'NoteId'>
