// The net, node by node: the explorer's graph read through its hooks against PyTorch's
// own nodes and .grads (tests/fixtures/graph.json, `retain_grad()` on every
// intermediate): emma alone at the seed's W, after one step, and the whole list; the
// backward sweep press by press; the sweep inside *Walk the loop*; a node's formula with
// the numbers of the cell read. Screenshots at 1366×768 and on a phone go to target/e2e/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, SHOTS, golden } from './harness.mjs';
import { NODES, SCALARS } from '../../www/lib/graph.js';

/** The sweep's order as the lecture's chain rule runs it, written here, not read from the page. */
const SWEEP = ['loss', 'logp', 'probs', 'counts_sum', 'counts', 'logits', 'W'];

const t = usePage();
const G = JSON.parse(readFileSync(new URL('../fixtures/graph.json', import.meta.url)));
const W0 = golden.rng['2147483647'].randn_27x27_row_major;

/** Values within 1e-5 relative; gradients within 1e-4 relative plus 1e-9 absolute. */
const VALUE = { rel: 1e-5, abs: 0 };
const GRAD = { rel: 1e-4, abs: 1e-9 };
function close(a, b, { rel, abs }, what) {
  if (Array.isArray(b)) {
    assert.ok(Array.isArray(a), `${what}: an array (got ${JSON.stringify(a)})`);
    assert.equal(a.length, b.length, `${what}: length`);
    a.forEach((x, i) => close(x, b[i], { rel, abs }, `${what}[${i}]`));
    return;
  }
  // float32 against float32: a 1e-5 relative band, with the smallest normal float32 as its floor for zeros.
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + Math.max(abs, 1e-38), `${what}: ${a} vs ${b}`);
}

/** Every node's and edge's data- attributes (null where absent). */
const read = () => t.page.evaluate(() => {
  const json = (s) => (s === undefined ? null : JSON.parse(s));
  const num = (s) => (s === undefined ? null : Number(s));
  const out = {};
  for (const el of document.querySelectorAll('[data-testid^="graph-node-"]')) {
    const name = el.dataset.testid.slice('graph-node-'.length);
    out[name] = { values: json(el.dataset.values), grads: json(el.dataset.grads), value: num(el.dataset.value), grad: num(el.dataset.grad) };
  }
  for (const id of ['graph-edge-counts-probs', 'graph-edge-counts-counts_sum']) {
    out[id] = json(document.querySelector(`[data-testid="${id}"]`).dataset.grads);
  }
  return out;
});

/** A node's gradient as its hook gives it (vector or number; null: not known). */
const gradOf = (g, name) => (SCALARS.includes(name) ? g[name].grad : g[name].grads);

/**
 * The page's graph of the picked example against PyTorch's.
 * @param {object} ex graph.json's example
 * @param {object} batch its batch: n, loss, l2
 * @param {number[]} wRow W[x, :] at the W the example was computed at
 */
async function matches(ex, batch, wRow, what) {
  const g = await read();
  const lit = Array.from({ length: 27 }, (_, j) => (j === ex.x ? 1 : 0));
  assert.deepEqual(g.xenc.values, lit, `${what}: xenc`);
  assert.equal(g.xenc.grads, null, `${what}: xenc has no .grad`);
  close(g.W.values, wRow, VALUE, `${what}: W[${ex.x}]`);
  close(g.W.grads, ex.W_grad_row, GRAD, `${what}: W.grad[${ex.x}]`);
  for (const name of ['logits', 'counts', 'probs']) {
    close(g[name].values, ex[name], VALUE, `${what}: ${name}`);
    close(g[name].grads, ex[`${name}_grad`], GRAD, `${what}: ${name}.grad`);
  }
  for (const name of ['counts_sum', 'logp']) {
    close(g[name].value, ex[name], VALUE, `${what}: ${name}`);
    close(g[name].grad, ex[`${name}_grad`], GRAD, `${what}: ${name}.grad`);
  }
  close(g['graph-edge-counts-probs'], ex.counts_grad_via_probs, GRAD, `${what}: edge counts → probs`);
  close(g['graph-edge-counts-counts_sum'], ex.counts_grad_via_sum, GRAD, `${what}: edge counts → counts_sum`);
  close(g.loss.value, batch.loss, VALUE, `${what}: loss`);
  assert.equal(g.loss.grad, 1, `${what}: loss.grad`);
  close(g.reg.value, batch.reg, VALUE, `${what}: reg`);
  // micrograd's +=: counts.grad is the sum of its two edges, cell by cell.
  g.counts.grads.forEach((c, j) => close(c, g['graph-edge-counts-probs'][j] + g['graph-edge-counts-counts_sum'][j], GRAD, `${what}: counts.grad[${j}] = the edges' sum`));
}

