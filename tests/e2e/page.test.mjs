// End-to-end tests of the page in Debian's Chromium, driven by Playwright
// (playwright-core, no browser download). `cargo xtask test` serves the page and sets
// BASE_URL; the numbers come from the PyTorch reference in tests/fixtures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, truncateSync } from 'node:fs';
import { usePage, tid, golden, GD, SHOTS, BASE_URL } from './harness.mjs';
import { generatedWords } from './words.mjs';

const t = usePage();
const value = (id) => t.value(id);

test('typing emma shows the lecture\'s five bigrams, p and NLL as in PyTorch', async () => {
  await t.page.fill(tid('word-input'), 'emma');
  const rows = t.page.locator(`${tid('nll-table')} tbody tr`);
  assert.equal(await rows.count(), 5);
  const bigrams = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.bigram));
  assert.deepEqual(bigrams, ['.e', 'em', 'mm', 'ma', 'a.']);
  for (let k = 0; k < 5; k++) {
    const row = rows.nth(k);
    const p = Number(await row.locator('[data-col=p]').getAttribute('data-value'));
    const nll = Number(await row.locator('[data-col=nll]').getAttribute('data-value'));
    const want = golden.emma.probs_5x27[k][golden.emma.ys[k]];
    assert.equal(p.toFixed(4), want.toFixed(4), `p of ${bigrams[k]}`);
    assert.equal(nll.toFixed(4), golden.emma.nll[k].toFixed(4), `nll of ${bigrams[k]}`);
    assert.equal(await row.locator('[data-col=p]').textContent(), want.toFixed(4));
  }
  assert.equal((await value('word-loss')).toFixed(4), '3.7693');
  assert.equal(await t.page.textContent(tid('word-loss')), '3.7693');
  await t.page.screenshot({ path: new URL('t.page.png', SHOTS).pathname, fullPage: true });
});

test('one Step moves the count to 1 and the loss to PyTorch\'s second value', async () => {
  assert.equal(await value('step-count'), 0);
  assert.ok(Math.abs(await value('loss-value') - GD.loss_before_each_step[0]) < 1e-5);
  await t.page.click(tid('step-button'));
  assert.equal(await value('step-count'), 1);
  assert.ok(Math.abs(await value('loss-value') - GD.loss_before_each_step[1]) < 1e-5);
  assert.equal(await t.page.textContent(tid('loss-value')), GD.loss_before_each_step[1].toFixed(4));
});

test('Train makes the loss fall below 2.6 and Pause stops it', async () => {
  await t.page.click(tid('train-toggle'));
  assert.equal(await t.page.getAttribute(tid('train-toggle'), 'aria-pressed'), 'true');
  await t.page.waitForFunction(
    (sel) => Number(document.querySelector(sel).dataset.value) < 2.6,
    tid('loss-value'),
    { timeout: 20000 },
  );
  await t.page.click(tid('train-toggle'));
  assert.equal(await t.page.getAttribute(tid('train-toggle'), 'aria-pressed'), 'false');
  const paused = await value('step-count');
  assert.ok(paused >= 18, `18 steps at least reach 2.6, got ${paused}`);
  await t.page.waitForTimeout(300);
  assert.equal(await value('step-count'), paused, 'no step after Pause');
  // The word probe followed the training.
  assert.ok(await value('word-loss') < 3.7693);
  await t.page.screenshot({ path: new URL('trained.png', SHOTS).pathname, fullPage: true });
});

