// Inside the forward pass: one example's path through the net as the lecture walks it,
// one-hot input → row of W (logits) → exp (counts) → probabilities → −ln p, and the
// whole word's one-hot matrix; then the backward pass of the same example (dlogits, the
// row of W.grad it lands in, what the step does). It draws only the traces, numbers and
// indices it is handed; each strip's cells read out as the lecture prints them.

import { fitCanvas, label, css, maxAbs, contextDigits, contextLabel, palette } from './draw.js';

import { fixed, short as fmt, precision3 as prec, signed as sfmt } from '../lib/format.js';
/**
 * The explorer's elements.
 * @typedef {object} ExplorerEls
 * @property {HTMLElement} title
 * @property {HTMLCanvasElement} xenc
 * @property {HTMLCanvasElement} logits
 * @property {HTMLCanvasElement} counts
 * @property {HTMLCanvasElement} probs
 * @property {HTMLElement} p
 * @property {HTMLElement} nll
 * @property {HTMLCanvasElement} picture the word's one-hot matrix
 * @property {HTMLElement} [contextNote]
 * @property {HTMLElement} backTitle
 * @property {HTMLCanvasElement} dlogits
 * @property {HTMLCanvasElement} grad
 * @property {HTMLCanvasElement} gradData
 * @property {HTMLCanvasElement} gradL2
 * @property {HTMLElement} stepLine
 * @property {HTMLElement} batchNote
 */

/**
 * A strip as last drawn: how many cells (as wide as each other), how cell j reads (text,
 * value), and how to draw it again (with its cursor where it is now).
 * @typedef {{n: number, read: (j: number) => [string, number], redraw: () => void}} Drawn
 */


/**
 * The width a canvas may take: its container's, less a margin. Read once per container
 * and kept until `Explorer.resized()`: reading it after the last frame's writes would make
 * the browser lay the whole page out again, once per canvas, every training frame.
 */
/** @type {WeakMap<HTMLElement, number>} */
let widths = new WeakMap();
/**
 * @param {HTMLCanvasElement} canvas
 * @param {number} [margin]
 * @returns {number}
 */
function available(canvas, margin = 8) {
  const parent = canvas.parentElement;
  if (!parent) return 600 - margin;
  const known = widths.get(parent);
  if (known !== undefined) return known - margin;
  const width = parent.clientWidth;
  if (width > 0) widths.set(parent, width); // a hidden panel's 0 is not its width
  return width - margin;
}

/**
 * One vector as a strip of V cells with the characters beneath; `mark` outlines a cell.
 * The values also go into data-values (JSON) and a spoken summary.
 * @param {HTMLCanvasElement} canvas
 * @param {string} name what the vector is, for the spoken summary
 * @param {number[]} values V of them
 * @param {readonly string[]} vocab
 * @param {{signed?: boolean, mark?: number, scale?: number, json?: boolean, cursor?: number}} [options]
 *   a diverging ramp; the cell outlined (−1: none); the colour scale (default: the
 *   largest |value|); whether the values go into data-values; the cell read out (−1: none)
 */
function drawStrip(canvas, name, values, vocab, { signed = false, mark = -1, scale: given, json = true, cursor = -1 } = {}) {
  const colours = palette();
  const v = vocab.length;
  const avail = Math.max(160, available(canvas));
  const cell = Math.max(6, Math.min(36, Math.floor(avail / v)));
  const [w, h] = [cell * v, cell + 18];
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  const scale = given ?? maxAbs(values);
  canvas.dataset.scale = String(scale);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = `${Math.max(8, Math.min(13, cell * 0.6))}px ui-monospace, Menlo, monospace`;
  for (let i = 0; i < v; i++) {
    ctx.fillStyle = css(values[i], scale, signed, colours);
    ctx.fillRect(i * cell, 0, cell - 1, cell);
    ctx.fillStyle = i === mark ? colours.mark : colours.ink;
    ctx.fillText(i === mark ? `▲${label(vocab[i])}` : label(vocab[i]), i * cell + cell / 2, cell + 3);
  }
  if (mark >= 0) {
    ctx.strokeStyle = colours.mark;
    ctx.lineWidth = 3;
    ctx.strokeRect(mark * cell + 1.5, 1.5, cell - 4, cell - 3);
  }
  if (cursor >= 0) { // the cell read out: a dashed ink outline, its label underlined
    ctx.strokeStyle = ctx.fillStyle = colours.ink;
    ctx.lineWidth = 2;
    ctx.setLineDash([3, 2]);
    ctx.strokeRect(cursor * cell + 1, 1, cell - 3, cell - 2);
    ctx.setLineDash([]);
    ctx.fillRect(cursor * cell + 2, h - 2, cell - 5, 2);
    canvas.dataset.cursor = String(cursor);
  } else delete canvas.dataset.cursor;
  if (json) canvas.dataset.values = JSON.stringify(Array.from(values));
  else delete canvas.dataset.values;
  let top = 0;
  values.forEach((x, i) => { if (x > values[top]) top = i; });
  const marked = mark >= 0 ? `; “${label(vocab[mark])}” ${fmt(values[mark])}` : '';
  canvas.setAttribute('aria-label', `${name}: largest “${label(vocab[top])}” ${fmt(values[top])}${marked}; ← → read each cell`);
}