/** Trains on emma alone, λ = 0, learning rate 0.1: graph.json's `emma` batch. */
async function emmaAlone() {
  await t.page.fill(tid('l2-input'), '0');
  await t.page.fill(tid('lr-input'), '0.1');
  assert.equal(await t.page.inputValue(tid('word-input')), 'emma');
  await t.page.selectOption(tid('train-on-select'), 'word');
}
const pick = (k) => t.page.click(`${tid('nll-table')} tbody tr >> nth=${k}`);

test('each of emma\'s examples: every node, every .grad and both edges are PyTorch\'s, at the seed and after a Step', async () => {
  await emmaAlone();
  const seed = G.emma.at_seed;
  for (const ex of seed.examples) {
    await pick(ex.index);
    await matches(ex, seed, W0.slice(ex.x * 27, ex.x * 27 + 27), `emma example ${ex.index} (${ex.bigram})`);
  }
  await t.page.click(tid('step-button'));
  assert.equal(await t.value('step-count'), 1);
  const after = G.emma['after_one_step_lr0.1'];
  for (const ex of after.examples) {
    await pick(ex.index);
    // One Step of lr 0.1: W's row is the new one, which (one character of context) is the logits.
    await matches(ex, after, ex.logits, `after one step, example ${ex.index} (${ex.bigram})`);
    close((await read()).W.values, W0.slice(ex.x * 27, ex.x * 27 + 27).map((w, j) => w - 0.1 * seed.W_grad_row_major[ex.x * 27 + j]), VALUE,
      `W[${ex.x}] = W − 0.1·W.grad`);
  }
  assert.deepEqual(await t.seriousAxeViolations(), []);
});

test('the whole list at the defaults (λ = 0.01): emma\'s examples\' nodes are PyTorch\'s, and the L2 part of W.grad is 2λ·W / |W|', async () => {
  const { full } = G;
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
  for (const ex of full.examples) {
    await pick(ex.index);
    await matches(ex, full, W0.slice(ex.x * 27, ex.x * 27 + 27), `full, example ${ex.index} (${ex.bigram})`);
    const l2 = JSON.parse(await t.page.getAttribute(tid('grad-l2-row'), 'data-values'));
    close(l2, W0.slice(ex.x * 27, ex.x * 27 + 27).map((w) => (2 * 0.01 * w) / 729), GRAD, 'the L2 part');
    const data = JSON.parse(await t.page.getAttribute(tid('grad-data-row'), 'data-values'));
    close((await read()).W.grads, data.map((d, j) => d + l2[j]), GRAD, 'W.grad = data part + L2 part');
  }
});

test('the backward sweep: one node a press from loss.grad = 1 back to W.grad; presses past the end change nothing', async () => {
  await emmaAlone();
  await pick(1); // e → m
  const all = await read();
  await t.page.click(tid('graph-backward-start'));
  let g = await read();
  for (const name of [...SWEEP, 'reg']) assert.equal(gradOf(g, name), null, `no ${name}.grad before the first press`);
  assert.equal(g['graph-edge-counts-probs'], null);
  for (const [k, name] of SWEEP.entries()) {
    await t.page.click(tid('graph-backward-step'));
    g = await read();
    for (const [m, other] of SWEEP.entries()) {
      if (m <= k) assert.deepEqual(gradOf(g, other), gradOf(all, other), `after press ${k + 1}, ${other}.grad is shown`);
      else assert.equal(gradOf(g, other), null, `after press ${k + 1}, ${other}.grad is not known yet`);
    }
    // Values never change in the sweep.
    for (const v of NODES.filter((n) => !SCALARS.includes(n))) assert.deepEqual(g[v].values, all[v].values);
    assert.equal(await t.page.locator(tid(`graph-node-${name}`)).evaluate((el) => el.classList.contains('active')), true, `${name} is outlined`);
    const line = await t.page.textContent(tid('graph-sweep-line'));
    assert.ok(line.startsWith(`${k + 1} of 7: ${name}.grad`), line);
    if (k === 0) assert.equal(g.loss.grad, 1);
    if (name === 'counts') assert.deepEqual(g['graph-edge-counts-probs'], all['graph-edge-counts-probs'], 'the edges come with counts');
  }
  assert.equal(gradOf(g, 'reg'), 1, 'the L2 branch joins W\'s press');
  // The probs.grad line quotes −1/(n·p) with the page's numbers.
  const p = all.probs.values[13];
  close(all.probs.grads[13], -1 / (5 * p), { rel: 1e-5, abs: 0 }, 'probs.grad[y] = −1/(n·p)');
  await t.page.click(tid('graph-backward-step'));
  await t.page.click(tid('graph-backward-step'));
  assert.deepEqual(await read(), g, 'presses past the end change nothing');
  // Outside the sweep every gradient is shown; a Step ends a sweep too.
  await t.page.click(tid('graph-backward-start'));
  await t.page.click(tid('graph-backward-step'));
  await t.page.click(tid('step-button'));
  g = await read();
  for (const name of SWEEP) assert.notEqual(gradOf(g, name), null, `after a Step, ${name}.grad is shown`);
  assert.notDeepEqual(g.W.values, all.W.values, 'at the new W');
  // Live while training: a sweep begun is ended by the frames, and the nodes follow W.
  await t.page.click(tid('graph-backward-start'));
  const before = g.logits.values;
  await t.page.click(tid('train-toggle'));
  assert.equal(await t.page.isDisabled(tid('graph-backward-step')), true, 'the sweep waits while training runs');
  await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) >= 30, tid('step-count'));
  await t.page.click(tid('train-toggle'));
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.presses === 'all', tid('graph-sweep-line'));
  assert.equal(await t.page.isDisabled(tid('graph-backward-step')), false);
  g = await read();
  assert.notDeepEqual(g.logits.values, before, 'the graph follows training');
  for (const name of SWEEP) assert.notEqual(gradOf(g, name), null, `after training, ${name}.grad is shown`);
});

