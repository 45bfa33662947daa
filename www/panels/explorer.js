// Inside the forward and backward pass: the example picked in the word table followed
// through the net (the one-hot, logits, counts, Σ counts, probs; the word's xenc
// picture), its backward rows (dlogits, W.grad's row with its data and L2 parts, the
// step for its cell) and the gradient check. Every cell of every strip reads out its
// value (hover, tap, or focus and ← →) in its group's live line.

import { Explorer } from '../components/explorer.js';
import { contextLabel, label } from '../components/draw.js';
import { finder, guarded, enableWhenReady } from './panel.js';
import { errorText, fixed } from '../lib/format.js';

/** A readout with no cell to read (as index.html starts it). */
const IDLE = 'Point at, tap or focus a strip to read its cells.';

export class ExplorerPanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   */
  constructor(root, state) {
    const $ = finder(root);
    this.state = state;
    this.xencFigure = $('xenc-picture-figure');
    this.els = { sumCounts: $('explorer-sum-counts'), probsSum: $('explorer-probs-sum'), gradcheck: $('gradcheck-results') };
    const strips = {
      xenc: $('explorer-xenc'), logits: $('explorer-logits'), counts: $('explorer-counts'), probs: $('explorer-probs'),
      dlogits: $('dlogits-row'), grad: $('grad-row'), gradData: $('grad-data-row'), gradL2: $('grad-l2-row'),
    };
    this.explorer = new Explorer({
      ...strips, title: $('explorer-title'), p: $('explorer-p'), nll: $('explorer-nll'), picture: $('xenc-picture'),
      contextNote: $('explorer-context'), backTitle: $('backward-title'), stepLine: $('backward-step'), batchNote: $('backward-batch-note'),
    });
    /** Each strip's readout: one line under the forward strips, one under the backward. @type {Map<HTMLCanvasElement, HTMLElement>} */
    this.groups = new Map();
    const [forward, backward] = [$('explorer-readout'), $('backward-readout')];
    for (const key of /** @type {(keyof typeof strips)[]} */ (Object.keys(strips))) {
      this.groups.set(strips[key], ['xenc', 'logits', 'counts', 'probs'].includes(key) ? forward : backward);
      this.listen(strips[key]);
    }
    /** @type {Map<HTMLElement, {at: number, timer?: ReturnType<typeof setTimeout>}>} when each readout was last written */
    this.written = new Map();
    // A redraw (a step, another example) reads the cursor's cell again.
    this.explorer.onRead = (canvas, text, value) => this.write(/** @type {HTMLElement} */ (this.groups.get(canvas)), text, value);
    /** @type {{x: number, y: number} | null} the example drawn (null when the row has none): the gradient check's cell */
    this.example = null;
    const check = $('gradcheck-button');
    check.addEventListener('click', guarded(state, () => this.checkGradient()));
    enableWhenReady(state, [check]);
    state.on('w', (detail) => {
      if (detail.views) this.draw();
    });
    state.on('redraw', () => this.draw());
    state.on('word', () => this.draw());
    window.addEventListener('resize', () => this.explorer.resized());
  }

  /**
   * A strip's cells are read out by pointer (hover, or a tap: pointerdown) and by keyboard
   * (focus, then ← →, Home, End).
   * @param {HTMLCanvasElement} canvas
   */
  listen(canvas) {
    const { explorer } = this;
    const at = () => explorer.cursors.get(canvas) ?? -1;
    const pointer = (/** @type {PointerEvent} */ e) => {
      const n = explorer.drawn.get(canvas)?.n ?? 0;
      if (n && canvas.clientWidth) this.pick(canvas, Math.floor((e.offsetX / canvas.clientWidth) * n));
    };
    canvas.addEventListener('pointermove', pointer);
    canvas.addEventListener('pointerdown', pointer);
    canvas.addEventListener('focus', () => this.pick(canvas, Math.max(0, at()), true)); // from the first cell, or where it was
    canvas.addEventListener('keydown', (e) => {
      const n = explorer.drawn.get(canvas)?.n ?? 0;
      const j = Math.max(0, at());
      const to = /** @type {Record<string, number>} */ ({ ArrowLeft: j - 1, ArrowRight: j + 1, Home: 0, End: n - 1 })[e.key];
      if (to === undefined || !n) return;
      e.preventDefault();
      this.pick(canvas, Math.max(0, Math.min(n - 1, to)));
    });
  }

  /**
   * Moves the group's cursor to cell j of a strip, and reads the cell out at once.
   * @param {HTMLCanvasElement} canvas
   * @param {number} j
   * @param {boolean} [again] read it out even if the cursor is there already
   */
  pick(canvas, j, again = false) {
    const { explorer } = this;
    const strip = explorer.drawn.get(canvas);
    const out = this.groups.get(canvas);
    if (!strip || !out || j < 0 || j >= strip.n || (!again && explorer.cursors.get(canvas) === j)) return;
    for (const [other, group] of this.groups) {
      if (group === out && other !== canvas && explorer.cursors.has(other)) explorer.point(other, null);
    }
    const reading = explorer.point(canvas, j);
    if (reading) this.write(out, ...reading, true);
  }

  /**
   * A readout's text and full value (null: none). While training redraws every frame it
   * is rewritten at most once a second (the last reading always lands), unless `now`.
   * @param {HTMLElement} out
   * @param {string} text
   * @param {number | null} value
   * @param {boolean} [now] the cursor moved: at once
   */
  write(out, text, value, now = false) {
    const last = this.written.get(out) ?? { at: -Infinity };
    clearTimeout(last.timer);
    const put = () => {
      if (out.textContent !== text) out.textContent = text; // the same text again is not news
      if (value === null || !Number.isFinite(value)) delete out.dataset.value; // a count exp overflowed: ∞ in the text only
      else out.dataset.value = String(value);
      this.written.set(out, { at: performance.now() });
    };
    const wait = now ? 0 : 1000 - (performance.now() - last.at);
    if (wait <= 0) put();
    else this.written.set(out, { at: last.at, timer: setTimeout(put, wait) });
  }

  /**
   * Σ counts beside the counts strip and in the probs strip's caption; a readout whose
   * cursor is on a strip with nothing drawn is emptied.
   * @param {number | null} sum
   */
  settle(sum) {
    const { explorer, els } = this;
    // A logit past ~88 overflows float32's exp: Σ counts is then ∞, as PyTorch's would be.
    for (const el of [els.sumCounts, els.probsSum]) el.textContent = fixed(sum, 4, sum === Infinity ? '∞' : '–');
    if (sum === null || !Number.isFinite(sum)) delete els.sumCounts.dataset.value;
    else els.sumCounts.dataset.value = String(sum);
    for (const out of new Set(this.groups.values())) {
      const canvases = [...this.groups].filter(([, group]) => group === out).map(([canvas]) => canvas);
      if (!canvases.some((c) => explorer.cursors.has(c) && explorer.drawn.has(c))) this.write(out, IDLE, null, true);
    }
  }

  /** The explorer follows the selected bigram of the probe's word. */
  draw() {
    if (this.state.report) this.settle(this.drawExample(this.state.report));
  }

  /**
   * @param {{rows: {input: number|null, label: number|null, bigram: string, example?: string}[]}} report
   * @returns {number | null} Σ counts of the example drawn
   */
  drawExample(report) {
    const { state, explorer } = this;
    const { lab, vocab, settings } = state;
    const { rows } = report;
    const len = lab.contextLength;
    const encoding = lab.encoding;
    // The word's picture is the bigram's (one row of V per example); a longer context has its own xenc above.
    this.xencFigure.hidden = len > 1;
    if (len === 1) explorer.drawWord(rows.map((r) => r.input), vocab, state.selectedRow);
    this.example = null;
    const i = state.selectedRow;
    const row = rows[i];
    if (!row || row.input === null || row.label === null) {
      explorer.clear(row ? `“${row.bigram}” has a character outside the vocabulary: it has no path through the net.` : '');
      return null;
    }
    const [x, y] = [row.input, row.label];
    try {
      const sum = explorer.draw(lab.example(x, y), vocab, { len, encoding, row: i });
      if (encoding === 'concat') {
        explorer.clearBackward(`With one one-hot per character, example “${row.example ?? row.bigram}” lands in ${len} rows of W.grad, `
          + 'one per position, each also shared by every example with that character there: the backward rows are drawn for '
          + 'the one-hot over contexts. The heatmap shows W.grad by position.');
        return sum;
      }
      if (state.walking && state.walkPhase !== 'backward' && state.walkPhase !== 'update') {
        // Walking the loop: the gradient is shown only once backward has filled it.
        explorer.clearBackward(state.walkPhase === 'zero_grad'
          ? 'zero_grad: W.grad is all zeros now; the next phase, backward, fills it.'
          : 'Walking the loop: no gradient yet; it appears at the backward phase.');
        this.example = { x, y };
        return sum;
      }
      const back = lab.backwardView(x, y);
      const cell = x * vocab.length + y;
      const w = state.tableAt(lab.weightsPtr(), state.weightRows())[cell];
      const lastDelta = state.tableAt(lab.updatePtr(), state.weightRows())[cell];
      const rowName = len > 1 ? contextLabel(x, len, vocab) : undefined;
      explorer.drawBackward(back, { x, y, w, lr: settings.lr, minibatch: settings.batchSize > 0, lastDelta, rowName, row: i }, vocab);
      this.example = { x, y };
      return sum;
    } catch (err) {
      explorer.clear(errorText(err));
      return null;
    }
  }

  /** The gradient check at the explorer's example, and five more cells from the seed. */
  checkGradient() {
    const { state } = this;
    if (!this.example) {
      state.say('Pick a bigram of known characters in the word table first: the gradient check starts at its cell.', 'error');
      return;
    }
    const points = state.lab.gradCheck(this.example.x, this.example.y, 5, state.settings.seed);
    this.drawGradCheck(points, state.vocab);
    const worst = Math.max(...points.map((/** @type {{relError: number}} */ p) => p.relError));
    state.say(`Gradient check at ${points.length} cells: the largest relative error is ${worst.toExponential(2)}.`);
  }

  /**
   * The gradient check's points as a table: cell, analytic (f64), numeric, relative
   * error, and the float32 value training uses. The points also go into data-points.
   * @param {{row: number, col: number, analytic: number, numeric: number,
   *   relError: number, analyticF32: number}[]} points
   * @param {readonly string[]} vocab
   */
  drawGradCheck(points, vocab) {
    const table = this.els.gradcheck;
    table.tBodies[0].replaceChildren(...points.map((pt) => {
      const tr = document.createElement('tr');
      const cells = [
        `${label(vocab[pt.row])}${label(vocab[pt.col])} (${pt.row}, ${pt.col})`,
        pt.analytic.toExponential(8),
        pt.numeric.toExponential(8),
        pt.relError.toExponential(2),
        pt.analyticF32.toExponential(6),
      ];
      tr.append(...cells.map((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (i === 0) td.className = 'bigram';
        return td;
      }));
      tr.classList.toggle('bad', !(pt.relError < 1e-6));
      return tr;
    }));
    table.dataset.points = JSON.stringify(points.map(({ row, col, analytic, numeric, relError }) => ({
      row, col, analytic, numeric, relError,
    })));
  }
}
