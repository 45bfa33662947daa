// The header's tools: *Take the tour*, *Present* (the classroom view), the shortcuts'
// list and the theme; and the keyboard shortcuts themselves (lib/shortcuts.js says which
// key is which action). Each view is a data attribute the CSS follows.

import { SHORTCUTS, shortcutFor } from '../lib/shortcuts.js';
import { browserStorage, loadThemeChoice, parseThemeChoice, resolveTheme, saveThemeChoice } from '../lib/theme.js';
import { finder, guarded, enableWhenReady } from './panel.js';


export class HeaderPanel {
  /**
   * @param {HTMLElement[]} roots the header's tools and the shortcuts' dialog
   * @param {import('../app/state.js').State} state
   * @param {{tour: () => void, next: () => void, prev: () => void, leave: () => void,
   *   press: (action: 'train' | 'step' | 'reset') => void, presented: (on: boolean) => void,
   *   themed: () => void}} actions
   */
  constructor(roots, state, actions) {
    const $ = finder(roots);
    this.state = state;
    this.actions = actions;
    const els = {
      tour: $('tour-button'), present: $('present-button'), theme: $('theme-toggle'), help: $('shortcuts-help'),
      helpButton: $('shortcuts-button'), helpList: $('shortcuts-list'), helpClose: $('shortcuts-close'),
    };
    this.els = els;
    this.dark = window.matchMedia('(prefers-color-scheme: dark)');
    this.themeChoice = loadThemeChoice(browserStorage());
    this.wasTouring = false;
    for (const { action, keys, aria, what } of SHORTCUTS) {
      const dt = document.createElement('dt');
      const kbd = document.createElement('kbd');
      kbd.textContent = keys;
      dt.append(kbd);
      const dd = document.createElement('dd');
      dd.textContent = what;
      els.helpList.append(dt, dd);
      if (action === 'help') els.helpButton.setAttribute('aria-keyshortcuts', aria);
    }
    this.dark.addEventListener('change', () => this.applyTheme());
    els.theme.addEventListener('change', () => {
      this.themeChoice = parseThemeChoice(els.theme.value);
      const storage = browserStorage();
      const refused = storage ? saveThemeChoice(storage, this.themeChoice) : 'it keeps no storage for this page';
      if (refused) state.say(`The theme applies to this visit only: this browser did not keep it (${refused}).`);
      this.applyTheme();
    });
    els.present.addEventListener('click', () => this.setPresenting(!state.presenting));
    els.helpButton.addEventListener('click', () => els.help.showModal());
    els.helpClose.addEventListener('click', () => els.help.close());
    els.tour.addEventListener('click', guarded(state, actions.tour));
    enableWhenReady(state, [els.tour]);
    document.addEventListener('keydown', (event) => this.onKey(event));
    state.on('mode', () => {
      // Leaving the tour, focus comes back to where it was started.
      if (this.wasTouring && !state.touring) els.tour.focus();
      this.wasTouring = state.touring;
    });
    this.applyTheme();
    const present = new URLSearchParams(window.location.search).get('present');
    if (present !== null && present !== '1') {
      state.say(`present=${present} is not taken: a link opens the presentation view with present=1 (the Present button does too).`, 'error');
    }
    this.setPresenting(present === '1', false);
  }

  /** Puts the chosen theme (or the system's, on "auto") in force on <html>. */
  applyTheme() {
    document.documentElement.dataset.theme = resolveTheme(this.themeChoice, this.dark.matches);
    this.els.theme.value = this.themeChoice;
    this.actions.themed();
  }

  /**
   * Turns the presentation view on or off; the link carries it as ?present=1.
   * @param {boolean} on
   */
  setPresenting(on, pressed = true) {
    const { state } = this;
    state.presenting = on;
    document.body.dataset.present = String(on);
    this.els.present.setAttribute('aria-pressed', String(on));
    state.emit('mode');
    this.actions.themed(); // the canvases take the view's sizes
    if (pressed) this.actions.presented(on);
  }

  /**
   * @param {KeyboardEvent} event
   */
  onKey(event) {
    const { state, actions, els } = this;
    // The event's target is read as the element it is (its tag, role, whether editable).
    const action = shortcutFor(/** @type {any} */ (event), { helpOpen: els.help.open });
    // Outside the tour the arrows scroll the page, and Esc has nothing to leave.
    const touring = state.touring;
    if (action === null || (action === 'leave' && !state.presenting && !touring)) return;
    if ((action === 'next' || action === 'prev') && !touring) return;
    event.preventDefault(); // Space would scroll the page
    if (action === 'leave') guarded(state, touring ? actions.leave : () => this.setPresenting(false))();
    else if (action === 'next') guarded(state, actions.next)();
    else if (action === 'prev') guarded(state, actions.prev)();
    else if (action === 'help') els.help.showModal();
    else if (state.usable) guarded(state, () => actions.press(action))(); // as a disabled button ignores it
  }
}
