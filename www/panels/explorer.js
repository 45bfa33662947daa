// Inside the forward and backward pass: the example picked in the word table followed
// through the net (the one-hot, logits, counts, probs; the word's xenc picture), its
// backward rows (dlogits, W.grad's row with its data and L2 parts, the step for its
// cell) and the gradient check.

import { Explorer } from '../components/explorer.js';
import { contextLabel } from '../components/draw.js';
import { finder, guarded, enableWhenReady } from './panel.js';
import { errorText } from '../lib/format.js';

export class ExplorerPanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   */
  constructor(root, state) {
    const $ = finder(root);
    this.state = state;
    this.xencFigure = $('xenc-picture-figure');
    this.explorer = new Explorer({
      title: $('explorer-title'), xenc: $('explorer-xenc'), logits: $('explorer-logits'), counts: $('explorer-counts'),
      probs: $('explorer-probs'), p: $('explorer-p'), nll: $('explorer-nll'), picture: $('xenc-picture'),
      contextNote: $('explorer-context'), backTitle: $('backward-title'), dlogits: $('dlogits-row'), grad: $('grad-row'),
      gradData: $('grad-data-row'), gradL2: $('grad-l2-row'), stepLine: $('backward-step'), batchNote: $('backward-batch-note'),
      gradcheck: $('gradcheck-results'),
    });
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

  /** The explorer follows the selected bigram of the probe's word. */
  draw() {
    const { state, explorer } = this;
    const { report, lab, vocab, settings } = state;
    if (!report) return undefined;
    const { rows } = report;
    const len = lab.contextLength;
    const encoding = lab.encoding;
    // The word's picture is the bigram's (one row of V per example); a longer context has its own xenc above.
    this.xencFigure.hidden = len > 1;
    if (len === 1) explorer.drawWord(rows.map((/** @type {any} */ r) => r.input), vocab, state.selectedRow);
    this.example = null;
    const row = rows[state.selectedRow];
    if (!row) return explorer.clear('');
    if (row.input === null || row.label === null) {
      return explorer.clear(`“${row.bigram}” has a character outside the vocabulary: it has no path through the net.`);
    }
    const [x, y] = [row.input, row.label];
    try {
      explorer.draw(lab.example(x, y), vocab, { len, encoding });
      if (encoding === 'concat') {
        explorer.clearBackward(`With one one-hot per character, example “${row.example ?? row.bigram}” lands in ${len} rows of W.grad, `
          + 'one per position, each also shared by every example with that character there: the backward rows are drawn for '
          + 'the one-hot over contexts. The heatmap shows W.grad by position.');
        return undefined;
      }
      const back = lab.backwardView(x, y);
      const cell = x * vocab.length + y;
      const w = state.tableAt(lab.weightsPtr(), state.weightRows())[cell];
      const lastDelta = state.tableAt(lab.updatePtr(), state.weightRows())[cell];
      const rowName = len > 1 ? contextLabel(x, len, vocab) : undefined;
      explorer.drawBackward(back, { x, y, w, lr: settings.lr, minibatch: settings.batchSize > 0, lastDelta, rowName }, vocab);
      this.example = { x, y };
    } catch (err) {
      explorer.clear(errorText(err));
    }
    return undefined;
  }

  /** The gradient check at the explorer's example, and five more cells from the seed. */
  checkGradient() {
    const { state } = this;
    if (!this.example) {
      state.say('Pick a bigram of known characters in the word table first: the gradient check starts at its cell.', 'error');
      return;
    }
    const points = state.lab.gradCheck(this.example.x, this.example.y, 5, state.settings.seed);
    this.explorer.drawGradCheck(points, state.vocab);
    const worst = Math.max(...points.map((/** @type {{relError: number}} */ p) => p.relError));
    state.say(`Gradient check at ${points.length} cells: the largest relative error is ${worst.toExponential(2)}.`);
  }
}
