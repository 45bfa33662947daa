// The forward pass as a graph, as the page reads it: which nodes there are, the order the
// backward sweep reaches them, which gradients are known at each point of the sweep (or
// of *Walk the loop*), and each node's line of code and local derivative written out with
// the numbers of one cell, so that a learner can do the chain rule by hand and check it
// against the page. The numbers are the library's (`Lab.graph`); nothing here computes
// a gradient, it only quotes them.

import { short as fmt, signed as sfmt } from './format.js';

/**
 * One example's graph as `Lab.graph(x, y)` gives it (camelCase JSON).
 * @typedef {object} GraphData
 * @property {'context' | 'concat'} encoding
 * @property {number} contextLen
 * @property {number} x
 * @property {number} y
 * @property {number[]} chars
 * @property {number} examples
 * @property {number} occurrences
 * @property {boolean} inTraining
 * @property {number} l2
 * @property {number} xencWidth
 * @property {number[]} xencHot
 * @property {{row: number, value: number[], grad: number[], gradData: number[], gradL2: number[]}[]} w
 * @property {number[]} logits
 * @property {number[]} logitsGrad
 * @property {number[]} counts
 * @property {number[]} countsGrad
 * @property {number[]} countsGradViaProbs
 * @property {number[]} countsGradViaSum
 * @property {number} countsSum
 * @property {number} countsSumGrad
 * @property {number[]} countsSumGradTerms
 * @property {number[]} probs
 * @property {number[]} probsGrad
 * @property {number} logp
 * @property {number} logpGrad
 * @property {number} loss
 * @property {number} dataLoss
 * @property {number} reg
 * @property {number} lossGrad
 * @property {number} dlogpDprob
 * @property {number} dprobsDcounts
 * @property {number[]} dprobsDcountsSum
 */

/** The nodes, top to bottom as the code runs; `reg`, the L2 branch (λ·(W**2).mean()), joins the loss from below. */
export const NODES = Object.freeze(['xenc', 'W', 'logits', 'counts', 'counts_sum', 'probs', 'logp', 'loss', 'reg']);

/** The nodes that are one number for the example (the others are strips of values). */
export const SCALARS = Object.freeze(['counts_sum', 'logp', 'loss', 'reg']);

/**
 * The backward sweep: one press computes one node's gradient, from the loss back to W.
 * The L2 branch (`reg`) joins W's press: W.grad is its data part plus its L2 part.
 */
export const SWEEP = Object.freeze(['loss', 'logp', 'probs', 'counts_sum', 'counts', 'logits', 'W']);

/**
 * The gradients known after `presses` presses of the sweep (null: outside the sweep,
 * every one). `xenc` never has one: it is data, not a parameter.
 * @param {number | null} presses
 * @returns {Set<string>}
 */
export function knownAfter(presses) {
  const reached = presses === null ? SWEEP : SWEEP.slice(0, Math.max(0, presses));
  const known = new Set(reached);
  if (known.has('W')) known.add('reg');
  return known;
}

/**
 * The gradients *Walk the loop* has at its phase: none after forward (nothing has run
 * backward yet); after zero_grad only W.grad, all zeros; after backward every one; after
 * update every one at the new W (the graph's, computed afresh). No walk: every one.
 * @param {string | null} phase
 * @returns {{known: Set<string>, zeroW: boolean}}
 */
export function knownInWalk(phase) {
  if (phase === 'forward') return { known: new Set(), zeroW: false };
  if (phase === 'zero_grad') return { known: new Set(), zeroW: true };
  return { known: knownAfter(null), zeroW: false };
}

/** The line of the lecture's code each node comes from. */
export const CODE = Object.freeze({
  W: 'W = torch.randn((V, V), generator=g, requires_grad=True)',
  xenc: 'xenc = F.one_hot(xs, num_classes=V).float()',
  logits: 'logits = xenc @ W',
  counts: 'counts = logits.exp()',
  counts_sum: 'counts_sum = counts.sum(1, keepdims=True)',
  probs: 'probs = counts / counts_sum',
  logp: 'logp = probs[torch.arange(n), ys].log()',
  reg: 'reg = λ * (W**2).mean()',
  loss: 'loss = -logp.mean() + reg',
});

/**
 * What a node's value and gradient are at cell j of example row i, with the numbers: the
 * forward formula, and how backward got the gradient (the chain rule with the local
 * derivative). `j` is a column (0 … V−1) for the vector nodes and ignored by the others.
 * @param {GraphData} g
 * @param {string} node one of NODES
 * @param {number} j
 * @param {{i?: number, vocab?: readonly string[], row?: number}} [at] the example's row i in
 *   the batch (the word table's row), the characters' names, and which of W's rows (side by side)
 * @returns {{code: string, value: string, grad: string}}
 */
