// The charts people can read (uPlot): the loss chart's hover readout against the losses
// the page showed step by step, drag to zoom and double-click or Zoom out back, on a
// phone a finger slid across to zoom (and one slid up to scroll), the log step axis, the
// legend's series switches, the PNG, the tries of Resample at step 0 each a dot of its
// own, and the sweep chart's readout against its table's points.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, SHOTS } from './harness.mjs';

const t = usePage();
const host = '#loss-chart';
/** A data attribute of the loss chart's element, as a number. */
const attr = async (name) => Number(await t.page.getAttribute(host, `data-${name}`));
/** The readout cell of a series (`step`, `train`, `dev`, `floor`): its full value. */
const readout = (chart, key) => t.page.getAttribute(tid(`${chart}-readout-${key}`), 'data-value');

/** Presses Step n times; returns what the page showed after each: step → [loss, dev] (as text). */
async function stepAndRecord(n) {
  const seen = new Map();
  const read = async () => seen.set(await t.value('step-count'), [
    await t.page.getAttribute(tid('loss-value'), 'data-value'),
    await t.page.getAttribute(tid('dev-loss'), 'data-value'),
  ]);
  await read();
  for (let i = 0; i < n; i++) {
    await t.page.click(tid('step-button'));
    await read();
  }
  return seen;
}

/** The plot area (uPlot's event layer) of a chart, in page pixels. */
async function plotArea(selector) {
  await t.page.locator(selector).scrollIntoViewIfNeeded();
  return t.page.locator(`${selector} .u-over`).boundingBox();
}

/** Points at fraction fx of the plot's width (half way down) and waits for the readout. */
async function hover(selector, chart, fx) {
  const box = await plotArea(selector);
  await t.page.mouse.move(box.x + box.width * fx, box.y + box.height / 2);
  await t.page.waitForFunction((sel) => document.querySelector(sel)?.dataset.value !== undefined,
    tid(`${chart}-readout-train`));
}

test('pointing at the loss chart reads out train, dev and the floor at that step, as the page showed them', async () => {
  await t.page.fill(tid('split-input'), '10');
  const seen = await stepAndRecord(12);
  assert.equal(await attr('x-min'), 0);
  assert.equal(await attr('x-max'), 12);
  for (const [fx, step] of [[0.25, 3], [0.5, 6], [0.9, 11]]) {
    await hover(host, 'chart', fx);
    assert.equal(Number(await readout('chart', 'step')), step, `at ${fx} of the width`);
    const [loss, dev] = seen.get(step);
    assert.equal(await readout('chart', 'train'), loss, `train loss at step ${step}`);
    assert.equal(await readout('chart', 'dev'), dev, `dev loss at step ${step}`);
    assert.equal(await readout('chart', 'floor'), await t.page.getAttribute(tid('floor-value'), 'data-value'));
    // What a person reads: four decimals.
    assert.equal(await t.page.textContent(tid('chart-readout-train')), Number(loss).toFixed(4));
  }
  // Step 3's dev loss differs from step 6's: the readout is not one value repeated.
  assert.notEqual(seen.get(3)[1], seen.get(6)[1]);
  await t.page.locator('figure.chart').first().screenshot({ path: new URL('chart-hover.png', SHOTS).pathname });
});