/**
 * The one-hot over the contexts of two characters as a V×V grid (row: the older
 * character, column: the newer), its one cell lit. For three characters, the grid of the
 * last two within the first character's block.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} digits the context's characters, oldest first
 * @param {readonly string[]} vocab
 */
function drawContextGrid(canvas, digits, vocab) {
  const colours = palette();
  const v = vocab.length;
  const [a, b] = digits.slice(-2);
  const avail = Math.max(160, available(canvas));
  const cell = Math.max(4, Math.min(14, Math.floor(avail / (v + 1))));
  const size = cell * (v + 1);
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const ctx = fitCanvas(canvas, size, size);
  ctx.clearRect(0, 0, size, size);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `${Math.max(7, cell * 0.7)}px ui-monospace, Menlo, monospace`;
  for (let i = 0; i < v; i++) {
    ctx.fillStyle = i === b ? colours.mark : colours.ink;
    ctx.fillText(label(vocab[i]), cell * (i + 1.5), cell / 2);
    ctx.fillStyle = i === a ? colours.mark : colours.ink;
    ctx.fillText(label(vocab[i]), cell / 2, cell * (i + 1.5));
  }
  for (let r = 0; r < v; r++) {
    for (let c = 0; c < v; c++) {
      ctx.fillStyle = r === a && c === b ? css(1, 1, false, colours) : colours.off;
      ctx.fillRect(cell * (c + 1), cell * (r + 1), cell - 1, cell - 1);
    }
  }
  ctx.strokeStyle = colours.mark;
  ctx.lineWidth = 2;
  ctx.strokeRect(cell * (b + 1) - 1, cell * (a + 1) - 1, cell + 1, cell + 1);
}

/** The explorer panel; `els` holds its canvases and text elements. */
export class Explorer {
  /** The page's layout changed (a resize, a view): the containers' widths are read again. */
  resized() {
    widths = new WeakMap();
  }

  /** @param {ExplorerEls} els */
  constructor(els) {
    this.els = els;
    /** Each strip as last drawn. @type {Map<HTMLCanvasElement, Drawn>} */
    this.drawn = new Map();
    /** The cell read out in each strip that has one. @type {Map<HTMLCanvasElement, number>} */
    this.cursors = new Map();
    /** Hears a redraw's reading of a strip's cursor cell. @type {(canvas: HTMLCanvasElement, text: string, value: number) => void} */
    this.onRead = () => {};
  }

  /**
   * Draws a strip (as `drawStrip`) whose cells read out: `text(j)` names cell j with "#" where
   * its value goes, e.g. "logits[1, 13] = #"; a cursor in it is drawn and its reading handed on.
   * @param {HTMLCanvasElement} canvas
   * @param {string} name
   * @param {number[]} values
   * @param {readonly string[]} vocab
   * @param {{signed?: boolean, mark?: number, scale?: number, json?: boolean}} options
   * @param {(j: number) => string} text
   * @param {(x: number) => string} [format] how a value is written
   */
  strip(canvas, name, values, vocab, options, text, format = fmt) {
    /** @type {(j: number) => [string, number]} */
    const read = (j) => [text(j).replace('#', format(values[j])), values[j]];
    const redraw = () => {
      const j = this.cursors.get(canvas);
      const cursor = j === undefined ? -1 : Math.min(j, values.length - 1);
      if (cursor >= 0) this.cursors.set(canvas, cursor);
      drawStrip(canvas, name, values, vocab, { ...options, cursor });
      this.drawn.set(canvas, { n: values.length, read, redraw });
      return cursor;
    };
    const cursor = redraw();
    if (cursor >= 0) this.onRead(canvas, ...read(cursor));
  }