export function formula(g, node, j, { i = 0, vocab, row = 0 } = {}) {
  const { y, examples: n } = g;
  const ch = (/** @type {number} */ k) => (vocab ? ` (“${vocab[k] ?? k}”)` : '');
  const at = `[${i}, ${j}]`;
  const yAt = `[${i}, ${y}]`;
  const p = g.probs[y];
  switch (node) {
    case 'W': {
      const r = g.w[Math.min(row, g.w.length - 1)];
      return {
        code: CODE.W,
        value: `W[${r.row}, ${j}]${ch(j)} = ${sfmt(r.value[j])}: a leaf, changed only by the update W.data += −lr·W.grad.`,
        grad: `W.grad[${r.row}, ${j}] = data part + L2 part = ${sfmt(r.gradData[j])} + (${sfmt(r.gradL2[j])}) = ${sfmt(r.grad[j])}. `
          + `The data part adds logits.grad[:, ${j}] of every example whose xenc lights row ${r.row} (${g.occurrences} of the n = ${n} are this one); `
          + `the L2 part is reg.grad · 2λ·W[${r.row}, ${j}] / |W| = 2 × ${g.l2} × ${sfmt(r.value[j])} / ${g.xencWidth * g.logits.length}.`,
      };
    }
    case 'xenc': {
      const lit = g.xencHot.includes(j);
      return {
        code: CODE.xenc,
        value: `xenc${at} = ${lit ? 1 : 0}: ${lit ? 'the lit cell, this example\'s input' : 'not the input'}.`,
        grad: 'xenc has no .grad: it is data (requires_grad=False), so backward stops here and flows on into W.',
      };
    }
    case 'logits':
      return {
        code: CODE.logits,
        value: `logits${at} = ${g.w.length > 1 ? `the sum of W[r, ${j}] over the ${g.w.length} lit rows r` : `W[${g.w[0]?.row}, ${j}]`} = ${sfmt(g.logits[j])}: `
          + 'a one-hot times W picks the row it lights.',
        grad: `logits.grad${at} = counts.grad${at} · counts${at} = ${sfmt(g.countsGrad[j])} × ${fmt(g.counts[j])} = ${sfmt(g.logitsGrad[j])} `
          + `(d exp(u)/du = exp(u), which is counts). The same as (probs − onehot(y)) / n = (${fmt(g.probs[j])} − ${j === y ? 1 : 0}) / ${n}.`,
      };
    case 'counts':
      return {
        code: CODE.counts,
        value: `counts${at} = exp(logits${at}) = exp(${sfmt(g.logits[j])}) = ${fmt(g.counts[j])}.`,
        grad: `counts.grad${at} = via probs + via counts_sum = ${sfmt(g.countsGradViaProbs[j])} + (${sfmt(g.countsGradViaSum[j])}) = ${sfmt(g.countsGrad[j])}: `
          + `counts is used twice, so its .grad adds two edges (micrograd's +=); `
          + `via probs = probs.grad${at} / counts_sum = ${sfmt(g.probsGrad[j])} / ${fmt(g.countsSum)}, `
          + `via counts_sum = counts_sum.grad[${i}] · 1, the same in every column.`,
      };
    case 'counts_sum':
      return {
        code: CODE.counts_sum,
        value: `counts_sum[${i}] = Σ_j counts[${i}, j] = ${fmt(g.countsSum)}.`,
        grad: `counts_sum.grad[${i}] = Σ_j probs.grad[${i}, j] · (−counts[${i}, j] / counts_sum²); only j = y has a gradient: `
          + `${sfmt(g.probsGrad[y])} × (−${fmt(g.counts[y])} / ${fmt(g.countsSum)}²) = ${sfmt(g.countsSumGrad)}.`,
      };
    case 'probs':
      return {
        code: CODE.probs,
        value: `probs${at} = counts${at} / counts_sum[${i}] = ${fmt(g.counts[j])} / ${fmt(g.countsSum)} = ${fmt(g.probs[j])}.`,
        grad: j === y
          ? `probs.grad${yAt} = logp.grad[${i}] · d log(p)/dp = ${sfmt(g.logpGrad)} × 1/${fmt(p)} = ${sfmt(g.probsGrad[y])}, i.e. −1/(n·p) = −1/(${n} × ${fmt(p)}).`
          : `probs.grad${at} = 0: logp reads only column y = ${y}${ch(y)} of probs.`,
      };
    case 'logp':
      return {
        code: CODE.logp,
        value: `logp[${i}] = log(probs${yAt}) = log(${fmt(p)}) = ${sfmt(g.logp)}.`,
        grad: `logp.grad[${i}] = loss.grad · d(−mean)/dlogp[${i}] = 1 × (−1/n) = −1/${n} = ${sfmt(g.logpGrad)}.`,
      };
    case 'reg':
      return {
        code: CODE.reg,
        value: `reg = λ · mean(W²) = ${g.l2} × mean(W²) = ${fmt(g.reg)}.`,
        grad: `reg.grad = loss.grad · 1 = ${g.lossGrad}: the loss adds reg, and an addition hands its gradient on unchanged.`,
      };
    default:
      return {
        code: CODE.loss,
        value: `loss = −mean(logp) + reg = ${fmt(g.dataLoss)} + ${fmt(g.reg)} = ${fmt(g.loss)} over the n = ${n} examples.`,
        grad: `loss.grad = ${g.lossGrad}: backward starts here (dloss/dloss = 1).`,
      };
  }
}
