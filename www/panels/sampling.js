// Sampling: names drawn from the current net the lecture's way (a fresh generator from
// the seed, start at `.`, stop at `.`).

import { finder, guarded, settingInputs, enableWhenReady } from './panel.js';

export class SamplingPanel {
  /**
   * @param {HTMLElement} root the panel's part of its section
   * @param {import('../app/state.js').State} state
   * @param {{sample: () => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    const button = $('sample-button');
    const list = $('samples');
    settingInputs(state, { sampleCount: $('sample-count-input') });
    button.addEventListener('click', guarded(state, actions.sample));
    state.on('samples', () => {
      list.replaceChildren(...state.samples.map((name) => {
        const li = document.createElement('li');
        li.textContent = name;
        return li;
      }));
    });
    enableWhenReady(state, [button]);
  }
}
