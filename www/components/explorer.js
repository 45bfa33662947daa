// Inside the net: one example's forward pass as a graph, one node per line of the
// lecture's code (xenc, W's row, logits, counts, counts_sum, probs, logp, reg, loss), each
// with its value and, once backward has reached it, its .grad; the two edges into counts
// and the two parts of W.grad shown apart; the whole word's one-hot picture; and what the
// next step does to the example's cell. It draws only what the library's graph hands it
// (`Lab.graph`); each strip's cells read out as the lecture prints them.

import { label, maxAbs, contextDigits, contextLabel } from './draw.js';
import { Strips } from './strips.js';
import { drawContextGrid, drawWordPicture } from './xenc.js';
import { formula, NODES, SCALARS } from '../lib/graph.js';
import { fixed, short as fmt, precision3 as prec, signed as sfmt } from '../lib/format.js';

/**
 * The explorer's elements.
 * @typedef {object} ExplorerEls
 * @property {HTMLElement} graph the graph's box, whose nodes are `[data-node]`
 * @property {HTMLElement} title
 * @property {HTMLCanvasElement} xenc
 * @property {HTMLCanvasElement} w W's row (side by side: its rows, one after another)
 * @property {HTMLCanvasElement} logits
 * @property {HTMLCanvasElement} counts
 * @property {HTMLCanvasElement} probs
 * @property {HTMLCanvasElement} dlogits logits.grad
 * @property {HTMLCanvasElement} countsGrad
 * @property {HTMLCanvasElement} viaProbs the edge counts → probs
 * @property {HTMLCanvasElement} viaSum the edge counts → counts_sum
 * @property {HTMLCanvasElement} probsGrad
 * @property {HTMLCanvasElement} grad W.grad's row
 * @property {HTMLCanvasElement} gradData
 * @property {HTMLCanvasElement} gradL2
 * @property {HTMLElement} sumCounts
 * @property {HTMLElement} probsSum
 * @property {HTMLElement} p
 * @property {HTMLElement} nll
 * @property {HTMLCanvasElement} picture the word's one-hot matrix
 * @property {HTMLElement} contextNote
 * @property {HTMLElement} backTitle
 * @property {HTMLElement} stepLine
 * @property {HTMLElement} batchNote
 */

/**
 * What of the graph is shown: which nodes' gradients are known, whether W.grad is the
 * zeros zero_grad left, the node the backward sweep just reached, the example's row i.
 * @typedef {{known: Set<string>, zeroW?: boolean, active?: string | null, row?: number}} Showing
 */

/**
 * A node's value or gradient in its data- attributes: a vector as JSON (`values`,
 * `grads`), a number as text (`value`, `grad`); null takes it away (not known yet).
 * @param {HTMLElement} el
 * @param {string} key
 * @param {number[] | number | null} x
 */
function put(el, key, x) {
  if (x === null) delete el.dataset[key];
  else el.dataset[key] = Array.isArray(x) ? JSON.stringify(x) : String(x);
}

/** The explorer's graph; `els` holds its canvases and text elements. */
export class Explorer extends Strips {
  /** @param {ExplorerEls} els */
  constructor(els) {
    super();
    this.els = els;
    /** @type {Map<string, HTMLElement>} each node's box */
    this.nodes = new Map(NODES.map((name) => [name, /** @type {HTMLElement} */ (els.graph.querySelector(`[data-node="${name}"]`))]));
    /** @type {import('../lib/graph.js').GraphData | null} the graph last drawn */
    this.graph = null;
    /** @type {readonly string[] | undefined} the characters it was drawn with */
    this.vocab = undefined;
  }

  /**
   * A node's scalar output (`part` is e.g. "logp-value").
   * @param {string} part
   */
  scalar(part) {
    return /** @type {HTMLElement} */ (this.els.graph.querySelector(`[data-part="${part}"]`));
  }

  /**
   * Says why there is no path to show (e.g. an unknown character), and shows none.
   * @param {string} [message]
   */
  clear(message) {
    const { els } = this;
    els.title.textContent = message || '\u00a0';
    for (const el of [els.p, els.nll, els.sumCounts, els.probsSum]) {
      el.textContent = '–';
      delete el.dataset.value;
    }
    for (const canvas of [els.xenc, els.w, els.logits, els.counts, els.probs]) this.blank(canvas);
    delete els.xenc.dataset.lit;
    for (const node of this.nodes.values()) {
      for (const key of ['values', 'grads', 'value', 'grad']) delete node.dataset[key];
      node.querySelectorAll('output.scalar, .node-formula [data-part]').forEach((o) => { o.textContent = '–'; });
    }
    this.graph = null;
    this.showGrads({ known: new Set() }, message);
  }