test('a node\'s formula writes the chain rule out with the numbers of the cell read', async () => {
  await pick(0);
  const g = await read();
  await t.page.locator(`${tid('graph-node-counts')} summary`).click();
  // Read counts.grad's cell 5 (the true next, "e"): the formula follows the cell read.
  const box = await t.page.locator(tid('graph-counts-grad')).boundingBox();
  await t.page.locator(tid('graph-counts-grad')).hover({ position: { x: (5.5 * box.width) / 27, y: 6 } });
  const text = await t.page.textContent(`${tid('graph-node-counts')} [data-part="grad"]`);
  const m = text.match(/^Backward: counts\.grad\[0, 5\] = via probs \+ via counts_sum = ([+−][\d.e−-]+) \+ \(([+−][\d.e−-]+)\) = ([+−][\d.e−-]+): /);
  assert.ok(m, text);
  const num = (s) => Number(s.replace(/−/g, '-'));
  close(num(m[1]) + num(m[2]), num(m[3]), { rel: 2e-3, abs: 0 }, 'the two edges add up (as written, four digits)');
  close(num(m[3]), g.counts.grads[5], { rel: 1e-3, abs: 0 }, 'the total is the node\'s .grad');
  await t.page.locator(`${tid('graph-node-probs')} summary`).click();
  const probs = await t.page.textContent(`${tid('graph-node-probs')} [data-part="grad"]`);
  assert.match(probs, /^Backward: probs\.grad\[0, 5\] = logp\.grad\[0\] · d log\(p\)\/dp = .* i\.e\. −1\/\(n·p\) = −1\/\(229804 × 0\.0123\)\.$/);
  // In a sweep, a formula does not give away a gradient not reached yet.
  await t.page.click(tid('graph-backward-start'));
  await t.page.click(tid('graph-backward-step'));
  assert.equal(await t.page.textContent(`${tid('graph-node-probs')} [data-part="grad"]`), 'Backward: probs.grad is not computed yet: backward has not reached probs.');
  await t.page.click(tid('graph-backward-step'));
  await t.page.click(tid('graph-backward-step'));
  assert.match(await t.page.textContent(`${tid('graph-node-probs')} [data-part="grad"]`), /^Backward: probs\.grad\[0, 5\] = /);
  // xenc's formula names its lit cell (index 0 for ".").
  await t.page.locator(`${tid('graph-node-xenc')} summary`).click();
  assert.equal(await t.page.textContent(`${tid('graph-node-xenc')} [data-part="value"]`), 'Forward: xenc[0, 0] = 1: the lit cell, this example\'s input.');
});

