// The exercises' settings in the Training panel: Context and Encoding (E01's trigram
// and beyond), makemore's 80/10/10 split and its seed, and *Evaluate on test*, which
// shows the test loss only when asked and only for the W it was asked of.

import { finder, guarded, settingInputs, enableWhenReady, bindFolds, setNumber } from './panel.js';

export class ExercisesPanel {
  /**
   * @param {HTMLElement} root the exercises' section
   * @param {import('../app/state.js').State} state
   * @param {{context: (key: 'context' | 'encoding', value: string) => void,
   *   splitKind: (value: string) => void, splitSeed: (text: string) => boolean,
   *   test: () => number | null | undefined}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    bindFolds(root, state);
    this.state = state;
    const els = {
      context: $('context-select'), encoding: $('encoding-select'), splitKind: $('split-select'),
      splitSeed: $('split-seed-input'), test: $('test-button'), testLoss: $('test-loss'), testReadout: $('test-readout'),
    };
    this.els = els;
    settingInputs(state, { context: els.context, encoding: els.encoding, splitKind: els.splitKind });
    const showSeed = () => {
      els.splitSeed.value = String(state.settings.splitSeed);
      els.splitSeed.setAttribute('aria-invalid', 'false');
    };
    state.on('settings', (detail) => {
      els.encoding.disabled = state.settings.context === '1';
      if (!detail.typed) showSeed();
    });
    els.context.addEventListener('change', guarded(state, () => actions.context('context', els.context.value)));
    els.encoding.addEventListener('change', guarded(state, () => actions.context('encoding', els.encoding.value)));
    els.splitKind.addEventListener('change', guarded(state, () => actions.splitKind(els.splitKind.value)));
    els.splitSeed.addEventListener('input', guarded(state, () => {
      const refused = actions.splitSeed(els.splitSeed.value);
      els.splitSeed.setAttribute('aria-invalid', String(refused));
      if (!refused) state.emit('settings', { typed: 'splitSeed' });
    }));
    els.test.addEventListener('click', guarded(state, () => this.showTest(actions.test())));
    enableWhenReady(state, [els.test]);
    state.on('w', () => this.clearTest());
  }

  /**
   * Evaluate on test: once, at the very end, as the lecture says.
   * @param {number | null | undefined} loss
   */
  showTest(loss) {
    const { els, state } = this;
    if (loss === undefined || loss === null) {
      state.say('The test words come with makemore\'s 80/10/10 split: choose it under Split first.', 'error');
      return;
    }
    setNumber(els.testLoss, loss, 4);
    els.testReadout.hidden = false;
    state.say(`Test loss ${loss.toFixed(4)} at step ${state.lab.steps}. Use the test words once, at the end: choose k, λ and the steps `
      + 'by the dev loss, or the test loss stops being an honest estimate.');
  }

  /** The test loss was of another W. */
  clearTest() {
    const { els } = this;
    if (els.testReadout.hidden) return; // every training frame calls it: no DOM write for nothing
    els.testReadout.hidden = true;
    els.testLoss.textContent = '–';
    delete els.testLoss.dataset.value;
  }
}
