import { z } from 'zod'

/** An inline mark the reading view may show; anything else is dropped when documents are built. */
export type ArticleMark = { type: 'bold' } | { type: 'italic' } | { type: 'link'; attrs: { href: string } }

/** A run of text with its marks. */
export interface ArticleText {
  type: 'text'
  text: string
  marks?: ArticleMark[]
}

/** A line break inside a paragraph; counts as "\n" in the canonical text. */
export interface ArticleHardBreak {
  type: 'hardBreak'
}

/** Inline content of a text block. */
export type ArticleInline = ArticleText | ArticleHardBreak

/** A paragraph of the article. */
export interface ArticleParagraph {
  type: 'paragraph'
  content?: ArticleInline[]
}

/** A heading inside the article body (the title is stored separately). */
export interface ArticleHeading {
  type: 'heading'
  attrs: { level: 2 | 3 | 4 }
  content?: ArticleInline[]
}

/** A quoted block. */
export interface ArticleBlockquote {
  type: 'blockquote'
  content: ArticleBlock[]
}

/** A list item holds blocks, as in ProseMirror. */
export interface ArticleListItem {
  type: 'listItem'
  content: ArticleBlock[]
}

/** A bulleted or numbered list. */
export interface ArticleList {
  type: 'bulletList' | 'orderedList'
  content: ArticleListItem[]
}

/** A horizontal rule; contributes no text. */
export interface ArticleRule {
  type: 'horizontalRule'
}

/** A block of the article body. */
export type ArticleBlock = ArticleParagraph | ArticleHeading | ArticleBlockquote | ArticleList | ArticleRule

/**
 * The stored display document of an article: ProseMirror JSON restricted to a small schema, so it is
 * sanitized by construction and main, renderer and exporters all derive the same canonical text from it.
 */
export interface ArticleDoc {
  type: 'doc'
  content: ArticleBlock[]
}

const safeHref = z
  .string()
  .max(4096)
  .refine((href) => /^(https?:|mailto:)/i.test(href), 'links may only point to http(s) or mailto addresses')

const markSchema: z.ZodType<ArticleMark> = z.union([
  z.strictObject({ type: z.literal('bold') }),
  z.strictObject({ type: z.literal('italic') }),
  z.strictObject({ type: z.literal('link'), attrs: z.strictObject({ href: safeHref }) })
])

const inlineSchema: z.ZodType<ArticleInline> = z.union([
  z.strictObject({ type: z.literal('text'), text: z.string().min(1), marks: z.array(markSchema).max(8).optional() }),
  z.strictObject({ type: z.literal('hardBreak') })
])

const inlineContent = z.array(inlineSchema).optional()

const blockSchema: z.ZodType<ArticleBlock> = z.lazy(() =>
  z.union([
    z.strictObject({ type: z.literal('paragraph'), content: inlineContent }),
    z.strictObject({
      type: z.literal('heading'),
      attrs: z.strictObject({ level: z.union([z.literal(2), z.literal(3), z.literal(4)]) }),
      content: inlineContent
    }),
    z.strictObject({ type: z.literal('blockquote'), content: z.array(blockSchema).min(1) }),
    z.strictObject({
      type: z.union([z.literal('bulletList'), z.literal('orderedList')]),
      content: z.array(z.strictObject({ type: z.literal('listItem'), content: z.array(blockSchema).min(1) })).min(1)
    }),
    z.strictObject({ type: z.literal('horizontalRule') })
  ])
)

/** Validates a stored or incoming article document against the reading schema. */
export const articleDocSchema: z.ZodType<ArticleDoc> = z.strictObject({
  type: z.literal('doc'),
  content: z.array(blockSchema)
})
