import type { CodeId } from '../domain/ids'

/** The formats Stance exports. */
export type ExportFormat = 'pdf' | 'markdown' | 'csv' | 'w3c' | 'qdpx'

/** Choices of the export dialog; every field optional, defaults as noted. */
export interface ExportOptions {
  /** Only passages with these codes (default: every code). */
  codeIds?: CodeId[]
  /** Notes and memos included (default true). */
  includeNotes?: boolean
  /** PDF: appendix of passages by code (default true). */
  includeAppendix?: boolean
  /** PDF paper size (default A4). */
  paper?: 'A4' | 'Letter'
  /** PDF with several articles: one file per article into a folder instead of one combined file. */
  perArticle?: boolean
  /** W3C: embed the articles so another library can recreate them (default true). */
  includeSources?: boolean
  /** PDF: a stance × issue matrix of the exported articles after the title block (default false). */
  includeMatrix?: boolean
  /** Analyst name to sign with; remembered for the next export. */
  analyst?: string
}

/** One file an export wrote. */
export interface ExportedFile {
  path: string
  bytes: number
  pages?: number
  annotations?: number
}

/** What an export reports: where it wrote (a file, or the folder of per-article files) and what. */
export interface ExportResult {
  path: string
  files: ExportedFile[]
  /** PDF: total pages and /Highlight annotations over all files; 0 for other formats. */
  pages: number
  annotations: number
  articles: number
  highlights: number
  /** PDF: passages with no visible glyph to annotate (e.g. only spaces); still listed in the appendix. */
  unplaced: number
}

/** Progress of a long export, sent as the `export:progress` event. */
export interface ExportProgress {
  jobId: string
  done: number
  total: number
  message: string
}

/** What importing a W3C Web Annotation file changed. */
export interface W3cImportReport {
  /** Articles the file refers to: found in this library, or recreated from `stance:sources`. */
  articles: { matched: number; created: number }
  /** Codes the imported passages carry: found (by id, else by name) or created. */
  codes: { matched: number; created: number }
  highlights: {
    created: number
    /** Already here, on the same words with the same codes: nothing changed. */
    duplicates: number
    /** Already here on the same words, and the codes it lacked were added. */
    merged: number
    /** Their quote is not in the article's text: nothing created. */
    orphaned: number
    /** Their article is not in this library and the file cannot recreate it. */
    unresolved: number
    /** On a passage but without any tag, and a Stance passage needs a code: skipped. */
    uncoded: number
  }
  /** Notes and memos: created, or an existing one kept rather than overwritten. */
  notes: { created: number; kept: number }
}

/** What File ▸ Import Annotations… did with one file: its report, or why not. */
export interface AnnotationImportOutcome {
  fileName: string
  report: W3cImportReport | null
  error: string | null
}
