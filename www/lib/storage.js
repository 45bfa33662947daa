// Keeping the page's state across reloads and tabs, as JSON in localStorage. Each tab
// keeps its model in a slot of its own, named by an id in sessionStorage (per tab; it
// survives a reload), so a tab never writes over another's. A slot is the record (W,
// the loss history, the settings, the time) and a small summary that the saved models'
// list and other tabs read; no shared index that two tabs could rewrite from a stale
// copy. The view (settings and word) is one shared key, written on every change; the
// model only when W changes. Storage may be missing, full or unreadable: the page carries
// on. Pure apart from the Storage objects it is handed (Node's tests hand it stand-ins).

import {
  messageOf, VIEW_KEY, LEGACY_MODEL_KEY, SLOT_PREFIX, META_PREFIX, TAB_KEY, LEFT_KEY, ASIDE, summary, reach, randomId,
  MAX_SLOTS, BUDGET_CHARS, thin, tooLargeError, forgetAll, migrateLegacy,
} from './saved.js';
import { checkRecord, checkView, isMeta, sameSummary, classifyEvent } from './records.js';

/** @typedef {import('./series.js').LossSeries} LossSeries */
/** @typedef {import('./settings.js').SettingsSnapshot} SettingsSnapshot */
/** @typedef {import('./saved.js').SavedModel} SavedModel */
/** @typedef {import('./saved.js').SlotRecord} SlotRecord */
/** @typedef {import('./saved.js').SavedView} SavedView */
/** @typedef {import('./saved.js').SlotMeta} SlotMeta */
export {
  MAX_POINTS, MAX_SLOTS, BUDGET_CHARS, thin, megabytes, describeSlot, exportCharsBound, exportCharsEstimate, tooLargeError, forgetAll, PAGE_PREFIX,
} from './saved.js';
export { readHistory } from './records.js';
/** @typedef {{record: SlotRecord, chars: number, error?: undefined} | {error: string, chars?: number, record?: undefined}} SlotRead */

/** What this browser keeps for the page, seen from one tab. */
export class Store {
  /**
   * @param {{local?: Storage | null, session?: Storage | null, now?: () => number, newId?: () => string}} options
   *   the shared and the per-tab storage (default: the browser's), the clock and the
   *   id maker (tests pass their own)
   */
  constructor({ local = reach('localStorage'), session = reach('sessionStorage'), now = Date.now, newId = randomId } = {}) {
    this.local = local;
    this.session = session;
    this.now = now;
    this.newId = newId;
    /** @type {string|null} */
    let id = null;
    try {
      id = session?.getItem(TAB_KEY) ?? null;
    } catch {
      // Without sessionStorage the id lasts as long as the page.
    }
    /** True when this tab had no id yet: a new tab, not a reload. */
    this.isNewTab = id === null;
    this.tabId = id ?? this.#takeNewId();
  }

