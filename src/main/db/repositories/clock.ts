/** Current time as an ISO-8601 UTC string; one place so repositories stamp rows the same way. */
export function nowIso(): string {
  return new Date().toISOString()
}
