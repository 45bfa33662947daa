// What every end-to-end test file shares: the browser, a fresh page per test (each in
// its own browser context, so storage never leaks between tests), and the rule that a
// test fails on any console error, page error or request to another origin.

import { before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { launch } from './browser.mjs';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8000/';
/** Screenshots and scratch files: target/e2e/. */
export const SHOTS = new URL('../../target/e2e/', import.meta.url);
/** PyTorch's numbers for the lecture, from tests/fixtures. */
export const golden = JSON.parse(readFileSync(new URL('../fixtures/torch-golden.json', import.meta.url)));
export const GD = golden.default_dataset.gd;

/** `[data-testid="id"]`. */
export const tid = (id) => `[data-testid="${id}"]`;

/**
 * Sets a field's text at once with one `input` event, as typing would end: even a text a
 * number input will not hold, which Playwright's `fill` refuses.
 */
export const typeAs = (page, id, text) => page.evaluate(([sel, v]) => {
  const el = document.querySelector(sel);
  el.value = v;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, [tid(id), text]);

/**
 * Registers the hooks; the returned object's `page` is the current test's page.
 * `t.value(id)` reads an element's data-value as a number; `t.open(page, url)` loads
 * the page (watched for errors) in a page of one's own, e.g. a fresh visitor's.
 */
export function usePage() {
  const t = { browser: null, page: null, problems: [] };
  /** axe-core's serious and critical violations on the current page, as text. */
  t.seriousAxeViolations = async () => {
    await t.page.evaluate(readFileSync(new URL('node_modules/axe-core/axe.min.js', import.meta.url), 'utf8'));
    const results = await t.page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  };
  t.value = async (id) => Number(await t.page.getAttribute(tid(id), 'data-value'));
  t.open = async (page, url = BASE_URL) => {
    // The tests drive every control: the folded sections start open, as if the person had
    // opened them once (the page keeps that in this key; the first-screen tests start
    // folded, in contexts of their own).
    await page.addInitScript(() => {
      try {
        if (!localStorage.getItem('bigram-lab/open/v1')) localStorage.setItem('bigram-lab/open/v1', '["more-settings","exercise-settings"]');
      } catch {
        // A page without storage opens folded.
      }
    });
    page.on('console', (m) => { if (m.type() === 'error') t.problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => t.problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(BASE_URL)) t.problems.push(`request to another origin: ${r.url()}`);
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  };
  before(async () => {
    t.browser = await launch();
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await t.browser?.close();
  });
  beforeEach(async () => {
    t.problems = [];
    t.page = await t.open(await t.browser.newPage({ viewport: { width: 1280, height: 800 } }));
  });
  afterEach(async () => {
    await t.page.context().close();
    assert.deepEqual(t.problems, [], 'the page logged no error and stayed on its origin');
  });
  return t;
}