  /**
   * The example's graph, forward values and the gradients `showing` says are known.
   * @param {import('../lib/graph.js').GraphData} g
   * @param {readonly string[]} vocab
   * @param {Showing} showing
   * @returns {number} Σ counts, the row's total that probs divides by
   */
  draw(g, vocab, showing) {
    this.graph = g;
    this.vocab = vocab;
    this.drawForward(g, vocab, showing.row ?? 0);
    this.showGrads(showing);
    return g.countsSum;
  }

  /**
   * The forward values: the title, xenc, W's row, logits, counts, Σ counts, probs, logp, reg, loss.
   * @param {import('../lib/graph.js').GraphData} g
   * @param {readonly string[]} vocab
   * @param {number} i the example's row in the batch
   */
  drawForward(g, vocab, i) {
    const { els, nodes } = this;
    const { x, y, chars, contextLen: len, encoding } = g;
    const v = vocab.length;
    const name = contextLabel(x, len, vocab);
    const target = `true next y = “${label(vocab[y])}” (index ${y})`;
    const to = (/** @type {number} */ j) => `“${name}” → “${label(vocab[j])}”${j === y ? ' ▲ the true next' : ''}`;
    const bit = (/** @type {number} */ b) => String(b);
    els.xenc.dataset.lit = JSON.stringify(g.xencHot);
    const xencNode = /** @type {HTMLElement} */ (nodes.get('xenc'));
    xencNode.dataset.width = String(g.xencWidth);
    if (len === 1) {
      els.title.textContent = `x = “${label(vocab[x])}” (index ${x}) → ${target}`;
      const onehot = vocab.map((_, k) => (k === x ? 1 : 0));
      this.strip(els.xenc, 'xenc', onehot, vocab, { mark: x },
        (j) => `xenc[${i}, ${j}] = #: one_hot(xs[${i}] = ${x}), column “${label(vocab[j])}”${j === x ? ', the one lit' : ''}`, bit);
      put(xencNode, 'values', onehot);
    } else if (encoding === 'concat') {
      els.title.textContent = `context “${name}” (characters ${chars.join(', ')}) → ${target}`;
      // One one-hot per character, side by side: len·V inputs, len of them lit.
      const cells = chars.flatMap((d) => vocab.map((_, k) => (k === d ? 1 : 0)));
      const labels = chars.flatMap(() => vocab);
      this.strip(els.xenc, `xenc, ${len} one-hots side by side`, cells, labels, { json: false }, (j) => `xenc[${i}, ${j}] = #: `
        + `one-hot ${Math.floor(j / v) + 1} of ${len} (“${label(vocab[chars[Math.floor(j / v)]])}”), column “${label(labels[j])}”`, bit);
      put(xencNode, 'values', cells);
    } else {
      // The row in Horner's form: (a·V + b)·V + c for three characters.
      const row = chars.slice(1).reduce((acc, c) => `${acc === String(chars[0]) ? acc : `(${acc})`}·${v} + ${c}`, String(chars[0]));
      els.title.textContent = `context “${name}” (row ${x} = ${row}) of the ${v ** len} contexts → ${target}`;
      drawContextGrid(els.xenc, contextDigits(x, len, v), vocab);
      this.blank(els.xenc);
      els.xenc.setAttribute('aria-label', `xenc: one of ${v ** len} contexts lit, “${name}” (row ${x})`);
      put(xencNode, 'values', null); // V^len numbers: the lit cell and the width say it
    }
    els.contextNote.hidden = len === 1;
    els.contextNote.textContent = len === 1 ? ''
      : encoding === 'concat'
        ? `xenc is ${len} one-hots of ${v} side by side, their concatenation (${len * v} inputs, ${len} lit): logits = xenc @ W is the sum of ${len} rows of the ${len * v}×${v} W, one per position; the W node shows them one after another.`
        : `xenc is one one-hot over all ${v ** len} contexts${len === 3 ? ` (drawn: the ${v}×${v} grid of the last two characters within the first, “${label(vocab[chars[0]])}”)` : ' (drawn as a grid: row the first character, column the second)'}: logits = xenc @ W is row ${x} of the ${v ** len}×${v} W.`;

    const wValues = g.w.flatMap((r) => r.value);
    const wLabels = g.w.flatMap(() => vocab);
    const wCell = (/** @type {number} */ j) => `W[${g.w[Math.floor(j / v)].row}, ${j % v}]`;
    this.strip(els.w, `W row ${g.w.map((r) => r.row).join(', ')}`, wValues, wLabels, { signed: true, mark: g.w.length === 1 ? y : -1 },
      (j) => `${wCell(j)} = #: row “${g.w.length === 1 ? name : label(vocab[chars[Math.floor(j / v)]])}”, column “${label(wLabels[j])}”`);
    put(/** @type {HTMLElement} */ (nodes.get('W')), 'values', wValues);

    const sum = g.countsSum;
    const row = encoding === 'concat' ? `a sum of ${len} rows of W` : `W[${x}, j]`;
    this.strip(els.logits, 'logits', g.logits, vocab, { signed: true, mark: y },
      (j) => `logits[${i}, ${j}] = #: xenc[${i}] @ W = ${row.replace('j', String(j))}, ${to(j)}`);
    this.strip(els.counts, 'counts', g.counts, vocab, { mark: y },
      (j) => `counts[${i}, ${j}] = # = exp(logits[${i}, ${j}]) = exp(${fmt(g.logits[j])}), ${to(j)}`);
    this.strip(els.probs, 'probs', g.probs, vocab, { mark: y },
      (j) => `probs[${i}, ${j}] = # = counts[${i}, ${j}] / Σ counts = ${fmt(g.counts[j])} / ${fixed(sum)}, ${to(j)}`);
    for (const [node, values] of /** @type {[string, number[]][]} */ ([['logits', g.logits], ['counts', g.counts], ['probs', g.probs]])) {
      put(/** @type {HTMLElement} */ (nodes.get(node)), 'values', values);
    }
    // A logit past ~88 overflows float32's exp: Σ counts is then ∞, as PyTorch's would be.
    for (const el of [els.sumCounts, els.probsSum]) el.textContent = fixed(sum, 4, sum === Infinity ? '∞' : '–');
    if (Number.isFinite(sum)) els.sumCounts.dataset.value = String(sum);
    else delete els.sumCounts.dataset.value;
    const p = g.probs[y];
    els.p.textContent = p.toFixed(4);
    els.p.dataset.value = String(p);
    els.nll.textContent = (-g.logp).toFixed(4);
    els.nll.dataset.value = String(-g.logp);
    /** @type {[string, number, string][]} the scalar nodes: value and how it is written */
    const scalars = [['counts_sum', sum, ''], ['logp', g.logp, sfmt(g.logp)], ['reg', g.reg, fmt(g.reg)], ['loss', g.loss, fixed(g.loss)]];
    for (const [node, value, text] of scalars) {
      put(/** @type {HTMLElement} */ (nodes.get(node)), 'value', value);
      if (text) this.scalar(`${node}-value`).textContent = text;
    }
  }

