// What a saved model is: its record and summary's shapes, the storage keys, the limits
// (points, slots, the browser's room), the loss history thinned and checked for keeping,
// and a slot described in words. Pure: `node --test` checks it through lib/storage.js.

import { modelName } from './settings.js';

/** @typedef {import('./series.js').LossSeries} LossSeries */
/** @typedef {import('./settings.js').SettingsSnapshot} SettingsSnapshot */

/**
 * A model in the export format (`Lab.exportModel`): the fields this module reads; the
 * rest is kept as it is.
 * @typedef {{steps: number, context?: number, encoding?: string, train_on?: string}} SavedModel
 */

/**
 * A slot's record: the model, its loss history and settings, and when it was saved. Read
 * back from storage it is JSON that may be old or damaged: lib/records.js checks all of it.
 * @typedef {object} SlotRecord
 * @property {SavedModel} model
 * @property {Partial<LossSeries>} [history]
 * @property {SettingsSnapshot} [settings]
 * @property {import('./records.js').SavedWords} [words] the word list it was trained on
 * @property {number} [savedAt] ms since the epoch
 */

/**
 * The view kept apart from the models: the settings and the probe's word (as read back:
 * unchecked).
 * @typedef {{settings?: SettingsSnapshot, word?: unknown}} SavedView
 */

/**
 * A slot's summary, as the list of saved models shows it; `unreadable` when its record
 * could not be read (then it has no model's numbers).
 * @typedef {{id: string, savedAt: number, chars: number, unreadable: true}
 *   | {id: string, savedAt: number, chars: number, unreadable?: undefined, steps: number,
 *     context: number, encoding: string, loss?: number, trainOn?: string, wordsName?: string}} SlotMeta
 */

/**
 * The message of an exception (a DOMException's, for storage that refused a write).
 * @param {unknown} err
 * @returns {string}
 */
export const messageOf = (err) => (err instanceof Error ? err.message : String(err));

export const VIEW_KEY = 'bigram-lab/view/v1';
/** Where the one model was kept before slots: moved into a slot on first load. */
export const LEGACY_MODEL_KEY = 'bigram-lab/state/v1';
export const SLOT_PREFIX = 'bigram-lab/slot/v1/';
export const META_PREFIX = 'bigram-lab/slot-meta/v1/';
/** This tab's slot id, in sessionStorage. */
export const TAB_KEY = 'bigram-lab/tab/v1';
/** The slots this tab saved to before (it left them for another), in sessionStorage. */
export const LEFT_KEY = 'bigram-lab/tab/v1/left';
export const ASIDE = '/set-aside';
/** The prefix of every key the page keeps in localStorage. */
export const PAGE_PREFIX = 'bigram-lab/';

/**
 * Removes every key of the page from `local` (models, summaries, the view, what was set
 * aside), whatever they hold: *Forget saved state*, and its fallback when the page could
 * not start. The records go before the summaries, so a tab told its summary went finds
 * no record. Other sites' keys of the origin stay.
 * @param {Storage | null} local
 */
export function forgetAll(local) {
  if (!local) return;
  try {
    /** @type {string[]} */
    const keys = [];
    for (let i = 0; i < local.length; i++) keys.push(local.key(i) ?? '');
    const ours = keys.filter((key) => key.startsWith(PAGE_PREFIX));
    const first = ours.filter((key) => key.startsWith(SLOT_PREFIX));
    for (const key of [...first, ...ours.filter((key) => !first.includes(key))]) local.removeItem(key);
  } catch {
    // Nothing saved can be removed from storage that cannot be reached.
  }
}


/** The most chart points kept: enough for the curve's shape, small enough to store. */
export const MAX_POINTS = 1000;
/** The most saved models kept, over all tabs; beyond it the oldest other tab's goes. */
export const MAX_SLOTS = 8;
/**
 * The most characters of saved models, over all slots. Browsers give an origin about 5
 * million characters of localStorage (Firefox and Safari 5 MB; Chromium 10 MiB, UTF-16);
 * this leaves room for the view and what is set aside. A model larger than all of it is
 * refused, never half-written.
 */
export const BUDGET_CHARS = 4_500_000;

/**
 * Every k-th point and the last, so that at most MAX_POINTS remain (and the marks).
 * @param {{steps: number[], losses: number[], dev?: number[], marks?: number[]}} series
 * @returns {LossSeries}
 */
export function thin({ steps, losses, dev = [], marks = [] }) {
  // The last point may be kept beside the multiples of k: leave room for it.
  const k = steps.length <= MAX_POINTS ? 1 : Math.ceil(steps.length / (MAX_POINTS - 1));
  /** @type {(_: unknown, i: number) => boolean} */
  const keep = (_, i) => i % k === 0 || i === steps.length - 1;
  return { steps: steps.filter(keep), losses: losses.filter(keep), dev: dev.filter(keep), marks: marks.slice(-MAX_POINTS) };
}

/**
 * Characters as megabytes of text (the JSON is ASCII: one byte a character).
 * @param {number} chars
 */
export const megabytes = (chars) => (chars / 1e6).toFixed(1);

/**
 * Characters of JSON a weight takes in an exported model: a float32 written as the double
 * it is (up to 17 significant digits, its point, a sign, a comma): 19.6 measured on W
 * from the seed and trained. Used only until the library says (`exportCharsBound`).
 */
export const CHARS_PER_WEIGHT = 20;