test('walking the loop: no .grad after forward, W.grad zeros after zero_grad, and the sweep is the backward phase', async () => {
  await t.page.check(tid('walk-toggle'));
  await t.page.click(tid('step-button'));
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'forward');
  let g = await read();
  for (const name of [...SWEEP, 'reg']) assert.equal(gradOf(g, name), null, `forward: no ${name}.grad`);
  await t.page.click(tid('step-button'));
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'zero_grad');
  g = await read();
  assert.deepEqual(g.W.grads, new Array(27).fill(0), 'zero_grad: W.grad is zeros');
  assert.equal(g.logits.grads, null);
  await t.page.click(tid('graph-backward-start'));
  for (let k = 0; k < 6; k++) await t.page.click(tid('graph-backward-step'));
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'zero_grad', 'six presses: W not reached yet');
  assert.deepEqual((await read()).W.grads, new Array(27).fill(0));
  await t.page.click(tid('graph-backward-step'));
  assert.equal(await t.page.getAttribute(tid('walk-phase'), 'data-value'), 'backward', 'the seventh press runs backward');
  g = await read();
  assert.ok(g.W.grads.some((x) => x !== 0), 'W.grad filled');
  assert.ok(Number(await t.page.getAttribute('#heatmap', 'data-scale')) >= 0);
  assert.equal(await t.value('step-count'), 0);
});

test('longer contexts: over contexts xenc lights one of 729 and W gives one row; side by side xenc is the concatenation and the logits add two rows', async () => {
  await t.page.selectOption(tid('context-select'), '2');
  await t.page.click(`${tid('nll-table')} tr[data-example="emm"]`);
  let g = await read();
  const xenc = t.page.locator(tid('graph-node-xenc'));
  assert.equal(await xenc.getAttribute('data-width'), '729');
  assert.equal(g.xenc.values, null, 'a row of 729 is said by its lit cell, not listed');
  assert.deepEqual(JSON.parse(await t.page.getAttribute(tid('explorer-xenc'), 'data-lit')), [5 * 27 + 13]);
  assert.deepEqual(g.W.values, g.logits.values, 'logits = row em of W');
  assert.equal(g.W.grads.length, 27);
  await t.page.selectOption(tid('encoding-select'), 'concat');
  await t.page.click(`${tid('nll-table')} tr[data-example="emm"]`);
  g = await read();
  assert.equal(await xenc.getAttribute('data-width'), '54');
  assert.deepEqual(g.xenc.values, [...Array.from({ length: 27 }, (_, j) => (j === 5 ? 1 : 0)), ...Array.from({ length: 27 }, (_, j) => (j === 13 ? 1 : 0))]);
  assert.equal(g.W.values.length, 54, 'the two rows xenc lights, one after another');
  g.logits.values.forEach((l, j) => close(l, g.W.values[j] + g.W.values[27 + j], { rel: 1e-5, abs: 1e-6 }, `logits[${j}] = W[5, ${j}] + W[27 + 13, ${j}]`));
  assert.equal(g.W.grads.length, 54);
  assert.match(await t.page.textContent(tid('explorer-context')), /concatenation/);
  // Side by side, xenc's second lit cell is 27 + 13: its formula says so when that cell is read (emm is row 2 of .emma.).
  await t.page.locator(`${tid('graph-node-xenc')} summary`).click();
  await t.page.focus(tid('explorer-xenc'));
  for (let k = 0; k < 27 + 13; k++) await t.page.keyboard.press('ArrowRight');
  assert.equal(await t.page.textContent(`${tid('graph-node-xenc')} [data-part="value"]`), 'Forward: xenc[2, 40] = 1: the lit cell, this example\'s input.');
});

test('screenshots of the graph at 1366×768 and on a phone', async () => {
  await t.page.setViewportSize({ width: 1366, height: 768 });
  await pick(0);
  await t.page.click(tid('graph-backward-start'));
  for (let k = 0; k < 5; k++) await t.page.click(tid('graph-backward-step'));
  await t.page.locator(`${tid('graph-node-counts')} summary`).click();
  await t.page.locator(tid('graph-node-counts')).scrollIntoViewIfNeeded();
  await t.page.screenshot({ path: new URL('graph-laptop.png', SHOTS).pathname });
  assert.deepEqual(await t.seriousAxeViolations(), []);
  await t.page.context().close();
  const context = await t.browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  t.page = await t.open(await context.newPage());
  await t.page.locator(tid('graph-node-counts')).scrollIntoViewIfNeeded();
  await t.page.locator(tid('graph-counts-grad')).tap({ position: { x: 10, y: 6 } });
  assert.match(await t.page.textContent(tid('backward-readout')), /^counts\.grad\[0, 0\] = /);
  assert.ok(await t.page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'nothing overflows sideways');
  await t.page.screenshot({ path: new URL('graph-phone.png', SHOTS).pathname });
  assert.deepEqual(await t.seriousAxeViolations(), []);
});
