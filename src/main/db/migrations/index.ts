import type { Migration } from '../migration'
import { initial } from './0001-initial'

/** Every migration, in order; the last one's version is the schema version this build writes. */
export const MIGRATIONS: readonly Migration[] = [initial]

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length
