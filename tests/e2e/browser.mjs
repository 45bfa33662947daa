// Debian's Chromium, headless, for the end-to-end tests and the page benchmark. As root
// it needs --no-sandbox; the machine's closed network makes Chromium's background
// services fail noisily unless they are switched off.

import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * Chromium's flags, from chromium-flags.json: xtask compiles the same file in for the
 * wasm tests' chromedriver, so every browser run here starts Chromium the same way.
 */
export const FLAGS = JSON.parse(readFileSync(new URL('./chromium-flags.json', import.meta.url), 'utf8'));

/** Launches Chromium from $CHROMIUM (default /usr/bin/chromium); playwright-core downloads none. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
}
