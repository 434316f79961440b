import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/**
 * Which Chromium the e2e suite drives: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
 * Playwright's own download. With none, a message says how to get one.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate
  try {
    const bundled = chromium.executablePath()
    if (bundled && existsSync(bundled)) return bundled
  } catch {
    // Playwright throws when it has no browser of its own; the message below says what to do.
  }
  throw new Error(
    'No Chromium found for the e2e suite. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`; elsewhere: ' +
      '`npx playwright install chromium`) or point CHROMIUM_PATH at a Chromium or Chrome binary.'
  )
}

/** Flags for a quiet, offline, headless Chromium as root in CI. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
