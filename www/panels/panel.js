// What every panel does the same way: find its own elements inside its root, run a
// handler so that an error is said in the status line rather than lost, keep setting
// inputs in step with the settings, and keep its folded sections open or closed as the
// state says.

import { errorText, lossText } from '../lib/format.js';

/**
 * Finds elements by id inside the panel's roots only: a panel never reaches outside its
 * own part of the page.
 * @param {HTMLElement | HTMLElement[]} roots
 * @returns {(id: string) => any} the element (throws when the page lacks it: a typo fails loudly)
 */
export function finder(roots) {
  const list = Array.isArray(roots) ? roots : [roots];
  return (id) => {
    for (const root of list) {
      const el = root.id === id ? root : root.querySelector(`#${id}`);
      if (el) return el;
    }
    throw new Error(`no #${id} in this panel`);
  };
}

/**
 * `action` with its errors said in the status line.
 * @template {any[]} A
 * @param {import('../app/state.js').State} state
 * @param {(...args: A) => any} action
 * @returns {(...args: A) => void}
 */
export function guarded(state, action) {
  return (...args) => {
    try {
      const result = action(...args);
      if (result instanceof Promise) result.catch((err) => state.say(errorText(err), 'error'));
    } catch (err) {
      state.say(errorText(err), 'error');
    }
  };
}

/**
 * Inputs of numeric settings: each typed value checked against its rule as it is typed;
 * a bad one is marked, explained and not taken. `changed(key)` runs after a good one.
 * Shown again (the last good values) whenever the settings change other than by typing.
 * @param {import('../app/state.js').State} state
 * @param {Record<string, HTMLInputElement | HTMLSelectElement>} inputs by setting key
 * @param {(key: string) => void} [changed]
 * @returns {{show: () => void}}
 */
export function settingInputs(state, inputs, changed = () => {}) {
  const show = () => {
    for (const [key, input] of Object.entries(inputs)) {
      input.value = String(state.settings[key]);
      input.setAttribute('aria-invalid', 'false');
    }
  };
  for (const [key, input] of Object.entries(inputs)) {
    if (input instanceof HTMLSelectElement) continue; // choices have handlers of their own
    input.addEventListener('input', guarded(state, () => {
      const error = state.settings.update(key, input.value);
      input.setAttribute('aria-invalid', error ? 'true' : 'false');
      if (error) {
        state.say(`${error} Keeping ${state.settings[key]}.`, 'error');
        return;
      }
      state.clearError();
      changed(key);
      state.emit('settings', { typed: key });
    }));
  }
  state.on('settings', (detail) => {
    if (!detail.typed) show();
  });
  return { show };
}

/**
 * Each input's range from the library's rules (the browser's spinners follow them).
 * @param {{key: string, min: number, max: number}[]} rules
 * @param {Record<string, HTMLInputElement | HTMLInputElement[] | HTMLSelectElement>} inputs by rule key
 */
export function showRanges(rules, inputs) {
  for (const rule of rules) {
    const found = inputs[rule.key];
    for (const input of Array.isArray(found) ? found : found ? [found] : []) {
      if (!(input instanceof HTMLInputElement)) continue;
      input.min = String(rule.min);
      input.max = String(rule.max);
    }
  }
}

/**
 * The folded sections (<details>) inside `root` open as the state says (the tour opens
 * them, leaving it gives back what was open), and the state records what the person opens.
 * @param {HTMLElement} root
 * @param {import('../app/state.js').State} state
 */
export function bindFolds(root, state) {
  const folds = /** @type {HTMLDetailsElement[]} */ ([...root.querySelectorAll('details[id]')]);
  for (const d of folds) {
    d.open = state.open.has(d.id);
    d.addEventListener('toggle', () => {
      if (d.open === state.open.has(d.id)) return;
      if (d.open) state.open.add(d.id);
      else state.open.delete(d.id);
      state.emit('folds');
    });
  }
  state.on('view', () => {
    for (const d of folds) d.open = state.open.has(d.id);
  });
}

/**
 * Disables `controls` until the page is usable (started, no file loading).
 * @param {import('../app/state.js').State} state
 * @param {Array<HTMLButtonElement | HTMLInputElement>} controls
 */
export function enableWhenReady(state, controls) {
  state.on('ready', () => {
    for (const c of controls) c.disabled = !state.usable;
  });
}

/**
 * Puts `text` in `el`, each part the person wrote (marked by lib/format.js's `isolate`)
 * in a <bdi>, so that a right-to-left character in a word or a file's name cannot
 * reorder the page's own sentence. The marks themselves are not shown.
 * @param {HTMLElement} el
 * @param {string} text
 */
export function showText(el, text) {
  if (!text.includes('\u2068')) {
    el.textContent = text;
    return;
  }
  const parts = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('\u2068');
    if (open < 0) break;
    const close = rest.indexOf('\u2069', open);
    if (close < 0) break;
    parts.push(document.createTextNode(rest.slice(0, open)));
    const bdi = document.createElement('bdi');
    bdi.textContent = rest.slice(open + 1, close);
    parts.push(bdi);
    rest = rest.slice(close + 1);
  }
  parts.push(document.createTextNode(rest));
  el.replaceChildren(...parts);
}

/**
 * Shows a number with `digits` decimals, keeping its exact value in `data-value`.
 * @param {HTMLElement} el
 * @param {number} value
 * @param {number} digits
 */
export function setNumber(el, value, digits) {
  el.dataset.value = String(value);
  // A loss past 10,000 (a diverging run) in scientific form, not seventy digits.
  el.textContent = digits > 0 ? lossText(value) : value.toFixed(0);
}
