import type { Migration } from '../migration'
import { initial } from './0001-initial'
import { highlightVersion } from './0002-highlight-version'
import { codeGroups } from './0003-code-groups'

/** Every migration, in order; the last one's version is the schema version this build writes. */
export const MIGRATIONS: readonly Migration[] = [initial, highlightVersion, codeGroups]

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length
