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
 * back from storage it is JSON that may be old or damaged: `readHistory` checks the history.
 * @typedef {object} SlotRecord
 * @property {SavedModel} model
 * @property {Partial<LossSeries>} [history]
 * @property {SettingsSnapshot} [settings]
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
 *     context: number, encoding: string, loss?: number, trainOn?: string}} SlotMeta
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
 * A saved loss history, checked: steps and losses finite and as many, the dev losses
 * (null for none, as JSON writes NaN) one per step, marks finite. Anything else gives
 * an empty history rather than a broken chart.
 * @param {{steps?: unknown, losses?: unknown, dev?: unknown, marks?: unknown} | null | undefined} h
 * @returns {LossSeries}
 */
export function readHistory(h) {
  /** @type {LossSeries} */
  const empty = { steps: [], losses: [], dev: [], marks: [] };
  const { steps, losses, dev, marks } = h ?? {};
  const ok = Array.isArray(steps) && Array.isArray(losses) && steps.length === losses.length
    && steps.every(Number.isFinite) && losses.every(Number.isFinite);
  if (!ok) return empty;
  const devOk = Array.isArray(dev) && dev.length === steps.length
    && dev.every((v) => v === null || Number.isFinite(v));
  return {
    steps,
    losses,
    dev: devOk ? dev.map((v) => (v === null ? NaN : v)) : steps.map(() => NaN),
    marks: Array.isArray(marks) ? marks.filter(Number.isFinite) : [],
  };
}

/**
 * Characters as megabytes of text (the JSON is ASCII: one byte a character).
 * @param {number} chars
 */
export const megabytes = (chars) => (chars / 1e6).toFixed(1);

/**
 * A saved model in a few words, for the list: step, model, loss, when (and "This tab"
 * for the tab's own, "This tab, earlier" for one it saved to before).
 * @param {SlotMeta} meta a slot's summary
 * @param {{own?: boolean, earlier?: boolean, time?: (ms: number) => string}} [how]
 * @returns {string}
 */
export function describeSlot(meta, { own = false, earlier = false, time = (ms) => new Date(ms).toLocaleTimeString() } = {}) {
  const whose = own ? 'This tab: ' : earlier ? 'This tab, earlier: ' : '';
  if (meta.unreadable) return `${whose}a saved model that could not be read`;
  const parts = [`step ${meta.steps}`, modelName(meta.context)];
  if (meta.context > 1 && meta.encoding === 'concat') parts[1] += ' (side by side)';
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
  const { model, history, savedAt } = record;
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