test('a drag zooms the loss chart to the steps it covers, training keeps the zoom, and a double-click shows them all', async () => {
  await stepAndRecord(20);
  const pointsAll = await attr('points');
  assert.equal(pointsAll, 21, 'one point a step: all of them, as few as they are');
  const box = await plotArea(host);
  await t.page.mouse.move(box.x + box.width * 0.25, box.y + 20);
  await t.page.mouse.down();
  await t.page.mouse.move(box.x + box.width * 0.5, box.y + 30, { steps: 4 });
  await t.page.mouse.move(box.x + box.width * 0.75, box.y + 30, { steps: 4 });
  await t.page.mouse.up();
  const [lo, hi] = [await attr('x-min'), await attr('x-max')];
  assert.ok(Math.abs(lo - 5) < 0.5 && Math.abs(hi - 15) < 0.5, `zoomed to steps ${lo}–${hi}`);
  assert.ok(await attr('points') < pointsAll, 'only the steps shown (and one each side) go to the plot');
  await hover(host, 'chart', 0.5);
  assert.equal(Number(await readout('chart', 'step')), 10);
  // A new step does not undo the zoom.
  await t.page.click(tid('step-button'));
  assert.deepEqual([await attr('x-min'), await attr('x-max')], [lo, hi]);
  assert.equal(await t.page.isVisible(tid('chart-zoom-out')), true, 'Zoom out is offered while zoomed in');
  await t.page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  assert.deepEqual([await attr('x-min'), await attr('x-max')], [0, 21]);
  assert.equal(await attr('points'), 22);
  assert.equal(await t.page.isVisible(tid('chart-zoom-out')), false, 'and goes with the zoom');
});

test('Zoom out from the keyboard shows every step and leaves the focus on the chart\'s figure', async () => {
  await stepAndRecord(10);
  const box = await plotArea(host);
  await t.page.mouse.move(box.x + box.width * 0.2, box.y + 20);
  await t.page.mouse.down();
  await t.page.mouse.move(box.x + box.width * 0.6, box.y + 30, { steps: 4 });
  await t.page.mouse.up();
  assert.ok(await attr('x-max') < 10, 'zoomed in');
  await t.page.focus(tid('chart-zoom-out'));
  await t.page.keyboard.press('Enter');
  assert.deepEqual([await attr('x-min'), await attr('x-max')], [0, 10]);
  assert.equal(await t.page.isVisible(tid('chart-zoom-out')), false);
  assert.equal(await t.page.evaluate(() => document.activeElement?.id), 'chart-panel');
});

/**
 * Opens the page on a phone (390×844, touch) in a context of its own, watched for errors
 * as every test's page is; the caller closes the context.
 */
async function phone() {
  const context = await t.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  return t.open(await context.newPage());
}

/**
 * A finger drawn on the page from (x0, y0) to (x1, y1) in `moves` moves a frame apart,
 * as real touch events (Playwright's touchscreen only taps); the browser scrolls for a
 * finger only at a finger's pace. The finger rests before it lifts: one lifted on the
 * move flings, and the browser takes the next tap as the one that stops the fling (no click).
 */
async function slide(page, [x0, y0], [x1, y1], moves = 8) {
  const cdp = await page.context().newCDPSession(page);
  const at = (x, y) => [{ x, y, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(x0, y0) });
  for (let k = 1; k <= moves; k++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(x0 + ((x1 - x0) * k) / moves, y0 + ((y1 - y0) * k) / moves) });
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(150);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(x1, y1) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