  #takeNewId() {
    const id = this.newId();
    try {
      this.session?.setItem(TAB_KEY, id);
    } catch {
      // The id still serves until the page closes.
    }
    return id;
  }

  /**
   * The slots this tab saved to before, newest last.
   * @returns {string[]}
   */
  leftIds() {
    try {
      const ids = JSON.parse(this.session?.getItem(LEFT_KEY) ?? '[]');
      return Array.isArray(ids) ? ids.filter((/** @type {unknown} */ id) => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  /** @param {string|null} next the slot the tab goes to, if it is one it left */
  #leave(next) {
    const left = [...this.leftIds().filter((id) => id !== this.tabId && id !== next), this.tabId];
    try {
      this.session?.setItem(LEFT_KEY, JSON.stringify(left.slice(-MAX_SLOTS)));
    } catch {
      // Only the "earlier" label is lost.
    }
  }

  /**
   * From now on this tab saves to a new slot and leaves its old one as it is: for when
   * its model is replaced by another saved one, or another tab shares its id.
   */
  leaveSlot() {
    this.#leave(null);
    this.tabId = this.#takeNewId();
  }

  /**
   * Back to a slot this tab left (its model restored): the tab saves there again, and
   * leaves the one it had, so going back and forth makes no copies.
   * @param {string} id one of leftIds()
   */
  returnTo(id) {
    this.#leave(id);
    this.tabId = id;
    try {
      this.session?.setItem(TAB_KEY, id);
    } catch {
      // The id still serves until the page closes.
    }
  }

  /**
   * @param {string} key
   * @returns {string|null}
   */
  #get(key) {
    try {
      return this.local?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  /** @returns {string[]} */
  #keys() {
    /** @type {string[]} */
    const keys = [];
    const local = this.local;
    if (!local) return keys;
    try {
      for (let i = 0; i < local.length; i++) {
        const key = local.key(i);
        if (key !== null) keys.push(key);
      }
    } catch {
      // Storage that cannot be listed holds nothing this tab can offer.
    }
    return keys;
  }

  /** @param {string} id */
  #remove(id) {
    try {
      this.local?.removeItem(SLOT_PREFIX + id);
      this.local?.removeItem(META_PREFIX + id);
    } catch {
      // Nothing can be removed from storage that cannot be reached.
    }
  }

  /**
   * Every saved model's summary, newest first, made from its record (a stored summary is
   * never taken on its word: its size is the record's length, its step the record's). A
   * record that cannot be read or fails its checks is listed as damaged.
   * @returns {SlotMeta[]}
   */
  slots() {
    /** @type {SlotMeta[]} */
    const metas = [];
    for (const key of this.#keys()) {
      if (!key.startsWith(SLOT_PREFIX) || key.endsWith(ASIDE)) continue;
      const id = key.slice(SLOT_PREFIX.length);
      const read = this.readSlot(id);
      if (read.record) metas.push(summary(id, read.record, read.chars));
      else if (read.chars !== undefined) metas.push({ id, savedAt: 0, chars: read.chars, unreadable: true });
    }
    return metas.sort((a, b) => b.savedAt - a.savedAt || (a.id < b.id ? -1 : 1));
  }

  /** @type {Map<string, {text: string, read: SlotRead}>} each slot's last text read, and what it gave */
  #reads = new Map();

  /**
   * One slot's record, checked in full: `{record, chars}`, or `{error}` if it is missing,
   * not JSON or fails a check (`chars` then says how much it holds). A text read before
   * is not parsed again.
   * @param {string} id
   * @returns {SlotRead}
   */
  readSlot(id) {
    const text = this.#get(SLOT_PREFIX + id);
    if (text === null) return { error: 'it is no longer kept' };
    const seen = this.#reads.get(id);
    if (seen?.text === text) return seen.read;
    /** @type {SlotRead} */
    let read;
    try {
      const checked = checkRecord(JSON.parse(text));
      read = checked.record ? { record: checked.record, chars: text.length } : { error: checked.error, chars: text.length };
    } catch {
      read = { error: 'it is not JSON', chars: text.length };
    }
    this.#reads.set(id, { text, read });
    return read;
  }

  /**
   * The single key kept before slots, made a slot (see `migrateLegacy`).
   * @param {string[]} damaged where a key that cannot be read is listed
   * @returns {{view: SavedView | null}} the settings and word kept beside that model
   */
  #migrate(damaged) {
    const { view, slot } = migrateLegacy(this.local, { newId: this.newId, now: this.now, damaged });
    if (slot) this.#writeMeta(slot.id, slot.record, slot.chars);
    return { view: view && (checkView(view).view ?? null) };
  }

  /**
   * @param {string} id
   * @param {SlotRecord} record
   * @param {number} chars
   */
  #writeMeta(id, record, chars) {
    try {
      this.local?.setItem(META_PREFIX + id, JSON.stringify(summary(id, record, chars)));
    } catch {
      // slots() summarises the record itself when its summary is missing.
    }
  }

  /**
   * What this browser kept, for start-up, every key checked: `{model, slot, own, view,
   * damaged, problems}`. `model` is the record to restore or null, `slot` its summary,
   * `own` whether it is this tab's (a reload) or the most recently saved other one (a
   * new tab). `damaged` lists the keys that failed a check (to be set aside), `problems`
   * says what each was and why; `lostOwn` is true when this tab's own record was one.
   * @returns {{model: SlotRecord|null, slot: SlotMeta|null, own: boolean, view: SavedView|null,
   *   damaged: string[], problems: string[], lostOwn: boolean}}
   */
  load() {
    /** @type {string[]} */
    const damaged = [];
    /** @type {string[]} */
    const problems = [];
    const migrated = this.#migrate(damaged);
    if (damaged.length) problems.push('the model kept before slots (it is not JSON)');
    /** @type {SavedView|null} */
    let view = null;
    const viewText = this.#get(VIEW_KEY);
    if (viewText !== null) {
      let checked;
      try {
        checked = checkView(JSON.parse(viewText));
      } catch {
        checked = { error: 'it is not JSON' };
      }
      if (checked.view) view = checked.view;
      else {
        damaged.push(VIEW_KEY);
        problems.push(`the saved settings and word (${checked.error})`);
      }
    }
    view ??= migrated.view;
    let lostOwn = false;
    for (const key of this.#keys()) {
      if (!key.startsWith(SLOT_PREFIX) || key.endsWith(ASIDE)) continue;
      const id = key.slice(SLOT_PREFIX.length);
      const read = this.readSlot(id);
      if (read.error !== undefined) {
        damaged.push(SLOT_PREFIX + id, META_PREFIX + id);
        problems.push(`a saved model (${read.error})`);
        lostOwn ||= id === this.tabId;
        continue;
      }
      const metaText = this.#get(META_PREFIX + id);
      if (metaText === null) continue; // slots() makes it from the record
      let meta = null;
      try {
        meta = JSON.parse(metaText);
      } catch {
        // Damaged: below.
      }
      if (!isMeta(meta, id) || !sameSummary(meta, summary(id, read.record, read.chars))) {
        damaged.push(META_PREFIX + id);
        problems.push(`a saved model's summary (it does not say what its model is; the model's own record is used)`);
      }
    }
    const slots = this.slots().filter((m) => !m.unreadable && !damaged.includes(SLOT_PREFIX + m.id));
    const chosen = lostOwn ? undefined : slots.find((m) => m.id === this.tabId) ?? slots[0];
    const found = { model: null, slot: null, own: lostOwn, view, damaged, problems, lostOwn };
    if (!chosen) return found;
    const read = this.readSlot(chosen.id);
    return { ...found, model: read.record ?? null, slot: chosen, own: chosen.id === this.tabId };
  }

  /**
   * Saves this tab's model, its loss history, settings and word list in this tab's slot,
   * whole or not at all. The word list's text goes with it when there is room, else only
   * its name, size and fingerprint. To stay within MAX_SLOTS and BUDGET_CHARS the oldest
   * other slots are dropped first (never this tab's), by their records' real sizes; a
   * model larger than the whole budget is refused.
   * @param {{model: SavedModel, history: LossSeries, settings: SettingsSnapshot, words?: import('./records.js').SavedWords}} saved
   * @returns {{error: string | null, dropped: SlotMeta[], chars: number}} why it was not
   *   kept (a sentence; null if it was), the summaries of the slots dropped, its size
   */
  saveModel({ model, history, settings, words = { default: true } }) {
    /** @type {SlotRecord} */
    const record = { model, history: thin(history), settings, savedAt: this.now(), words };
    const body = JSON.stringify({ ...record, words: undefined });
    if (body.length > BUDGET_CHARS) return { error: tooLargeError(body.length), dropped: [], chars: body.length };
    const withWords = (/** @type {object} */ w) => `${body.slice(0, -1)},"words":${JSON.stringify(w)}}`;
    let text = withWords(words);
    if (text.length > BUDGET_CHARS && 'text' in words) {
      const reference = { ...words };
      delete reference.text;
      record.words = reference;
      text = withWords(reference);
    }
    const chars = text.length;
    if (!this.local) return { error: 'This browser gives the page no storage.', dropped: [], chars };
    const others = this.slots().filter((m) => m.id !== this.tabId);
    const dropped = [];
    let used = others.reduce((sum, m) => sum + m.chars, 0);
    while (others.length && (others.length + 1 > MAX_SLOTS || used + chars > BUDGET_CHARS)) {
      const oldest = /** @type {SlotMeta} */ (others.pop()); // there are others
      this.#remove(oldest.id);
      used -= oldest.chars;
      dropped.push(oldest);
    }
    try {
      this.local.setItem(SLOT_PREFIX + this.tabId, text);
    } catch (err) {
      return { error: `This browser would not keep it (${messageOf(err)}).`, dropped, chars };
    }
    this.#reads.set(this.tabId, { text, read: { record, chars } }); // not parsed again to list it
    this.#writeMeta(this.tabId, record, chars);
    return { error: null, dropped, chars };
  }

  /**
   * Saves the settings and the probe's word.
   * @param {SavedView} view
   * @returns {string | null} why not, or null.
   */
  saveView({ settings, word }) {
    if (!this.local) return 'this browser gives the page no storage';
    try {
      this.local.setItem(VIEW_KEY, JSON.stringify({ settings, word }));
      return null;
    } catch (err) {
      return messageOf(err);
    }
  }

  /** Removes every key of the page, of every tab: models, the view, what was set aside. */
  forget() {
    forgetAll(this.local);
    this.#reads.clear();
  }

  /**
   * Moves damaged keys aside (to `key/set-aside`), so that starting fresh does not
   * destroy them and they are not read again (a key that cannot be copied, for want of
   * room, is removed: it could not be used). A summary set aside beside a good record is
   * written again from the record.
   * @param {string[]} keys the keys to set aside
   */
  setAside(keys) {
    const local = this.local;
    if (!local) return;
    for (const key of keys) {
      try {
        const text = local.getItem(key);
        if (text === null) continue;
        try {
          local.setItem(key + ASIDE, text);
        } catch {
          // No room for a copy: it goes all the same.
        }
        local.removeItem(key);
        const id = key.slice(META_PREFIX.length);
        const read = key.startsWith(META_PREFIX) ? this.readSlot(id) : null;
        if (read?.record) this.#writeMeta(id, read.record, read.chars);
      } catch {
        // Storage that cannot be read cannot be copied either.
      }
    }
  }

  /**
   * Whether a `storage` event's key is one of the saved models' (the list may change).
   * @param {{key: string|null}} event
   * @returns {boolean}
   */
  touchesSlots({ key }) {
    return key === null || key.startsWith(SLOT_PREFIX) || key.startsWith(META_PREFIX);
  }

  /**
   * What a `storage` event (another tab changed localStorage) means for this tab (see
   * `classifyEvent`).
   * @param {{key: string|null, newValue: string|null}} event
   */
  classify(event) {
    return classifyEvent(event, this.tabId);
  }
}

/** The keys, for tests that look at what is stored. */
export const KEYS = Object.freeze({
  view: VIEW_KEY, legacyModel: LEGACY_MODEL_KEY, slot: SLOT_PREFIX, meta: META_PREFIX, tab: TAB_KEY,
});
