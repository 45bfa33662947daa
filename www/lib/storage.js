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
  MAX_SLOTS, BUDGET_CHARS, thin, megabytes,
} from './saved.js';

/** @typedef {import('./series.js').LossSeries} LossSeries */
/** @typedef {import('./settings.js').SettingsSnapshot} SettingsSnapshot */
/** @typedef {import('./saved.js').SavedModel} SavedModel */
/** @typedef {import('./saved.js').SlotRecord} SlotRecord */
/** @typedef {import('./saved.js').SavedView} SavedView */
/** @typedef {import('./saved.js').SlotMeta} SlotMeta */
export { MAX_POINTS, MAX_SLOTS, BUDGET_CHARS, thin, readHistory, megabytes, describeSlot } from './saved.js';
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
   * Every saved model's summary, newest first. A record whose summary is missing (its
   * write failed) is summarised from the record; a summary without a record is left out.
   * @returns {SlotMeta[]}
   */
  slots() {
    const keys = new Set(this.#keys());
    /** @type {SlotMeta[]} */
    const metas = [];
    for (const key of keys) {
      if (!key.startsWith(SLOT_PREFIX) || key.endsWith(ASIDE)) continue;
      const id = key.slice(SLOT_PREFIX.length);
      /** @type {SlotMeta|null} */
      let meta = null;
      try {
        meta = JSON.parse(this.#get(META_PREFIX + id) ?? 'null');
      } catch {
        // Read from the record below.
      }
      if (meta?.id !== id || !Number.isFinite(meta.savedAt)) {
        const read = this.readSlot(id);
        meta = read.record ? summary(id, read.record, read.chars) : { id, savedAt: 0, chars: read.chars ?? 0, unreadable: true };
      }
      metas.push(meta);
    }
    return metas.sort((a, b) => b.savedAt - a.savedAt || (a.id < b.id ? -1 : 1));
  }

  /**
   * One slot's record: `{record, chars}`, or `{error}` if it is missing or unreadable.
   * @param {string} id
   * @returns {{record: SlotRecord, chars: number, error?: undefined}
   *   | {error: string, chars?: number, record?: undefined}}
   */
  readSlot(id) {
    const text = this.#get(SLOT_PREFIX + id);
    if (text === null) return { error: 'it is no longer kept' };
    try {
      const record = JSON.parse(text);
      if (!record?.model || typeof record.model !== 'object') throw new Error('no model');
      return { record, chars: text.length };
    } catch {
      return { error: 'it could not be read', chars: text.length };
    }
  }

  /**
   * Moves the model of the single key kept before slots into a slot (before removing
   * the old key, put back if the slot cannot be written), so nothing is lost.
   * @param {string[]} damaged where a key that cannot be read is listed
   * @returns {{view: SavedView | null}} the settings and word kept beside that model
   */
  #migrate(damaged) {
    const text = this.#get(LEGACY_MODEL_KEY);
    const local = this.local;
    if (text === null || !local) return { view: null };
    let old;
    try {
      old = JSON.parse(text);
    } catch {
      damaged.push(LEGACY_MODEL_KEY);
      return { view: null };
    }
    const view = old && (old.settings !== undefined || old.word !== undefined) ? { settings: old.settings, word: old.word } : null;
    if (!old?.model) return { view };
    const id = this.newId();
    const record = JSON.stringify({ model: old.model, history: old.history, settings: old.settings, savedAt: this.now() });
    try {
      local.removeItem(LEGACY_MODEL_KEY);
      local.setItem(SLOT_PREFIX + id, record);
    } catch {
      try {
        local.setItem(LEGACY_MODEL_KEY, text);
      } catch {
        // It was just removed to make this room: putting it back cannot run out of it.
      }
      return { view };
    }
    this.#writeMeta(id, JSON.parse(record), record.length);
    return { view };
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
   * What this browser kept, for start-up: `{ model, slot, own, view, damaged }`. `model`
   * is the record to restore (`{model, history, settings, savedAt}`) or null, `slot` its
   * summary, `own` whether it is this tab's (a reload) or the most recently saved other
   * one (a new tab, or a tab that has saved nothing yet). `unreadable` is the summary of
   * a slot that was to be restored but could not be read. `view` is `{settings, word}`
   * or null; a damaged key (listed in `damaged`, to be set aside) loses nothing else.
   * @returns {{model: SlotRecord|null, slot: SlotMeta|null, own: boolean,
   *   view: SavedView|null, damaged: string[], unreadable: SlotMeta|null}}
   */
  load() {
    /** @type {string[]} */
    const damaged = [];
    const migrated = this.#migrate(damaged);
    /** @type {SavedView|null} */
    let view = null;
    const viewText = this.#get(VIEW_KEY);
    try {
      view = viewText === null ? null : JSON.parse(viewText);
    } catch {
      damaged.push(VIEW_KEY);
    }
    view ??= migrated.view;
    const slots = this.slots();
    const chosen = slots.find((m) => m.id === this.tabId) ?? slots.find((m) => !m.unreadable);
    const found = { model: null, slot: null, own: false, view, damaged, unreadable: null };
    if (!chosen) return found;
    const own = chosen.id === this.tabId;
    const read = this.readSlot(chosen.id);
    if (read.error !== undefined) return { ...found, own, unreadable: chosen };
    return { ...found, model: read.record, slot: chosen, own };
  }

  /**
   * Saves this tab's model, its loss history and settings in this tab's slot, whole or
   * not at all. To stay within MAX_SLOTS and BUDGET_CHARS the oldest other slots are
   * dropped first (never this tab's); a model larger than the whole budget is refused.
   * @param {{model: SavedModel, history: LossSeries, settings: SettingsSnapshot}} saved
   * @returns {{error: string | null, dropped: SlotMeta[], chars: number}} why it was not
   *   kept (null if it was), the summaries of the slots dropped, its size
   */
  saveModel({ model, history, settings }) {
    /** @type {SlotRecord} */
    const record = { model, history: thin(history), settings, savedAt: this.now() };
    const text = JSON.stringify(record);
    const chars = text.length;
    if (chars > BUDGET_CHARS) {
      return {
        error: `This model is ${megabytes(chars)} MB as text, more than the ${megabytes(BUDGET_CHARS)} MB this page keeps `
          + 'in the browser for all its saved models, so it is not kept across reloads; use “Export model” to keep it.',
        dropped: [],
        chars,
      };
    }
    if (!this.local) return { error: 'this browser gives the page no storage', dropped: [], chars };
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
      return { error: `this browser would not keep it (${messageOf(err)})`, dropped, chars };
    }
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

  /**
   * Removes every saved model, of every tab, and the view (what is set aside stays). The
   * records go before the summaries, so that a tab told its summary went finds no record.
   */
  forget() {
    const keys = this.#keys().filter((key) => !key.endsWith(ASIDE));
    const ours = [
      ...keys.filter((key) => key.startsWith(SLOT_PREFIX)),
      ...keys.filter((key) => key.startsWith(META_PREFIX) || key === VIEW_KEY || key === LEGACY_MODEL_KEY),
    ];
    try {
      for (const key of ours) this.local?.removeItem(key);
    } catch {
      // Nothing saved can be removed from storage that cannot be reached.
    }
  }

  /**
   * Moves damaged keys aside (to `key/set-aside`), so that starting fresh does not
   * destroy them and they are not read again.
   * @param {string[]} keys the keys to set aside
   */
  setAside(keys) {
    const local = this.local;
    if (!local) return;
    try {
      for (const key of keys) {
        const text = local.getItem(key);
        if (text === null) continue;
        local.setItem(key + ASIDE, text);
        local.removeItem(key);
      }
    } catch {
      // Storage that cannot be read cannot be copied either.
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
   * What a `storage` event (another tab changed localStorage) means for this tab:
   * `{kind: 'saved', meta}` another tab saved its model; `{kind: 'duplicate'}` another
   * tab wrote this tab's own slot (a duplicated tab shares the id); `{kind: 'dropped'}`
   * this tab's slot was removed (Forget, or room made); `{kind: 'removed'}` another slot
   * went; `{kind: 'cleared'}` all of localStorage was cleared; null: nothing to say.
   * @param {{key: string|null, newValue: string|null}} event
   * @returns {{kind: 'saved', meta: SlotMeta} | {kind: 'duplicate'|'dropped'|'removed'|'cleared'} | null}
   */
  classify({ key, newValue }) {
    if (key === null) return { kind: 'cleared' };
    if (key === SLOT_PREFIX + this.tabId) return newValue === null ? null : { kind: 'duplicate' };
    if (!key.startsWith(META_PREFIX)) return null;
    if (newValue === null) return { kind: key === META_PREFIX + this.tabId ? 'dropped' : 'removed' };
    if (key === META_PREFIX + this.tabId) return null; // the duplicate's record came first
    try {
      const meta = JSON.parse(newValue);
      return meta && Number.isFinite(meta.steps) ? { kind: 'saved', meta } : null;
    } catch {
      return null;
    }
  }
}

/** The keys, for tests that look at what is stored. */
export const KEYS = Object.freeze({
  view: VIEW_KEY, legacyModel: LEGACY_MODEL_KEY, slot: SLOT_PREFIX, meta: META_PREFIX, tab: TAB_KEY,
});
