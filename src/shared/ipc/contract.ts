import { z } from 'zod'
import type { Article, ArticleSummary } from '../domain/article'
import type { Code } from '../domain/code'
import type { ArticleId } from '../domain/ids'
import type { Result } from '../result'
import type { Channel } from './channels'

/** One channel: a schema for its input and, as a type only, its result value. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  /** One line saying what the channel does, shown in docs and errors. */
  doc: string
  input: I
  /** Phantom field carrying the result type; always undefined at run time. */
  output?: O
}

function spec<O>() {
  return <I extends z.ZodType>(doc: string, input: I): ChannelSpec<I, O> => ({ doc, input })
}

/** Facts about the running app and where its data lives. */
export interface AppInfo {
  name: string
  version: string
  dataDir: string
  databasePath: string
  schemaVersion: number
  runtime: string
}

const none = z.strictObject({})
const articleId = z.uuid({ message: 'must be an article id (a UUID)' }).transform((id) => id as ArticleId)

/** The IPC contract: every channel's input schema and result type. */
export const contract = {
  'app:info': spec<AppInfo>()('Name, version and data location of the running app.', none),
  'articles:list': spec<ArticleSummary[]>()('Articles in the library, newest first.', none),
  'articles:get': spec<Article>()(
    'One article with its display document and canonical plain text.',
    z.strictObject({ id: articleId })
  ),
  'codebook:list': spec<Code[]>()('Every code of the codebook, parents before children, in order.', none)
} satisfies Record<Channel, ChannelSpec>

/** The contract's type. */
export type Contract = typeof contract

/** What a caller passes to a channel. */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>

/** What a handler receives after validation. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>

/** The value of a successful call. */
export type ChannelOutput<C extends Channel> = Exclude<Contract[C]['output'], undefined>

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never
type VerbOf<C, D extends string> = C extends `${D}:${infer V}` ? V : never

/** The page-side API: `api.<domain>.<verb>(input)` for every channel, resolving to a Result. */
export type Api = {
  [D in DomainOf<Channel>]: {
    [V in VerbOf<Channel, D>]: (input: ChannelInput<`${D}:${V}` & Channel>) => Promise<Result<ChannelOutput<`${D}:${V}` & Channel>>>
  }
}
