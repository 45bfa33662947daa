// Keeping the page's state across reloads, as JSON in localStorage, under two keys: the
// view (settings and the probe's word), written on every change, and the model (W in
// the export format, and the loss history), written only when W changes, so that a
// keystroke never serialises the weights. Storage may be missing, full or hold something
// unreadable; the page then carries on.

const MODEL_KEY = 'bigram-lab/state/v1';
const VIEW_KEY = 'bigram-lab/view/v1';
/** The most chart points kept: enough for the curve's shape, small enough to store. */
export const MAX_POINTS = 1000;

/** Every k-th point and the last, so that at most MAX_POINTS remain (and the marks). */
export function thin({ steps, losses, dev = [], marks = [] }) {
  // The last point may be kept beside the multiples of k: leave room for it.
  const k = steps.length <= MAX_POINTS ? 1 : Math.ceil(steps.length / (MAX_POINTS - 1));
  const keep = (_, i) => i % k === 0 || i === steps.length - 1;
  return { steps: steps.filter(keep), losses: losses.filter(keep), dev: dev.filter(keep), marks: marks.slice(-MAX_POINTS) };
}

/**
 * A saved loss history, checked: steps and losses finite and as many, the dev losses
 * (null for none, as JSON writes NaN) one per step, marks finite. Anything else gives
 * an empty history rather than a broken chart.
 */
export function readHistory(h) {
  const empty = { steps: [], losses: [], dev: [], marks: [] };
  const ok = Array.isArray(h?.steps) && Array.isArray(h?.losses) && h.steps.length === h.losses.length
    && h.steps.every(Number.isFinite) && h.losses.every(Number.isFinite);
  if (!ok) return empty;
  const devOk = Array.isArray(h.dev) && h.dev.length === h.steps.length
    && h.dev.every((v) => v === null || Number.isFinite(v));
  return {
    steps: h.steps,
    losses: h.losses,
    dev: devOk ? h.dev.map((v) => (v === null ? NaN : v)) : h.steps.map(() => NaN),
    marks: Array.isArray(h.marks) ? h.marks.filter(Number.isFinite) : [],
  };
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return null;
  } catch (err) {
    return err.message;
  }
}

/** Saves the model and its loss history. @returns {string | null} why not, or null. */
export function saveModel({ model, history }) {
  return write(MODEL_KEY, { model, history: thin(history) });
}

/** Saves the settings and the probe's word. @returns {string | null} why not, or null. */
export function saveView({ settings, word }) {
  return write(VIEW_KEY, { settings, word });
}

/**
 * What this browser kept: `{ model, view, damaged }`. `model` is `{model, history}` or
 * null, `view` is `{settings, word}` or null; each key is read on its own, so a damaged
 * one (listed in `damaged`, to be set aside) loses nothing of the other. A state saved
 * before the view had its own key holds the settings and word beside the model.
 */
export function load() {
  const damaged = [];
  const read = (key) => {
    try {
      const text = localStorage.getItem(key);
      return text === null ? null : JSON.parse(text);
    } catch {
      damaged.push(key);
      return null;
    }
  };
  const model = read(MODEL_KEY);
  let view = read(VIEW_KEY);
  if (view === null && model && (model.settings !== undefined || model.word !== undefined)) {
    view = { settings: model.settings, word: model.word };
  }
  return { model: model?.model ? model : null, view, damaged };
}

/** Removes the saved state (the set-aside copy stays). */
export function forget() {
  try {
    localStorage.removeItem(MODEL_KEY);
    localStorage.removeItem(VIEW_KEY);
  } catch {
    // Nothing saved can be removed from storage that cannot be reached.
  }
}

/**
 * Keeps saved state under another key, so that starting fresh does not destroy it.
 * @param {string[]} keys the keys to set aside (default: both)
 */
export function setAside(keys = [MODEL_KEY, VIEW_KEY]) {
  try {
    for (const key of keys) {
      const text = localStorage.getItem(key);
      if (text !== null) localStorage.setItem(`${key}/set-aside`, text);
    }
  } catch {
    // Storage that cannot be read cannot be copied either.
  }
}

/** The key the model is kept under (for setting it aside alone). */
export const MODEL_STORAGE_KEY = MODEL_KEY;