test('Train runs in a worker whose steps become the page\'s, with PyTorch\'s losses', async () => {
  assert.equal(await t.page.getAttribute('body', 'data-worker'), null, 'no worker before the first Train');
  await t.page.fill(tid('steps-per-frame-input'), '3');
  await t.page.click(tid('train-toggle'));
  // The first steps train in the page while the worker loads; then it takes over.
  await t.page.waitForSelector('body[data-trainer="worker"]');
  await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) >= 60, tid('step-count'));
  // A change mid-run: the worker's steps were of the λ before, so the run is handed off
  // again from the page's state, and goes on with the new λ. λ = 1 shrinks W by a seventh
  // a step (lr · 2λ / |W|): within tens of steps the loss settles near λ = 1's minimum,
  // 2.89. Steps taken at the old λ would keep W as trained, and its L2 term at the new λ
  // above 0.6 (taking λ out of the fingerprint gave 3.97).
  await t.page.fill(tid('l2-input'), '1');
  const changed = await value('step-count');
  await t.page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-count"]').dataset.value) >= n + 60, changed);
  const settled = await value('loss-value');
  assert.ok(settled < 3.0, `the loss ${settled} 60 steps after λ = 1`);
  await t.page.click(tid('train-toggle'));
  const paused = await value('step-count');
  await t.page.waitForTimeout(300);
  assert.equal(await value('step-count'), paused, 'no step after Pause');
  assert.equal(await t.page.getAttribute('body', 'data-trainer'), 'worker', 'still the worker');
  assert.notEqual(await t.page.getAttribute(tid('status'), 'data-kind'), 'error');
  // Every step after Reset was the lecture's, at λ = 0.01 (the fixture's): PyTorch's loss.
  await t.page.fill(tid('l2-input'), '0.01');
  await t.page.click(tid('reset-button'));
  await t.page.click(tid('train-toggle'));
  await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) >= 60, tid('step-count'));
  assert.equal(await t.page.getAttribute('body', 'data-trainer'), 'worker');
  await t.page.click(tid('train-toggle'));
  const k = await value('step-count');
  assert.ok(k < GD.loss_before_each_step.length, `${k} steps: past the fixture's 200`);
  const loss = await value('loss-value');
  assert.ok(Math.abs(loss - GD.loss_before_each_step[k]) < 1e-5, `step ${k}: ${loss} vs PyTorch's ${GD.loss_before_each_step[k]}`);
});

test('a run begun before the worker has loaded trains in the page, then moves into the worker', async () => {
  const page = await t.browser.newPage();
  // The worker's script is held back a second and a half: Train comes first.
  await page.route('**/trainingWorker.js', async (route) => {
    await new Promise((resolve) => { setTimeout(resolve, 1500); });
    await route.continue();
  });
  await page.goto(BASE_URL);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click(tid('train-toggle'));
  assert.equal(await page.getAttribute('body', 'data-trainer'), 'page');
  await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 0, tid('step-count'));
  await page.waitForSelector('body[data-trainer="worker"]', { timeout: 10000 });
  const moved = Number(await page.getAttribute(tid('step-count'), 'data-value'));
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="step-count"]').dataset.value) > n + 10, moved);
  await page.click(tid('train-toggle'));
  assert.notEqual(await page.getAttribute(tid('status'), 'data-kind'), 'error');
  await page.close();
});

test('after 200 Steps the samples equal PyTorch\'s', async () => {
  for (let i = 0; i < 200; i++) await t.page.click(tid('step-button'));
  assert.equal(await value('step-count'), 200);
  // Below PyTorch's loss before the 200th step, above the counting model's floor.
  const loss = await value('loss-value');
  assert.ok(loss < GD.loss_before_each_step[199] && loss > golden.default_dataset.count_model_nll_smoothing_0);
  await t.page.fill(tid('sample-count-input'), '10');
  await t.page.click(tid('sample-button'));
  const names = await t.page.locator(`${tid('samples')} li`).allTextContents();
  assert.deepEqual(names, GD.samples_after_200_steps_seed_2147483647);
});

