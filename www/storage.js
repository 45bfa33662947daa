// Keeping the page's state across reloads: the model (in the export format), the
// settings, the probe's word and the loss history, as JSON in localStorage. Storage
// may be missing, full or hold something unreadable; the page then carries on.

const KEY = 'bigram-lab/state/v1';
/** The most chart points kept: enough for the curve's shape, small enough to store. */
const MAX_POINTS = 1000;

/** Every k-th point and the last, so that at most MAX_POINTS remain (and the marks). */
export function thin({ steps, losses, dev = [], marks = [] }) {
  const k = Math.ceil(steps.length / MAX_POINTS) || 1;
  const keep = (_, i) => i % k === 0 || i === steps.length - 1;
  return { steps: steps.filter(keep), losses: losses.filter(keep), dev: dev.filter(keep), marks: marks.slice(-MAX_POINTS) };
}

/** @returns {string | null} why the state could not be saved, or null. */
export function save(state) {
  try {
    localStorage.setItem(KEY, JSON.stringify(state));
    return null;
  } catch (err) {
    return err.message;
  }
}

/** The saved state, null when there is none; throws when it cannot be read. */
export function load() {
  const text = localStorage.getItem(KEY);
  return text === null ? null : JSON.parse(text);
}

/** Removes the saved state (the set-aside copy stays). */
export function forget() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing saved can be removed from storage that cannot be reached.
  }
}

/** Keeps the saved state under another key, so that starting fresh does not destroy it. */
export function setAside() {
  try {
    const text = localStorage.getItem(KEY);
    if (text !== null) localStorage.setItem(`${KEY}/set-aside`, text);
  } catch {
    // Storage that cannot be read cannot be copied either.
  }
}
