// Every change to the model goes through here: a step, a reset, a resample, a setting
// the session uses (λ, batch size, context, split, Train on), the walk through the loop.
// Each asks the lab (whose session holds every rule), settles it, puts the answer in the
// state and says what changed. Nothing here touches the page's elements.

import { DEFAULTS, effectiveEncoding, modelName, normaliseWord } from '../lib/settings.js';
import { FrameBudget, ViewPacer } from '../lib/training.js';
import { fixed } from '../lib/format.js';

export class Model {
  /** @param {import('./state.js').State} state */
  constructor(state) {
    this.state = state;
    /** Training time per animation frame, shared by training and the λ sweep. */
    this.frameBudget = new FrameBudget();
    /** Which training frames also redraw the word table, explorer and heatmap. */
    this.viewPacer = new ViewPacer();
    /** True while a Step press settles: the Δ columns are kept; any other change clears them. */
    this.stepping = false;
    /** What saving took in the last settle (ms): not drawing, for the frame budget. */
    this.savedMs = 0;
    /** Whether the last settle left the slow views showing an older W. */
    this.viewsStale = false;
    /** Stops training (the trainer connects it): a divergence pauses a run. */
    this.stopTraining = () => {};
    /** Stops a sweep under way (the sweep connects it): a new context ends it. */
    this.cancelSweep = (/** @type {string} */ _note) => {};
  }

  get lab() {
    return this.state.lab;
  }

  get settings() {
    return this.state.settings;
  }

  /**
   * After W changed (a step, a reset, a resample, an import, a λ or split change): the
   * session's answer stored, charted and drawn. A divergence the session rewound pauses
   * training and says why. `views`: whether the slow views redraw too; `force`: whether
   * what is throttled while training (saving, announcing, the program) happens now.
   * @returns {any} the session's status
   */
  settle({ force = false, views = true } = {}) {
    const { state } = this;
    if (!this.stepping) {
      state.stepBase = null; // the Δ columns compare with before a Step press only
      this.restartWalk(); // settle's forward pass discards a walk's gradient: walk from forward again
    }
    const status = this.lab.settle();
    state.status = status;
    const { rewound } = status;
    if (rewound) {
      this.stopTraining();
      state.say(`The loss became ${rewound.loss} at step ${rewound.atStep}: a learning rate of ${this.settings.lr} is too large here. `
        + `Training paused and W went back to step ${rewound.toStep}, its last finite state. Lower the learning rate to go on.`, 'error');
    }
    state.history.append(status.steps, status.loss, status.devLoss);
    this.viewsStale = !views;
    if (views) this.readReport();
    const detail = { views, force, savedMs: 0 };
    const drawing = performance.now();
    state.emit('w', detail);
    // What the views took, less a save that happened in the same event (saves are not drawing).
    if (views) this.viewPacer.drew(performance.now() - drawing - detail.savedMs);
    this.savedMs = detail.savedMs;
    return status;
  }

  /** The views show the W training stopped at (the last frames drew only the readouts). */
  catchUp() {
    if (!this.viewsStale) return;
    this.viewsStale = false;
    this.redraw();
  }

  /** The probe's word report for the W as it is now. */
  readReport() {
    const { word, note } = normaliseWord(this.state.word, this.lab.vocabIsLowercase);
    this.state.report = this.lab.wordReport(word);
    this.state.wordNote = note;
  }

  /** The slow views drawn again for a W that did not change (or a gradient that did). */
  redraw() {
    if (!this.lab) return; // nothing drawn yet: the first drawing reads the palette
    this.readReport();
    this.state.emit('redraw');
  }

  /** A new run: the chart starts again. */
  restart() {
    this.state.history.clear();
    this.settle({ force: true });
  }

  /**
   * The data set's summary, its vocabulary and the counting floor, after any of them
   * changed. `newWords`: another word list was loaded (its samples are of the old one).
   */
  dataChanged({ newWords = false } = {}) {
    const { state } = this;
    const s = this.lab.summary();
    state.summary = s;
    state.vocab = [...s.vocab];
    state.floor = this.lab.countLoss(state.view.k);
    const n = (x) => x.toLocaleString('en-US');
    const held = s.test_words ? ` (${n(s.dev_words)} dev, ${n(s.test_words)} test: makemore's 80/10/10)`
      : s.dev_words ? ` (${n(s.dev_words)} held out)` : '';
    const len = this.lab.contextLength;
    const context = len > 1 ? ` for a context of ${len} characters` : '';
    state.summaryText = `${n(s.words)} words${held} · ${n(s.bigrams)} bigrams · ${n(s.examples)} training examples${context} `
      + `· vocabulary of ${state.vocab.length}: ${s.vocab}`;
    state.emit('data', { newWords });
  }

