// The page's one state: the lab (the wasm session), the settings, the loss history, the
// last settled status, the probe's word and picked example, the view's choices and the
// status line. Whatever changes it says so with one event naming what changed, and
// every panel that shows that part subscribes: nothing calls a list of redraws.

import { LossHistory } from '../lib/series.js';

/**
 * What can change, and what each event carries:
 * - `w`: W changed and the session settled (`{views, force}`: whether the slow views
 *   redraw this time, and whether throttled work such as saving must happen now);
 * - `data`: the data set, its split or the context changed (the summary, the vocabulary
 *   and the counting floor are new);
 * - `settings`: the settings changed (the inputs show them again; `{invalid}` names an
 *   input whose text was refused, kept as typed);
 * - `view`: the heatmap's mode, smoothing or block changed;
 * - `word`: the probe's word or the picked example changed;
 * - `message`: the status line has something to say;
 * - `ready`: whether the controls can be used changed (start-up done, a file loading;
 *   `{progress}`: how far a long read has come, 0 to 1, or null);
 * - `training`: training started or stopped;
 * - `redraw`: the slow views must be drawn again though W did not change (the walk's
 *   gradient moved, training stopped between two redraws, the theme or the size changed);
 * - `walk`: *Walk the loop* was turned on or off, or took a phase;
 * - `kept`: what this tab keeps in the browser changed (a save, a refusal, a slot);
 * - `sweep`: the tuning sweep moved on;
 * - `mode`: the tour or the presentation view came or went;
 * - `folds`: the person opened or closed a folded section;
 * - `samples`: names were sampled (or the old ones no longer belong to the data).
 * @typedef {'w' | 'redraw' | 'data' | 'settings' | 'view' | 'word' | 'message' | 'ready' | 'training' | 'walk' | 'kept' | 'sweep' | 'mode' | 'folds' | 'samples'} Change
 */

/** What the default names are, where a number could be compared with the lecture's. */
export const DEFAULT_DATA = 'US baby names, 2018';

/** The names of every change, for checks. */
export const CHANGES = Object.freeze(['w', 'redraw', 'data', 'settings', 'view', 'word', 'message', 'ready', 'training', 'walk', 'kept', 'sweep', 'mode', 'folds', 'samples']);

/** The status line's kinds. @typedef {'info' | 'error'} MessageKind */

export class State {
  constructor() {
    /** @type {any} the wasm `Lab` (null until the module has loaded) */
    this.lab = null;
    /** @type {WebAssembly.Memory | null} the module's memory, for tables read in place */
    this.memory = null;
    /** @type {any} the page's settings (lib/settings.js), null until the rules are known */
    this.settings = null;
    /** @type {string[]} the vocabulary, one symbol per entry */
    this.vocab = [];
    /** @type {any} the data set's summary from the library */
    this.summary = null;
    /** The data set's name: the default names' source, or the file the person loaded. */
    this.dataName = DEFAULT_DATA;
    /** The data set in a sentence, as the summary line shows it. */
    this.summaryText = '';
    /** The counting model's loss at the current smoothing: the chart's floor. */
    this.floor = NaN;
    /** Every settled W's loss, in step order, with the resample marks. */
    this.history = new LossHistory();
    /** @type {any} the session's last answer to "W changed": loss, dev loss, steps */
    this.status = null;
    /** The probe's word as typed. */
    this.word = 'emma';
    /** The word-table row whose example the explorer follows. */
    this.selectedRow = 0;
    /** @type {any} the probe's last word report */
    this.report = null;
    /** @type {string | null} what was changed of the word as typed (spaces, case), in a sentence */
    this.wordNote = null;
    /** @type {any} the report from before the last Step press (its Δ columns), or null */
    this.stepBase = null;
    /** What the heatmap shows, and the counting model's smoothing (it also sets the floor). */
    this.view = { mode: 'net', k: 0, first: '0' };
    /** @type {Set<string>} the ids of the folded sections (<details>) that are open */
    this.open = new Set();
    /** The status line: its text and kind. */
    this.message = { text: 'Loading…', kind: /** @type {MessageKind} */ ('info') };
    /** Whether training runs, a file loads, the tour is on, the presentation view is on. */
    this.training = false;
    this.loading = false;
    /** False until start-up is done: the controls wait for the module and the saved state. */
    this.started = false;
    this.touring = false;
    this.presenting = false;
    /** @type {string[]} the names last sampled from the net */
    this.samples = [];
    /** @type {string[]} what the person loaded or imported during the tour (the tour's copy drops it) */
    this.tourDropped = [];
    /** Whether *Walk the loop* is on, and the phase it took last (null: none yet). */
    this.walking = false;
    /** @type {string | null} */
    this.walkPhase = null;
    /**
     * What this tab keeps in the browser, as the Saved models list shows it (app/persist.js).
     * @type {{kind: string, note: string, notice: string | null,
     *   slots: Array<{id: string, steps: number, own: boolean, text: string}>}}
     */
    this.kept = { kind: 'none', note: '', slots: [], notice: null };
    /**
     * The sweep under way or last shown (app/sweep.js): its points, the best's index.
     * @type {{kind: string | null, points: Array<{value: number, train: number, dev: number}>,
     *   running: boolean, steps: number, note: string, progress: number | null, best: number}}
     */
    this.sweep = { kind: null, points: [], running: false, steps: 0, note: '', progress: null, best: -1 };
    /**
     * The tour's stop on show (app/tour.js), or null outside the tour.
     * @type {{stop: number, steps: number, progress: string, title: string, paragraphs: any[],
     *   look: string, see: string[], try: string, panel?: string, control?: string, backward?: number} | null}
     */
    this.stop = null;
    /** @type {Map<Change, Array<(detail: any) => void>>} */
    this.listeners = new Map();
  }

