// Inside the net, node by node: the example picked in the word table followed through the
// forward pass as a graph (the library's `Lab.graph`), every node's value and .grad, the
// backward sweep one node a press, the step for the example's cell and the gradient
// check. Every cell of every strip reads out its value (hover, tap, or focus and ← →) in
// its group's live line, and the node's formula with that cell's numbers.

import { Explorer } from '../components/explorer.js';
import { contextLabel, label } from '../components/draw.js';
import { finder, guarded, enableWhenReady } from './panel.js';
import { errorText } from '../lib/format.js';
import { formula, knownAfter, knownInWalk, SWEEP } from '../lib/graph.js';

/** A readout with no cell to read (as index.html starts it). */
const IDLE = 'Point at, tap or focus a strip to read its cells.';
/** The sweep's line outside the sweep (as index.html starts it). */
const ALL = 'Every gradient is shown. Press Node by node to run backward one node at a time, from loss.grad = 1 back to W.grad.';

export class ExplorerPanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   * @param {{step: () => void}} actions a Step press (walking the loop: its next phase)
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    this.state = state;
    this.actions = actions;
    this.xencFigure = $('xenc-picture-figure');
    this.els = { gradcheck: $('gradcheck-results'), sweepLine: $('graph-sweep-line') };
    const forward = { xenc: $('explorer-xenc'), w: $('graph-w-values'), logits: $('explorer-logits'), counts: $('explorer-counts'), probs: $('explorer-probs') };
    const backward = {
      dlogits: $('dlogits-row'), countsGrad: $('graph-counts-grad'), viaProbs: $('graph-edge-counts-probs-strip'),
      viaSum: $('graph-edge-counts-sum-strip'), probsGrad: $('graph-probs-grad'), grad: $('grad-row'), gradData: $('grad-data-row'), gradL2: $('grad-l2-row'),
    };
    this.explorer = new Explorer({
      ...forward, ...backward, graph: $('graph'), title: $('explorer-title'), p: $('explorer-p'), nll: $('explorer-nll'),
      picture: $('xenc-picture'), contextNote: $('explorer-context'), sumCounts: $('explorer-sum-counts'), probsSum: $('explorer-probs-sum'),
      backTitle: $('backward-title'), stepLine: $('backward-step'), batchNote: $('backward-batch-note'),
    });
    /** Each strip's readout: one line for the values, one for the gradients. @type {Map<HTMLCanvasElement, HTMLElement>} */
    this.groups = new Map();
    const [valuesOut, gradsOut] = [$('explorer-readout'), $('backward-readout')];
    for (const canvas of Object.values(forward)) this.groups.set(canvas, valuesOut);
    for (const canvas of Object.values(backward)) this.groups.set(canvas, gradsOut);
    for (const canvas of this.groups.keys()) this.listen(canvas);
    /** @type {Map<HTMLElement, {at: number, timer?: ReturnType<typeof setTimeout>}>} when each readout was last written */
    this.written = new Map();
    // A redraw (a step, another example) reads the cursor's cell again.
    this.explorer.onRead = (canvas, text, value) => this.write(/** @type {HTMLElement} */ (this.groups.get(canvas)), text, value);
    /** @type {{x: number, y: number} | null} the example drawn (null when the row has none): the gradient check's cell */
    this.example = null;
    /** @type {number | null} presses of the backward sweep so far (null: outside it, every gradient shown) */
    this.presses = null;
    /** @type {Map<string, HTMLCanvasElement>} the strip of each node whose cell was read last: its formulas follow it */
    this.lastRead = new Map();
    /** @type {number | null} the tour stop whose sweep setting was applied (a stop applies it once) */
    this.stopApplied = null;
    const check = $('gradcheck-button');
    const [start, next, all] = [$('graph-backward-start'), $('graph-backward-step'), $('graph-backward-all')];
    check.addEventListener('click', guarded(state, () => this.checkGradient()));
    start.addEventListener('click', guarded(state, () => this.sweep(0)));
    // Outside a sweep, Next node starts one at the loss.
    next.addEventListener('click', guarded(state, () => this.sweep(this.presses === null ? 1 : this.presses + 1)));
    all.addEventListener('click', guarded(state, () => this.sweep(null)));
    enableWhenReady(state, [check]);
    // The sweep waits while training runs: each paced frame would end it at once.
    const sweepable = () => {
      for (const b of [start, next, all]) b.disabled = !state.usable || state.training;
    };
    state.on('ready', sweepable);
    state.on('training', () => {
      sweepable();
      // Training moves W: a sweep begun ends at once, whether or not a redraw comes before Pause.
      if (state.training && this.presses !== null) this.draw(true);
    });
    state.on('w', (detail) => {
      if (detail.views) this.draw(true);
    });
    state.on('redraw', () => this.draw());
    state.on('word', () => this.draw());
    state.on('walk', () => this.draw(true));
    // A tour stop about the forward pass shows it without gradients (its sweep not begun).
    state.on('mode', () => {
      const stop = state.stop;
      if (!stop || stop.backward === undefined || this.stopApplied === stop.stop) {
        if (!stop) this.stopApplied = null;
        return;
      }
      this.stopApplied = stop.stop;
      this.presses = stop.backward;
      this.draw();
    });
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
    const node = /** @type {HTMLElement | null} */ (canvas.closest('[data-node]'))?.dataset.node;
    if (node) this.lastRead.set(node, canvas);
    this.explainAll();
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

  /** A readout whose cursor is on a strip with nothing drawn is emptied. */
  settle() {
    const { explorer } = this;
    for (const out of new Set(this.groups.values())) {
      const canvases = [...this.groups].filter(([, group]) => group === out).map(([canvas]) => canvas);
      if (!canvases.some((c) => explorer.cursors.has(c) && explorer.drawn.has(c))) this.write(out, IDLE, null, true);
    }
  }

  /**
   * Every node's formulas, each with the numbers of the cell read last in its node (else
   * the true next one, or xenc's lit cell). Written whether folded or not, so that opening
   * one shows it at once.
   */
  explainAll() {
    const { explorer } = this;
    const g = explorer.graph;
    if (!g) return;
    const showing = this.showing();
    for (const name of explorer.nodes.keys()) {
      const last = this.lastRead.get(name);
      const read = last ? explorer.cursors.get(last) : undefined;
      explorer.explain(name, read ?? (name === 'xenc' ? g.xencHot[0] : g.y), showing);
    }
  }

  /**
   * The backward sweep: `presses` nodes' gradients computed, from the loss back (0: none
   * yet; null: every one, outside the sweep). Presses past the end change nothing.
   * Walking the loop, the sweep is the backward phase: it starts after zero_grad, and its
   * last press runs the phase (so W.grad fills the heatmap too).
   * @param {number | null} presses
   */
  sweep(presses) {
    const { state } = this;
    const phase = state.walking ? state.walkPhase : null;
    if (presses === null && phase === 'zero_grad') {
      this.presses = null;
      this.actions.step(); // All at once, walking: the backward phase itself
      return;
    }
    if (state.walking && phase !== 'zero_grad' && (presses !== null || phase === 'forward' || phase === null)) {
      this.els.sweepLine.textContent = phase === 'forward' || phase === null || phase === 'update'
        ? 'Walking the loop: the backward sweep comes after zero_grad. Press Step until the phase is zero_grad.'
        : 'Walking the loop: backward has run. Press Step for the update.';
      return;
    }
    if (presses !== null && presses > SWEEP.length) return; // past the end: nothing changes
    this.presses = presses;
    if (presses === SWEEP.length && state.walking) {
      this.presses = null;
      this.actions.step(); // the walk's backward phase, so the heatmap's W.grad fills too
      return;
    }
    this.draw();
  }

  /**
   * The explorer follows the selected bigram of the probe's word. A training frame (or a
   * Step) ends the sweep: every node shows the new W's values and gradients.
   * @param {boolean} [moved] W changed
   */
  draw(moved = false) {
    if (moved) this.presses = null;
    if (this.state.report) this.drawExample(this.state.report);
    this.settle();
    this.explainAll();
  }

  /** @returns {import('../components/explorer.js').Showing} what the sweep and the walk let the graph show */
  showing() {
    const { state, presses } = this;
    const walk = knownInWalk(state.walking ? state.walkPhase : null);
    if (presses === null) return { ...walk, row: state.selectedRow };
    const known = knownAfter(presses);
    return { known, zeroW: walk.zeroW && !known.has('W'), active: presses > 0 ? SWEEP[presses - 1] : null, row: state.selectedRow };
  }

  /**
   * @param {{rows: {input: number|null, label: number|null, bigram: string, example?: string}[]}} report
   */
  drawExample(report) {
    const { state, explorer } = this;
    const { lab, vocab, settings } = state;
    const { rows } = report;
    const len = lab.contextLength;
    // The word's picture is the bigram's (one row of V per example); a longer context has its own xenc above.
    this.xencFigure.hidden = len > 1;
    if (len === 1) explorer.drawWord(rows.map((r) => r.input), vocab, state.selectedRow);
    this.example = null;
    const row = rows[state.selectedRow];
    if (!row || row.input === null || row.label === null) {
      explorer.clear(row ? `“${row.bigram}” has a character outside the vocabulary: it has no path through the net.` : '');
      explorer.clearStep();
      this.sweepText(null);
      return;
    }
    const [x, y] = [row.input, row.label];
    try {
      const g = lab.graph(x, y);
      const showing = this.showing();
      explorer.draw(g, vocab, showing);
      this.example = { x, y };
      this.sweepText(showing.active ?? null);
      if (!showing.known.has('W')) {
        explorer.clearStep(state.walking ? 'W.grad is not filled yet: the step waits for backward.' : 'The step needs W.grad: run the sweep to W.');
        return;
      }
      const first = g.w[0];
      const cell = first.row * vocab.length + y;
      explorer.drawStep({
        w: first.value[y], grad: first.grad[y], lr: settings.lr, minibatch: settings.batchSize > 0,
        lastDelta: state.tableAt(lab.updatePtr(), state.weightRows())[cell],
        rowName: g.w.length > 1 ? label(vocab[g.chars[0]]) : contextLabel(x, len, vocab), yName: label(vocab[y]),
      });
    } catch (err) {
      explorer.clear(errorText(err));
      explorer.clearStep();
    }
  }

  /**
   * The sweep's line: which node the last press reached and the formula it used.
   * @param {string | null} active
   */
  sweepText(active) {
    const { presses, explorer, state } = this;
    const g = explorer.graph;
    const out = this.els.sweepLine;
    const phase = state.walking ? state.walkPhase : null;
    let text = ALL;
    if (presses === null && phase === 'forward') {
      text = 'Walking the loop: no gradient yet. Press Step for zero_grad; backward comes after it.';
    } else if (presses === null && phase === 'zero_grad') {
      text = 'Walking the loop, after zero_grad: W.grad is zeros. Backward next: Node by node, or All at once (or Step).';
    } else if (presses === 0) text = 'No gradient yet: press Next node ↑ to start at the loss (loss.grad = 1).';
    else if (presses !== null && active && g) {
      const left = SWEEP.length - presses;
      text = `${presses} of ${SWEEP.length}: ${formula(g, active, g.y, { i: state.selectedRow, vocab: explorer.vocab?.map(label) }).grad}`
        + (left ? ` Next: ${SWEEP[presses]}.` : ' The sweep has reached W: backward is done.');
    }
    // A live region: the same text again (every paced frame while training) is not news.
    if (out.textContent !== text) out.textContent = text;
    out.dataset.presses = presses === null ? 'all' : String(presses);
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