  /** The counting model's smoothing k (the heatmap's counting model and the floor). */
  setSmoothing(k) {
    this.state.view.k = k;
    this.state.floor = this.lab.countLoss(k);
    this.state.emit('view');
    this.state.emit('data');
  }

  /** One Step press: one forward, backward and step (or, walking the loop, one phase). */
  step() {
    if (this.state.walking) {
      this.walkStep();
      return;
    }
    const before = this.state.report;
    this.lab.trainFor(this.settings.lr, 1, this.frameBudget.ms);
    this.stepped(before, () => this.settle());
  }

  /** Runs `settle`, keeping `before` as the report the probe's Δ columns compare with. */
  stepped(before, settle) {
    this.state.stepBase = before;
    this.stepping = true;
    try {
      settle();
    } finally {
      this.stepping = false;
    }
  }

  /** Reset: a new W from the seed (a split is shuffled again with the seed: its floor changes). */
  reset() {
    this.lab.reset(this.settings.seed);
    this.stopTraining();
    this.dataChanged();
    this.restart();
    this.state.say(`New W from seed ${this.settings.seed}.`);
  }

  /** Guess and check: a new random W from the next seed; the chart marks the jump. */
  resample() {
    const { state } = this;
    const before = state.status.loss;
    const next = this.lab.resampleNext(this.settings.seed);
    this.settings.update('seed', next);
    state.emit('settings');
    state.history.mark(this.lab.steps);
    const after = this.settle({ force: true }).loss;
    state.say(`Resampled W from seed ${next}: the loss went from ${fixed(before)} to ${fixed(after)}. `
      + 'Guessing W at random rarely helps; the gradient says which way to move every weight.');
  }

  // ---- Walk the loop: each Step press one phase ----

  /** Turns *Walk the loop* on or off (off leaves W as the walk left it). */
  setWalk(on) {
    const { state } = this;
    if (on) this.stopTraining();
    state.walking = on;
    state.walkPhase = null;
    this.lab.setWalk(on);
    state.emit('walk', { loss: null });
    if (on) state.say('Walking the loop: each Step press does one phase — forward, zero_grad, backward, update.');
    else this.redraw();
  }

  /** A walk starts again from forward (after W was replaced), if the walk is on. */
  restartWalk() {
    if (!this.state.walking) return;
    this.lab.setWalk(true);
    this.state.walkPhase = null;
    this.state.emit('walk', { loss: null });
  }

  /** Turns the walk off if it is on (training and a new context run whole steps). */
  stopWalk() {
    if (!this.state.walking) return;
    this.state.walking = false;
    this.lab.setWalk(false);
    this.state.walkPhase = null;
    this.state.emit('walk', { loss: null });
  }

  /** One Step press while walking the loop: the next phase, and what it changed drawn. */
  walkStep() {
    const before = this.state.report;
    const { phase, loss } = this.lab.walkNext(this.settings.lr);
    this.state.walkPhase = phase;
    this.state.emit('walk', { loss });
    if (phase === 'update') {
      this.stepped(before, () => this.settle());
    } else {
      // W has not moved: no settle (it would run a forward pass over the whole data and
      // the walk's gradient would no longer be the one the update uses).
      this.redraw();
    }
  }

  // ---- The settings the session uses ----

  /** The probe's word as the model takes it: what *Train on: word* trains on. */
  probeWord() {
    return normaliseWord(this.state.word, this.lab.vocabIsLowercase).word;
  }

  /**
   * Hands the *Train on* choice to the Lab: all the training words, or the probe's word
   * alone. A word the library refuses is explained and training goes back to all.
   * @returns {{changed: boolean, refused: boolean}} whether the training data changed
   */
  applyTrainOn() {
    const { lab, settings, state } = this;
    const want = settings.trainOn === 'word' ? this.probeWord() : undefined;
    if (lab.trainOn === want) return { changed: false, refused: false };
    try {
      lab.setTrainOn(want);
      return { changed: true, refused: false };
    } catch (err) {
      settings.update('trainOn', 'all');
      state.emit('settings');
      const changed = lab.trainOn !== undefined;
      if (changed) lab.setTrainOn(undefined);
      state.say(`Train on the word: ${err.message}. Training on all the words instead.`, 'error');
      return { changed, refused: true };
    }
  }

