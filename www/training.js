// The training loop's timing: while it runs, one call of `frame` per animation frame,
// never two loops at once, and a stop that cancels the pending frame. What a frame
// does (the steps, the drawing) is handed in by the wiring.

export class TrainingLoop {
  /**
   * @param {() => void} frame one frame's work; if it throws, the loop stops and
   *   `onError` gets the error
   * @param {(err: Error) => void} onError
   * @param {{request: Function, cancel: Function}} clock requestAnimationFrame and
   *   cancelAnimationFrame (given, so that tests can drive the frames)
   */
  constructor(frame, onError, clock = { request: (f) => requestAnimationFrame(f), cancel: (id) => cancelAnimationFrame(id) }) {
    this.frame = frame;
    this.onError = onError;
    this.clock = clock;
    this.running = false;
    this.pending = 0;
  }

  /** Starts the loop; a no-op while it runs. */
  start() {
    if (this.running) return;
    this.running = true;
    this.pending = this.clock.request(() => this.tick());
  }

  /** Stops the loop. @returns {boolean} whether it was running */
  stop() {
    const was = this.running;
    this.running = false;
    this.clock.cancel(this.pending);
    return was;
  }

  tick() {
    if (!this.running) return;
    try {
      this.frame();
    } catch (err) {
      this.stop();
      this.onError(err);
      return;
    }
    if (this.running) this.pending = this.clock.request(() => this.tick());
  }
}

/**
 * How long a frame may spend training: what a 60 Hz frame leaves after the drawing,
 * as the drawing was measured to cost. On a fast machine the drawing takes a
 * millisecond or two and training gets `maxMs`; on a slow one (or under CPU
 * throttling) the drawing costs more and training gets less, so the frame rate holds
 * instead of training crowding the drawing out.
 */
export class FrameBudget {
  /**
   * @param {{frameMs?: number, marginMs?: number, minMs?: number, maxMs?: number}} [limits]
   *   the frame to fit (60 Hz), the time left for the browser's own work, and the
   *   bounds of the training time (at least one step is always taken)
   */
  constructor({ frameMs = 1000 / 60, marginMs = 3, minMs = 1, maxMs = 10 } = {}) {
    Object.assign(this, { frameMs, marginMs, minMs, maxMs });
    /** The drawing's cost, smoothed over recent frames (none measured yet: 0). */
    this.drawMs = 0;
  }

  /** Records what one frame's drawing took (ms). */
  drew(ms) {
    if (!Number.isFinite(ms) || ms < 0) return;
    // Rise at once (a slow frame is seen in the next one), fall slowly (one quick
    // frame does not mean the machine got faster).
    this.drawMs = ms > this.drawMs ? ms : 0.9 * this.drawMs + 0.1 * ms;
  }

  /** The training time for the next frame (ms). */
  get ms() {
    const left = this.frameMs - this.marginMs - this.drawMs;
    return Math.min(this.maxMs, Math.max(this.minMs, left));
  }
}
