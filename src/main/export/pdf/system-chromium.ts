import { existsSync } from 'node:fs'

/** Chromium flags for a quiet, offline, headless print browser (also as root in CI). */
export const PRINT_CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** The Chromium that Node-side printing uses: $CHROMIUM_PATH, else Debian's or Ubuntu's package; undefined when none is installed. */
export function systemChromium(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (candidate && existsSync(candidate)) return candidate
  }
  return undefined
}
