// The guided tour's panel: draws the stop it is handed (title, progress, paragraphs,
// where to look, what to try) and moves focus to the title, so that a screen reader
// reads each stop as it comes. Text only ever goes in through textContent.

/** @typedef {import('../lib/tour.js').Paragraph} Paragraph */

/**
 * Appends a paragraph's pieces to `el`: strings as text, `{code}` pieces in <code>.
 * @param {HTMLElement} el
 * @param {Paragraph} paragraph
 */
function fill(el, paragraph) {
  for (const piece of Array.isArray(paragraph) ? paragraph : [paragraph]) {
    if (typeof piece === 'string') {
      el.append(piece);
    } else {
      const code = document.createElement('code');
      code.textContent = piece.code;
      el.append(code);
    }
  }
}

export class TourPanel {
  /**
   * @param {{panel: HTMLElement, title: HTMLElement, progress: HTMLElement,
   *   body: HTMLElement, look: HTMLElement, try: HTMLElement,
   *   prev: HTMLButtonElement, next: HTMLButtonElement}} els
   */
  constructor(els) {
    this.els = els;
  }

  /**
   * Shows a stop.
   * @param {{stop: number, steps: number, progress: string, title: string,
   *   paragraphs: Paragraph[], look: string, try: string}} s
   */
  show(s) {
    const { els } = this;
    els.panel.hidden = false;
    els.panel.dataset.step = String(s.stop);
    els.panel.dataset.steps = String(s.steps);
    els.progress.textContent = s.progress;
    els.title.textContent = s.title;
    els.body.replaceChildren(...s.paragraphs.map((paragraph) => {
      const p = document.createElement('p');
      fill(p, paragraph);
      return p;
    }));
    els.look.textContent = s.look;
    els.try.textContent = s.try;
    els.prev.disabled = s.stop <= 1;
    els.next.textContent = s.stop >= s.steps ? 'Finish' : 'Next';
    // Focus follows the stop: the title is read first, then the text after it.
    els.title.focus({ preventScroll: true });
  }

  hide() {
    this.els.panel.hidden = true;
    delete this.els.panel.dataset.step;
  }
}