  /** After the training data changed: its floor, loss and chart point. */
  trainingDataChanged() {
    this.state.floor = this.lab.countLoss(this.state.view.k);
    this.state.emit('data');
    this.settle({ force: true }); // the same W, another loss: the chart's last point is replaced
  }

  /** *Train on* changed. */
  changeTrainOn(value) {
    this.settings.update('trainOn', value);
    const { changed, refused } = this.applyTrainOn();
    if (changed) this.trainingDataChanged();
    if (!refused) {
      this.state.say(this.lab.trainOn === undefined ? 'Training on all the words.'
        : `Training on “${this.lab.trainOn}” alone, as the lecture's first run: the loss shown and charted is that word's.`);
    }
  }

  /** The probe's word changed: the word table follows, and so does *Train on: word*. */
  wordChanged() {
    this.state.stepBase = null; // another word: no Δ to show
    this.readReport();
    this.state.emit('word', { typed: true });
    if (this.settings.trainOn === 'word') {
      const { changed } = this.applyTrainOn(); // a refusal says why and goes back to all
      if (changed) this.trainingDataChanged();
    }
  }

  /** λ changed: the same W, another loss (the chart's last point is replaced). */
  l2Changed() {
    this.lab.l2 = this.settings.l2;
    this.settle({ force: true });
  }

  /** The batch size changed: steps from now on use it. */
  batchSizeChanged() {
    this.lab.batchSize = this.settings.batchSize;
    this.redraw(); // the explorer's note on minibatches
  }

  /** Hands every setting the model uses to the Lab (after a restore or Forget). */
  applySettings() {
    const { lab, settings, state } = this;
    lab.l2 = settings.l2;
    lab.batchSize = settings.batchSize;
    try {
      this.applyContext();
    } catch (err) {
      settings.update('context', String(lab.contextLength));
      settings.update('encoding', lab.encoding);
      state.emit('settings');
      state.say(`Context: ${err.message}. Keeping ${modelName(lab.contextLength)}.`, 'error');
    }
    try {
      this.applySplit();
    } catch (err) {
      settings.update('splitKind', 'none');
      state.emit('settings');
      state.say(`Split: ${err.message}.`, 'error');
    }
    if (this.applyTrainOn().changed) {
      state.floor = lab.countLoss(state.view.k);
      state.emit('data');
    }
  }

  /**
   * Hands the context setting to the Lab when it differs: a new W of the context's shape
   * from the seed (it throws, changing nothing, if the net would not fit).
   * @returns {boolean} whether W was replaced
   */
  applyContext() {
    const len = Number(this.settings.context);
    const encoding = effectiveEncoding(this.settings);
    if (this.lab.contextLength === len && this.lab.encoding === encoding) return false;
    this.lab.setContext(len, encoding, this.settings.seed);
    return true;
  }

  /** Hands the split settings to the Lab: makemore's 80/10/10, or the held-out % (or none). */
  applySplit() {
    const { lab, settings } = this;
    if (settings.splitKind === '80-10-10') {
      if (settings.devPercent !== 0) settings.update('devPercent', '0');
      if (lab.makemoreSplitSeed !== settings.splitSeed) lab.setMakemoreSplit(settings.splitSeed);
      return;
    }
    if (lab.makemoreSplitSeed !== undefined) lab.setMakemoreSplit(undefined);
    // Reshuffle only for a new share: a split made with another seed stays as trained.
    if (lab.splitPercent !== settings.devPercent) lab.setSplit(settings.devPercent, settings.seed);
  }

