// The training loop's timing: while it runs, one call of `frame` per animation frame,
// never two loops at once, and a stop that cancels the pending frame. What a frame
// does (the steps, the drawing) is handed in by the wiring.

export class TrainingLoop {
  /**
   * @param {() => void} frame one frame's work; if it throws, the loop stops and
   *   `onError` gets the error
   * @param {(err: unknown) => void} onError
   * @param {{request: (f: () => void) => number, cancel: (id: number) => void}} clock requestAnimationFrame and
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
   *   bounds of the training time (at least one step is always taken). At most 12 of a
   *   frame's 16.7 ms: with the slow views paced (`ViewPacer`) the drawing takes two or
   *   three, and 12 took the trigram from 13,000 to 16,000 steps a second at 60 fps
   *   (10 before); the bigram under 4× CPU throttling kept 53 fps.
   */
  constructor({ frameMs = 1000 / 60, marginMs = 3, minMs = 1, maxMs = 12 } = {}) {
    this.frameMs = frameMs;
    this.marginMs = marginMs;
    this.minMs = minMs;
    this.maxMs = maxMs;
    /** The drawing's cost, smoothed over recent frames (none measured yet: 0). */
    this.drawMs = 0;
    /**
     * What the browser's own work (style, layout, paint, compositing: nothing a script
     * can time) takes beyond the margin, learned from frames that came late.
     */
    this.slackMs = 0;
    /** @type {number|null} When the last frame started (ms), or null before the first. */
    this.lastStart = null;
  }

  /**
   * Records that a frame starts at `now` (ms). A frame that came more than a fifth late
   * says the browser needed more of the frame than it had: the slack grows by a quarter
   * of the lateness; frames on time give back half a millisecond each, so that a lone
   * late frame (a collection, another tab) costs training little and briefly.
   * @param {number} now
   */
  started(now) {
    const interval = this.lastStart === null ? null : now - this.lastStart;
    this.lastStart = now;
    // Past a quarter second the tab was hidden or the machine busy elsewhere: no signal.
    if (interval === null || !(interval > 0) || interval > 250) return;
    if (interval > this.frameMs * 1.2) {
      this.slackMs = Math.min(this.frameMs, this.slackMs + (interval - this.frameMs) / 4);
    } else {
      this.slackMs = Math.max(0, this.slackMs - 0.5);
    }
  }

  /** Training paused: the next frame's interval says nothing of the frames. */
  paused() {
    this.lastStart = null;
  }

  /**
   * Records what one frame's drawing took (ms).
   * @param {number} ms
   */
  drew(ms) {
    if (!Number.isFinite(ms) || ms < 0) return;
    // Rise at once (a slow frame is seen in the next one), fall slowly (one quick
    // frame does not mean the machine got faster).
    this.drawMs = ms > this.drawMs ? ms : 0.9 * this.drawMs + 0.1 * ms;
  }

  /** The training time for the next frame (ms). */
  get ms() {
    const left = this.frameMs - this.marginMs - this.drawMs - this.slackMs;
    return Math.min(this.maxMs, Math.max(this.minMs, left));
  }
}

/**
 * Which training frames also redraw the slow views (the word table, the explorer, the
 * heatmap): every frame while they cost little, and otherwise every k-th frame, k chosen
 * so that their cost spread over the k frames stays within `shareMs` a frame. The loss,
 * the step count and the chart are drawn every frame whatever this says. On a fast
 * machine the views take a millisecond or two and redraw every frame; on a slow one
 * (or under CPU throttling) they would take the whole frame, and the frame rate would
 * fall to a handful a second.
 */
export class ViewPacer {
  /**
   * @param {{shareMs?: number}} [limits] the slow views' time a frame, spread: 2 ms,
   *   so that the trigram's views (3 to 4 ms on a desktop) redraw every other frame
   *   while training, 30 times a second, and leave the rest to training (4 before).
   *   With training in the worker the same holds on a two-core machine, where the
   *   drawing and the worker share the cores: 8 ms (every frame) took the trigram from
   *   about 24,000 to 21,000 steps a second.
   */
  constructor({ shareMs = 2 } = {}) {
    this.shareMs = shareMs;
    /** The slow views' last measured cost (ms), smoothed; 0 until measured. */
    this.viewsMs = 0;
    /** Frames since the views were last redrawn. */
    this.waited = 0;
    /** What the last redraw took (ms). */
    this.lastMs = 0;
  }

  /** Every how many frames the views are redrawn. */
  get every() {
    return Math.max(1, Math.ceil(this.viewsMs / this.shareMs));
  }

  /** Whether this frame redraws the slow views (call once a frame). */
  due() {
    this.waited += 1;
    if (this.waited < this.every) return false;
    this.waited = 0;
    return true;
  }

  /**
   * Records what one redraw of the slow views took (ms).
   * @param {number} ms
   */
  drew(ms) {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.lastMs = ms;
    this.viewsMs = this.viewsMs === 0 ? ms : 0.7 * this.viewsMs + 0.3 * ms;
  }

  /** Their cost spread over the frames between two redraws (ms a frame). */
  get spreadMs() {
    return this.viewsMs / this.every;
  }
}
