import { AppError } from '../../../shared/result'

/** The file types File ▸ Import… and `articles:import` accept, in words. */
export const SUPPORTED_TYPES = '.txt, .md, .html'

/** An import failure: `invalid-input`, naming the file (when there is one) and the reason. */
export function importError(fileName: string | undefined, reason: string): AppError {
  return new AppError('invalid-input', fileName ? `“${fileName}”: ${reason}` : reason)
}

/** The error for a file whose extension Stance does not read. */
export function unsupportedTypeError(fileName: string): AppError {
  return new AppError('invalid-input', `“${fileName}” is not a supported type (${SUPPORTED_TYPES}).`)
}
