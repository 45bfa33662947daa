// What is read back from storage, checked in full before anything uses it: a slot's
// record (the model's fields the page reads, the loss history, the settings, the word
// list), its summary, and the saved view. Storage may hold anything (an old format, a
// half-edited key, another program's text): each check gives back the value as the page
// uses it, or a reason in words, and never throws. Pure: `node --test` checks it.

import { MAX_POINTS, SLOT_PREFIX, META_PREFIX } from './saved.js';

/** @typedef {import('./series.js').LossSeries} LossSeries */
/** @typedef {import('./saved.js').SlotMeta} SlotMeta */

/** The largest whole number a double holds exactly: no step count is larger. */
const MAX_WHOLE = Number.MAX_SAFE_INTEGER;
/** The latest time a Date can show (ms since the epoch). */
const MAX_TIME = 8.64e15;

/** @param {unknown} x @returns {x is Record<string, any>} an object, not null, not an array */
export const isPlain = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
/** @param {unknown} x @returns {x is number} a whole number from 0 to 2^53 − 1 */
const isCount = (x) => Number.isSafeInteger(x) && /** @type {number} */ (x) >= 0;
/** @param {unknown} x @returns {x is number} a time a Date can show */
const isTime = (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_TIME;

/**
 * A saved loss history: steps whole numbers (at most 2^53 − 1) in strictly increasing
 * order, except that a step may repeat at a resample mark (`LossHistory` keeps both ends
 * of the jump); losses finite and as many; dev losses one per step, finite or NaN (JSON's
 * null), or none; marks whole numbers within the steps; at most MAX_POINTS points.
 * Missing (a record older than histories) is an empty history.
 * @param {unknown} h
 * @param {number} [lastStep] the model's step count: no point lies beyond it
 * @returns {{history: LossSeries, error?: undefined} | {error: string, history?: undefined}}
 */
export function checkHistory(h, lastStep = MAX_WHOLE) {
  if (h === undefined || h === null) return { history: { steps: [], losses: [], dev: [], marks: [] } };
  if (!isPlain(h)) return { error: 'its loss history is not a list of points' };
  const { steps, losses, dev = [], marks = [] } = h;
  if (!Array.isArray(steps) || !Array.isArray(losses)) return { error: 'its loss history is not a list of points' };
  if (steps.length !== losses.length) return { error: 'its loss history does not have as many steps as losses' };
  if (steps.length > MAX_POINTS) return { error: `its loss history has more than ${MAX_POINTS} points` };
  if (!steps.every(isCount)) return { error: 'its loss history has steps that are not whole numbers up to 2^53 − 1' };
  if (!losses.every((v) => typeof v === 'number' && Number.isFinite(v))) return { error: 'its loss history has losses that are not numbers' };
  if (!Array.isArray(marks) || marks.length > MAX_POINTS || !marks.every(isCount)) {
    return { error: 'its resample marks are not whole numbers' };
  }
  const markSet = new Set(marks);
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] < steps[i - 1] || (steps[i] === steps[i - 1] && !markSet.has(steps[i]))) {
      return { error: 'its loss history\'s steps are out of order' };
    }
  }
  if (steps.length && steps[steps.length - 1] > lastStep) return { error: 'its loss history goes past the model\'s step count' };
  if (marks.some((m) => !steps.length || m < steps[0] || m > steps[steps.length - 1])) {
    return { error: 'its resample marks lie outside its loss history' };
  }
  if (!Array.isArray(dev)) return { error: 'its dev losses do not match its steps' };
  const noDev = dev.length === 0;
  if (!noDev && (dev.length !== steps.length || !dev.every((v) => v === null || (typeof v === 'number' && (Number.isFinite(v) || Number.isNaN(v)))))) {
    return { error: 'its dev losses do not match its steps' };
  }
  return {
    history: {
      steps: [...steps],
      losses: [...losses],
      dev: noDev ? steps.map(() => NaN) : dev.map((v) => (v === null ? NaN : v)),
      marks: [...marks],
    },
  };
}

/**
 * A saved history as the chart takes it: checked, or empty if it fails the check.
 * @param {unknown} h
 * @returns {LossSeries}
 */
