// The welcome a first visit sees: the tour, or exploring alone. Closed either way, it
// stays closed in this browser; a link that asks for something (settings, a tour stop,
// the presentation view) is never greeted (lib/folds.js's `greets`).

import { WELCOME_KEY } from '../lib/folds.js';
import { finder, guarded } from './panel.js';

export class WelcomePanel {
  /**
   * @param {HTMLElement} root the welcome
   * @param {import('../app/state.js').State} state
   * @param {{tour: () => void, storage: () => Storage | null}} actions
   * @param {boolean} shown whether this visit is greeted
   */
  constructor(root, state, actions, shown) {
    const $ = finder(root);
    this.root = root;
    this.actions = actions;
    root.hidden = !shown;
    $('welcome-tour').addEventListener('click', guarded(state, () => {
      this.close();
      actions.tour();
    }));
    $('welcome-close').addEventListener('click', () => {
      this.close();
      state.say('Type a word to see its bigrams, or press Train and watch the loss fall; the tour is under “Take the tour”.');
    });
    // Taking the tour by the header's button answers the welcome too.
    state.on('mode', () => {
      if (state.touring) this.close();
    });
  }

  /** Hides the welcome for good in this browser. */
  close() {
    if (this.root.hidden) return;
    this.root.hidden = true;
    try {
      this.actions.storage()?.setItem(WELCOME_KEY, 'closed');
    } catch {
      // Greeted again next visit: nothing else is lost.
    }
  }
}
