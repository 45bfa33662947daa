// In front of a class: the presentation view (from the link and from its button), the
// keyboard shortcuts (and that typing is never taken for one), the dark theme (the
// system's, and the person's override), and axe-core in each.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePage, tid, BASE_URL, SHOTS } from './harness.mjs';

const t = usePage();
const value = (id) => t.value(id);
const pressed = () => t.page.getAttribute(tid('train-toggle'), 'aria-pressed');
const presenting = () => t.page.evaluate(() => document.body.dataset.present);
const px = (sel) => t.page.$eval(sel, (el) => parseFloat(getComputedStyle(el).fontSize));
const shot = (name, fullPage = false) => t.page.screenshot({ path: new URL(name, SHOTS).pathname, fullPage });

/** Whether each element is shown (laid out with a size), by test id. */
const shown = (ids) => t.page.evaluate((list) => Object.fromEntries(list.map((id) => {
  const el = document.querySelector(`[data-testid="${id}"]`);
  return [id, el.getClientRects().length > 0];
})), ids);
const TEACHER = ['loss-value', 'step-count', 'train-toggle', 'step-button', 'reset-button', 'word-input', 'nll-table', 'heatmap-mode'];
const OTHERS = ['seed-input', 'lr-input', 'sample-button', 'dataset-input', 'explorer-title', 'sweep-button', 'code-view', 'walk-toggle', 'chart-png-button', 'table-csv-button'];

/** The loss chart's and heatmap's drawing sizes against their boxes (both follow their containers). */
const canvasSizes = () => t.page.evaluate(() => {
  const size = (id) => {
    const c = document.querySelector(`#${id} canvas`) ?? document.getElementById(id);
    return { box: c.clientWidth, backing: c.width, high: c.clientHeight, backingHigh: c.height, panel: c.closest('section').clientWidth };
  };
  return { chart: size('loss-chart'), heat: size('heatmap'), dpr: window.devicePixelRatio };
});

/** Reloads the page at `query` and waits until it is ready. */
async function openAt(query) {
  await t.page.goto(new URL(query, BASE_URL).href);
  await t.page.waitForSelector('body[data-ready="true"]');
}

test('?present=1 shows the chart, heatmap and probe with the training buttons in large type; Esc leaves and drops the flag', async () => {
  const normal = { word: await px(tid('word-input')), step: await px(tid('step-count')), h2: await px('#probe-h') };
  const before = await shown(OTHERS);
  assert.ok(Object.values(before).every(Boolean), 'every panel is shown normally');
  await openAt('?present=1');
  assert.equal(await presenting(), 'true');
  assert.equal(await t.page.getAttribute(tid('present-button'), 'aria-pressed'), 'true');
  assert.match(t.page.url(), /[?&]present=1(&|$)/, 'the link keeps the flag after the page rewrote its URL');
  assert.deepEqual(await shown(TEACHER), Object.fromEntries(TEACHER.map((id) => [id, true])));
  assert.deepEqual(await shown(OTHERS), Object.fromEntries(OTHERS.map((id) => [id, false])));
  assert.ok(await t.page.isVisible('#loss-chart') && await t.page.isVisible('#heatmap'));
  // Large type: everything a third larger or more.
  const big = { word: await px(tid('word-input')), step: await px(tid('step-count')), h2: await px('#probe-h') };
  for (const k of Object.keys(normal)) assert.ok(big[k] >= normal[k] * 1.3, `${k}: ${normal[k]}px → ${big[k]}px`);
  // The canvases were drawn for their boxes in this layout.
  const { chart, heat, dpr } = await canvasSizes();
  assert.equal(chart.backing, Math.round(chart.box * dpr));
  assert.equal(chart.backingHigh, Math.round(chart.high * dpr));
  assert.ok(heat.box <= heat.panel && heat.box > heat.panel * 0.8, `heatmap ${heat.box}px in a ${heat.panel}px panel`);

  await t.page.keyboard.press('Escape');
  assert.equal(await presenting(), 'false');
  assert.doesNotMatch(t.page.url(), /present=/);
  assert.ok(Object.values(await shown(OTHERS)).every(Boolean));
  assert.equal(await px(tid('word-input')), normal.word);
  const after = await canvasSizes();
  assert.equal(after.chart.backing, Math.round(after.chart.box * after.dpr), 'the chart redrawn at its normal size');
  assert.equal(after.chart.backingHigh, Math.round(after.chart.high * after.dpr));
  assert.notEqual(after.chart.high, chart.high);
});

