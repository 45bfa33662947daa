// The guided tour runs on a copy of the session (`Lab.copy`): the person's own lab,
// settings, chart, word and view are set aside with one snapshot of the state and come
// back whole on leaving. Each stop sets the page up as lib/tour.js says, and quotes
// numbers taken from the state once it is set up.

import { DEFAULTS } from '../lib/settings.js';
import { STOPS, Tour } from '../lib/tour.js';

export class Guide {
  /**
   * @param {import('./state.js').State} state
   * @param {import('./model.js').Model} model
   * @param {import('./persist.js').Persist} persist
   * @param {import('./sweep.js').Sweep} sweep
   */
  constructor(state, model, persist, sweep) {
    this.state = state;
    this.model = model;
    this.persist = persist;
    this.sweep = sweep;
    this.tour = new Tour();
    /** @type {ReturnType<import('./state.js').State['snapshot']> | null} what the person had */
    this.kept = null;
  }

  get active() {
    return this.tour.active;
  }

  /** Starts the tour at `stop` (from 1), or moves an open tour there. */
  start(stop = 1) {
    const { state, model } = this;
    if (!this.tour.active) {
      model.stopTraining();
      model.stopWalk();
      this.sweep.cancel('');
      this.kept = state.snapshot();
      state.tourDropped = [];
      state.lab = state.lab.copy();
      state.touring = true;
      state.emit('mode');
    }
    this.tour.go(stop);
    this.show();
  }

  /**
   * The settings a stop asks for: the defaults (the lecture's run) under its own.
   * @param {any} setup
   */
  stopSettings(setup) {
    const { trainOn = 'all', lr = DEFAULTS.lr, l2 = DEFAULTS.l2 } = setup;
    const { settings } = this.state;
    return { ...DEFAULTS, stepsPerFrame: settings.stepsPerFrame, sampleCount: settings.sampleCount, trainOn, lr, l2 };
  }

  /** Sets the page up as the current stop asks, then shows the stop's words. */
  show() {
    const { state, model } = this;
    model.stopTraining();
    const stop = STOPS[this.tour.stop - 1];
    const { setup } = stop;
    const { settings } = state;
    if (setup.word !== undefined) state.word = setup.word;
    const seeded = setup.weights === 'seed'
      || (setup.trainTo && (state.lab.trainOn !== undefined || state.lab.contextLength !== 1 || settings.lr !== DEFAULTS.lr));
    if (seeded) {
      settings.restore(this.stopSettings(setup));
      state.emit('settings');
      model.applySettings();
      state.lab.reset(settings.seed);
      model.dataChanged();
      state.history.clear();
    }
    if (setup.trainTo && state.lab.steps < setup.trainTo) {
      // Step by step, so that the chart shows the fall and not one jump.
      while (state.lab.steps < setup.trainTo) {
        state.lab.trainFor(settings.lr, 1, 1e9);
        const s = state.lab.settle();
        state.history.append(s.steps, s.loss, s.devLoss);
      }
    }
    if (setup.example !== undefined) state.selectedRow = setup.example;
    if (setup.heatmap) state.view.mode = setup.heatmap;
    if (setup.open) state.open.add(setup.open);
    state.emit('view');
    model.settle({ force: true });
    let before = null;
    if (setup.step) {
      before = state.status.loss;
      const report = state.report;
      state.lab.trainFor(settings.lr, setup.step, 1e9);
      model.stepped(report, () => model.settle({ force: true }));
    }
    if (setup.sample) model.sample(); // the stop speaks of names it drew
    state.stop = {
      stop: this.tour.stop,
      steps: this.tour.steps,
      progress: this.tour.progress,
      title: stop.title,
      paragraphs: stop.text(this.values(before)),
      look: stop.look,
      see: stop.see,
      try: stop.try,
      panel: setup.panel,
      control: setup.control,
      backward: setup.backward,
    };
    state.emit('mode');
  }

  /**
   * What the stops quote, from the state as it is now.
   * @param {number | null} before
   */
  values(before) {
    const { state, model } = this;
    const { report, vocab, lab } = state;
    const rows = report?.rows ?? [];
    const examples = rows.map((/** @type {any} */ r) => {
      const chars = [...(r.example ?? r.bigram ?? '')];
      const x = chars.slice(0, -1).join('');
      const y = chars.at(-1) ?? '';
      return { x, y, xi: vocab.indexOf(x), yi: vocab.indexOf(y) };
    });
    const picked = rows[Math.max(0, Math.min(state.selectedRow, rows.length - 1))];
    let trace = null;
    if (picked && picked.input !== null && picked.label !== null) {
      try {
        trace = lab.example(picked.input, picked.label);
      } catch {
        trace = null; // no path through the net: the stop says '–'
      }
    }
    return {
      words: state.summary.words,
      dataName: state.dataName,
      vocab: vocab.length,
      word: model.probeWord(),
      lr: state.settings.lr,
      steps: lab.steps,
      examples,
      p: trace?.p ?? NaN,
      nll: trace?.nll ?? NaN,
      wordLoss: report?.mean_nll ?? NaN,
      loss: state.status.loss,
      floor: state.floor,
      before,
    };
  }

  /** Next, or leaving after the last stop. */
  next() {
    if (this.tour.next()) this.show();
    else this.leave();
  }

  prev() {
    if (this.tour.prev()) this.show();
  }

  /**
   * Leaves the tour: the person's own session comes back as it was.
   * @returns {boolean} whether a tour was left
   */
  leave() {
    const { state, model } = this;
    if (!this.tour.active || !this.kept) return false;
    model.stopTraining();
    model.stopWalk();
    this.tour.close();
    const kept = this.kept;
    this.kept = null;
    state.lab.free();
    state.touring = false;
    state.stop = null;
    state.restore(kept);
    model.dataChanged();
    model.settle({ force: true });
    state.emit('mode');
    const dropped = state.tourDropped.splice(0);
    const note = dropped.length
      ? ` What you loaded during the tour worked on the tour's copy and is not kept: ${dropped.join(', ')}; load it again to keep it.`
      : '';
    state.say(`Tour closed: your own model (step ${state.lab.steps}) and settings are back as you left them.${note}`);
    return true;
  }
}
