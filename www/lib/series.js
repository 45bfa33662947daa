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
 * A point of the history that is a try of Resample: its step, which try at that step it
 * is (from 1), and how many tries the step has.
 * @typedef {{step: number, try: number, of: number}} Try
 */

/**
 * The run of points at `step` in ascending `steps`: its first index and the index after it.
 * @param {readonly number[]} steps
 * @param {number} step
 * @returns {[number, number]}
 */
function runAt(steps, step) {
  /** @param {boolean} after the first index past `step` rather than at it */
  const search = (after) => {
    let a = 0;
    let b = steps.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (steps[m] < step || (after && steps[m] === step)) a = m + 1;
      else b = m;
    }
    return a;
  };
  return [search(false), search(true)];
}

/**
 * Where point `i` is drawn on the step axis, and the try of Resample it is (null for a
 * point that is none). The points at one step (the W before a resample, then each try)
 * share that step's unit of the axis, the k-th of m at step + k / m: tries at step 0,
 * before any training, are dots side by side up to step 1 rather than one pile at 0.
 * Found by bisection where a step repeats, for the few points a frame draws out of a
 * long history.
 * @param {readonly number[]} steps ascending, a step repeated at a resample
 * @param {number} i
 * @returns {{x: number, step: number, try: Try|null}}
 */
export function placeOf(steps, i) {
  const step = steps[i];
  // Most points have a step of their own: no search for them.
  if (steps[i - 1] !== step && steps[i + 1] !== step) return { x: step, step, try: null };
  const [first, end] = runAt(steps, step);
  const k = i - first;
  const m = end - first;
  return { x: step + k / m, step, try: k ? { step, try: k, of: m - 1 } : null };
}

/**
 * Every try of Resample in the history, from the steps that were resampled: its index,
 * where it is drawn, the try it is.
 * @param {readonly number[]} steps
 * @param {readonly number[]} marks the steps where W was resampled
 * @returns {{index: number, x: number, try: Try}[]}
 */
export function triesOf(steps, marks) {
  /** @type {{index: number, x: number, try: Try}[]} */
  const out = [];
  for (const step of new Set(marks)) {
    const [first, end] = runAt(steps, step);
    for (let i = first + 1; i < end; i++) {
      const place = placeOf(steps, i);
      if (place.try) out.push({ index: i, x: place.x, try: place.try });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * How the chart names a try: a step's only resample is "resample", several are "try 1",
 * "try 2", … (Resample pressed again and again at step 0 is guessing and checking).
 * @param {Try} t
 * @returns {string}
 */
export function tryLabel(t) {
  return t.of === 1 ? 'resample' : `try ${t.try}`;
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
