// Inside the backward pass: training on one word (the lecture's first run), dlogits and
// the row of W.grad for the explorer's example, the probe's Δ columns after a Step, the
// W / W.grad / ΔW heatmaps, the gradient check, and walking the loop one phase a press.
// Numbers come from PyTorch (tests/fixtures/gradient.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, SHOTS, GD, BASE_URL } from './harness.mjs';

const t = usePage();
const gradient = JSON.parse(readFileSync(new URL('../fixtures/gradient.json', import.meta.url)));
const values = async (id) => JSON.parse(await t.page.getAttribute(tid(id), 'data-values'));
const close = (a, b, tol, what) => {
  assert.equal(a.length, b.length, `${what}: length`);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol, `${what}[${i}]: ${x} vs ${b[i]}`));
};
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const step = () => t.page.click(tid('step-button'));

test('trained on emma alone with λ = 0 and lr 0.1: the loss, dlogits, W.grad rows and ten losses are PyTorch\'s', async () => {
  const { emma } = gradient;
  await t.page.fill(tid('l2-input'), '0');
  await t.page.fill(tid('lr-input'), '0.1');
  assert.equal(await t.page.inputValue(tid('word-input')), 'emma');
  await t.page.selectOption(tid('train-on-select'), 'word');
  near(await t.value('loss-value'), emma.loss, 1e-5, 'loss on .emma.');
  assert.match(await t.page.textContent(tid('status')), /Training on “emma” alone/);
  assert.equal(new URLSearchParams(await t.page.evaluate(() => window.location.search)).get('trainOn'), 'word');

  await t.page.click(`${tid('nll-table')} tbody tr >> nth=0`); // .e: x = 0, y = 5
  close(await values('dlogits-row'), emma.dlogits_example0, 1e-6, 'dlogits of example 0');
  close(await values('grad-row'), emma.grad_rows['0'], 1e-6, 'W.grad[0, :]');
  // With λ = 0 the gradient is all data part.
  close(await values('grad-data-row'), emma.grad_rows['0'], 1e-6, 'data part');
  assert.ok((await values('grad-l2-row')).every((x) => x === 0), 'L2 part is 0 with λ = 0');
  // The true next character's cell is the one negative dlogit.
  const dlogits = await values('dlogits-row');
  dlogits.forEach((d, j) => assert.ok(j === 5 ? d < 0 : d > 0, `dlogits[${j}] = ${d}`));
  assert.match(await t.page.textContent(tid('backward-step')), /^W\[\.,e\] = [+−]\d\.\d{4}; W\.grad\[\.,e\] = −/);

  // The other rows of W.grad: pick the examples whose input is e (row 5) and m (row 13).
  await t.page.click(`${tid('nll-table')} tr[data-bigram="em"]`);
  close(await values('grad-row'), emma.grad_rows['5'], 1e-6, 'W.grad[5, :]');
  await t.page.click(`${tid('nll-table')} tr[data-bigram="mm"]`);
  close(await values('grad-row'), emma.grad_rows['13'], 1e-6, 'W.grad[13, :]');
  await t.page.click(`${tid('nll-table')} tbody tr >> nth=0`);

  const losses = emma['losses_lr0.1'];
  for (let k = 1; k < losses.length; k++) {
    await step();
    assert.equal(await t.value('step-count'), k);
    near(await t.value('loss-value'), losses[k], 1e-5, `loss after ${k} steps`);
  }
  // The probe's Δ columns: every bigram of emma became likelier.
  const deltas = await t.page.locator(`${tid('nll-table')} [data-col=dp]`).evaluateAll((cells) => cells.map((c) => [Number(c.dataset.value), c.textContent]));
  assert.equal(deltas.length, 5);
  for (const [d, text] of deltas) {
    assert.ok(d > 0, `Δp ${d}`);
    assert.match(text, /^▲ \+/);
  }
  const dnll = await t.page.locator(`${tid('nll-table')} [data-col=dnll]`).evaluateAll((cells) => cells.map((c) => c.textContent));
  dnll.forEach((text) => assert.match(text, /^▼ −/));
  // Typing another word clears the Δ and trains on that word.
  await t.page.fill(tid('word-input'), 'ava');
  assert.equal(await t.page.getAttribute(`${tid('nll-table')} [data-col=dp] >> nth=0`, 'data-value'), null);
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'word');
  // A word outside the vocabulary is refused: back to all the words.
  await t.page.fill(tid('word-input'), 'av4');
  assert.equal(await t.page.getAttribute(tid('status'), 'data-kind'), 'error');
  assert.match(await t.page.textContent(tid('status')), /cannot train on "av4"/);
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
});

