import type { Api } from '../../../shared/ipc/contract'
import type { ErrorInfo, Result } from '../../../shared/result'

/** The app's API; the only place in the renderer that touches `window.api`. */
export const api: Api = window.api

/** A failed call, carrying the typed error the main process returned. */
export class ApiError extends Error {
  readonly code: ErrorInfo['code']
  constructor(error: ErrorInfo) {
    super(error.message)
    this.name = 'ApiError'
    this.code = error.code
  }
}

/** Awaits a call and returns its value, or throws an ApiError with the main process's words. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>
  try {
    result = await call
  } catch (error) {
    // The bridge itself failed (main process gone, serialization error): still a typed error.
    throw new ApiError({ code: 'unavailable', message: `Stance could not reach its data service: ${(error as Error).message}` })
  }
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}