  /**
   * Puts a strip's cursor on cell j (null: takes it away), draws it again, and gives the cell's reading.
   * @param {HTMLCanvasElement} canvas
   * @param {number | null} j
   * @returns {[string, number] | null}
   */
  point(canvas, j) {
    const strip = this.drawn.get(canvas);
    if (j === null || !strip) this.cursors.delete(canvas);
    else this.cursors.set(canvas, Math.max(0, Math.min(strip.n - 1, j)));
    strip?.redraw();
    const at = this.cursors.get(canvas);
    return strip && at !== undefined ? strip.read(at) : null;
  }

  /**
   * Says why there is no path to show (e.g. an unknown character), and shows none.
   * @param {string} [message]
   */
  clear(message) {
    const { title, p, nll, xenc, logits, counts, probs } = this.els;
    title.textContent = message || '\u00a0';
    for (const el of [p, nll]) {
      el.textContent = '–';
      delete el.dataset.value;
    }
    for (const canvas of [xenc, logits, counts, probs]) {
      this.blank(canvas);
      delete canvas.dataset.lit;
    }
    this.clearBackward(message);
  }

  /**
   * The backward rows without an example: blank, with the reason.
   * @param {string} [message]
   */
  clearBackward(message) {
    const { dlogits, grad, gradData, gradL2, backTitle, stepLine, batchNote } = this.els;
    if (!dlogits) return;
    backTitle.textContent = message || '\u00a0';
    stepLine.textContent = '–';
    for (const key of ['w', 'grad', 'delta']) delete stepLine.dataset[key];
    batchNote.hidden = true;
    for (const canvas of [dlogits, grad, gradData, gradL2]) this.blank(canvas);
  }

  /** @param {HTMLCanvasElement} canvas a strip with nothing in it: no values, no cells to read (its cursor waits) */
  blank(canvas) {
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    delete canvas.dataset.values;
    delete canvas.dataset.cursor;
    this.drawn.delete(canvas);
    canvas.setAttribute('aria-label', 'no example picked');
  }

