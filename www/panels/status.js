// The status line: the state's last message, with its kind (info or error) for the CSS;
// what the person wrote in it is isolated (<bdi>).

import { showText } from './panel.js';

export class StatusPanel {
  /**
   * @param {HTMLElement} root the status line
   * @param {import('../app/state.js').State} state
   */
  constructor(root, state) {
    state.on('message', () => {
      showText(root, state.message.text);
      root.dataset.kind = state.message.kind;
    });
  }
}