test('the Present button toggles the view; focus moves to Train, whose Space press trains exactly once', async () => {
  const normalChart = (await canvasSizes()).chart;
  await t.page.click(tid('present-button'));
  assert.equal(await presenting(), 'true');
  assert.match(t.page.url(), /present=1/);
  assert.deepEqual(await shown(['sample-button', 'heatmap-mode']), { 'sample-button': false, 'heatmap-mode': true });
  const { chart, dpr } = await canvasSizes();
  assert.notDeepEqual([chart.box, chart.high], [normalChart.box, normalChart.high], 'the chart took the new layout\'s size');
  assert.equal(chart.backing, Math.round(chart.box * dpr), '…and was redrawn for it');
  assert.equal(chart.backingHigh, Math.round(chart.high * dpr));
  assert.equal(await t.page.evaluate(() => document.activeElement.dataset.testid), 'train-toggle');
  // Space on the focused Train button: its own click, no shortcut on top (that would start and stop).
  await t.page.keyboard.press(' ');
  assert.equal(await pressed(), 'true');
  await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 0, tid('step-count'));
  await t.page.keyboard.press(' ');
  assert.equal(await pressed(), 'false');
  await t.page.click(tid('present-button'));
  assert.equal(await presenting(), 'false');
  assert.equal(await t.page.getAttribute(tid('present-button'), 'aria-pressed'), 'false');
  assert.doesNotMatch(t.page.url(), /present=/);
});

test('shortcuts: S steps once, Space trains and pauses, R resets, ? lists them and Esc closes the list', async () => {
  await t.page.locator('h1').click(); // focus on nothing in particular
  await t.page.keyboard.press('s');
  assert.equal(await value('step-count'), 1);
  await t.page.keyboard.press('S');
  assert.equal(await value('step-count'), 2);

  await t.page.keyboard.press(' ');
  assert.equal(await pressed(), 'true');
  await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 10, tid('step-count'));
  await t.page.keyboard.press(' ');
  assert.equal(await pressed(), 'false');
  const paused = await value('step-count');
  assert.equal(await t.page.evaluate(() => window.scrollY), 0, 'Space did not scroll the page');

  await t.page.keyboard.press('r');
  assert.equal(await value('step-count'), 0);
  assert.ok(paused > 10);

  await t.page.keyboard.press('?');
  const help = t.page.locator(tid('shortcuts-help'));
  assert.equal(await help.isVisible(), true);
  const keys = await help.locator('kbd').allTextContents();
  assert.deepEqual(keys, ['Space', 'S', 'R', '?', '→', '←', 'Esc']);
  assert.equal(await t.page.getAttribute(tid('step-button'), 'aria-keyshortcuts'), 'S');
  // While the list is open its keys are its own.
  await t.page.keyboard.press('s');
  assert.equal(await value('step-count'), 0);
  await t.page.keyboard.press('Escape');
  assert.equal(await help.isVisible(), false);
  await t.page.click(tid('shortcuts-button'));
  assert.equal(await help.isVisible(), true);
  await t.page.click('#shortcuts-close');
  assert.equal(await help.isVisible(), false);
});

test('typing "s r " in the word box, or keys in a select, neither steps, resets nor trains; Space on Step steps once', async () => {
  await t.page.click(tid('step-button'));
  assert.equal(await value('step-count'), 1);
  await t.page.fill(tid('word-input'), '');
  await t.page.focus(tid('word-input'));
  await t.page.keyboard.type('s r ');
  assert.equal(await t.page.inputValue(tid('word-input')), 's r ');
  await t.page.keyboard.press('?');
  assert.equal(await t.page.inputValue(tid('word-input')), 's r ?');
  assert.equal(await value('step-count'), 1, 'no step, no reset');
  assert.equal(await pressed(), 'false', 'not training');
  assert.equal(await t.page.locator(tid('shortcuts-help')).isVisible(), false);
  await t.page.focus(tid('heatmap-mode'));
  await t.page.keyboard.press('s');
  await t.page.keyboard.press('r');
  assert.equal(await value('step-count'), 1);

  // Space on a focused button is that button's press, once.
  await t.page.focus(tid('step-button'));
  await t.page.keyboard.press(' ');
  assert.equal(await value('step-count'), 2);
  assert.equal(await pressed(), 'false');
});