  /**
   * The gradients: each known node's strip or number (and its data-grads / data-grad),
   * the others blank with "no .grad yet"; the edges into counts and W's two parts with
   * their nodes; the node the sweep reached and the edges it came along outlined.
   * @param {Showing} showing
   * @param {string} [message] why nothing is shown (no example)
   */
  showGrads({ known, zeroW = false, active = null, row: i = 0 }, message) {
    const { els, nodes, graph: g } = this;
    const vocab = this.vocab ?? [];
    const has = (/** @type {string} */ node) => g !== null && known.has(node);
    for (const [name, node] of nodes) {
      const shown = name === 'xenc' || has(name) || (name === 'W' && zeroW && g !== null);
      node.querySelector('.no-grad')?.toggleAttribute('hidden', shown);
      node.querySelector('.node-parts')?.toggleAttribute('hidden', !has(name));
      node.classList.toggle('active', active === name);
    }
    for (const edge of els.graph.querySelectorAll('[data-edge]')) {
      const from = /** @type {HTMLElement} */ (edge).dataset.edge ?? '';
      edge.classList.toggle('active', active !== null && (from.startsWith(`${active}-`) || (active === 'W' && from === 'reg-loss')));
    }
    for (const edge of [els.viaProbs, els.viaSum]) edge.parentElement?.classList.toggle('active', active === 'counts');
    const node = (/** @type {string} */ name) => /** @type {HTMLElement} */ (nodes.get(name));
    if (!g) {
      for (const canvas of [els.dlogits, els.countsGrad, els.viaProbs, els.viaSum, els.probsGrad, els.grad, els.gradData, els.gradL2]) this.blank(canvas);
      for (const name of NODES) put(node(name), SCALARS.includes(name) ? 'grad' : 'grads', null);
      for (const edge of [els.viaProbs, els.viaSum]) put(/** @type {HTMLElement} */ (edge.parentElement), 'grads', null);
      els.backTitle.textContent = message || '\u00a0';
      return;
    }
    const { x, y, examples: n } = g;
    const v = vocab.length;
    const cx = contextLabel(x, g.contextLen, vocab);
    const c = (/** @type {number} */ j) => `row “${cx}”, column “${label(vocab[j])}”`;
    const strip = (/** @type {string} */ name, /** @type {HTMLCanvasElement} */ canvas, /** @type {number[]} */ values,
      /** @type {{signed?: boolean, mark?: number, scale?: number}} */ options, /** @type {(j: number) => string} */ text,
      /** @type {readonly string[]} */ labels = vocab) => {
      if (!has(name)) {
        this.blank(canvas, `${name}.grad: not computed yet`);
        return;
      }
      this.strip(canvas, `${name}.grad`, values, labels, { signed: true, ...options }, text, sfmt);
    };
    const dscale = maxAbs(g.logitsGrad);
    strip('logits', els.dlogits, g.logitsGrad, { mark: y, scale: dscale },
      (j) => `dlogits[${i}, ${j}] = # = (probs[${i}, ${j}] − ${j === y ? 1 : 0}) / ${n}: ${c(j)}`);
    // counts.grad and its two edges share a colour scale, so the parts' sizes compare.
    const cscale = Math.max(maxAbs(g.countsGrad), maxAbs(g.countsGradViaProbs), maxAbs(g.countsGradViaSum));
    strip('counts', els.countsGrad, g.countsGrad, { mark: y, scale: cscale },
      (j) => `counts.grad[${i}, ${j}] = # = via probs + via counts_sum = ${sfmt(g.countsGradViaProbs[j])} + (${sfmt(g.countsGradViaSum[j])})`);
    strip('counts', els.viaProbs, g.countsGradViaProbs, { mark: y, scale: cscale },
      (j) => `edge counts → probs [${i}, ${j}] = # = probs.grad[${i}, ${j}] / counts_sum = ${sfmt(g.probsGrad[j])} / ${fmt(g.countsSum)}`);
    strip('counts', els.viaSum, g.countsGradViaSum, { mark: y, scale: cscale },
      (j) => `edge counts → counts_sum [${i}, ${j}] = # = counts_sum.grad[${i}], the same in every column`);
    strip('probs', els.probsGrad, g.probsGrad, { mark: y },
      (j) => `probs.grad[${i}, ${j}] = #${j === y ? ` = −1/(n·p) = −1/(${n} × ${fmt(g.probs[y])})` : ': logp reads only column y'}`);
    // W.grad and its two parts share one colour scale too; after zero_grad W.grad is all zeros.
    const wGrad = zeroW && !has('W') ? g.w.flatMap((r) => r.value.map(() => 0)) : g.w.flatMap((r) => r.grad);
    const [gradData, gradL2] = [g.w.flatMap((r) => r.gradData), g.w.flatMap((r) => r.gradL2)];
    const shared = Math.max(maxAbs(wGrad), maxAbs(gradData), maxAbs(gradL2));
    const labels = g.w.flatMap(() => vocab);
    const wg = (/** @type {number} */ j) => `W.grad[${g.w[Math.floor(j / v)].row}, ${j % v}]`;
    const part = { mark: g.w.length === 1 ? y : -1, scale: shared };
    if (zeroW && !has('W')) {
      this.strip(els.grad, 'W.grad, zeroed', wGrad, labels, { signed: true, ...part }, (j) => `${wg(j)} = #: zero_grad cleared it`, sfmt);
    } else {
      strip('W', els.grad, wGrad, part, (j) => `${wg(j)} = # (${c(j % v)}) = data part + L2 part`, labels);
    }
    strip('W', els.gradData, gradData, part,
      (j) => `data part of ${wg(j)} = #: Σ of dlogits[:, ${j % v}] over the examples with input “${cx}”`, labels);
    strip('W', els.gradL2, gradL2, part, (j) => `L2 part of ${wg(j)} = # = 2λ·W[${g.w[Math.floor(j / v)].row}, ${j % v}] / |W|`, labels);

    put(node('logits'), 'grads', has('logits') ? g.logitsGrad : null);
    put(node('counts'), 'grads', has('counts') ? g.countsGrad : null);
    put(/** @type {HTMLElement} */ (els.viaProbs.parentElement), 'grads', has('counts') ? g.countsGradViaProbs : null);
    put(/** @type {HTMLElement} */ (els.viaSum.parentElement), 'grads', has('counts') ? g.countsGradViaSum : null);
    put(node('probs'), 'grads', has('probs') ? g.probsGrad : null);
    put(node('W'), 'grads', has('W') || zeroW ? wGrad : null);
    /** @type {[string, number][]} */
    const scalars = [['counts_sum', g.countsSumGrad], ['logp', g.logpGrad], ['reg', g.lossGrad], ['loss', g.lossGrad]];
    for (const [name, grad] of scalars) {
      put(node(name), 'grad', has(name) ? grad : null);
      this.scalar(`${name}-grad`).textContent = has(name) ? sfmt(grad) : '–';
    }
    const seen = g.inTraining ? `one of the n = ${n.toLocaleString('en-US')} examples the loss averages over`
      : `not among the n = ${n.toLocaleString('en-US')} training examples: its gradients are what it would get as one more of them`;
    els.backTitle.textContent = `Example x = “${cx}” → y = “${label(vocab[y])}”, ${seen}. `
      + (g.encoding === 'concat' ? `With one one-hot per character, xenc lights ${g.w.length} rows of W, one per position; the step line follows the first. ` : '')
      + `Colours: logits.grad to ±${prec(dscale)}; W.grad and its parts share ±${prec(shared)}.`;
  }

