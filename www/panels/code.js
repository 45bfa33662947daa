// The PyTorch it equals: the program that reproduces the run from Reset, in the form
// chosen (one-hot @ W, indexing, F.cross_entropy), rewritten as the settings change (at
// most once a second while training), with Copy and the data set as names.txt.

import { finder, guarded, enableWhenReady } from './panel.js';
import { errorText } from '../lib/format.js';

export class CodePanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   * @param {{downloadWords: () => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    this.state = state;
    this.form = $('code-form');
    this.view = $('code-view');
    this.lastCode = 0;
    const data = $('code-data-button');
    this.form.addEventListener('change', guarded(state, () => this.refresh(true)));
    $('code-copy-button').addEventListener('click', () => this.copy());
    data.addEventListener('click', guarded(state, actions.downloadWords));
    enableWhenReady(state, [data]);
    state.on('w', (detail) => this.refresh(detail.force));
    state.on('settings', () => this.refresh(true)); // the program follows the settings
  }

  /** The program for the current run, at most once a second while training (unless `force`). */
  refresh(force = false) {
    const { state } = this;
    if (!state.lab) return;
    const now = performance.now();
    if (!force && state.training && now - this.lastCode < 1000) return;
    this.lastCode = now;
    try {
      this.view.textContent = state.lab.code(this.form.value, state.settings.seed, state.settings.lr, state.settings.sampleCount);
    } catch (err) {
      this.view.textContent = `No program: ${errorText(err)}`;
    }
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.view.textContent);
      this.state.say('Copied the program.');
    } catch (err) {
      this.state.say(`The browser would not copy (${errorText(err)}): select the program and copy it by hand.`, 'error');
    }
  }
}
