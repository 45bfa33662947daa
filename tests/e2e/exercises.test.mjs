// The lecture's exercises in the page: the trigram net (one one-hot over the
// contexts, and two one-hots side by side) against PyTorch, makemore's 80/10/10 split
// with its test loss, the sweeps on dev, the PyTorch program, and no error for a
// context of 3. Numbers come from PyTorch (tests/fixtures/exercises.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, SHOTS } from './harness.mjs';

const t = usePage();
const ex = JSON.parse(readFileSync(new URL('../fixtures/exercises.json', import.meta.url)));
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const step = () => t.page.click(tid('step-button'));
const samples = () => t.page.locator(`${tid('samples')} li`).allTextContents();
const points = async () => JSON.parse(await t.page.getAttribute(tid('sweep-results'), 'data-points'));

test('context 2 (one-hot over the 729 contexts): ten losses, then 200 steps and the samples, are PyTorch\'s', async () => {
  const losses = ex['pair_gd_lr50_l2_0.01_losses']; // losses[k]: after k steps
  const floorBefore = await t.value('floor-value');
  await t.page.selectOption(tid('context-select'), '2');
  near(await t.value('loss-value'), losses[0], 1e-4, 'loss at the seed');
  assert.equal(await t.value('step-count'), 0);
  const said = await t.page.textContent(tid('status'));
  const floor = await t.value('floor-value');
  near(floor, ex.count_nll_smooth0, 1e-4, 'the trigram counting floor');
  assert.ok(said.includes(`trigram: counting floor ${floor.toFixed(3)} vs bigram ${floorBefore.toFixed(3)}`), said);
  assert.equal(new URLSearchParams(await t.page.evaluate(() => window.location.search)).get('context'), '2');
  assert.equal(await t.page.isDisabled(tid('encoding-select')), false);
  // The probe's rows name their examples by context; the heatmap picks the first character.
  const examples = await t.page.locator(`${tid('nll-table')} tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.dataset.example));
  assert.deepEqual(examples, ['..e', '.em', 'emm', 'mma', 'ma.']);
  assert.equal(await t.page.isVisible(tid('heatmap-first')), true);
  // The slice for the first character ".": row b is P(next | ., b), read out by the keyboard.
  await t.page.focus('#heatmap');
  await t.page.keyboard.press('ArrowDown');
  await t.page.keyboard.press('ArrowRight');
  assert.match(await t.page.textContent(tid('heatmap-readout')), /^\.aa: p\(a after \.a\) = 0\.\d{4}$/);
  for (let k = 1; k <= 10; k++) {
    await step();
    near(await t.value('loss-value'), losses[k], 1e-4, `loss after ${k} steps`);
  }
  const started = Date.now();
  for (let k = 11; k <= 199; k++) await step();
  near(await t.value('loss-value'), losses[199], 1e-4, 'loss after 199 steps');
  await step();
  assert.equal(await t.value('step-count'), 200);
  await t.page.fill(tid('sample-count-input'), '5');
  await t.page.click(tid('sample-button'));
  assert.deepEqual(await samples(), ex.pair_samples_after_200);
  assert.ok(Date.now() - started < 60000, '190 Step presses in a minute');

  // The explorer lights one of the 729 contexts; the word's bigram picture is hidden.
  await t.page.click(`${tid('nll-table')} tr[data-example="emm"]`);
  assert.deepEqual(JSON.parse(await t.page.getAttribute(tid('explorer-xenc'), 'data-lit')), [5 * 27 + 13]);
  assert.match(await t.page.textContent(tid('explorer-title')), /context “em”/);
  assert.equal(await t.page.isVisible(tid('xenc-picture')), false);
  await t.page.locator('#heat-h').scrollIntoViewIfNeeded();
  await t.page.selectOption(tid('heatmap-first'), '5'); // P(next | e, b)
  await t.page.locator('section.heat').screenshot({ path: new URL('trigram-heatmap.png', SHOTS).pathname });
  await t.page.selectOption(tid('heatmap-first'), 'overview');
  assert.equal(await t.page.getAttribute('#heatmap', 'data-rows'), '729');
  await t.page.selectOption(tid('heatmap-mode'), 'weights');
  await t.page.selectOption(tid('heatmap-mode'), 'diff');
});

test('context 2 with one one-hot per character side by side: the loss and one step are PyTorch\'s', async () => {
  const losses = ex['concat_gd_lr50_l2_0.01_losses'];
  await t.page.selectOption(tid('context-select'), '2');
  await t.page.selectOption(tid('encoding-select'), 'concat');
  near(await t.value('loss-value'), losses[0], 1e-4, 'loss at the seed');
  await step();
  near(await t.value('loss-value'), losses[1], 1e-4, 'loss after a step');
  // Two one-hots lit, side by side; the backward rows say why they are not drawn.
  await t.page.click(`${tid('nll-table')} tr[data-example="emm"]`);
  assert.deepEqual(JSON.parse(await t.page.getAttribute(tid('explorer-xenc'), 'data-lit')), [5, 27 + 13]);
  assert.match(await t.page.textContent(tid('backward-title')), /one one-hot per character/);
  await t.page.selectOption(tid('heatmap-mode'), 'weights');
  await t.page.selectOption(tid('heatmap-first'), '1');
  await t.page.selectOption(tid('heatmap-mode'), 'grad');
  await t.page.selectOption(tid('heatmap-first'), 'overview');
  assert.equal(await t.page.getAttribute('#heatmap', 'data-rows'), '54');
  // Back to one character: the encoding select is disabled.
  await t.page.selectOption(tid('context-select'), '1');
  assert.equal(await t.page.isDisabled(tid('encoding-select')), true);
  assert.equal(await t.page.isVisible(tid('heatmap-first')), false);
});

test('makemore\'s 80/10/10 split: dev words, dev loss, and a test loss only when asked', async () => {
  assert.equal(await t.page.inputValue(tid('split-seed-input')), '42');
  await t.page.fill(tid('split-input'), '10');
  await t.page.selectOption(tid('split-select'), '80-10-10');
  assert.equal(await t.page.inputValue(tid('split-input')), '0');
  const summary = t.page.locator(tid('dataset-summary'));
  assert.equal(await summary.getAttribute('data-dev-words'), String(ex.split_sizes[1]));
  assert.equal(await summary.getAttribute('data-test-words'), String(ex.split_sizes[2]));
  assert.match(await summary.textContent(), /3,226 test/);
  assert.ok(Number(await summary.getAttribute('data-examples')) > 0);
  assert.equal(await t.page.isVisible(tid('dev-loss')), true);
  assert.ok(Number.isFinite(await t.value('dev-loss')));
  assert.equal(await t.page.isVisible(tid('test-loss')), false);
  await t.page.click(tid('test-button'));
  assert.equal(await t.page.isVisible(tid('test-loss')), true);
  assert.ok(Number.isFinite(await t.value('test-loss')));
  assert.match(await t.page.textContent(tid('status')), /once, at the end/);
  await step(); // W changed: the test loss is cleared
  assert.equal(await t.page.isVisible(tid('test-loss')), false);
  // A held-out % replaces makemore's split.
  await t.page.fill(tid('split-input'), '10');
  assert.equal(await t.page.inputValue(tid('split-select')), 'none');
  assert.equal(await summary.getAttribute('data-test-words'), '0');
});

test('the smoothing sweep on the trigram with the split: 13 points, PyTorch\'s dev loss at 0.1, and Use the best', async () => {
  await t.page.click(tid('sweep-button')); // no split yet: explained
  assert.match(await t.page.textContent(tid('status')), /needs dev words/);
  await t.page.selectOption(tid('context-select'), '2');
  await t.page.selectOption(tid('split-select'), '80-10-10');
  await t.page.selectOption(tid('sweep-kind'), 'smoothing');
  await t.page.click(tid('sweep-button'));
  const pts = await points();
  assert.equal(pts.length, 13);
  const at01 = pts.find((p) => Math.abs(p.value - 0.1) < 1e-9);
  near(at01.dev, ex.split_count_nll.trigram['0.1'].dev, 1e-5, 'dev at k = 0.1');
  near(at01.train, ex.split_count_nll.trigram['0.1'].train, 1e-5, 'train at k = 0.1');
  const best = await t.value('sweep-best');
  assert.ok(best >= 0.01 && best <= 1, `best k ${best}`);
  assert.match(await t.page.getAttribute('#sweep-chart', 'aria-label'), /Best dev loss/);
  await t.page.click(tid('use-best-button'));
  assert.equal(Number(await t.page.inputValue(tid('smoothing-number'))), best);
  assert.equal(Number(await t.page.textContent(tid('smoothing-value'))), best);
  await t.page.locator('#sweep-h').scrollIntoViewIfNeeded();
  await t.page.locator('section[aria-labelledby="sweep-h"]').screenshot({ path: new URL('sweep.png', SHOTS).pathname });

  // The exercises' controls and results pass axe-core like the rest of the page.
  await t.page.click(tid('test-button'));
  assert.deepEqual(await t.seriousAxeViolations(), []);
});

test('a λ sweep of 5 steps a point finishes with 9 points and leaves W alone', async () => {
  await t.page.selectOption(tid('split-select'), '80-10-10');
  const loss = await t.value('loss-value');
  await t.page.selectOption(tid('sweep-kind'), 'l2');
  await t.page.fill(tid('sweep-steps-input'), '5');
  await t.page.click(tid('sweep-button'));
  await t.page.waitForFunction((sel) => JSON.parse(document.querySelector(sel).dataset.points ?? '[]').length === 9
    && document.querySelector('[data-testid="sweep-cancel"]').hidden, tid('sweep-results'));
  assert.equal((await points()).length, 9);
  assert.equal(await t.value('loss-value'), loss);
  assert.equal(await t.value('step-count'), 0);
  const best = await t.value('sweep-best');
  await t.page.click(tid('use-best-button'));
  assert.equal(Number(await t.page.inputValue(tid('l2-input'))), best);
});

test('the PyTorch program follows the settings and the form', async () => {
  await t.page.fill(tid('lr-input'), '25');
  await t.page.click(tid('step-button'));
  const code = await t.page.textContent(tid('code-view'));
  assert.match(code, /^seed = 2147483647$/m, 'the seed');
  assert.match(code, /manual_seed\(seed\)/);
  assert.match(code, /^lr = 25$/m, 'the learning rate of the step taken');
  assert.match(code, /^l2 = 0\.01$/m, 'λ');
  assert.match(code, /^steps = 1$/m, 'the step count');
  await t.page.selectOption(tid('code-form'), 'cross_entropy');
  const ce = await t.page.textContent(tid('code-view'));
  assert.notEqual(ce, code);
  assert.ok(ce.includes('F.cross_entropy'));
  const download = t.page.waitForEvent('download');
  await t.page.click(tid('code-data-button'));
  assert.equal((await download).suggestedFilename(), 'names.txt');
});

test('a context of 3, either encoding, every heatmap mode: no console error', async () => {
  await t.page.selectOption(tid('context-select'), '3');
  assert.equal(await t.value('step-count'), 0);
  for (const encoding of ['context', 'concat']) {
    await t.page.selectOption(tid('encoding-select'), encoding);
    await step();
    await t.page.click(`${tid('nll-table')} tbody tr >> nth=3`);
    for (const mode of ['net', 'counts', 'diff', 'weights', 'grad', 'update']) {
      await t.page.selectOption(tid('heatmap-mode'), mode);
      await t.page.selectOption(tid('heatmap-first'), 'overview');
      await t.page.selectOption(tid('heatmap-first'), '1');
    }
    await t.page.click(tid('sample-button'));
    // Training runs frame by frame with the overview of every context redrawn.
    await t.page.click(tid('train-toggle'));
    await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 3, tid('step-count'));
    await t.page.click(tid('train-toggle'));
  }
  await t.page.selectOption(tid('split-select'), '80-10-10');
  await t.page.click(tid('sweep-button'));
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await t.page.inputValue(tid('context-select')), '3', 'the context came back with the saved model');
  assert.equal(await t.page.inputValue(tid('encoding-select')), 'concat');
  await t.page.click(tid('forget-button'));
  assert.equal(await t.page.inputValue(tid('context-select')), '1');
});
