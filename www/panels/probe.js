// The word probe: the word typed, its table of bigrams (p, a bar, −ln p, and how both
// moved at the last Step), the word's mean NLL; a row picked (click, or Enter) is the
// example the explorer follows.

import { renderProbe } from '../components/wordTable.js';
import { finder, guarded } from './panel.js';
import { isolate } from '../lib/format.js';

export class ProbePanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   * @param {{word: (text: string) => void, pick: (row: number) => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    this.state = state;
    this.els = { word: $('word-input'), wordLoss: $('word-loss'), table: $('nll-table') };
    const { els } = this;
    els.word.addEventListener('input', guarded(state, () => actions.word(els.word.value)));
    // The explorer follows the bigram picked in the word table, by pointer or keyboard.
    const pick = (/** @type {Event} */ event) => {
      const tr = /** @type {HTMLTableRowElement | null} */ (/** @type {Element} */ (event.target).closest('tbody tr'));
      if (tr) actions.pick(tr.sectionRowIndex);
    };
    els.table.addEventListener('click', guarded(state, pick));
    els.table.addEventListener('keydown', guarded(state, (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        pick(event);
      }
    }));
    state.on('w', (detail) => {
      if (detail.views) this.draw();
    });
    state.on('redraw', () => this.draw());
    state.on('word', (detail) => {
      this.draw();
      if (detail.typed) this.describe(detail.startup);
    });
  }

  /** The table for the state's report, and which row the explorer follows. */
  draw() {
    const { els, state } = this;
    if (els.word.value !== state.word) els.word.value = state.word;
    const { report } = state;
    if (!report) return;
    renderProbe(els.table, els.wordLoss, report, state.stepBase);
    state.selectedRow = Math.max(0, Math.min(state.selectedRow, report.rows.length - 1));
    const trs = els.table.tBodies[0].rows;
    for (let i = 0; i < trs.length; i++) trs[i].setAttribute('aria-current', String(i === state.selectedRow));
  }

  /** What was changed of the word, or cannot be scored, in the status line. */
  describe(startup = false) {
    const { state } = this;
    const { report, wordNote } = state;
    if (!startup) state.say('');
    const notes = [];
    if (wordNote) notes.push(wordNote);
    if (report.unknown.length) {
      const chars = report.unknown.map((/** @type {string} */ c) => `“${isolate(c)}”`).join(', ');
      notes.push(`Not in the vocabulary: ${chars}. Those bigrams have no probability, so the word has no mean NLL.`);
    }
    if (report.rows.length < report.total_rows) {
      notes.push(`Showing the first ${report.rows.length} of ${report.total_rows} bigrams; the mean NLL covers them all.`);
    }
    if (notes.length) state.say(notes.join(' '), 'info');
  }
}
