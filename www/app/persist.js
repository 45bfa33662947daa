// What this tab keeps in the browser (lib/storage.js holds the format and the rules):
// the model after W changes (at most once a second while training, and whenever the
// page is hidden or left), with the word list it was trained on; the view and the URL
// after the settings or the word change; the saved models' list, another tab's saves,
// and Restore. What the *Model* panel shows is put in `state.kept`.

import { Lab, Loader } from '../../pkg/bigram_lab.js';
import * as storage from '../lib/storage.js';
import { describeWords, sameWords, wordsOf } from '../lib/records.js';
import { DEFAULTS, toQuery } from '../lib/settings.js';
import { DEFAULT_DATA } from './state.js';
import { errorText } from '../lib/format.js';

/** @typedef {import('../lib/records.js').SavedWords} SavedWords */

/** While training, the model is saved at most this often (and on every other change). */
const SAVE_EVERY_MS = 1000;

export class Persist {
  /**
   * @param {import('./state.js').State} state
   * @param {import('./model.js').Model} model
   */
  constructor(state, model) {
    this.state = state;
    this.model = model;
    /** This tab's slot in the browser's storage, beside the other tabs'. */
    this.store = new storage.Store();
    /** @type {string | null} the slot this tab had when the page loaded (a reload's) */
    this.loadedAs = this.store.tabId;
    /** False until start-up is done: a tab saves only once its W changes, so that opening
     * a tab, or reloading one, never adds a slot or makes an old one look newest. */
    this.saving = false;
    /** False until start-up has read what was kept: nothing is written before. */
    this.started = false;
    this.lastSave = 0;
    /**
     * Why this tab's model was last not kept, or null if it was.
     * @type {{error: string} | null}
     */
    this.lastRefusal = null;
    /** Other tabs already told about in the status line (the notice line says every save). */
    this.toldOf = new Set();
    this.warned = false;
    /** Whether W changed since it was last saved (a save on leaving the page is then due). */
    this.dirty = false;
    /**
     * The W shape last refused as too large (`context/encoding/V`) and the refusal: the
     * same shape is as large, so it is neither exported nor measured again.
     * @type {{shape: string, result: {error: string | null, dropped: any[], chars: number}} | null}
     */
    this.refused = null;
    /** @type {SavedWords} the word list the lab holds (the page starts on its own names) */
    this.words = { default: true };
    /** The name of the word list being loaded (see `naming`). */
    this.wordsName = 'a word list';
    /** True while a saved model's word list is put in the lab: it is known, not read back. */
    this.takingWords = false;
    state.on('data', (detail) => {
      if (!detail?.newWords || this.takingWords || state.touring) return;
      this.words = wordsOf(state.lab.wordsText(), this.wordsName);
    });
    state.on('w', (detail) => {
      this.dirty = true;
      const now = performance.now();
      if (detail.force || !state.training || now - this.lastSave > SAVE_EVERY_MS) {
        const before = now;
        this.saveModel();
        // A frame that saves (once a second while training) does not count the save as
        // drawing: the frame budget would take it for every frame's cost.
        detail.savedMs += performance.now() - before;
      }
    });
    state.on('training', (detail) => {
      if (detail.stopped) this.saveModel();
    });
    state.on('settings', () => this.saveView());
    state.on('word', (detail) => {
      if (detail.typed) this.saveView();
    });
    state.on('mode', () => this.saveView());
    // A reload or a closed tab keeps the step it showed: the last save may be a second old.
    const leaving = () => {
      if (this.dirty) this.saveModel();
    };
    window.addEventListener('pagehide', leaving);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') leaving();
    });
    window.addEventListener('storage', (event) => {
      try {
        this.storageChanged(event);
      } catch (err) {
        state.say(errorText(err), 'error');
      }
    });
  }

  /**
   * The name of a word list about to be loaded, for its saved models (main.js hands the
   * file here on its way to app/files.js).
   * @template {File | undefined} F
   * @param {F} file
   * @returns {F}
   */
  naming(file) {
    if (file) this.wordsName = file.name;
    return file;
  }

  /**
   * Saves W, the loss history, the settings and the word list in this tab's slot (after
   * W changed). A W too large to keep is found so from its shape before it is exported,
   * and that shape is not tried again.
   */
  saveModel() {
    const { state } = this;
    this.lastSave = performance.now();
    if (state.touring || !this.saving) return; // the tour's copy is not the person's model
    this.dirty = false;
    const { lab } = state;
    const shape = `${lab.contextLength}/${lab.encoding}/${lab.vocabSize}`;
    if (this.refused?.shape === shape) {
      if (state.kept.kind !== 'refused') this.showKept(this.refused.result);
      return;
    }
    const bound = storage.exportCharsBound(lab);
    const result = bound > storage.BUDGET_CHARS
      ? { error: storage.tooLargeError(storage.exportCharsEstimate(lab)), dropped: [], chars: bound }
      : this.store.saveModel({ model: lab.exportModel(), history: state.history.series(), settings: state.settings.snapshot(), words: this.words });
    this.refused = result.chars > storage.BUDGET_CHARS && result.error ? { shape, result } : null;
    this.showKept(result);
  }

  /** Saves the settings and the word, and puts them in the URL (after either changed). */
  saveView() {
    const { state } = this;
    if (!this.started || state.touring) return; // the person's own settings come back when the tour ends
    try {
      const present = state.presenting ? { present: '1' } : {};
      window.history.replaceState(null, '', `?${toQuery(state.settings, { word: state.word, ...present })}`);
    } catch {
      // Some pages (a file opened from disk, in some browsers) may not rewrite their URL.
    }
    const error = this.store.saveView({ settings: state.settings.snapshot(), word: state.word });
    if (error && !this.warned) {
      this.warned = true;
      state.say(`This browser would not keep the state across reloads (${error}).`, 'error');
    }
  }

  /** Why this tab's W is not kept, in a sentence, or null when it is. */
  refusalNote() {
    return this.lastRefusal ? this.state.kept.note : null;
  }

  /**
   * Records whether this tab's model is kept: after a save (`result`), or nothing yet
   * (null). A refusal is said in the status line when it starts, and stays in the note.
   * @param {{dropped: any[], error?: string | null, chars: number} | null} result
   */
  showKept(result) {
    const { state } = this;
    if (result?.dropped.length) {
      state.say(`To keep at most ${storage.MAX_SLOTS} saved models within the browser's room, the oldest other `
        + `${result.dropped.length === 1 ? 'one was' : `${result.dropped.length} were`} dropped `
        + `(${result.dropped.map((m) => storage.describeSlot(m)).join('; ')}).`);
    }
    if (!result || !result.error) {
      this.lastRefusal = null;
      state.kept.kind = result ? 'kept' : 'none';
      state.kept.note = result ? `This tab's model is kept in this browser (step ${state.lab.steps}); it comes back on reload.` : '';
      this.listSlots();
      return;
    }
    const own = this.store.slots().find((m) => m.id === this.store.tabId);
    const note = `${result.error} ${own
      ? `This tab's last kept model (${storage.describeSlot(own)}) stays in Saved models.`
      : 'Nothing of this tab is kept.'}`;
    state.kept.kind = 'refused';
    state.kept.note = note;
    if (this.lastRefusal?.error !== result.error) state.say(note, 'error'); // once, not every save
    this.lastRefusal = { error: result.error };
    this.listSlots();
  }

  /** Every slot, newest first, as the *Saved models* list shows it. */
  listSlots() {
    const left = this.store.leftIds();
    const own = this.store.tabId;
    this.state.kept.slots = this.store.slots().map((m) => ({
      id: m.id,
      steps: Number(/** @type {any} */ (m).steps), // an unreadable slot has none: NaN
      own: m.id === own,
      text: storage.describeSlot(m, { own: m.id === own, earlier: left.includes(m.id) }),
    }));
    this.state.emit('kept');
  }

  /**
   * Restore: the chosen saved model replaces this tab's, all or nothing, as an import does.
   * This tab's own saved model, if it is another, stays in the list: the tab saves to a
   * new slot from now on.
   * @param {string} id
   */
  restoreSlot(id) {
    const { state, model, store } = this;
    if (!id) {
      state.say('No saved model to restore.', 'error');
      return;
    }
    model.stopTraining(); // saves this tab's model first, if it was training
    const read = store.readSlot(id);
    if (read.error || !read.record) {
      state.say(`Could not restore that saved model: ${read.error}. Nothing changed.`, 'error');
      this.listSlots();
      return;
    }
    const own = id === store.tabId;
    const keptApart = !own && store.slots().some((m) => m.id === store.tabId);
    const earlier = store.leftIds().includes(id);
    const words = read.record.words ?? { default: true };
    let refused;
    try {
      const why = this.takeWords(words, read.record.model);
      if (why) {
        state.say(`Could not restore that saved model: ${why}. Nothing changed.`, 'error');
        return;
      }
      refused = model.adopt({ model: read.record.model, settings: read.record.settings });
    } catch (err) {
      state.say(`Could not restore that saved model: ${errorText(err)}. Nothing changed.`, 'error');
      return;
    }
    if (this.takingWords) {
      model.dataChanged({ newWords: true }); // the samples and the sweep were of the other list
      this.takingWords = false;
    }
    if (earlier) store.returnTo(id);
    else if (keptApart) store.leaveSlot();
    this.saveView();
    state.history.restore(storage.readHistory(read.record.history));
    model.settle({ force: true });
    const note = refused.length ? ` Some settings were not taken: ${refused.join(' ')}` : '';
    state.say(`Restored the saved model at step ${state.lab.steps}.${keptApart ? ' This tab\'s previous model stays in Saved models.' : ''}${note}`);
  }

  /**
   * Another tab changed what is saved: say so, and keep this tab's model apart from it.
   * @param {StorageEvent} event
   */
  storageChanged(event) {
    const { state, store } = this;
    if (event.storageArea !== store.local || !store.touchesSlots(event)) return;
    const news = store.classify(event) ?? { kind: 'none' };
    let text = null;
    if (news.kind === 'saved' && news.meta.id === this.loadedAs && news.meta.id !== store.tabId) {
      // This tab's slot before the reload, its last save heard late: no other tab's news.
    } else if (news.kind === 'saved') {
      text = `Another tab saved its model (${storage.describeSlot(news.meta)}). This tab's model is kept apart; both are in Saved models.`;
      if (!this.toldOf.has(news.meta.id)) {
        this.toldOf.add(news.meta.id);
        state.say(text);
      }
    } else if (news.kind === 'duplicate') {
      // A duplicated tab carries this tab's id: the copy keeps the slot, this tab moves.
      this.loadedAs = null; // its saves there are the copy's news from now on
      store.leaveSlot();
      this.saveModel();
      text = 'A copy of this tab (a duplicated tab shares its slot) saved its model there; this tab now keeps its model in a slot of its own. Both are in Saved models.';
      state.say(text);
    } else if (news.kind === 'dropped' || news.kind === 'cleared') {
      text = 'Another tab removed this tab\'s saved model (Forget saved state, or room made for newer ones); it is saved again at this tab\'s next change.';
      state.say(text);
      this.showKept(null);
    }
    if (text) state.kept.notice = text;
    this.listSlots();
  }

  /**
   * Puts the word list a saved model was trained on into the lab, unless it is there
   * already: checked first on a scratch lab with the model, so a refusal changes nothing.
   * `takingWords` is left true when the list changed (the caller says so, then clears it).
   * @param {SavedWords} words
   * @param {any} saved the record's model
   * @returns {string | null} why the model cannot be restored here (nothing changed), or null
   */
  takeWords(words, saved) {
    const { state } = this;
    if (sameWords(words, this.words)) return null;
    if (!words.default && words.text === undefined) {
      return `it was trained on the word list ${describeWords(words)}, too large to keep beside it in this browser, `
        + 'and is not scored on another list. Load that list, then restore the model from Saved models';
    }
    const { seed, l2 } = state.settings;
    const scratch = new Lab(words.default ? undefined : new TextEncoder().encode(words.text), seed, l2);
    let text;
    try {
      scratch.importModel(saved); // throws if the model does not fit those words
      text = scratch.wordsText();
    } finally {
      scratch.free();
    }
    const loader = new Loader();
    loader.push(new TextEncoder().encode(text));
    state.lab.loadFrom(loader, seed);
    this.words = words;
    state.dataName = words.default ? DEFAULT_DATA : words.name ?? 'a word list of yours';
    this.takingWords = true;
    return null;
  }

  /**
   * Reads what this browser kept, every key checked (a damaged one is set aside and
   * said), and takes the saved model with its word list, if there is one.
   * @returns {any} the saved model (with its history) if it was taken, and the saved view
   */
  takeSaved() {
    const { state, store } = this;
    const saved = store.load();
    /** What was set aside, in a sentence that start-up says last (null: nothing). */
    let setAside = null;
    if (saved.damaged.length) {
      store.setAside(saved.damaged);
      setAside = `Part of the saved state could not be used: ${[...new Set(saved.problems)].join('; ')}. It is set aside in this `
        + 'browser\'s storage, not used and not overwritten; “Forget saved state” clears it.';
      state.say(setAside, 'error');
    }
    const notTaken = (/** @type {string} */ why) => {
      // This tab's slot stays as it is, in Saved models: the tab saves to a new one.
      if (saved.own) store.leaveSlot();
      state.say(`The saved model (${storage.describeSlot(/** @type {any} */ (saved.slot))}) was not restored: ${why}. `
        + 'The page starts fresh; the saved model stays in Saved models, not overwritten.', 'error');
      return { ...saved, model: null, setAside };
    };
    if (!saved.model) return { ...saved, setAside };
    try {
      const why = this.takeWords(saved.model.words ?? { default: true }, saved.model.model);
      this.takingWords = false;
      if (why) return notTaken(why);
      state.lab.importModel(saved.model.model);
      return { ...saved, setAside };
    } catch (err) {
      return notTaken(errorText(err));
    }
  }

  /**
   * The settings the restored model was trained with, as a layer over the saved view:
   * its split and Train on, and its λ where the view's (kept as typed) is another number.
   * @param {any} view
   */
  modelLayer(view) {
    const { lab } = this.state;
    /** @type {Record<string, string | number>} */
    const layer = { ...this.model.labLayer(), trainOn: lab.trainOn === undefined ? 'all' : 'word' };
    // λ travels as float32: the view's own text stands unless it is another number.
    if (Math.fround(Number(view?.settings?.l2)) !== lab.l2) layer.l2 = lab.l2;
    return layer;
  }

  /**
   * *Forget saved state*: the person's own page back to the defaults and a new W from
   * the seed, then nothing of it kept. `setAside` first ends what works on something
   * else (the tour's copy, a sweep).
   * @param {() => void} setAside
   */
  forget(setAside) {
    const { state, model } = this;
    setAside(); // what is forgotten is the person's own state, not the tour's copy
    model.stopTraining();
    model.cancelSweep('');
    state.settings.restore(DEFAULTS);
    state.emit('settings'); // the URL too: a reload must not bring the old settings back
    model.applySettings();
    state.lab.reset(state.settings.seed);
    model.dataChanged();
    model.restart();
    this.store.forget(); // after the fresh state was saved: nothing is kept
    this.showKept(null);
    state.say('Saved state forgotten: default settings and a new W from the seed.');
  }
}