  /**
   * Calls `fn` whenever `change` happens.
   * @param {Change} change
   * @param {(detail: any) => void} fn
   */
  on(change, fn) {
    if (!CHANGES.includes(change)) throw new Error(`no change named ${change}`);
    const list = this.listeners.get(change) ?? [];
    list.push(fn);
    this.listeners.set(change, list);
  }

  /**
   * Says that `change` happened: every subscriber runs, in the order they subscribed.
   * @param {Change} change
   * @param {any} [detail]
   */
  emit(change, detail = {}) {
    for (const fn of this.listeners.get(change) ?? []) fn(detail);
  }

  /**
   * Puts a sentence in the status line.
   * @param {string} text
   * @param {MessageKind} [kind]
   */
  say(text, kind = 'info') {
    if (!this.started && text && this.message.text !== 'Loading…' && this.message.text) {
      // Start-up has several things to say (a damaged record set aside, a link's refused
      // setting, the model restored): each is kept, errors first, none overwritten.
      const [first, second] = kind === 'error' && this.message.kind !== 'error'
        ? [text, this.message.text] : [this.message.text, text];
      this.message = { text: `${first} ${second}`, kind: kind === 'error' ? 'error' : this.message.kind };
    } else {
      this.message = { text, kind };
    }
    this.emit('message');
  }

  /** Whether the controls can be used: started, and no file loading. */
  get usable() {
    return this.started && !this.loading;
  }

  /** Clears the status line if it shows an error (a setting typed right again). */
  clearError() {
    if (this.message.kind === 'error') this.say('');
  }

  /**
   * A rows×V table read in place from wasm memory (a view, not a copy); V×V by default.
   * @param {number} ptr
   */
  tableAt(ptr, rows = this.vocab.length) {
    if (!this.memory) throw new Error('the module has not loaded');
    return new Float32Array(this.memory.buffer, ptr, rows * this.vocab.length);
  }

  /** Rows of the probability tables: one per context (V^len). */
  contextRows() {
    return this.vocab.length ** this.lab.contextLength;
  }

  /** Rows of W (and W.grad, ΔW): one per context, or len·V for one-hots side by side. */
  weightRows() {
    return this.lab.encoding === 'concat' ? this.lab.contextLength * this.vocab.length : this.contextRows();
  }

  /**
   * What sets the page aside and gives it back (the tour) keeps: everything the person
   * made, whole. The lab itself is kept, not copied: the caller works on a copy meanwhile.
   */
  snapshot() {
    return {
      lab: this.lab,
      settings: this.settings.snapshot(),
      history: structuredClone(this.history.series()), // the history goes on in place
      word: this.word,
      view: { ...this.view },
      selectedRow: this.selectedRow,
      open: new Set(this.open),
      samples: [...this.samples],
    };
  }

  /**
   * Gives back what `snapshot` kept (the caller frees the lab it worked on), and says
   * that everything changed.
   * @param {ReturnType<State['snapshot']>} kept
   */
  restore(kept) {
    this.lab = kept.lab;
    this.settings.restore(kept.settings);
    this.word = kept.word;
    Object.assign(this.view, kept.view);
    this.selectedRow = kept.selectedRow;
    this.open = new Set(kept.open);
    this.history.restore(kept.history);
    this.samples = kept.samples;
    this.emit('samples');
    this.emit('settings');
    this.emit('view');
    this.emit('word');
  }
}