export function readHistory(h) {
  return checkHistory(h).history ?? { steps: [], losses: [], dev: [], marks: [] };
}

/**
 * Settings as plain data: an object whose values are text, numbers or true/false (each
 * is checked again by its rule when a `Settings` takes it). Missing is none.
 * @param {unknown} s
 * @returns {string | null} what is wrong, or null
 */
export function settingsError(s) {
  if (s === undefined || s === null) return null;
  const ok = isPlain(s) && Object.values(s).every((v) => typeof v === 'string' || typeof v === 'boolean'
    || (typeof v === 'number' && Number.isFinite(v)));
  return ok ? null : 'its settings are not of the right types';
}

/**
 * The word list a model was trained on: `{default: true}` for the page's own names, else
 * its name, its size (characters of `lab.wordsText()`), how many words, its fingerprint,
 * and its text when there was room to keep it.
 * @typedef {{default: true} | {default?: undefined, name: string, size: number, count: number, hash: string, text?: string}} SavedWords
 */

/**
 * A fingerprint of a text: 64 bits of FNV-1a over its UTF-16 code units, as 16 hex digits.
 * @param {string} text
 * @returns {string}
 */
export function fingerprint(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  const hex = (/** @type {number} */ x) => (x >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b);
}

/**
 * The word list of a text the lab holds.
 * @param {string} text `lab.wordsText()`
 * @param {string} name the file's name
 * @returns {SavedWords}
 */
export function wordsOf(text, name) {
  const count = text === '' ? 0 : text.split('\n').filter((w) => w !== '').length;
  return { name, size: text.length, count, hash: fingerprint(text), text };
}

/**
 * A record's word list, checked (the text against its size and fingerprint). Missing
 * is the default names: records from before word lists travelled with models.
 * @param {unknown} w
 * @returns {{words: SavedWords, error?: undefined} | {error: string, words?: undefined}}
 */
export function checkWords(w) {
  if (w === undefined || w === null) return { words: { default: true } };
  if (!isPlain(w)) return { error: 'its word list is not described' };
  if (w.default === true) return { words: { default: true } };
  const { name, size, count, hash, text } = w;
  if (typeof name !== 'string' || name.length > 1000 || !isCount(size) || !isCount(count)
    || typeof hash !== 'string' || !/^[0-9a-f]{16}$/.test(hash)) {
    return { error: 'its word list is not described' };
  }
  if (text !== undefined && (typeof text !== 'string' || text.length !== size || fingerprint(text) !== hash)) {
    return { error: 'its word list does not match its fingerprint' };
  }
  return { words: text === undefined ? { name, size, count, hash } : { name, size, count, hash, text } };
}

/**
 * Whether two word lists are the same list.
 * @param {SavedWords} a
 * @param {SavedWords} b
 */
export const sameWords = (a, b) => (a.default ? b.default === true : !b.default && a.hash === b.hash && a.size === b.size);

/**
 * A word list in a few words: its name and size.
 * @param {SavedWords} w
 * @returns {string}
 */
export function describeWords(w) {
  if (w.default) return 'the default names';
  const size = w.size >= 1e6 ? `${(w.size / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(w.size / 1e3))} KB`;
  return `“${w.name}” (${w.count.toLocaleString('en-US')} words, ${size})`;
}

/**
 * The model's fields the page reads (the library checks the rest when it imports it).
 * @param {unknown} m
 * @returns {string | null} what is wrong, or null
 */
export function modelError(m) {
  if (!isPlain(m)) return 'it holds no model';
  if (!isCount(m.steps)) return 'its step count is not a whole number up to 2^53 − 1';
  if (m.context !== undefined && ![1, 2, 3].includes(m.context)) return 'its context is not 1, 2 or 3 characters';
  if (m.encoding !== undefined && m.encoding !== 'context' && m.encoding !== 'concat') return 'its encoding is unknown';
  if (m.train_on !== undefined && m.train_on !== null && typeof m.train_on !== 'string') return 'its Train on word is not text';
  if (!Array.isArray(m.w)) return 'its weights are not a list';
  return null;
}

