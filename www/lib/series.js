// The charts' data, apart from their drawing so that Node tests it: the loss history
// (one point per settled W, in step order, with the resample marks) and the sweep's best
// point. The wiring keeps the history and hands it to the loss chart to draw.

/**
 * A loss history as plain data: a point per step (`dev` NaN without a split), and the
 * steps where W was resampled.
 * @typedef {{steps: number[], losses: number[], dev: number[], marks: number[]}} LossSeries
 */

/** The loss of every settled W against its step, and the steps where W was resampled. */
export class LossHistory {
  /** @type {number[]} the steps of the points, ascending */
  steps = [];
  /** @type {number[]} */
  losses = [];
  /** @type {number[]} the dev losses, NaN without a split */
  dev = [];
  /** @type {number[]} the steps where W was resampled */
  marks = [];
  /** @type {number|undefined} the step of a resample whose next point stays beside the one before */
  jumpAt = undefined;

  /** Forgets every point and mark. */
  clear() {
    this.steps = [];
    this.losses = [];
    this.dev = [];
    this.marks = [];
    this.jumpAt = undefined;
  }

  /**
   * Adds the point of step `step`. Points at or after that step (kept from before a
   * rewind) are dropped first, so the series stays in step order with no repeats.
   * @param {number} step
   * @param {number} loss
   * @param {number|null} dev the dev loss, or null without a split
   */
  append(step, loss, dev) {
    // After a resample the point before the jump stays beside the one after it.
    const keepSameStep = this.jumpAt === step;
    this.jumpAt = undefined;
    while (this.steps.length && this.steps[this.steps.length - 1] >= step
      && !(keepSameStep && this.steps[this.steps.length - 1] === step)) {
      this.steps.pop();
      this.losses.pop();
      this.dev.pop();
    }
    if (this.marks.some((m) => m > step)) this.marks = this.marks.filter((m) => m <= step);
    this.steps.push(step);
    this.losses.push(loss);
    this.dev.push(dev ?? NaN);
  }

  /**
   * Marks a resample of W at `step` (a dotted line); the next point, at the same step,
   * is added beside the one before it, so the jump shows.
   * @param {number} step
   */
  mark(step) {
    this.marks.push(step);
    this.jumpAt = step;
  }

  /**
   * The series as plain data, for drawing and saving (NaN dev losses stay NaN: JSON writes null).
   * @returns {LossSeries}
   */
  series() {
    return { steps: this.steps, losses: this.losses, dev: this.dev, marks: this.marks };
  }

  /**
   * Takes series saved by `series()` and checked by the storage module.
   * @param {LossSeries} series
   */
  restore({ steps, losses, dev, marks }) {
    this.steps = [...steps];
    this.losses = [...losses];
    this.dev = [...dev];
    this.marks = [...marks];
  }
}

/**
 * The index of the sweep point with the lowest finite dev loss (the first of a tie), or −1.
 * @param {readonly {dev: number}[]} points
 * @returns {number}
 */
export function bestIndex(points) {
  let best = -1;
  points.forEach((p, i) => {
    if (Number.isFinite(p.dev) && (best < 0 || p.dev < points[best].dev)) best = i;
  });
  return best;
}
