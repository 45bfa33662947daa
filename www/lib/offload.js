// Training off the page's thread: a Web Worker with its own instance of the module trains
// a copy of the session (`Lab.handoff`) and reports its steps (`Lab.adoptReport`), so the
// page's frames only draw. `Offload` is the page's side, `WorkerLoop` the worker's
// (`trainingWorker.js` runs it). Neither knows the page or the module: they are handed
// what they call, so that tests can drive both.
//
// The protocol, one run at a time (each `start` makes a new run; messages of an older
// run are dropped):
//   page → worker  {kind: 'start', run, handoff, lr, stepsPerFrame}  (the handoff leaves
//                  out the words when the worker has them from its last run)
//                  {kind: 'ack', run, lr, stepsPerFrame}  the last report was drawn
//                  {kind: 'stop'}
//   worker → page  {kind: 'ready'}  the module is loaded
//                  {kind: 'report', run, bytes}  at most one per ack
//                  {kind: 'error', run, message}
// Between two acks (two drawn frames) the worker takes at most `stepsPerFrame` steps:
// the setting means what it means when the page trains itself.

/**
 * What `Lab.handoff` gives: opaque here but for the number of the data set whose words
 * it carries (or leaves out).
 * @typedef {{dataId: number}} Handoff
 */

/**
 * A message from the page to the worker.
 * @typedef {{kind: 'start', run: number, handoff: Handoff, lr: number, stepsPerFrame: number}
 *   | {kind: 'ack', run: number, lr: number, stepsPerFrame: number}
 *   | {kind: 'stop'}} PageMessage
 */

/**
 * A message from the worker to the page.
 * @typedef {{kind: 'ready'}
 *   | {kind: 'report', run: number, bytes: Uint8Array}
 *   | {kind: 'error', run: number, message: string}} WorkerMessage
 */

/**
 * What the worker loop needs of a run's trainer (the module's `TrainingWorker`).
 * @typedef {object} Trainer
 * @property {(lr: number, maxSteps: number, budgetMs: number) => number} trainFor
 *   trains; returns the steps taken
 * @property {number} unreported steps taken since the last report
 * @property {() => Uint8Array|undefined} report the steps since the last report
 * @property {() => void} [free] releases its wasm memory
 */

/** How long the worker trains before it looks at its messages (ms). */
export const SLICE_MS = 4;

/**
 * How long a run may go without a report before the worker is taken for dead (ms): far
 * beyond a rebuild of millions of words, and a browser that stops a worker without an
 * error event would otherwise leave training paused with the button saying Pause.
 */
export const SILENCE_MS = 10_000;

/**
 * The page's side: starts and stops runs in the worker and keeps the latest report of
 * the current run until the frame takes it.
 */
export class Offload {
  /**
   * @param {() => Worker} makeWorker makes the worker (throws, or reports an error, where
   *   workers cannot run: the page then trains itself)
   * @param {{onReady?: () => void, onFailure?: (message: string, midRun: boolean) => void,
   *   now?: () => number}} hooks the worker has loaded the module; the worker failed,
   *   during a run or not (a run is over; the page trains itself from then on); the clock
   */
  constructor(makeWorker, { onReady = () => {}, onFailure = () => {}, now = () => performance.now() } = {}) {
    this.onReady = onReady;
    this.onFailure = onFailure;
    this.now = now;
    /** When the current run last heard from the page (a start or an ack), or a report came. */
    this.heard = 0;
    /** True once the worker has loaded the module. */
    this.ready = false;
    /** @type {string|null} Why the worker is not used, once it failed. */
    this.failed = null;
    /** The current run's number; 0 while none runs. */
    this.run = 0;
    this.lastRun = 0;
    /** @type {Uint8Array|null} The current run's latest report, not yet taken. */
    this.pending = null;
    /** @type {number|undefined} The number of the data set whose words the worker has (`handoff.dataId`). */
    this.dataId = undefined;
    try {
      /** @type {Worker} (unset only after a failure, when no run goes to the worker) */
      this.worker = makeWorker();
    } catch (err) {
      this.fail(`no worker: ${errorMessage(err)}`);
      return;
    }
    this.worker.onmessage = (e) => this.received(e.data);
    this.worker.onerror = (e) => this.fail(e.message || 'the worker could not start');
  }

  /** Whether a run can go to the worker now. */
  get usable() {
    return this.ready && !this.failed;
  }

  /** Whether a run is under way in the worker. */
  get running() {
    return this.run !== 0;
  }

  /**
   * Starts a run (a new one if one was under way) from the handoff that `makeHandoff`
   * gives, told the number of the data set the worker has the words of.
   * @param {(knownData: number|undefined) => Handoff} makeHandoff
   * @param {number} lr
   * @param {number} stepsPerFrame
   */
  start(makeHandoff, lr, stepsPerFrame) {
    const handoff = makeHandoff(this.dataId);
    this.dataId = handoff.dataId;
    this.lastRun += 1;
    this.run = this.lastRun;
    this.pending = null;
    this.heard = this.now();
    this.post({ kind: 'start', run: this.run, handoff, lr, stepsPerFrame });
  }

  /**
   * The current run's report that arrived since the last call, or null.
   * @returns {Uint8Array|null}
   */
  take() {
    const report = this.pending;
    this.pending = null;
    return report;
  }

