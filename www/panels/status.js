// The status line: the state's last message, with its kind (info or error) for the CSS.

export class StatusPanel {
  /**
   * @param {HTMLElement} root the status line
   * @param {import('../app/state.js').State} state
   */
  constructor(root, state) {
    state.on('message', () => {
      root.textContent = state.message.text;
      root.dataset.kind = state.message.kind;
    });
  }
}