test('loading a word list from a file, or by dropping it, updates the summary and vocabulary', async () => {
  const summary = t.page.locator(tid('dataset-summary'));
  assert.equal(await summary.getAttribute('data-words'), '32257');
  assert.equal(await summary.getAttribute('data-bigrams'), '229804');
  assert.equal(await summary.getAttribute('data-vocab'), '27');

  await t.page.setInputFiles(tid('dataset-input'), {
    name: 'names.txt', mimeType: 'text/plain', buffer: Buffer.from('\uFEFFzoë\r\nanna\r\nbob\r\n'),
  });
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '3', tid('dataset-summary'));
  assert.equal(await summary.getAttribute('data-bigrams'), String(4 + 5 + 4));
  assert.equal(await summary.getAttribute('data-vocab'), '7'); // . a b n o z ë
  assert.match(await summary.textContent(), /\.abnozë/);
  assert.equal(await value('step-count'), 0);
  // The probe now speaks the new vocabulary: ë is known, e is not.
  await t.page.fill(tid('word-input'), 'zoë');
  assert.ok(Number.isFinite(await value('word-loss')));
  await t.page.fill(tid('word-input'), 'zoe');
  assert.equal(await t.page.getAttribute(tid('word-loss'), 'data-value'), null);
  assert.match(await t.page.textContent(tid('status')), /Not in the vocabulary: “e”/);

  const drop = await t.page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['ab\nba\nabba\n'], 'dropped.txt', { type: 'text/plain' }));
    return dt;
  });
  await t.page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: drop });
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '3'
    && document.querySelector(sel).dataset.vocab === '3', tid('dataset-summary'));
  assert.match(await t.page.textContent(tid('status')), /Loaded “dropped.txt”/);
});

test('a refused file leaves the data set and weights as they were', async () => {
  await t.page.click(tid('step-button'));
  const loss = await value('loss-value');
  await t.page.setInputFiles(tid('dataset-input'), {
    name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from([0x61, 0x6e, 0x6e, 0x0a, 0xff, 0xfe]),
  });
  await t.page.waitForFunction((sel) => /not UTF-8/.test(document.querySelector(sel).textContent), tid('status'));
  assert.match(await t.page.textContent(tid('status')), /Could not load “bad.txt”.*unchanged/);
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-words'), '32257');
  assert.equal(await value('step-count'), 1);
  assert.equal(await value('loss-value'), loss);
});

test('the heatmap names the focused cell and its probability as text', async () => {
  await t.page.focus('#heatmap');
  // From (.,.) go down to row e (index 5) and right to column m (index 13).
  for (let i = 0; i < 5; i++) await t.page.keyboard.press('ArrowDown');
  for (let i = 0; i < 13; i++) await t.page.keyboard.press('ArrowRight');
  const readout = await t.page.textContent(tid('heatmap-readout'));
  const want = golden.emma.probs_5x27[1][13].toFixed(4);
  assert.equal(readout, `em: p(m after e) = ${want}`);
});

test('on a phone the page fits the width: one column, nothing scrolls sideways', async () => {
  await t.page.setViewportSize({ width: 390, height: 844 });
  await t.page.waitForTimeout(100); // the resize handler redraws the canvases
  const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const boxes = await t.page.locator('main > section').evaluateAll((s) => s.map((e) => e.getBoundingClientRect().left));
  assert.ok(boxes.every((left) => left === boxes[0]), 'sections stack in one column');
  await t.page.screenshot({ path: new URL('phone.png', SHOTS).pathname, fullPage: true });
});

test('the controls work from the keyboard alone', async () => {
  await t.page.focus(tid('reset-button'));
  await t.page.keyboard.press('Shift+Tab'); // back to Step
  assert.equal(await t.page.evaluate(() => document.activeElement.dataset.testid), 'step-button');
  await t.page.keyboard.press('Enter');
  await t.page.keyboard.press('Space');
  assert.equal(await value('step-count'), 2);
  assert.ok(Math.abs(await value('loss-value') - GD.loss_before_each_step[2]) < 1e-5);
  for (const id of ['seed-input', 'lr-input', 'l2-input', 'steps-per-frame-input', 'word-input', 'sample-count-input', 'dataset-input']) {
    const labelled = await t.page.locator(tid(id)).evaluate((el) => el.labels.length > 0 && el.labels[0].textContent.trim().length > 0);
    assert.ok(labelled, `${id} has a label`);
  }
});

