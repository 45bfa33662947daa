// The guided tour's panel: the stop the state holds (its words, where to look, what to
// try), Back, Next and Leave. The tour points at the part of the page a stop is about:
// it outlines that panel and the control to try, and scrolls what the stop's Look names into view. That outline is a
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
    this.root = root;
    /** @param {boolean} folded */
    this.fold = (folded) => {
      root.classList.toggle('folded', folded);
      fold.setAttribute('aria-expanded', String(!folded));
      fold.textContent = folded ? 'Unfold' : 'Fold';
    };
    /** Whether the sheet is folded because the stop's subject needed the room (not by the person). */
    this.autoFolded = false;
    fold.addEventListener('click', () => {
      this.autoFolded = false;
      this.fold(!root.classList.contains('folded'));
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
    this.root.scrollTop = 0; // each stop's words from their start (a phone's sheet scrolls)
    this.highlight(stop.panel ?? null, stop.control ?? null);
    this.reveal(stop.see, stop.panel ?? null);
  }

  /**
   * Scrolls what the stop's Look names to the top of the screen (all of it, from the
   * first to the last, as far as it fits): on a wide screen the tour's panel sits beside
   * the page, on a phone below it, so nothing it names is under the panel.
   * @param {string[]} see test hooks (or ids)
   * @param {string | null} panel the stop's panel (id): scrolled to when nothing named is shown
   */
  reveal(see, panel) {
    const boxes = see.map((id) => (document.querySelector(`[data-testid="${id}"]`) ?? document.getElementById(id))?.getBoundingClientRect())
      .filter((r) => r !== undefined).filter((r) => r.height > 0);
    if (!boxes.length) {
      if (panel) document.getElementById(panel)?.scrollIntoView({ block: 'start' });
      return;
    }
    const top = Math.min(...boxes.map((r) => r.top));
    const bottom = Math.max(...boxes.map((r) => r.bottom));
    // A sheet docked across the bottom (a phone) folds to its title and buttons when what
    // the stop names is taller than the room above it; Unfold brings its words back.
    // A sheet the tour folded unfolds when the next stop fits; one the person folded stays so.
    if (this.autoFolded) this.fold(false);
    const sheet = this.root.getBoundingClientRect();
    const tall = sheet.left <= 0 && sheet.right >= window.innerWidth && bottom - top > window.innerHeight - sheet.height - 8;
    if (tall && !this.root.classList.contains('folded')) {
      this.fold(true);
      this.autoFolded = true;
    } else if (!tall) this.autoFolded = false;
    window.scrollBy({ top: top - 8, behavior: 'instant' });
  }

  /**
   * Marks the stop's panel, and the control it asks for.
   * @param {string | null} panel
   * @param {string | null} control
   */
  highlight(panel, control) {
    for (const el of document.querySelectorAll('.tour-focus, .tour-control')) el.classList.remove('tour-focus', 'tour-control');
    const target = panel ? document.getElementById(panel) : null;
    target?.closest('section')?.classList.add('tour-focus');
    if (control) document.querySelector(`[data-testid="${control}"]`)?.classList.add('tour-control');
  }
}