test('the whole list at the defaults: W.grad row 0 is PyTorch\'s, before and after 10 steps', async () => {
  const { full } = gradient;
  near(await t.value('loss-value'), full.loss_init, 1e-5, 'loss');
  await t.page.click(`${tid('nll-table')} tr[data-bigram=".e"]`);
  close(await values('grad-row'), full.grad_init_row_major.slice(0, 27), 1e-6, 'W.grad[0, :] at the start');
  const sum = (await values('grad-data-row')).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum) < 1e-6, `the data part of a row sums to 0 (${sum})`);
  for (let i = 0; i < 10; i++) await step();
  near(await t.value('loss-value'), full.loss_after_10, 1e-5, 'loss after 10 steps');
  close(await values('grad-row'), full.grad_after_10_row_major.slice(0, 27), 1e-6, 'W.grad[0, :] after 10 steps');
  assert.equal(await t.page.isVisible(tid('backward-batch-note')), false);
  await t.page.fill(tid('batch-size-input'), '32');
  assert.equal(await t.page.isVisible(tid('backward-batch-note')), true);
});

test('the gradient check agrees with finite differences at the explorer\'s example and five more cells', async () => {
  await t.page.click(`${tid('nll-table')} tr[data-bigram="em"]`);
  await t.page.click(tid('gradcheck-button'));
  const points = JSON.parse(await t.page.getAttribute(tid('gradcheck-results'), 'data-points'));
  assert.ok(points.length >= 5, `${points.length} points`);
  for (const p of points) assert.ok(p.relError < 1e-6, `relative error at (${p.row}, ${p.col}): ${p.relError}`);
  assert.equal(points[0].row, 5);
  assert.equal(points[0].col, 13);
  const rows = t.page.locator(`${tid('gradcheck-results')} tbody tr`);
  assert.equal(await rows.count(), points.length);
  assert.match(await rows.first().locator('td').first().textContent(), /^em \(5, 13\)$/);
  assert.equal(await rows.first().locator('td').count(), 5);
});

test('walking the loop: one phase a Step press, and the step counted only after update', async () => {
  await t.page.check(tid('walk-toggle'));
  await t.page.selectOption(tid('heatmap-mode'), 'grad');
  const heatScale = async () => Number(await t.page.getAttribute('#heatmap', 'data-scale'));
  const phases = ['forward', 'zero_grad', 'backward', 'update'];
  for (const [i, phase] of phases.entries()) {
    assert.equal(await t.value('step-count'), 0);
    await step();
    assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), phase);
    assert.equal(await t.value('step-count'), i === 3 ? 1 : 0, `after ${phase}`);
    if (phase === 'zero_grad') assert.equal(await heatScale(), 0, 'W.grad cleared');
    if (phase === 'backward') assert.ok(await heatScale() > 0, 'W.grad appears');
  }
  assert.match(await t.page.textContent('#walk-text'), /W moves/);
  // The walked step is the same as a Step: the loss after one step at the defaults.
  near(await t.value('loss-value'), GD.loss_before_each_step[1], 1e-5, 'loss after the walked step');
  await step();
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'forward');
  await step();
  await step();
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'backward');
  // A change that recomputes the loss discards the walk's gradient: it starts again at forward.
  await t.page.fill(tid('l2-input'), '0.01');
  await t.page.fill(tid('l2-input'), '0.02');
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), '');
  await step();
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'forward');
  await t.page.fill(tid('l2-input'), '0.01');
  // Turning it off: Step is a whole step again.
  await t.page.uncheck(tid('walk-toggle'));
  await step();
  assert.equal(await t.value('step-count'), 2);
  // Train turns the walk off.
  await t.page.check(tid('walk-toggle'));
  await t.page.click(tid('train-toggle'));
  assert.equal(await t.page.isChecked(tid('walk-toggle')), false);
  await t.page.click(tid('train-toggle'));
});