/**
 * How long the exported model's JSON is, at most, from W's shape and before it is made:
 * the library's own bound when it has one (`lab.exportCharsBound`, a number or a
 * method), else an estimate from the weights.
 * @param {{contextLength: number, vocabSize: number, encoding: string, exportCharsBound?: unknown}} lab
 * @returns {number}
 */
export function exportCharsBound(lab) {
  const bound = typeof lab.exportCharsBound === 'function' ? lab.exportCharsBound() : lab.exportCharsBound;
  if (typeof bound === 'number' && Number.isFinite(bound)) return bound;
  return exportCharsEstimate(lab);
}

/**
 * About how long the exported model's JSON is (what a refusal quotes: the bound decides,
 * but it counts every weight at its longest, a third more than a real W takes).
 * @param {{contextLength: number, vocabSize: number, encoding: string}} lab
 * @returns {number}
 */
export function exportCharsEstimate(lab) {
  const { contextLength: len, vocabSize: v, encoding } = lab;
  const rows = encoding === 'concat' ? len * v : v ** len;
  return rows * v * CHARS_PER_WEIGHT + 1000; // the vocabulary and the other fields
}

/**
 * Why a model of `chars` characters is not kept.
 * @param {number} chars
 * @returns {string}
 */
export const tooLargeError = (chars) => `This model is ${megabytes(chars)} MB as text, more than the ${megabytes(BUDGET_CHARS)} MB `
  + 'this page keeps in the browser for all its saved models, so it is not kept across reloads; use “Export model” to keep it.';


/**
 * A saved model in a few words, for the list: step, model, loss, when (and "This tab"
 * for the tab's own, "This tab, earlier" for one it saved to before).
 * @param {SlotMeta} meta a slot's summary
 * @param {{own?: boolean, earlier?: boolean, time?: (ms: number) => string}} [how]
 * @returns {string}
 */
export function describeSlot(meta, { own = false, earlier = false, time = (ms) => new Date(ms).toLocaleTimeString() } = {}) {
  const whose = own ? 'This tab: ' : earlier ? 'This tab, earlier: ' : '';
  if (meta.unreadable) return `${whose}a damaged saved model`;
  const parts = [`step ${meta.steps}`, modelName(meta.context)];
  if (meta.context > 1 && meta.encoding === 'concat') parts[1] += ' (side by side)';
  if (meta.wordsName !== undefined) parts.push(`words of “${meta.wordsName}”`);
  if (meta.trainOn !== undefined) parts.push(`on “${meta.trainOn}”`);
  if (meta.loss !== undefined && Number.isFinite(meta.loss)) parts.push(`loss ${meta.loss.toFixed(4)}`);
  parts.push(`saved ${time(meta.savedAt)}`);
  return whose + parts.join(', ');
}

/**
 * A slot's summary from its record.
 * @param {string} id
 * @param {SlotRecord} record
 * @param {number} chars the record's size as text
 * @returns {SlotMeta}
 */
export function summary(id, record, chars) {
  const { model, history, savedAt, words } = record;
  const loss = history?.losses?.at(-1);
  /** @type {SlotMeta} */
  const meta = {
    id,
    savedAt: savedAt !== undefined && Number.isFinite(savedAt) ? savedAt : 0,
    steps: model.steps,
    context: model.context ?? 1,
    encoding: model.encoding ?? 'context',
    chars,
  };
  if (loss !== undefined && Number.isFinite(loss)) meta.loss = loss;
  if (typeof model.train_on === 'string') meta.trainOn = model.train_on;
  if (words && !words.default) meta.wordsName = words.name;
  return meta;
}

/**
 * Storage the browser may refuse to hand out (blocked cookies throw on access).
 * @param {'localStorage'|'sessionStorage'} name
 * @returns {Storage|null}
 */
export function reach(name) {
  try {
    return globalThis[name] ?? null;
  } catch {
    return null;
  }
}

/** @returns {string} */
export function randomId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Moves the model of the single key kept before slots into a slot (the old key removed
 * first for room, and put back if the slot cannot be written), so nothing is lost.
 * @param {Storage | null} local
 * @param {{newId: () => string, now: () => number, damaged: string[]}} how the slot's id, the
 *   clock, and where the key is listed if it is not JSON
 * @returns {{view: SavedView | null, slot: {id: string, record: SlotRecord, chars: number} | null}}
 *   the settings and word kept beside that model (unchecked), and the slot made
 */
export function migrateLegacy(local, { newId, now, damaged }) {
  /** @type {string | null} */
  let text = null;
  try {
    text = local?.getItem(LEGACY_MODEL_KEY) ?? null;
  } catch {
    // Unreachable storage kept nothing.
  }
  if (text === null || !local) return { view: null, slot: null };
  let old;
  try {
    old = JSON.parse(text);
  } catch {
    damaged.push(LEGACY_MODEL_KEY);
    return { view: null, slot: null };
  }
  const view = old && (old.settings !== undefined || old.word !== undefined) ? { settings: old.settings, word: old.word } : null;
  if (!old?.model) return { view, slot: null };
  const id = newId();
  const record = { model: old.model, history: old.history, settings: old.settings, savedAt: now() };
  const json = JSON.stringify(record);
  try {
    local.removeItem(LEGACY_MODEL_KEY);
    local.setItem(SLOT_PREFIX + id, json);
  } catch {
    try {
      local.setItem(LEGACY_MODEL_KEY, text);
    } catch {
      // It was just removed to make this room: putting it back cannot run out of it.
    }
    return { view, slot: null };
  }
  return { view, slot: { id, record, chars: json.length } };
}