test('on a phone a finger slid across the chart zooms to the steps it covered, one slid down scrolls the page, and Zoom out shows them all', async () => {
  const page = await phone();
  try {
    const number = async (name) => Number(await page.getAttribute(host, `data-${name}`));
    for (let i = 0; i < 20; i++) await page.tap(tid('step-button'));
    await page.waitForFunction((sel) => document.querySelector(sel).dataset.value === '20', tid('step-count'));
    assert.deepEqual([await number('x-min'), await number('x-max')], [0, 20]);
    assert.equal(await page.isVisible(tid('chart-zoom-out')), false, 'nothing to zoom out of');
    await page.locator(host).scrollIntoViewIfNeeded();
    const box = await page.locator(`${host} .u-over`).boundingBox();
    const y = box.y + box.height / 2;
    // Up the chart: the page moves under the finger (the visual viewport's top is the
    // page's scroll and any pan of a pinch) and the chart keeps every step.
    const scrolled = await page.evaluate(() => window.visualViewport?.pageTop ?? 0);
    await slide(page, [box.x + box.width / 2, y], [box.x + box.width / 2, y - 60]);
    await page.waitForFunction((before) => (window.visualViewport?.pageTop ?? 0) > before, scrolled);
    assert.deepEqual([await number('x-min'), await number('x-max')], [0, 20], 'a scroll is not a zoom');
    // Across the chart, from a quarter to three quarters of the way: steps 5 to 15.
    const across = await page.locator(`${host} .u-over`).boundingBox();
    const ay = across.y + across.height / 2;
    await slide(page, [across.x + across.width * 0.25, ay], [across.x + across.width * 0.75, ay]);
    const [lo, hi] = [await number('x-min'), await number('x-max')];
    assert.ok(Math.abs(lo - 5) < 0.5 && Math.abs(hi - 15) < 0.5, `zoomed to steps ${lo}–${hi}`);
    assert.ok(await number('points') < 21, 'only the steps shown (and one each side) go to the plot');
    assert.deepEqual(await page.evaluate(() => [window.scrollX, window.visualViewport?.pageLeft]), [0, 0], 'the page did not move sideways');
    // Nor could it: nothing is wider than the phone (a mobile browser widens its layout
    // viewport, innerWidth, to what the page needs; clientWidth stays the device's).
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    const button = await page.locator(tid('chart-zoom-out')).boundingBox();
    assert.ok(button && button.width >= 24 && button.height >= 24, `Zoom out is a target of at least 24×24 CSS px (${JSON.stringify(button)})`);
    // What the phone shows: the zoomed chart in its screen.
    await page.screenshot({ path: new URL('chart-phone-zoomed.png', SHOTS).pathname });
    // A new step keeps the zoom; Zoom out shows the whole run, and goes.
    // (A tap's click comes after the tap's touch events: wait for what it does.)
    await page.tap(tid('step-button'));
    await page.waitForFunction((sel) => document.querySelector(sel).dataset.value === '21', tid('step-count'));
    assert.deepEqual([await number('x-min'), await number('x-max')], [lo, hi]);
    await page.tap(tid('chart-zoom-out'));
    await page.waitForFunction((sel) => document.querySelector(sel).dataset.xMax === '21', host);
    assert.equal(await number('x-min'), 0);
    assert.equal(await number('points'), 22);
    assert.equal(await page.isVisible(tid('chart-zoom-out')), false);
    // The hint says how.
    assert.match(await page.innerText('#chart-panel figcaption'), /slide a finger across it to zoom to those steps, and Zoom out to see them all/);
  } finally {
    await page.context().close();
  }
});

test('the log step axis spreads out the first steps; switching back gives the linear axis', async () => {
  await stepAndRecord(30);
  assert.equal(await t.page.getAttribute(host, 'data-log-x'), 'false');
  await hover(host, 'chart', 0.5);
  assert.equal(Number(await readout('chart', 'step')), 15);
  await t.page.check(tid('chart-logx-toggle'));
  assert.equal(await t.page.getAttribute(host, 'data-log-x'), 'true');
  assert.deepEqual([await attr('x-min'), await attr('x-max')], [0, 30], 'the same steps');
  // Half way along a log axis from 0 to 30 is about step 4 (sinh(asinh(30) / 2) ≈ 3.8).
  await hover(host, 'chart', 0.45);
  await hover(host, 'chart', 0.5);
  assert.equal(Number(await readout('chart', 'step')), 4);
  await t.page.uncheck(tid('chart-logx-toggle'));
  assert.equal(await t.page.getAttribute(host, 'data-log-x'), 'false');
  await hover(host, 'chart', 0.45);
  await hover(host, 'chart', 0.5);
  assert.equal(Number(await readout('chart', 'step')), 15);
});

