/**
 * True when `url` stays inside the app that was loaded from `appUrl`: same scheme, host and
 * port, no credentials. Compared field by field because `URL.origin` is the string "null"
 * for custom schemes in Node, which would make every `app://` URL look alike.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let target: URL
  let app: URL
  try {
    target = new URL(url)
    app = new URL(appUrl)
  } catch {
    return false
  }
  if (target.username !== '' || target.password !== '') return false
  return (
    target.protocol === app.protocol &&
    target.hostname.toLowerCase() === app.hostname.toLowerCase() &&
    target.hostname !== '' &&
    target.port === app.port
  )
}
