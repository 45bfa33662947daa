// The explorer graph's rules, without a browser: the order of the backward sweep, which
// gradients are known at each press and at each phase of *Walk the loop*, and each node's
// formulas quoting the numbers of the cell asked for (PyTorch's, tests/fixtures/graph.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NODES, SWEEP, knownAfter, knownInWalk, formula } from '../../www/lib/graph.js';
import { short, signed } from '../../www/lib/format.js';

const G = JSON.parse(readFileSync(new URL('../fixtures/graph.json', import.meta.url)));

/** graph.json's first example of emma at the seed, in the shape `Lab.graph` gives. */
function emma0() {
  const { at_seed: seed } = G.emma;
  const ex = seed.examples[0];
  return {
    encoding: 'context', contextLen: 1, x: ex.x, y: ex.y, chars: [ex.x], examples: seed.n, occurrences: 1, inTraining: true,
    l2: seed.l2, xencWidth: 27, xencHot: [ex.x],
    w: [{ row: ex.x, value: ex.logits, grad: ex.W_grad_row, gradData: ex.W_grad_row, gradL2: ex.W_grad_row.map(() => 0) }],
    logits: ex.logits, logitsGrad: ex.logits_grad, counts: ex.counts, countsGrad: ex.counts_grad,
    countsGradViaProbs: ex.counts_grad_via_probs, countsGradViaSum: ex.counts_grad_via_sum,
    countsSum: ex.counts_sum, countsSumGrad: ex.counts_sum_grad, countsSumGradTerms: [],
    probs: ex.probs, probsGrad: ex.probs_grad, logp: ex.logp, logpGrad: ex.logp_grad,
    loss: seed.loss, dataLoss: seed.data_loss, reg: seed.reg, lossGrad: 1,
    dlogpDprob: 1 / ex.probs[ex.y], dprobsDcounts: 1 / ex.counts_sum, dprobsDcountsSum: [],
  };
}

test('the sweep runs from the loss back to W, and every node but xenc gets a gradient', () => {
  assert.deepEqual([...SWEEP], ['loss', 'logp', 'probs', 'counts_sum', 'counts', 'logits', 'W']);
  assert.deepEqual(NODES.filter((n) => !SWEEP.includes(n)), ['xenc', 'reg']);
  assert.deepEqual([...knownAfter(0)], []);
  assert.deepEqual([...knownAfter(1)], ['loss']);
  assert.deepEqual([...knownAfter(4)], ['loss', 'logp', 'probs', 'counts_sum']);
  assert.ok(!knownAfter(6).has('reg'), 'the L2 branch waits for W');
  assert.ok(knownAfter(7).has('reg') && knownAfter(7).has('W'));
  assert.deepEqual([...knownAfter(99)], [...knownAfter(null)], 'presses past the end change nothing');
  assert.ok(!knownAfter(null).has('xenc'), 'xenc is data');
});

test('walking the loop: nothing after forward, W.grad zeros after zero_grad, everything after backward', () => {
  assert.deepEqual(knownInWalk('forward'), { known: new Set(), zeroW: false });
  assert.deepEqual(knownInWalk('zero_grad'), { known: new Set(), zeroW: true });
  for (const phase of ['backward', 'update', null]) assert.deepEqual(knownInWalk(phase).known, knownAfter(null));
});

test('each formula quotes the numbers of its cell, and they compose as the chain rule says', () => {
  const g = emma0();
  const y = g.y;
  // probs.grad at y: logp.grad / p, i.e. −1/(n·p).
  const probs = formula(g, 'probs', y).grad;
  assert.ok(probs.includes(signed(g.probsGrad[y])), probs);
  assert.ok(probs.includes(`−1/(${g.examples} × ${short(g.probs[y])})`), probs);
  assert.match(formula(g, 'probs', 3).grad, /^probs\.grad\[0, 3\] = 0: logp reads only column y = 5/);
  // counts.grad = the edge via probs + the edge via counts_sum, cell by cell.
  for (const j of [0, y, 26]) {
    const text = formula(g, 'counts', j).grad;
    assert.ok(text.startsWith(`counts.grad[0, ${j}] = via probs + via counts_sum = ${signed(g.countsGradViaProbs[j])} + (${signed(g.countsGradViaSum[j])}) = ${signed(g.countsGrad[j])}`), text);
    assert.ok(Math.abs(g.countsGradViaProbs[j] + g.countsGradViaSum[j] - g.countsGrad[j]) <= 1e-6 * Math.abs(g.countsGrad[j]) + 1e-12);
  }
  // logits.grad = counts.grad · counts.
  const logits = formula(g, 'logits', 7).grad;
  assert.ok(logits.includes(`${signed(g.countsGrad[7])} × ${short(g.counts[7])} = ${signed(g.logitsGrad[7])}`), logits);
  assert.ok(Math.abs(g.countsGrad[7] * g.counts[7] - g.logitsGrad[7]) <= 1e-5 * Math.abs(g.logitsGrad[7]));
  // counts_sum.grad: only y's term.
  assert.ok(formula(g, 'counts_sum', 0).grad.endsWith(`= ${signed(g.countsSumGrad)}.`));
  assert.equal(formula(g, 'logp', 0).grad, `logp.grad[0] = loss.grad · d(−mean)/dlogp[0] = 1 × (−1/n) = −1/5 = ${signed(g.logpGrad)}.`);
  assert.match(formula(g, 'loss', 0).grad, /^loss\.grad = 1: backward starts here/);
  assert.match(formula(g, 'xenc', 0).grad, /no \.grad/);
  // The example's row i and the characters' names are the caller's.
  assert.match(formula(g, 'counts', y, { i: 3, vocab: ['.', ...'abcdefghijklmnopqrstuvwxyz'] }).value, /^counts\[3, 5\] = exp\(logits\[3, 5\]\)/);
  assert.match(formula(g, 'W', y, { vocab: ['.', ...'abcdefghijklmnopqrstuvwxyz'] }).value, /^W\[0, 5\] \(“e”\) = /);
});
