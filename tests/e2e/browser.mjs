// Debian's Chromium, headless, for the end-to-end tests and the page benchmark. As root
// it needs --no-sandbox; the machine's closed network makes Chromium's background
// services fail noisily unless they are switched off.

import { chromium } from 'playwright-core';

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launches Chromium from $CHROMIUM (default /usr/bin/chromium); playwright-core downloads none. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
}