/**
 * A slot's record, checked in full: the model's fields, the history (within the model's
 * steps), the settings, the word list and the time.
 * @param {unknown} record parsed JSON
 * @returns {{record: import('./saved.js').SlotRecord, error?: undefined} | {error: string, record?: undefined}}
 */
export function checkRecord(record) {
  if (!isPlain(record)) return { error: 'it holds no model' };
  const model = modelError(record.model);
  if (model) return { error: model };
  const history = checkHistory(record.history, record.model.steps);
  if (history.error !== undefined) return { error: history.error };
  const settings = settingsError(record.settings);
  if (settings) return { error: settings };
  const words = checkWords(record.words);
  if (words.error !== undefined) return { error: words.error };
  if (record.savedAt !== undefined && !isTime(record.savedAt)) return { error: 'its time is not a time' };
  return { record: { ...record, model: record.model, history: history.history, words: words.words } };
}

/**
 * A slot's summary as stored, checked on its own: every field of the type the list shows.
 * @param {unknown} meta parsed JSON
 * @param {string} [id] the slot it must name
 * @returns {boolean}
 */
export function isMeta(meta, id) {
  return isPlain(meta) && typeof meta.id === 'string' && (id === undefined || meta.id === id)
    && isTime(meta.savedAt) && isCount(meta.steps) && [1, 2, 3].includes(meta.context)
    && (meta.encoding === 'context' || meta.encoding === 'concat') && isCount(meta.chars)
    && (meta.loss === undefined || (typeof meta.loss === 'number' && Number.isFinite(meta.loss)))
    && (meta.trainOn === undefined || typeof meta.trainOn === 'string')
    && (meta.wordsName === undefined || typeof meta.wordsName === 'string') && meta.unreadable === undefined;
}

/**
 * Whether a stored summary says what its record says (its size aside: that is measured).
 * @param {Record<string, any>} stored
 * @param {Record<string, any>} fromRecord
 */
export function sameSummary(stored, fromRecord) {
  return ['id', 'savedAt', 'steps', 'context', 'encoding', 'loss', 'trainOn', 'wordsName'].every((k) => stored[k] === fromRecord[k]);
}

/**
 * The saved view (settings and the probe's word), checked.
 * @param {unknown} view parsed JSON
 * @returns {{view: import('./saved.js').SavedView, error?: undefined} | {error: string, view?: undefined}}
 */
export function checkView(view) {
  if (!isPlain(view)) return { error: 'it is not a view' };
  const settings = settingsError(view.settings);
  if (settings) return { error: settings };
  if (view.word !== undefined && typeof view.word !== 'string') return { error: 'its word is not text' };
  return { view: { settings: view.settings ?? undefined, word: view.word } };
}

/**
 * What a `storage` event (another tab changed localStorage) means for this tab:
 * `{kind: 'saved', meta}` another tab saved its model; `{kind: 'duplicate'}` another
 * tab wrote this tab's own slot (a duplicated tab shares the id); `{kind: 'dropped'}`
 * this tab's slot was removed (Forget, or room made); `{kind: 'removed'}` another slot
 * went; `{kind: 'cleared'}` all of localStorage was cleared; null: nothing to say.
 * @param {{key: string|null, newValue: string|null}} event
 * @param {string} tabId this tab's slot
 * @returns {{kind: 'saved', meta: SlotMeta} | {kind: 'duplicate'|'dropped'|'removed'|'cleared'} | null}
 */
export function classifyEvent({ key, newValue }, tabId) {
  if (key === null) return { kind: 'cleared' };
  if (key === SLOT_PREFIX + tabId) return newValue === null ? null : { kind: 'duplicate' };
  if (!key.startsWith(META_PREFIX)) return null;
  if (newValue === null) return { kind: key === META_PREFIX + tabId ? 'dropped' : 'removed' };
  if (key === META_PREFIX + tabId) return null; // the duplicate's record came first
  try {
    const meta = JSON.parse(newValue);
    return isMeta(meta, key.slice(META_PREFIX.length)) ? { kind: 'saved', meta } : null;
  } catch {
    return null;
  }
}
