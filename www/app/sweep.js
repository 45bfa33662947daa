// Tuning on dev (exercise E03): the counting model's smoothing swept at once, or the
// net's λ, each trained from the seed a few milliseconds a frame. The sweep's points,
// best and progress are put in `state.sweep`; the *Tuning* panel draws them.

import { bestIndex } from '../lib/series.js';
import { strengthText, errorText } from '../lib/format.js';

export class Sweep {
  /**
   * @param {import('./state.js').State} state
   * @param {import('./model.js').Model} model
   */
  constructor(state, model) {
    this.state = state;
    this.model = model;
    model.cancelSweep = (note) => this.cancel(note);
    // Another data set or split: the points shown were of other words.
    state.on('data', (detail) => {
      if (detail.newWords) this.show(null, []);
    });
  }

  /**
   * Shows `points` of a sweep of `kind`, with the best by dev.
   * @param {string | null} kind
   * @param {any[]} points
   */
  show(kind, points) {
    const { sweep } = this.state;
    sweep.kind = kind;
    sweep.points = points;
    sweep.best = bestIndex(points);
    this.state.emit('sweep');
  }

  /** The best point's strength, or NaN without one. */
  get bestValue() {
    const { sweep } = this.state;
    return sweep.best >= 0 ? sweep.points[sweep.best].value : NaN;
  }

  /**
   * Runs the sweep the person chose (`kind`: 'smoothing' or 'l2').
   * @param {string} kind
   */
  run(kind) {
    const { state, model } = this;
    const { sweep, settings, lab } = state;
    if (!lab.summary().dev_words) {
      const text = 'Tuning needs dev words: choose makemore\'s 80/10/10 split (or a held-out %) first, then sweep.';
      sweep.note = text;
      state.emit('sweep');
      state.say(text, 'error');
      return;
    }
    if (kind === 'smoothing') {
      sweep.note = 'The counting model for each k, scored on the training and dev words. The training loss always '
        + 'prefers less smoothing; the dev loss says how much helps on words not counted.';
      this.show(kind, lab.smoothingSweep());
      const best = this.bestValue;
      state.say(`Smoothing sweep: best dev loss at k = ${Number.isFinite(best) ? strengthText(best) : '–'}.`);
      return;
    }
    model.stopTraining();
    lab.startL2Sweep(settings.sweepSteps, settings.lr, settings.seed);
    sweep.running = true;
    sweep.steps = settings.sweepSteps;
    sweep.progress = 0;
    sweep.note = `Training a net from seed ${settings.seed} for ${settings.sweepSteps} steps at lr ${settings.lr} for each λ; `
      + 'your W is left as it is.';
    this.show(kind, []);
    requestAnimationFrame(() => this.guardedFrame());
  }

  guardedFrame() {
    try {
      this.frame();
    } catch (err) {
      this.end('');
      this.state.say(errorText(err), 'error');
    }
  }

  /** One animation frame of the λ sweep: what the frame budget allows, then the points so far. */
  frame() {
    const { state, model } = this;
    const { sweep } = state;
    if (!sweep.running) return;
    const progress = state.lab.advanceSweep(model.frameBudget.ms);
    const drawing = performance.now();
    if (!progress) {
      this.end('The sweep stopped: the data or context changed.');
      return;
    }
    sweep.progress = progress.total ? progress.done / progress.total : 1;
    this.show('l2', progress.points);
    model.frameBudget.drew(performance.now() - drawing);
    if (progress.finished) {
      this.end(`λ sweep done: ${progress.points.length} strengths, ${sweep.steps} steps each.`);
      state.say(`λ sweep done: best dev loss at λ = ${strengthText(this.bestValue)}.`);
      return;
    }
    requestAnimationFrame(() => this.guardedFrame());
  }

  /**
   * @param {string} note
   */
  end(note) {
    const { sweep } = this.state;
    sweep.running = false;
    sweep.progress = null;
    if (note) sweep.note = note;
    this.state.emit('sweep');
  }

  /** Stops a λ sweep under way (nothing happens without one). */
  cancel(note = 'Sweep cancelled.') {
    if (!this.state.sweep.running) return;
    this.state.lab.cancelSweep();
    this.end(note);
  }

  /** Use the best: the best strength by dev becomes the smoothing k or λ. */
  useBest() {
    const { state, model } = this;
    const value = this.bestValue;
    if (!Number.isFinite(value)) return;
    if (state.sweep.kind === 'smoothing') {
      model.setSmoothing(value);
      state.say(`Smoothing k = ${strengthText(value)}, the best by dev: the heatmap's counting model and the chart's floor use it.`);
      return;
    }
    const error = state.settings.update('l2', String(value));
    if (error) {
      state.say(error, 'error');
      return;
    }
    state.emit('settings');
    model.settingChanged('l2');
    state.say(`λ = ${strengthText(value)}, the best by dev. Reset and train to reach it from the seed.`);
  }
}
