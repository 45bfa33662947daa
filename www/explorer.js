// Inside the forward pass: one example's path through the net as the lecture walks it,
// one-hot input → row of W (logits) → exp (counts) → probabilities → −ln p, and the
// whole word's one-hot matrix. It draws only the trace and indices it is handed.

import { fitCanvas, label, css, maxAbs, INK, MARK } from './draw.js';

const fmt = (x) => (Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(4));

/**
 * One vector as a strip of V cells with the characters beneath; `mark` outlines a cell.
 * The values also go into data-values (JSON) and a spoken summary.
 */
function drawStrip(canvas, name, values, vocab, { signed = false, mark = -1 } = {}) {
  const v = vocab.length;
  const avail = Math.max(160, (canvas.parentElement?.clientWidth ?? 600) - 8);
  const cell = Math.max(6, Math.min(36, Math.floor(avail / v)));
  const [w, h] = [cell * v, cell + 18];
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = fitCanvas(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  const scale = maxAbs(values);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = `${Math.max(8, Math.min(13, cell * 0.6))}px ui-monospace, Menlo, monospace`;
  for (let i = 0; i < v; i++) {
    ctx.fillStyle = css(values[i], scale, signed);
    ctx.fillRect(i * cell, 0, cell - 1, cell);
    ctx.fillStyle = i === mark ? MARK : INK;
    ctx.fillText(i === mark ? `▲${label(vocab[i])}` : label(vocab[i]), i * cell + cell / 2, cell + 3);
  }
  if (mark >= 0) {
    ctx.strokeStyle = MARK;
    ctx.lineWidth = 3;
    ctx.strokeRect(mark * cell + 1.5, 1.5, cell - 4, cell - 3);
  }
  canvas.dataset.values = JSON.stringify(Array.from(values));
  let top = 0;
  values.forEach((x, i) => { if (x > values[top]) top = i; });
  const marked = mark >= 0 ? `; “${label(vocab[mark])}” ${fmt(values[mark])}` : '';
  canvas.setAttribute('aria-label', `${name}: largest “${label(vocab[top])}” ${fmt(values[top])}${marked}`);
}

/** The explorer panel; `els` holds its canvases and text elements. */
export class Explorer {
  constructor(els) {
    this.els = els;
  }

  /** Says why there is no path to show (e.g. an unknown character), and shows none. */
  clear(message) {
    const { title, p, nll, xenc, logits, counts, probs } = this.els;
    title.textContent = message || '\u00a0';
    for (const el of [p, nll]) {
      el.textContent = '–';
      delete el.dataset.value;
    }
    for (const canvas of [xenc, logits, counts, probs]) {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      delete canvas.dataset.values;
      canvas.setAttribute('aria-label', 'no example picked');
    }
  }

  /**
   * @param {{x: number, y: number, logits: number[], counts: number[], probs: number[], p: number, nll: number}} trace
   * @param {string[]} vocab
   */
  draw(trace, vocab) {
    const { x, y } = trace;
    const { title, xenc, logits, counts, probs, p, nll } = this.els;
    title.textContent = `x = “${label(vocab[x])}” (index ${x}) → true next y = “${label(vocab[y])}” (index ${y})`;
    const onehot = vocab.map((_, i) => (i === x ? 1 : 0));
    drawStrip(xenc, 'xenc', onehot, vocab, { mark: x });
    drawStrip(logits, 'logits', trace.logits, vocab, { signed: true, mark: y });
    drawStrip(counts, 'counts', trace.counts, vocab, { mark: y });
    drawStrip(probs, 'probs', trace.probs, vocab, { mark: y });
    p.textContent = trace.p.toFixed(4);
    p.dataset.value = String(trace.p);
    nll.textContent = trace.nll.toFixed(4);
    nll.dataset.value = String(trace.nll);
  }

  /**
   * The word's one-hot matrix: a row per bigram, its input's cell lit (the first 40).
   * @param {(number|null)[]} inputs input index of each bigram (null: unknown character)
   */
  drawWord(inputs, vocab, selected) {
    const canvas = this.els.picture;
    const rows = inputs.slice(0, 40);
    const v = vocab.length;
    const avail = Math.max(160, (canvas.parentElement?.clientWidth ?? 600) - 8);
    const cell = Math.max(5, Math.min(20, Math.floor(avail / (v + 1))));
    const [w, h] = [cell * (v + 1), cell * (rows.length + 1)];
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = fitCanvas(canvas, w, h);
    ctx.clearRect(0, 0, w, h);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `${Math.max(7, cell * 0.6)}px ui-monospace, Menlo, monospace`;
    ctx.fillStyle = INK;
    vocab.forEach((c, i) => ctx.fillText(label(c), cell * (i + 1.5), cell / 2));
    rows.forEach((ix, r) => {
      ctx.fillStyle = INK;
      ctx.fillText(ix === null ? '?' : label(vocab[ix]), cell / 2, cell * (r + 1.5));
      for (let i = 0; i < v; i++) {
        ctx.fillStyle = i === ix ? css(1, 1, false) : '#eef1f4';
        ctx.fillRect(cell * (i + 1), cell * (r + 1), cell - 1, cell - 1);
      }
      if (r === selected) {
        ctx.strokeStyle = MARK;
        ctx.lineWidth = 2;
        ctx.strokeRect(cell + 1, cell * (r + 1) + 1, cell * v - 2, cell - 2);
      }
    });
    canvas.dataset.rows = JSON.stringify(rows);
    canvas.setAttribute('aria-label', `xenc for the word: ${rows.length} rows of ${v}, one cell lit in each`);
  }
}
