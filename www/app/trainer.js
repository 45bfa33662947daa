// Training: Train runs frames until Pause. Training runs in a Web Worker when one can
// start (lib/offload.js): every animation frame takes the worker's latest report of its
// steps (`adoptReport`), then settles and draws. Where no worker runs (the single file
// opened from disk; after the worker failed; a run begun before the worker had loaded,
// until it has), each frame trains itself: one `trainFor` call (forward → backward →
// step until the frame's budget is spent), then the same.

import { TrainingLoop } from '../lib/training.js';
import { Offload, SILENCE_MS } from '../lib/offload.js';
import { errorText } from '../lib/format.js';

export class Trainer {
  /**
   * @param {import('./state.js').State} state
   * @param {import('./model.js').Model} model
   */
  constructor(state, model) {
    this.state = state;
    this.model = model;
    /** @type {Offload | null} the training worker (null until the first Train, and always from disk) */
    this.offload = null;
    this.loop = new TrainingLoop(() => this.frame(), (err) => {
      // The loop has stopped itself: what stop() does after a running loop.
      this.offload?.stop();
      this.showStopped(true);
      state.say(errorText(err), 'error');
    });
    model.stopTraining = () => this.stop();
  }

  get running() {
    return this.loop.running;
  }

  /** Train: starts a run (or, while one runs, pauses it). */
  toggle() {
    if (this.loop.running) {
      this.stop();
      return;
    }
    this.model.stopWalk(); // training runs whole steps
    this.state.training = true;
    document.body.dataset.training = 'true';
    document.body.dataset.trainer = 'page';
    this.state.emit('training', { stopped: false });
    this.startWorker();
    if (this.offload?.usable) this.handOver();
    this.loop.start();
  }

  /** Pauses training; the views show the W it stopped at. */
  stop() {
    this.model.frameBudget.paused();
    this.offload?.stop();
    const was = this.loop.stop();
    this.model.catchUp();
    this.showStopped(was);
  }

  /**
   * Training stopped: the state says so (`ran`: a run ended, so its step is announced and saved).
   * @param {boolean} ran
   */
  showStopped(ran) {
    this.state.training = false;
    delete document.body.dataset.training;
    this.state.emit('training', { stopped: ran });
  }

  /**
   * Makes the training worker at the first Train: a page that never trains never loads a
   * second instance of the module (its fetch and compile competed with the page's own work
   * at start-up). Until it has loaded, the run trains in the page, then moves into it. A
   * page opened from disk (the single file) has no origin to load a worker's script from.
   */
  startWorker() {
    if (this.offload || window.location.protocol === 'file:') return;
    this.offload = new Offload(
      () => new Worker(new URL('../worker/trainingWorker.js', import.meta.url), { type: 'module' }),
      {
        onReady: () => { document.body.dataset.worker = 'ready'; },
        onFailure: (message, midRun) => this.failed(message, midRun),
      },
    );
  }

  /** One animation frame of training. */
  frame() {
    const { offload, model, state } = this;
    if (offload?.usable && !offload.running) {
      // The worker loaded during a run the page began: it takes over from this state.
      this.handOver();
    }
    if (offload?.running) {
      this.offloadFrame(offload);
      return;
    }
    const { frameBudget, viewPacer } = model;
    frameBudget.started(performance.now());
    state.lab.trainFor(state.settings.lr, state.settings.stepsPerFrame, frameBudget.ms);
    const drawing = performance.now();
    const views = viewPacer.due();
    model.settle({ views });
    // The frame's own drawing, with the slow views' cost spread over the frames between
    // their redraws: what the next frames have left for training.
    const own = performance.now() - drawing - (views ? viewPacer.lastMs : 0) - model.savedMs;
    frameBudget.drew(Math.max(0, own) + viewPacer.spreadMs);
  }

  /**
   * A frame while the worker trains: its latest report, if one came, taken and drawn.
   * @param {Offload} offload
   */
  offloadFrame(offload) {
    if (offload.silent) {
      offload.fail(`no report for ${SILENCE_MS / 1000} s`);
      return;
    }
    const report = offload.take();
    if (!report) return;
    if (!this.state.lab.adoptReport(report)) {
      // The session changed after the run began (a setting, a Step, a reset…): the worker
      // trained a state that is gone, so it starts again from this one.
      this.handOver();
      return;
    }
    this.model.settle({ views: this.model.viewPacer.due() });
    offload.ack(this.state.settings.lr, this.state.settings.stepsPerFrame);
  }

  /** Hands the session to the worker for a run (or says why not: the page trains on). */
  handOver() {
    const { offload, state } = this;
    if (!offload) return;
    try {
      offload.start((knownData) => state.lab.handoff(knownData), state.settings.lr, state.settings.stepsPerFrame);
      document.body.dataset.trainer = 'worker';
    } catch (err) {
      const midRun = offload.running;
      offload.fail(errorText(err));
      if (!midRun) state.say(`Training runs in the page (slower): its worker could not take the run (${errorText(err)}).`, 'error');
    }
  }

  /**
   * The worker failed. Mid-run, the page trains on itself from the last steps it took, and
   * says so; before, the page simply trains itself.
   * @param {string} message
   * @param {boolean} midRun
   */
  failed(message, midRun) {
    document.body.dataset.worker = 'failed';
    if (!midRun) {
      this.state.say(`Training runs in the page (slower): its worker could not start (${message}).`, 'error');
      return;
    }
    document.body.dataset.trainer = 'page';
    this.state.say(`Training moved back into the page (slower): its worker failed (${message}).`, 'error');
  }
}