test('a batch size trains with minibatches while the chart shows the whole data set\'s loss', async () => {
  await t.page.fill(tid('batch-size-input'), '256');
  await t.page.click(tid('step-button'));
  const sgd = await value('loss-value');
  // Not full-batch descent any more, yet a step still lowers the whole data set's loss.
  assert.notEqual(sgd.toFixed(6), GD.loss_before_each_step[1].toFixed(6));
  assert.ok(sgd < GD.loss_before_each_step[0]);
  for (let i = 0; i < 40; i++) await t.page.click(tid('step-button'));
  assert.ok(await value('loss-value') < 2.8, 'SGD reaches the region full batch does');
  await t.page.fill(tid('batch-size-input'), '0');
  await t.page.click(tid('reset-button'));
  await t.page.click(tid('step-button'));
  assert.ok(Math.abs(await value('loss-value') - GD.loss_before_each_step[1]) < 1e-5, 'back to full batch');
});

test('a large file (5 million words) loads in chunks with a progress bar, and the page keeps drawing frames', async () => {
  await t.page.evaluate(() => {
    // Frames drawn while the progress bar shows: proof the page kept going mid-load.
    window.framesWhileLoading = 0;
    const bar = document.getElementById('load-progress');
    const tick = () => {
      if (!bar.hidden) window.framesWhileLoading++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // A million words parse in a blink (see the benchmark); five million take long enough
  // for the page to read them in chunks and show its progress.
  const text = generatedWords(5_000_000);
  await t.page.setInputFiles(tid('dataset-input'), { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '5000000', tid('dataset-summary'), { timeout: 60000 });
  const summary = t.page.locator(tid('dataset-summary'));
  assert.equal(await summary.getAttribute('data-bigrams'), String(text.length + 1)); // each word + "." end, newlines are the separators
  assert.equal(await summary.getAttribute('data-vocab'), '27');
  assert.ok(await t.page.evaluate(() => window.framesWhileLoading) > 1, 'frames were drawn while the bar showed');
  assert.equal(await t.page.getAttribute(tid('load-progress'), 'hidden'), '', 'and hidden again');
});

test('after a smaller vocabulary loads, the heatmap cursor stays on the table', async () => {
  await t.page.focus('#heatmap');
  for (let i = 0; i < 10; i++) await t.page.keyboard.press('ArrowDown');
  await t.page.setInputFiles(tid('dataset-input'), { name: 'ab.txt', mimeType: 'text/plain', buffer: Buffer.from('ab\nba\n') });
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.vocab === '3', tid('dataset-summary'));
  assert.match(await t.page.textContent(tid('status')), /Loaded “ab.txt”/);
  await t.page.focus('#heatmap');
  assert.match(await t.page.textContent(tid('heatmap-readout')), /^b.: p\(\. after b\) = 0\.\d{4}$/);
  assert.equal(await t.page.getAttribute(tid('word-loss'), 'data-value'), null, 'emma is not in the new vocabulary');
});

test('Pause then Train at once runs one training loop, not two', async () => {
  await t.page.evaluate(() => {
    window.frames = 0;
    const tick = () => { window.frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  // Train, Pause, Train within one frame: a second loop would take two steps a frame.
  await t.page.evaluate(() => {
    const b = document.querySelector('[data-testid="train-toggle"]');
    b.click(); b.click(); b.click();
  });
  const before = await t.page.evaluate(() => ({ f: window.frames, s: Number(document.querySelector('[data-testid="step-count"]').dataset.value) }));
  await t.page.waitForFunction((f) => window.frames >= f + 20, before.f);
  const after = await t.page.evaluate(() => ({ f: window.frames, s: Number(document.querySelector('[data-testid="step-count"]').dataset.value) }));
  await t.page.click(tid('train-toggle'));
  assert.ok(after.s - before.s <= after.f - before.f + 1, `${after.s - before.s} steps in ${after.f - before.f} frames`);
});

test('a file over the size limit is refused before it is read', async () => {
  // A sparse file on disk (Playwright takes at most 50 MB from memory); the page must
  // refuse it from its size alone.
  const huge = new URL('huge.txt', SHOTS).pathname;
  writeFileSync(huge, '');
  truncateSync(huge, 64 * 1024 * 1024 + 1);
  await t.page.setInputFiles(tid('dataset-input'), huge);
  await t.page.waitForFunction((sel) => /larger than 64 MiB/.test(document.querySelector(sel).textContent), tid('status'));
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-words'), '32257');
});