/** The colour at a point of a canvas (CSS pixels), as [r, g, b]. */
const pixel = (id, x, y) => t.page.$eval(`#${id}`, (c, [px, py]) => {
  const dpr = window.devicePixelRatio;
  return Array.from(c.getContext('2d').getImageData(Math.round(px * dpr), Math.round(py * dpr), 1, 1).data.slice(0, 3));
}, [x, y]);
const rootBackground = () => t.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const theme = () => t.page.evaluate(() => document.documentElement.dataset.theme);
const luma = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** The heatmap's cell ". → ." in the counting model's view: p = 0, the ramp's first stop. */
async function zeroCell() {
  await t.page.selectOption(tid('heatmap-mode'), 'counts');
  const cell = await t.page.$eval('#heatmap', (c) => parseFloat(c.style.width) / 28);
  return pixel('heatmap', cell + 2, cell + 2); // a corner, clear of the cell's label
}

test('the theme follows the system\'s dark preference; the toggle overrides it and is kept', async () => {
  assert.equal(await theme(), 'light');
  assert.equal(await rootBackground(), 'rgb(243, 245, 247)');
  assert.ok(luma(await zeroCell()) > 240, 'nothing is white in light');

  await t.page.emulateMedia({ colorScheme: 'dark' });
  await t.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  assert.equal(await rootBackground(), 'rgb(13, 17, 23)');
  const panel = await t.page.$eval('section.panel', (s) => getComputedStyle(s).backgroundColor);
  assert.equal(panel, 'rgb(22, 27, 34)');
  assert.deepEqual(await zeroCell(), [22, 27, 34], 'nothing is the panel\'s colour in dark: the heatmap was redrawn');
  const ink = await t.page.$eval(tid('step-count'), (el) => getComputedStyle(el).color);
  assert.equal(ink, 'rgb(230, 233, 237)');
  await shot('dark.png', true);

  await t.page.selectOption(tid('theme-toggle'), 'light');
  assert.equal(await theme(), 'light', 'the choice wins over the system');
  assert.equal(await rootBackground(), 'rgb(243, 245, 247)');
  assert.ok(luma(await zeroCell()) > 240);
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await theme(), 'light', 'kept across a reload');
  assert.equal(await t.page.inputValue(tid('theme-toggle')), 'light');

  await t.page.selectOption(tid('theme-toggle'), 'auto');
  assert.equal(await theme(), 'dark', 'auto follows the system again');
  assert.equal(await t.page.evaluate(() => localStorage.getItem('bigram-lab/theme/v1')), null);
  await t.page.selectOption(tid('theme-toggle'), 'dark');
  await t.page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await theme(), 'dark', 'an explicit dark stays when the system turns light');
});

test('axe-core finds nothing serious in either theme, in the presentation view, or with the shortcuts open', async () => {
  await t.page.fill(tid('word-input'), 'emma');
  for (const scheme of ['light', 'dark']) {
    await t.page.emulateMedia({ colorScheme: scheme });
    await t.page.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme);
    assert.deepEqual(await t.seriousAxeViolations(), [], `${scheme}`);
    await t.page.click(tid('present-button'));
    assert.deepEqual(await t.seriousAxeViolations(), [], `${scheme}, presenting`);
    await t.page.keyboard.press('?');
    assert.deepEqual(await t.seriousAxeViolations(), [], `${scheme}, presenting, shortcuts open`);
    await t.page.keyboard.press('Escape');
    await t.page.keyboard.press('Escape');
    assert.equal(await presenting(), 'false');
  }
});

test('the presentation view after 50 steps, with a word in the probe (screenshots, light and dark)', async () => {
  await t.page.fill(tid('word-input'), 'emma');
  await t.page.click(tid('present-button'));
  await t.page.locator('h1').click();
  for (let i = 0; i < 50; i++) await t.page.keyboard.press('s');
  assert.equal(await value('step-count'), 50);
  assert.equal(await t.page.locator(`${tid('nll-table')} tbody tr`).count(), 5);
  await t.page.focus('#heatmap'); // the cursor and its readout, as a teacher pointing at a cell
  for (const k of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown']) {
    await t.page.keyboard.press(k);
  }
  assert.match(await t.page.textContent(tid('heatmap-readout')), /^ee: p\(e after e\)/);
  // At 1280×800 it all fits: nothing to scroll to.
  await shot('presentation.png');
  assert.equal(await t.page.evaluate(() => document.documentElement.scrollHeight), 800);
  await t.page.emulateMedia({ colorScheme: 'dark' });
  await t.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await shot('presentation-dark.png');
});