  /**
   * The report taken was drawn: the worker may send the next, with these settings.
   * @param {number} lr
   * @param {number} stepsPerFrame
   */
  ack(lr, stepsPerFrame) {
    if (!this.running) return;
    this.heard = this.now();
    this.post({ kind: 'ack', run: this.run, lr, stepsPerFrame });
  }

  /** Whether the run has waited more than `SILENCE_MS` for a report. */
  get silent() {
    return this.running && this.pending === null && this.now() - this.heard > SILENCE_MS;
  }

  /** Ends the run; its reports still on the way are dropped. */
  stop() {
    if (!this.running) return;
    this.run = 0;
    this.pending = null;
    this.post({ kind: 'stop' });
  }

  /** @param {PageMessage} msg */
  post(msg) {
    this.worker.postMessage(msg);
  }

  /**
   * One message from the worker.
   * @param {WorkerMessage} msg
   */
  received(msg) {
    // A worker that failed a run, even one already replaced, has dropped its words.
    if (msg.kind === 'error') this.dataId = undefined;
    if (msg.kind === 'ready') {
      this.ready = true;
      this.onReady();
    }
    else if (msg.kind === 'error' && msg.run === 0) this.fail(msg.message); // no module
    else if (!this.running || msg.run !== this.run) return; // an older run's
    else if (msg.kind === 'report') {
      this.pending = msg.bytes;
      this.heard = this.now();
    }
    else if (msg.kind === 'error') this.fail(msg.message);
  }

  /**
   * Gives the worker up: a run under way is over, and the page trains itself from now on.
   * @param {string} message why
   */
  fail(message) {
    if (this.failed) return;
    this.failed = message;
    const wasRunning = this.running;
    this.run = 0;
    this.pending = null;
    this.worker?.terminate();
    this.onFailure(message, wasRunning);
  }
}

/**
 * The worker's side: trains the current run in slices of `SLICE_MS`, looking at its
 * messages in between, and reports when the page has drawn the last report.
 * @template {Trainer} [T=Trainer] the trainer's type
 */
export class WorkerLoop {
  /**
   * @param {{begin: (handoff: Handoff, previous: T|null) => T,
   *   post: (msg: WorkerMessage, transfer?: Transferable[]) => void,
   *   schedule: (f: () => void) => void}} io
   *   makes a run's trainer (`TrainingWorker`, given the last run's, which it uses up, for
   *   its words), posts to the page, and runs `f` once the pending messages are handled
   */
  constructor(io) {
    this.io = io;
    /** @type {T|null} The current run's trainer; after a stop, the last run's, kept for its words. */
    this.trainer = null;
    /** Whether the current run trains (false after a stop). */
    this.active = false;
    this.run = 0;
    this.scheduled = false;
    /** Whether the page has drawn the last report (the next may go). */
    this.mayReport = false;
    this.lr = 0;
    this.stepsPerFrame = 0;
    /** Steps left before the page draws again. */
    this.credit = 0;
  }

  /**
   * One message from the page.
   * @param {PageMessage} msg
   */
  received(msg) {
    if (msg.kind === 'start') {
      this.run = msg.run;
      const previous = this.trainer;
      this.trainer = null;
      try {
        this.trainer = this.io.begin(msg.handoff, previous);
      } catch (err) {
        this.failed(err);
        return;
      }
      this.active = true;
      this.settings(msg);
      this.mayReport = true;
      this.kick();
    } else if (msg.kind === 'ack' && msg.run === this.run && this.active) {
      this.settings(msg);
      this.mayReport = true;
      this.kick();
    } else if (msg.kind === 'stop') {
      this.active = false;
    }
  }

  /** @param {{lr: number, stepsPerFrame: number}} settings */
  settings({ lr, stepsPerFrame }) {
    this.lr = lr;
    this.stepsPerFrame = stepsPerFrame;
    this.credit = stepsPerFrame;
  }

  kick() {
    if (this.scheduled) return;
    this.scheduled = true;
    this.io.schedule(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  /** One slice: train (while the frame's steps last), report if the page may take one. */
  slice() {
    const trainer = this.trainer;
    if (!this.active || !trainer) return;
    try {
      if (this.credit > 0) this.credit -= trainer.trainFor(this.lr, this.credit, SLICE_MS);
      // With steps unreported there is a report.
      const bytes = this.mayReport && trainer.unreported > 0 ? trainer.report() : undefined;
      if (bytes) {
        this.mayReport = false;
        this.io.post({ kind: 'report', run: this.run, bytes }, [bytes.buffer]);
      }
    } catch (err) {
      this.failed(err);
      return;
    }
    // Out of steps: the next ack brings more (and the report). Otherwise train on.
    if (this.credit > 0) this.kick();
  }

  /** @param {unknown} err what a trainer threw */
  failed(err) {
    this.io.post({ kind: 'error', run: this.run, message: errorMessage(err) });
    this.active = false;
    this.trainer?.free?.();
    this.trainer = null;
  }
}

/**
 * The message of what was thrown (an `Error`'s, or the thing as text).
 * @param {unknown} err
 * @returns {string}
 */
function errorMessage(err) {
  const message = err instanceof Object && 'message' in err ? err.message : undefined;
  return message == null ? String(err) : String(message);
}