test('the legend switches each series off and on, from the pointer or the keyboard', async () => {
  await t.page.fill(tid('split-input'), '10');
  await stepAndRecord(10);
  const floor = await t.value('floor-value');
  const train = await t.value('loss-value');
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-shown')), ['train', 'dev', 'floor']);
  assert.ok(await attr('y-min') < floor, 'the floor is in view');
  await t.page.click(tid('chart-series-floor'));
  assert.equal(await t.page.isChecked(tid('chart-series-floor')), false);
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-shown')), ['train', 'dev']);
  // Without the floor the y axis fits the curves, which all lie above it.
  const yMin = await attr('y-min');
  assert.ok(yMin > floor, `y from ${yMin}, above the floor ${floor}`);
  assert.ok(yMin < train, 'the training loss is still in view');
  // The keyboard: Space on the focused box switches it back on.
  await t.page.focus(tid('chart-series-floor'));
  await t.page.keyboard.press('Space');
  assert.equal(await t.page.isChecked(tid('chart-series-floor')), true);
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-shown')), ['train', 'dev', 'floor']);
  assert.ok(await attr('y-min') < floor);
  // The choice outlives a change of axis (the chart is rebuilt for it).
  await t.page.click(tid('chart-series-dev'));
  await t.page.check(tid('chart-logx-toggle'));
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-shown')), ['train', 'floor']);
  assert.equal(await t.page.isChecked(tid('chart-series-dev')), false);
});

test('the chart saves as a PNG of what is drawn, with a line naming the curves', async () => {
  await stepAndRecord(5);
  const canvas = await t.page.evaluate((sel) => {
    const c = document.querySelector(`${sel} canvas`);
    return { width: c.width, height: c.height };
  }, host);
  const [png] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('chart-png-button'))]);
  const bytes = readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  assert.equal(bytes.readUInt32BE(16), canvas.width, 'as wide as the chart');
  assert.ok(bytes.readUInt32BE(20) > canvas.height, 'the chart and, below it, the names of the curves');
  assert.ok(bytes.length > 5000, `${bytes.length} bytes: more than an empty image`);
  assert.equal(png.suggestedFilename(), 'bigram-lab-loss-step-5.png');
});

test('a resample is marked on the chart and drawn as a jump at one step', async () => {
  await t.page.fill(tid('split-input'), '10');
  await stepAndRecord(40);
  await t.page.click(tid('resample-button'));
  const seen = await stepAndRecord(30);
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-marks')), [40]);
  assert.equal(await attr('points'), 72, '71 steps and the second point at step 40');
  await t.page.click(`${tid('nll-table')} tr[data-bigram="em"]`);
  await hover(host, 'chart', 56 / 70);
  assert.equal(Number(await readout('chart', 'step')), 56);
  assert.equal(await readout('chart', 'train'), seen.get(56)[0]);
  await t.page.locator('figure.chart').first().screenshot({ path: new URL('chart-resample.png', SHOTS).pathname });
  // The README's picture: the page down to the heatmap and sampling panels.
  const bottom = await t.page.evaluate(() => document.querySelector('section.heat').getBoundingClientRect().bottom + window.scrollY + 12);
  await t.page.screenshot({ path: new URL('chart-page.png', SHOTS).pathname, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: bottom } });
});