  /**
   * The same example's backward pass, and what the next step does to its cell.
   * @param {{dlogits: number[], grad_data: number[], grad_l2: number[], grad: number[],
   *   examples: number}} view the library's backward view of example x → y
   * @param {{x: number, y: number, w: number, lr: number, minibatch: boolean,
   *   lastDelta: number, rowName?: string, row?: number}} at the example, W[x, y] as the library holds it,
   *   the learning rate, whether steps use minibatches, and ΔW[x, y] of the last step (0 before one);
   *   the row's name when it is a longer context than one character; the example's row i in the word
   * @param {readonly string[]} vocab
   */
  drawBackward(view, at, vocab) {
    const { dlogits, grad, gradData, gradL2, backTitle, stepLine, batchNote } = this.els;
    const { x, y, w, lr, minibatch, lastDelta } = at;
    const [cx, cy] = [at.rowName ?? label(vocab[x]), label(vocab[y])];
    const n = view.examples.toLocaleString('en-US');
    // The three rows of W.grad share one colour scale, so the parts' sizes compare.
    const shared = Math.max(maxAbs(view.grad), maxAbs(view.grad_data), maxAbs(view.grad_l2));
    const dscale = maxAbs(view.dlogits);
    backTitle.textContent = `Example x = “${cx}” → y = “${cy}”, one of the n = ${n} examples the loss averages over. `
      + `Colours: dlogits to ±${prec(dscale)}; the three W.grad rows share ±${prec(shared)}.`;
    const [i, c] = [at.row ?? 0, (/** @type {number} */ j) => `row “${cx}”, column “${label(vocab[j])}”`];
    const wg = (/** @type {number} */ j) => `W.grad[${x}, ${j}]`;
    this.strip(dlogits, 'dlogits', view.dlogits, vocab, { signed: true, mark: y, scale: dscale },
      (j) => `dlogits[${i}, ${j}] = # = (probs[${i}, ${j}] − ${j === y ? 1 : 0}) / ${view.examples}: ${c(j)}`, sfmt);
    const part = { signed: true, mark: y, scale: shared };
    this.strip(grad, `W.grad row “${cx}”`, view.grad, vocab, part, (j) => `${wg(j)} = # (${c(j)}) = data part + L2 part`, sfmt);
    this.strip(gradData, 'data part', view.grad_data, vocab, part,
      (j) => `data part of ${wg(j)} = #: Σ of dlogits[:, ${j}] over the examples with input “${cx}”`, sfmt);
    this.strip(gradL2, 'L2 part', view.grad_l2, vocab, part, (j) => `L2 part of ${wg(j)} = # = 2λ·W[${x}, ${j}] / |W|`, sfmt);
    const g = view.grad[y];
    const delta = -lr * g;
    const cell = `W[${cx},${cy}]`;
    const way = delta === 0 ? 'leaves it where it is'
      : `moves it ${delta > 0 ? 'up' : 'down'} by ${fmt(Math.abs(delta))}, making “${cy}” after “${cx}” ${delta > 0 ? 'likelier' : 'less likely'}`;
    const last = lastDelta ? ` The last step moved it by ΔW${cell.slice(1)} = ${sfmt(lastDelta)}.` : '';
    stepLine.textContent = `${cell} = ${sfmt(w)}; W.grad${cell.slice(1)} = ${sfmt(g)}; `
      + `−lr·grad = −${lr} × (${sfmt(g)}) = ${sfmt(delta)}. The next step (W += −lr·grad) ${way}.${last}`;
    stepLine.dataset.w = String(w);
    stepLine.dataset.grad = String(g);
    stepLine.dataset.delta = String(delta);
    batchNote.hidden = !minibatch;
  }

