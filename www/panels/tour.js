// The guided tour's panel: the stop the state holds (its words, where to look, what to
// try), Back, Next and Leave. The tour points at the part of the page a stop is about:
// it outlines that panel and the control to try, and scrolls to it. That outline is a
// class on the document's elements, the one thing a panel does outside its own root.

import { TourPanel } from '../components/tourPanel.js';
import { finder, guarded } from './panel.js';

export class TourGuidePanel {
  /**
   * @param {HTMLElement} root the tour's aside
   * @param {import('../app/state.js').State} state
   * @param {{next: () => void, prev: () => void, leave: () => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    this.state = state;
    this.panel = new TourPanel({
      panel: root, title: $('tour-title'), progress: $('tour-progress'), body: $('tour-body'),
      look: $('tour-look'), try: $('tour-try'), prev: $('tour-prev'), next: $('tour-next'),
    });
    $('tour-next').addEventListener('click', guarded(state, actions.next));
    $('tour-prev').addEventListener('click', guarded(state, actions.prev));
    $('tour-close').addEventListener('click', guarded(state, actions.leave));
    // On a phone the sheet folds to its title and buttons, to show more of the page.
    const fold = $('tour-fold');
    fold.addEventListener('click', () => {
      const folded = root.classList.toggle('folded');
      fold.setAttribute('aria-expanded', String(!folded));
      fold.textContent = folded ? 'Unfold' : 'Fold';
    });
    state.on('mode', () => this.show());
  }

  show() {
    const { stop, touring } = this.state;
    if (touring) document.body.dataset.tour = 'true';
    else delete document.body.dataset.tour;
    if (!stop) {
      this.panel.hide();
      this.highlight(null, null);
      return;
    }
    this.panel.show(stop);
    this.highlight(stop.panel ?? null, stop.control ?? null);
  }

  /**
   * Scrolls to the stop's panel and marks it, and the control it asks for.
   * @param {string | null} panel
   * @param {string | null} control
   */
  highlight(panel, control) {
    for (const el of document.querySelectorAll('.tour-focus, .tour-control')) el.classList.remove('tour-focus', 'tour-control');
    const target = panel ? document.getElementById(panel) : null;
    target?.closest('section')?.classList.add('tour-focus');
    if (control) document.querySelector(`[data-testid="${control}"]`)?.classList.add('tour-control');
    target?.scrollIntoView({ block: 'start' });
  }
}
