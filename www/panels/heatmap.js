// The Probabilities panel: the heatmap of what its mode asks for (the net's table,
// counting's, their difference, W, W.grad or the last step's ΔW, read in place from wasm
// memory), the smoothing k, the block picker for longer contexts, and the CSV export.

import { Heatmap } from '../components/heatmap.js';
import { contextLabel, label } from '../components/draw.js';
import { download, tableCsv } from '../lib/exporters.js';
import { finder, guarded, bindFolds, enableWhenReady } from './panel.js';

const W_MODES = new Set(['weights', 'grad', 'update']);
const SUBSCRIPTS = '₁₂₃₄';

/** A sentence beside the modes that need one. @type {Record<string, string>} */
const HEAT_HINTS = {
  weights: 'W itself: row x holds the logits that input x gives. Blue above 0, red below; softmax of each row is the probability table.',
  grad: 'W.grad at the current W (while walking the loop: the buffer as the walk left it). For the data part, the whole list\'s '
    + 'gradient is (R_i·P_net − N)/n row by row (R_i: the examples with input i), so it vanishes where the net equals the counting '
    + 'model: compare with “net − counting”. The L2 part adds 2λ·W/|W|.',
  update: 'ΔW = −lr·W.grad of the last step: how far and which way each weight moved (zeros before the first step).',
};

export class HeatmapPanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   * @param {{smoothing: (k: number) => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    this.state = state;
    this.els = {
      mode: $('heatmap-mode'), hint: $('heatmap-mode-hint'), first: $('heatmap-first'), firstLabel: $('heatmap-first-label'),
      smoothing: $('smoothing-input'), smoothingNumber: $('smoothing-number'), smoothingValue: $('smoothing-value'),
      csv: $('table-csv-button'),
    };
    const { els } = this;
    this.heatmap = new Heatmap($('heatmap'), $('heatmap-readout'), $('heatmap-scale'));
    /** Row names, kept per view so the heatmap draws its labels once per view. */
    this.rowLabelCache = new Map();
    els.mode.addEventListener('change', guarded(state, () => {
      state.view.mode = els.mode.value;
      state.emit('view');
    }));
    els.first.addEventListener('change', guarded(state, () => {
      state.view.first = els.first.value;
      state.emit('view');
    }));
    els.smoothing.addEventListener('input', guarded(state, () => actions.smoothing(Number(els.smoothing.value))));
    els.smoothingNumber.addEventListener('input', guarded(state, () => {
      const parsed = state.settings.parse('smoothing', els.smoothingNumber.value);
      if ('error' in parsed) {
        els.smoothingNumber.setAttribute('aria-invalid', 'true');
        state.say(`${parsed.error} Keeping ${state.view.k}.`, 'error');
        return;
      }
      state.clearError();
      actions.smoothing(parsed.value);
    }));
    els.csv.addEventListener('click', guarded(state, () => this.saveCsv()));
    enableWhenReady(state, [els.csv]);
    bindFolds(root, state);
    state.on('w', (detail) => {
      if (detail.views) this.draw();
    });
    state.on('redraw', () => this.draw());
    state.on('view', () => {
      const k = String(state.view.k);
      els.mode.value = state.view.mode;
      els.smoothing.value = k;
      els.smoothingNumber.value = k;
      els.smoothingNumber.setAttribute('aria-invalid', 'false');
      els.smoothingValue.textContent = k;
      this.draw();
    });
    window.addEventListener('resize', () => this.draw());
  }

  /** The ranges of the smoothing inputs, from the library's rule. */
  ranges() {
    return { smoothing: [this.els.smoothing, this.els.smoothingNumber] };
  }

  /**
   * What the mode asks for, whole: the net's table, counting's, their difference, W,
   * W.grad (while walking the loop, the walk's buffer) or the last step's ΔW.
   */
  fullTable() {
    const { state } = this;
    const { lab, view } = state;
    const rows = state.contextRows();
    if (view.mode === 'net') return state.tableAt(lab.probsPtr(), rows);
    if (view.mode === 'weights') return state.tableAt(lab.weightsPtr(), state.weightRows());
    if (view.mode === 'grad') return state.tableAt(lab.gradPtr(), state.weightRows());
    if (view.mode === 'update') return state.tableAt(lab.updatePtr(), state.weightRows());
    const counting = state.tableAt(lab.countProbsPtr(view.k), rows);
    if (view.mode === 'counts') return counting;
    const net = state.tableAt(lab.probsPtr(), rows); // after countProbsPtr: its allocation may move memory
    return net.map((p, i) => p - counting[i]);
  }