  /**
   * @param {{x: number, y: number, logits: number[], counts: number[], probs: number[], p: number, nll: number}} trace
   *   x is the context's row (a·V + b for two characters)
   * @param {readonly string[]} vocab
   * @param {{len?: number, encoding?: string, row?: number}} [context] how many characters the net sees, how
   *   they are fed, and the example's row i in the word (the readouts' logits[i, j])
   * @returns {number} Σ counts, the row's total that probs divides by
   */
  draw(trace, vocab, { len = 1, encoding = 'context', row: i = 0 } = {}) {
    const { x, y } = trace;
    const { title, xenc, logits, counts, probs, p, nll, contextNote } = this.els;
    const v = vocab.length;
    const name = contextLabel(x, len, vocab);
    const digits = contextDigits(x, len, v);
    const target = `true next y = “${label(vocab[y])}” (index ${y})`;
    const to = (/** @type {number} */ j) => `“${name}” → “${label(vocab[j])}”${j === y ? ' ▲ the true next' : ''}`;
    const bit = (/** @type {number} */ b) => String(b);
    xenc.dataset.lit = JSON.stringify(encoding === 'concat' ? digits.map((d, i) => i * v + d) : [x]);
    if (len === 1) {
      title.textContent = `x = “${label(vocab[x])}” (index ${x}) → ${target}`;
      const onehot = vocab.map((_, i) => (i === x ? 1 : 0));
      this.strip(xenc, 'xenc', onehot, vocab, { mark: x },
        (j) => `xenc[${i}, ${j}] = #: one_hot(xs[${i}] = ${x}), column “${label(vocab[j])}”${j === x ? ', the one lit' : ''}`, bit);
    } else if (encoding === 'concat') {
      title.textContent = `context “${name}” (characters ${digits.join(', ')}) → ${target}`;
      // One one-hot per character, side by side: len·V inputs, len of them lit.
      const cells = digits.flatMap((d) => vocab.map((_, i) => (i === d ? 1 : 0)));
      const labels = digits.flatMap(() => vocab);
      this.strip(xenc, `xenc, ${len} one-hots side by side`, cells, labels, { json: false }, (j) => `xenc[${i}, ${j}] = #: `
        + `one-hot ${Math.floor(j / v) + 1} of ${len} (“${label(vocab[digits[Math.floor(j / v)]])}”), column “${label(labels[j])}”`, bit);
    } else {
      title.textContent = `context “${name}” (row ${x} = ${digits.join('·' + v + ' + ')}) of the ${v ** len} contexts → ${target}`;
      drawContextGrid(xenc, digits, vocab);
      this.blank(xenc);
      xenc.setAttribute('aria-label', `xenc: one of ${v ** len} contexts lit, “${name}” (row ${x})`);
    }
    if (contextNote) {
      contextNote.hidden = len === 1;
      contextNote.textContent = len === 1 ? ''
        : encoding === 'concat'
          ? `xenc is ${len} one-hots of ${v} side by side (${len * v} inputs, ${len} lit): logits = xenc @ W is the sum of ${len} rows of the ${len * v}×${v} W, one per position.`
          : `xenc is one one-hot over all ${v ** len} contexts${len === 3 ? ` (drawn: the ${v}×${v} grid of the last two characters within the first, “${label(vocab[digits[0]])}”)` : ' (drawn as a grid: row the first character, column the second)'}: logits = xenc @ W is row ${x} of the ${v ** len}×${v} W.`;
    }
    const sum = trace.counts.reduce((a, b) => a + b, 0);
    const row = encoding === 'concat' ? `a sum of ${len} rows of W` : `W[${x}, j]`;
    this.strip(logits, 'logits', trace.logits, vocab, { signed: true, mark: y },
      (j) => `logits[${i}, ${j}] = #: xenc[${i}] @ W = ${row.replace('j', String(j))}, ${to(j)}`);
    this.strip(counts, 'counts', trace.counts, vocab, { mark: y },
      (j) => `counts[${i}, ${j}] = # = exp(logits[${i}, ${j}]) = exp(${fmt(trace.logits[j])}), ${to(j)}`);
    this.strip(probs, 'probs', trace.probs, vocab, { mark: y },
      (j) => `probs[${i}, ${j}] = # = counts[${i}, ${j}] / Σ counts = ${fmt(trace.counts[j])} / ${fixed(sum)}, ${to(j)}`);
    p.textContent = trace.p.toFixed(4);
    p.dataset.value = String(trace.p);
    nll.textContent = trace.nll.toFixed(4);
    nll.dataset.value = String(trace.nll);
    return sum;
  }

  /**
   * The word's one-hot matrix: a row per bigram, its input's cell lit (the first 40).
   * @param {(number|null)[]} inputs input index of each bigram (null: unknown character)
   * @param {readonly string[]} vocab
   * @param {number} selected the row outlined (the example followed), or −1
   */
  drawWord(inputs, vocab, selected) {
    const colours = palette();
    const canvas = this.els.picture;
    const rows = inputs.slice(0, 40);
    const v = vocab.length;
    const avail = Math.max(160, available(canvas));
    const cell = Math.max(5, Math.min(20, Math.floor(avail / (v + 1))));
    const [w, h] = [cell * (v + 1), cell * (rows.length + 1)];
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = fitCanvas(canvas, w, h);
    ctx.clearRect(0, 0, w, h);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `${Math.max(7, cell * 0.6)}px ui-monospace, Menlo, monospace`;
    ctx.fillStyle = colours.ink;
    vocab.forEach((c, i) => ctx.fillText(label(c), cell * (i + 1.5), cell / 2));
    rows.forEach((ix, r) => {
      ctx.fillStyle = colours.ink;
      ctx.fillText(ix === null ? '?' : label(vocab[ix]), cell / 2, cell * (r + 1.5));
      for (let i = 0; i < v; i++) {
        ctx.fillStyle = i === ix ? css(1, 1, false, colours) : colours.off;
        ctx.fillRect(cell * (i + 1), cell * (r + 1), cell - 1, cell - 1);
      }
      if (r === selected) {
        ctx.strokeStyle = colours.mark;
        ctx.lineWidth = 2;
        ctx.strokeRect(cell + 1, cell * (r + 1) + 1, cell * v - 2, cell - 2);
      }
    });
    canvas.dataset.rows = JSON.stringify(rows);
    canvas.setAttribute('aria-label', `xenc for the word: ${rows.length} rows of ${v}, one cell lit in each`);
  }
}