  /**
   * A node's formulas with the numbers of cell j, into its <details>; a gradient the
   * sweep or the walk has not reached is not given away.
   * @param {string} name
   * @param {number} j a cell of the node's strips (side by side, across every position)
   * @param {Showing} showing
   */
  explain(name, j, { known, zeroW = false, row: i = 0 }) {
    const box = this.nodes.get(name)?.querySelector('.node-formula');
    if (!box || !this.graph) return;
    const v = this.vocab?.length ?? 1;
    // xenc's cells run across every position (its lit cells are numbered so); the others' repeat per row of W.
    const f = formula(this.graph, name, name === 'xenc' ? j : j % v, { i, vocab: this.vocab?.map(label), row: Math.floor(j / v) });
    let grad = f.grad;
    if (name === 'W' && zeroW && !known.has('W')) grad = `W.grad = 0 everywhere: zero_grad cleared it; backward fills it.`;
    else if (name !== 'xenc' && !known.has(name)) grad = `${name}.grad is not computed yet: backward has not reached ${name}.`;
    for (const [key, text] of /** @type {const} */ ([['code', f.code], ['value', `Forward: ${f.value}`], ['grad', `Backward: ${grad}`]])) {
      const p = box.querySelector(`[data-part="${key}"]`);
      if (p && p.textContent !== text) p.textContent = text;
    }
  }