test('the heatmap draws W, W.grad and ΔW with signed colours and their own scales', async () => {
  await step();
  for (const [mode, name] of [['weights', 'W'], ['grad', 'W.grad'], ['update', 'ΔW']]) {
    await t.page.selectOption(tid('heatmap-mode'), mode);
    await t.page.focus('#heatmap');
    await t.page.keyboard.press('ArrowRight');
    const text = await t.page.textContent(tid('heatmap-readout'));
    assert.ok(/^\S\S: /.test(text) && text.includes(`: ${name} = `), text);
    assert.match(text, /colour scale ±/);
    assert.ok(Number(await t.page.getAttribute('#heatmap', 'data-scale')) > 0, `${mode} has a scale`);
    assert.match(await t.page.textContent(tid('heatmap-scale')), /^Colour scale ±/);
  }
  await t.page.selectOption(tid('heatmap-mode'), 'grad');
  assert.match(await t.page.textContent(tid('heatmap-mode-hint')), /\(R_i·P_net − N\)\/n/);
  await t.page.selectOption(tid('heatmap-mode'), 'net');
  assert.equal(await t.page.isVisible(tid('heatmap-mode-hint')), false);
});

test('Train on travels in the URL and comes back after a reload; an exported model carries it', async () => {
  await t.page.selectOption(tid('train-on-select'), 'word');
  const wordLoss = await t.value('loss-value');
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'word');
  assert.equal(await t.value('loss-value'), wordLoss);
  const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('export-button'))]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(file.train_on, 'emma');
  assert.equal(file.settings.trainOn, 'word');
  // Imported where another word is typed and all the words are trained on: the file's
  // train_on wins, and its word becomes the probe's.
  await t.page.click(tid('forget-button'));
  await t.page.fill(tid('word-input'), 'ava');
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
  await t.page.setInputFiles(tid('import-input'), await download.path());
  await t.page.waitForFunction((sel) => document.querySelector(sel).value === 'word', tid('train-on-select'));
  assert.equal(await t.page.inputValue(tid('word-input')), 'emma');
  assert.equal(await t.value('loss-value'), wordLoss);
  // A fresh visitor with a link: trained on the link's word.
  await t.page.context().close();
  t.page = await t.open(await t.browser.newPage(), new URL('?trainOn=word&word=ava', BASE_URL).href);
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'word');
  assert.notEqual(await t.value('loss-value'), wordLoss);
});

test('Train on word with a word the vocabulary cannot make is refused, and nothing changes', async () => {
  const loss = await t.value('loss-value');
  await t.page.fill(tid('word-input'), 'zz9');
  await t.page.selectOption(tid('train-on-select'), 'word');
  assert.equal(await t.page.getAttribute(tid('status'), 'data-kind'), 'error');
  assert.match(await t.page.textContent(tid('status')), /Training on all the words instead/);
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
  assert.equal(await t.value('loss-value'), loss);
  await t.page.fill(tid('word-input'), '');
  await t.page.selectOption(tid('train-on-select'), 'word');
  assert.match(await t.page.textContent(tid('status')), /type a word first/);
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
  assert.equal(await t.value('loss-value'), loss);
});

test('a screenshot of the backward rows', async () => {
  await t.page.click(`${tid('nll-table')} tr[data-bigram="em"]`);
  await step();
  await t.page.click(tid('gradcheck-button'));
  await t.page.screenshot({ path: new URL('backward-page.png', SHOTS).pathname, fullPage: true });
  await t.page.locator(tid('backward-section')).screenshot({ path: new URL('backward.png', SHOTS).pathname });
});