test('Resample pressed three times at step 0 draws each try as a dot of its own, labelled and read out with the loss its Resample quoted', async () => {
  /** The losses each Resample wrote in the status line ("the loss went from … to …"). */
  const quoted = [];
  for (let i = 0; i < 3; i++) {
    await t.page.click(tid('resample-button'));
    const text = await t.page.textContent(tid('status'));
    const said = text.match(/the loss went from \d+\.\d{4} to (\d+\.\d{4})/);
    assert.ok(said, text);
    quoted.push(said[1]);
  }
  assert.equal(await t.value('step-count'), 0, 'no step trained');
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-marks')), [0, 0, 0]);
  const tries = JSON.parse(await t.page.getAttribute(host, 'data-tries'));
  assert.deepEqual(tries.map((x) => [x.step, x.try, x.of]), [[0, 1, 3], [0, 2, 3], [0, 3, 3]]);
  assert.deepEqual(tries.map((x) => x.loss.toFixed(4)), quoted, 'each try is drawn at the loss its Resample quoted');
  assert.equal(await attr('points'), 4, 'the seed\'s W and the three tries all go to the plot');
  // Three marks apart on the plot, in the order they were tried.
  const [lo, hi] = [await attr('x-min'), await attr('x-max')];
  const box = await plotArea(host);
  const px = tries.map((x) => ((x.x - lo) / (hi - lo)) * box.width);
  assert.ok(px.every((p, i) => p > (i ? px[i - 1] : 0) + 20), `each try 20 px and more from the one before (${px.map(Math.round)})`);
  for (const [i, x] of tries.entries()) {
    await hover(host, 'chart', (x.x - lo) / (hi - lo));
    assert.equal(await t.page.textContent(tid('chart-readout-step')), `0 · try ${i + 1}`);
    assert.equal(await t.page.getAttribute(tid('chart-readout-step'), 'data-try'), String(i + 1));
    assert.equal(Number(await readout('chart', 'step')), 0, 'the step itself in data-value');
    assert.equal(await t.page.textContent(tid('chart-readout-train')), quoted[i]);
  }
  // The text alternative names each try with its loss.
  const label = await t.page.getAttribute(`${host} canvas`, 'aria-label');
  quoted.forEach((loss, i) => assert.ok(label.includes(`try ${i + 1} at step 0: ${loss}`), label));
  await t.page.locator('figure.chart').first().screenshot({ path: new URL('chart-tries.png', SHOTS).pathname });
  // A step after the tries: the tries keep their places, training goes on from try 3.
  await t.page.click(tid('step-button'));
  assert.deepEqual([await attr('x-min'), await attr('x-max')], [0, 1]);
  assert.deepEqual(JSON.parse(await t.page.getAttribute(host, 'data-tries')).map((x) => x.x), tries.map((x) => x.x));
});

test('pointing at the sweep chart reads out the strength and both losses of the nearest point', async () => {
  await t.page.fill(tid('split-input'), '10');
  await t.page.selectOption(tid('sweep-kind'), 'smoothing');
  await t.page.click(tid('sweep-button'));
  const points = JSON.parse(await t.page.getAttribute(tid('sweep-results'), 'data-points'));
  assert.ok(points.length > 5);
  for (const fx of [0.02, 0.5, 0.98]) {
    await hover('#sweep-chart', 'sweep', fx);
    const value = Number(await readout('sweep', 'strength'));
    const p = points.find((q) => q.value === value);
    assert.ok(p, `${value} is a point of the sweep`);
    assert.equal(Number(await readout('sweep', 'train')), p.train);
    assert.equal(Number(await readout('sweep', 'dev')), p.dev);
    if (fx < 0.1) assert.equal(value, points[0].value, 'the left edge is the smallest strength');
    if (fx > 0.9) assert.equal(value, points.at(-1).value, 'the right edge the largest');
  }
  assert.match(await t.page.getAttribute('#sweep-chart', 'aria-label'), /^Train and dev loss against smoothing k on a log axis\. .*Best dev loss/);
});

test('the charts take their colours from the theme in force (the page\'s palette)', async () => {
  await stepAndRecord(6);
  await hover(host, 'chart', 0.5);
  const trainPoint = () => t.page.evaluate((sel) => getComputedStyle(document.querySelectorAll(`${sel} .u-cursor-pt`)[0]).backgroundColor, host);
  const marker = () => t.page.evaluate((sel) => getComputedStyle(document.querySelector(`${sel} .u-series:nth-child(2) .u-marker`)).borderTopColor, host);
  // The train series' colour as style.css gives it for the theme in force.
  const trainColour = () => t.page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--series-train)';
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  });
  const light = await trainColour();
  assert.equal(await trainPoint(), light);
  assert.equal(await marker(), light, 'the legend too');
  await t.page.selectOption(tid('theme-toggle'), 'dark');
  const dark = await trainColour();
  assert.notEqual(dark, light);
  await hover(host, 'chart', 0.3);
  assert.equal(await trainPoint(), dark);
  assert.equal(await marker(), dark);
});