  /**
   * @param {string} key
   * @param {() => string[]} make
   */
  rowLabelsFor(key, make) {
    if (!this.rowLabelCache.has(key)) this.rowLabelCache.set(key, make());
    return this.rowLabelCache.get(key);
  }

  /** The heatmap's blocks: the first characters of a context, or (W side by side) the positions. */
  blocks() {
    const { lab, vocab, view } = this.state;
    const len = lab.contextLength;
    const v = vocab.length;
    if (len === 1) return { kind: 'none', options: [] };
    if (lab.encoding === 'concat' && W_MODES.has(view.mode)) {
      return { kind: 'position', options: Array.from({ length: len }, (_, i) => `position ${i + 1} (${i === len - 1 ? 'the last character' : `${len - 1 - i} before the last`})`) };
    }
    const count = v ** (len - 1);
    return { kind: 'prefix', options: Array.from({ length: count }, (_, i) => `first ${len === 2 ? 'character' : 'characters'} “${contextLabel(i, len - 1, vocab)}”`) };
  }

  /** Keeps the block picker in step with the context, encoding and mode. */
  showBlocks() {
    const { els, state } = this;
    const { kind, options } = this.blocks();
    const key = `${kind}|${options.length}|${state.vocab.length}|${state.vocab.join('')}`;
    els.firstLabel.hidden = kind === 'none';
    if (els.first.dataset.key === key) return;
    els.first.dataset.key = key;
    const choices = [...options.map((text, i) => [String(i), text]), ['overview', 'overview: every row, scaled down']];
    els.first.replaceChildren(...choices.map(([value, text]) => new Option(text, value)));
    if (!choices.some(([value]) => value === state.view.first)) state.view.first = '0';
    els.first.value = state.view.first;
  }

  /** What the heatmap draws: the V×V block picked (or every row), and the rows' names. */
  view() {
    const { lab, vocab, view } = this.state;
    const full = this.fullTable();
    const len = lab.contextLength;
    const v = vocab.length;
    if (len === 1) return { values: full, rowLabels: null };
    const { kind } = this.blocks();
    const total = full.length / v;
    const name = (/** @type {number} */ r) => (kind === 'position' ? `${label(vocab[r % v])}${SUBSCRIPTS[Math.floor(r / v)]}` : contextLabel(r, len, vocab));
    const tag = `${kind}|${len}|${v}|${vocab.join('')}`;
    if (view.first === 'overview') {
      return { values: full, rowLabels: this.rowLabelsFor(`${tag}|all`, () => Array.from({ length: total }, (_, r) => name(r))) };
    }
    const block = Math.min(Number(view.first) || 0, total / v - 1);
    const rowLabels = this.rowLabelsFor(`${tag}|${block}`, () => Array.from({ length: v }, (_, i) => name(block * v + i)));
    // A copy (V×V, small): a view would go dead if wasm memory grows before the next draw.
    return { values: full.slice(block * v * v, (block + 1) * v * v), rowLabels };
  }

  draw() {
    const { els, state } = this;
    if (!state.lab) return;
    this.showBlocks();
    const { values, rowLabels } = this.view();
    this.heatmap.draw(values, state.vocab, /** @type {import('../components/heatmap.js').HeatMode} */ (state.view.mode), { rowLabels });
    const hint = HEAT_HINTS[state.view.mode];
    els.hint.hidden = !hint;
    els.hint.textContent = hint ?? '';
  }

  saveCsv() {
    const { els, state } = this;
    download(new Blob([tableCsv(this.view().values, state.vocab)], { type: 'text/csv' }), `bigram-lab-${state.view.mode}-step-${state.lab.steps}.csv`);
    state.say(`Saved the ${els.mode.selectedOptions[0].textContent} as CSV.`);
  }
}