  /**
   * What the next step does to the example's cell W[x, y] (side by side: the first row's).
   * @param {{w: number, lastDelta: number, lr: number, minibatch: boolean, rowName: string, yName: string, grad: number}} at
   */
  drawStep({ w, lastDelta, lr, minibatch, rowName, yName, grad: g }) {
    const { stepLine, batchNote } = this.els;
    const delta = -lr * g;
    const cell = `W[${rowName},${yName}]`;
    const way = delta === 0 ? 'leaves it where it is'
      : `moves it ${delta > 0 ? 'up' : 'down'} by ${fmt(Math.abs(delta))}, making “${yName}” after “${rowName}” ${delta > 0 ? 'likelier' : 'less likely'}`;
    const last = lastDelta ? ` The last step moved it by ΔW${cell.slice(1)} = ${sfmt(lastDelta)}.` : '';
    stepLine.textContent = `${cell} = ${sfmt(w)}; W.grad${cell.slice(1)} = ${sfmt(g)}; `
      + `−lr·grad = −${lr} × (${sfmt(g)}) = ${sfmt(delta)}. The next step (W += −lr·grad) ${way}.${last}`;
    Object.assign(stepLine.dataset, { w: String(w), grad: String(g), delta: String(delta) });
    batchNote.hidden = !minibatch;
  }

  /**
   * No step to describe (no example, or no gradient yet).
   * @param {string} text
   */
  clearStep(text = '–') {
    const { stepLine, batchNote } = this.els;
    stepLine.textContent = text;
    for (const key of ['w', 'grad', 'delta']) delete stepLine.dataset[key];
    batchNote.hidden = true;
  }

  /**
   * The word's one-hot matrix: a row per bigram, its input's cell lit (the first 40).
   * @param {(number|null)[]} inputs input index of each bigram (null: unknown character)
   * @param {readonly string[]} vocab
   * @param {number} selected the row outlined (the example followed), or −1
   */
  drawWord(inputs, vocab, selected) {
    drawWordPicture(this.els.picture, inputs, vocab, selected);
  }
}