  /**
   * The context or the encoding changed: a new W of the context's shape.
   * @param {'context' | 'encoding'} key
   * @param {string} value
   * @param {() => string | null} keptNote why this tab's W is not kept, if it is not
   */
  changeContext(key, value, keptNote) {
    const { lab, settings, state } = this;
    const before = { len: lab.contextLength, encoding: lab.encoding, floor: lab.countLoss(state.view.k) };
    const error = settings.update(key, value);
    if (error) {
      state.say(error, 'error');
      state.emit('settings');
      return;
    }
    this.stopTraining();
    this.stopWalk();
    try {
      if (!this.applyContext()) {
        state.emit('settings');
        return;
      }
    } catch (err) {
      settings.update('context', String(before.len));
      settings.update('encoding', before.encoding);
      state.emit('settings');
      state.say(`${err.message}. The context stays ${modelName(before.len)}.`, 'error');
      return;
    }
    this.cancelSweep('The context changed: the sweep stopped.');
    const after = lab.countLoss(state.view.k); // before the redraw: it may grow wasm memory
    state.emit('settings');
    this.dataChanged();
    this.restart();
    const v = state.vocab.length;
    const len = lab.contextLength;
    const shape = lab.encoding === 'concat' ? `${len * v}×${v} (one one-hot per character, side by side)`
      : `${v ** len}×${v} (one one-hot over the ${v ** len} contexts)`;
    const what = len === before.len
      ? `${modelName(len)}, another encoding: the counting floor stays ${after.toFixed(3)}`
      : `${modelName(len)}: counting floor ${after.toFixed(3)} vs ${modelName(before.len)} ${before.floor.toFixed(3)}`;
    // A W too large to keep was refused while restarting: say it here too, not only before.
    const kept = keptNote();
    state.say(`${what}. New W of ${shape} from seed ${settings.seed}.${kept ? ` ${kept}` : ''}`, kept ? 'error' : 'info');
  }

  /** The split select changed: makemore's 80/10/10 (the held-out % goes to 0), or none. */
  changeSplitKind(value) {
    const { lab, settings, state } = this;
    settings.update('splitKind', value);
    if (settings.splitKind === '80-10-10') settings.update('devPercent', '0');
    try {
      this.applySplit();
    } catch (err) {
      settings.update('splitKind', 'none');
      this.applySplit();
      state.say(`makemore's split: ${err.message}. No split.`, 'error');
    }
    state.emit('settings');
    this.dataChanged();
    this.settle({ force: true });
    const s = lab.summary();
    if (settings.splitKind === '80-10-10') {
      state.say(`makemore's split with seed ${lab.makemoreSplitSeed}: ${s.words - s.dev_words - s.test_words} training words, `
        + `${s.dev_words} dev, ${s.test_words} test. The chart shows train and dev.`);
    }
  }

  /** The held-out % changed: it replaces makemore's split (0 under makemore's split changes nothing). */
  devPercentChanged() {
    if (this.settings.devPercent > 0 && this.settings.splitKind !== 'none') {
      this.settings.update('splitKind', 'none');
      this.state.emit('settings');
    }
    this.applySplit();
    this.dataChanged();
    this.settle({ force: true });
  }

  /**
   * The split seed was typed: makemore's split is made again with it (if chosen).
   * @returns {boolean} whether the seed was refused
   */
  splitSeedChanged(text) {
    const { lab, settings, state } = this;
    settings.update('splitSeed', text);
    if (settings.splitKind !== '80-10-10') return false;
    try {
      this.applySplit();
    } catch (err) {
      state.say(`Split seed: ${err.message}. Keeping seed ${lab.makemoreSplitSeed}.`, 'error');
      settings.update('splitSeed', lab.makemoreSplitSeed ?? DEFAULTS.splitSeed);
      return true;
    }
    this.dataChanged();
    this.settle({ force: true });
    return false;
  }

  /** The Lab's context and split as settings: what a restored or imported model carries. */
  labLayer() {
    const { lab } = this;
    const seed = lab.makemoreSplitSeed;
    /** @type {Record<string, string | number>} */
    const layer = {
      devPercent: lab.splitPercent,
      context: String(lab.contextLength),
      splitKind: seed === undefined ? 'none' : '80-10-10',
    };
    // A bigram's encoding is the one-hot over contexts whatever the view chose.
    if (lab.contextLength > 1) layer.encoding = lab.encoding;
    if (seed !== undefined) layer.splitSeed = seed;
    return layer;
  }

  /**
   * Takes an exported model file: the session checks and takes the model whole (or
   * refuses it, changing nothing); then the file's settings that parse, with the model's
   * own λ and split, which its weights were trained with. Nothing after the import can
   * fail: the settings were checked against the same rules the session uses.
   * @returns {string[]} settings of the file that were not taken
   */
  adopt(file) {
    const { lab, settings, state } = this;
    const model = file.model ?? file;
    lab.importModel(model);
    // The model's own Train on wins: its word becomes the probe's.
    const trainOn = lab.trainOn === undefined ? 'all' : 'word';
    const refused = settings.restore({ ...file.settings, ...this.labLayer(), l2: model.l2, trainOn });
    if (lab.trainOn !== undefined) state.word = lab.trainOn;
    lab.batchSize = settings.batchSize;
    state.emit('settings');
    this.readReport();
    state.emit('word');
    this.dataChanged(); // the model's split: held-out words and floor
    return refused;
  }
}
