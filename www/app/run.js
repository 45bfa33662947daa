// What changes W goes through here: a step, a reset, a resample, the walk through the
// loop; and what follows any change (the session settled, its answer put in the state,
// the probe's report read, the change said). The settings that change the model are
// app/model.js's. Nothing here touches the page's elements.

import { normaliseWord } from '../lib/settings.js';
import { FrameBudget, ViewPacer } from '../lib/training.js';
import { count, fixed, isolate, lossText, plural } from '../lib/format.js';

export class Run {
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
      state.say(`The loss became ${lossText(rewound.loss)} at step ${rewound.atStep}: a learning rate of ${this.settings.lr} is too large here. `
        + `Training paused and W went back to step ${rewound.toStep}, where the loss is ${lossText(status.loss)}. `
        + 'Lower the learning rate to go on, or press Reset for a new W from the seed.', 'error');
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
    const n = count;
    const held = s.test_words ? ` (${n(s.dev_words)} dev, ${n(s.test_words)} test: makemore's 80/10/10)`
      : s.dev_words ? ` (${n(s.dev_words)} held out)` : '';
    const len = this.lab.contextLength;
    const context = len > 1 ? ` for a context of ${len} characters` : '';
    state.summaryText = `${isolate(state.dataName)}: ${plural(s.words, 'word')}${held} · ${plural(s.bigrams, 'bigram')} · ${plural(s.examples, 'training example')}${context} `
      + `· vocabulary of ${state.vocab.length}: ${isolate(s.vocab)}`;
    state.emit('data', { newWords });
    if (newWords) {
      state.samples = []; // names drawn from another word list's net are not this one's
      state.emit('samples');
    }
  }

  /**
   * The counting model's smoothing k (the heatmap's counting model and the floor).
   * @param {number} k
   */
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

  /**
   * Runs `settle`, keeping `before` as the report the probe's Δ columns compare with.
   * @param {any} before
   * @param {() => void} settle
   */
  stepped(before, settle) {
    this.state.stepBase = before;
    this.stepping = true;
    try {
      settle();
    } finally {
      this.stepping = false;
    }
  }

  /** Names drawn from the net the lecture's way (a fresh generator from the seed). */
  sample() {
    this.state.samples = this.lab.sample(this.settings.sampleCount, this.settings.seed);
    this.state.emit('samples');
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
    const wordBefore = state.report?.mean_nll ?? null;
    const next = this.lab.resampleNext(this.settings.seed);
    this.settings.update('seed', next);
    state.emit('settings');
    state.history.mark(this.lab.steps);
    const after = this.settle({ force: true }).loss;
    const wordAfter = state.report?.mean_nll ?? null;
    const word = wordBefore !== null && wordAfter !== null
      ? ` (the probe's word: ${fixed(wordBefore)} → ${fixed(wordAfter)})` : '';
    state.say(`Resampled W from seed ${next}: the loss went from ${fixed(before)} to ${fixed(after)}${word}. `
      + 'Guessing W at random rarely helps; the gradient says which way to move every weight.');
  }

  // ---- Walk the loop: each Step press one phase ----

  /**
   * Turns *Walk the loop* on or off (off leaves W as the walk left it).
   * @param {boolean} on
   */
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
}
