// Sampling: names drawn from the current net the lecture's way (a fresh generator from
// the seed, start at `.`, stop at `.`).

import { finder, guarded, settingInputs, enableWhenReady } from './panel.js';

export class SamplingPanel {
  /**
   * @param {HTMLElement} root the panel's part of its section
   * @param {import('../app/state.js').State} state
   */
  constructor(root, state) {
    const $ = finder(root);
    const button = $('sample-button');
    const list = $('samples');
    settingInputs(state, { sampleCount: $('sample-count-input') });
    button.addEventListener('click', guarded(state, () => {
      const names = state.lab.sample(state.settings.sampleCount, state.settings.seed);
      list.replaceChildren(...names.map((/** @type {string} */ name) => {
        const li = document.createElement('li');
        li.textContent = name;
        return li;
      }));
    }));
    enableWhenReady(state, [button]);
    // Names drawn from another word list's net are not this one's.
    state.on('data', (detail) => {
      if (detail.newWords) list.replaceChildren();
    });
  }
}
