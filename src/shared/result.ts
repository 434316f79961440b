/** Error codes every IPC result may carry; later issues may add codes but never change these. */
export const ERROR_CODES = ['invalid-input', 'not-found', 'conflict', 'forbidden', 'unavailable', 'internal', 'cancelled', 'timeout'] as const

/** One of the error codes a failed call carries. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** The error shape that crosses the IPC boundary: a code for programs and a sentence for people. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
}

/** What every IPC call resolves to: never a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** An expected failure with a code; handlers throw it and the IPC wrapper turns it into a result. */
export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
  }
}

/** Builds a successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** Builds a failed result. */
export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } }
}
