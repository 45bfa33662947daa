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
