// The loss chart: the training loss (and the dev loss) against steps, with the counting
// model's loss drawn as the floor. It owns its series: the wiring appends each new
// point, and the chart keeps them in step order (a rewound W drops the points after it).

import { fitCanvas, palette } from './draw.js';

const MARGIN = { left: 52, right: 12, top: 10, bottom: 26 };

/** Up to about `count` round tick values covering [lo, hi], at least `minStep` apart. */
export function ticks(lo, hi, count, minStep = 0) {
  const span = hi - lo || 1;
  const raw = Math.max(minStep, span / count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(t);
  return out;
}

/** Loss against steps on a canvas, with the counting model's loss as a dashed floor. */
export class LossChart {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.floor = NaN;
    this.clear();
  }

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
    this.marks = this.marks.filter((m) => m <= step);
    this.steps.push(step);
    this.losses.push(loss);
    this.dev.push(dev ?? NaN);
  }

  /**
   * Marks a resample of W at `step` (a dotted line); the next point, at the same step,
   * is added beside the one before it, so the jump shows.
   */
  mark(step) {
    this.marks.push(step);
    this.jumpAt = step;
  }

  /** The counting model's loss, drawn as the floor. */
  setFloor(floor) {
    this.floor = floor;
  }

  /** The series as plain data, for saving (NaN dev losses stay NaN: JSON writes null). */
  series() {
    return { steps: this.steps, losses: this.losses, dev: this.dev, marks: this.marks };
  }

  /** Takes series saved by `series()` and checked by the storage module. */
  restore({ steps, losses, dev, marks }) {
    this.steps = [...steps];
    this.losses = [...losses];
    this.dev = [...dev];
    this.marks = [...marks];
  }

  /** Draws the series. */
  draw() {
    const { steps, losses, floor, marks, dev } = this;
    const { canvas } = this;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const ctx = fitCanvas(canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    const colours = palette();

    // A loop, not Math.min(...losses): a long history would overflow the call stack.
    let lo = floor;
    let hi = floor + 0.1;
    for (const v of [...losses, ...dev]) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    const yLo = lo - (hi - lo) * 0.05;
    const yHi = hi + (hi - lo) * 0.05;
    const xMax = Math.max(1, steps.length ? steps[steps.length - 1] : 1);
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    const x = (s) => MARGIN.left + (s / xMax) * plotW;
    const y = (v) => MARGIN.top + (1 - (v - yLo) / (yHi - yLo)) * plotH;

    ctx.font = `${colours.fontSize}px system-ui, sans-serif`;
    ctx.fillStyle = colours.muted;
    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks(yLo, yHi, 5)) {
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, y(t));
      ctx.lineTo(width - MARGIN.right, y(t));
      ctx.stroke();
      ctx.fillText(t.toFixed(2), MARGIN.left - 6, y(t));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of ticks(0, xMax, 5, 1)) {
      ctx.fillText(String(Math.round(t)), x(t), height - MARGIN.bottom + 6);
    }

    // The floor: dashed, labelled, so the meaning is not carried by colour alone.
    ctx.strokeStyle = colours.floor;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, y(floor));
    ctx.lineTo(width - MARGIN.right, y(floor));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = colours.floor;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`counting model ${floor.toFixed(4)}`, width - MARGIN.right, y(floor) - 2);

    // Resamples: dotted verticals with a label, not colour alone.
    ctx.strokeStyle = colours.resample;
    ctx.fillStyle = colours.resample;
    ctx.lineWidth = 1;
    ctx.setLineDash([2, 3]);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (const m of marks) {
      ctx.beginPath();
      ctx.moveTo(x(m), MARGIN.top);
      ctx.lineTo(x(m), height - MARGIN.bottom);
      ctx.stroke();
      ctx.fillText('resample', x(m) + 3, MARGIN.top);
    }
    ctx.setLineDash([]);
    this.canvas.dataset.marks = JSON.stringify(marks);

    // The curves, thinned to about two points per pixel; dev dashed and labelled.
    const last = steps.length - 1;
    const stride = Math.max(1, Math.floor(steps.length / (plotW * 2)));
    const curve = (values, colour, dash, name, above) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(dash);
      ctx.beginPath();
      let pen = false;
      let end = null;
      // Every stride-th point, and always the last one.
      for (let i = 0; i <= last; i = i === last ? last + 1 : Math.min(last, i + stride)) {
        const v = values[i];
        if (!Number.isFinite(v)) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(x(steps[i]), y(v));
        else ctx.moveTo(x(steps[i]), y(v));
        pen = true;
        end = [x(steps[i]), y(v)];
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (name && end) {
        ctx.fillStyle = colour;
        ctx.textAlign = 'right';
        // The two curves end close together: one label above its line, one below.
        ctx.textBaseline = above ? 'bottom' : 'top';
        ctx.fillText(name, end[0] - 6, end[1] + (above ? -4 : 4));
      }
    };
    const hasDev = dev.some(Number.isFinite);
    if (hasDev) curve(dev, colours.dev, [5, 3], 'dev', true);
    curve(losses, colours.train, [], hasDev ? 'train' : null, false);

    // The latest point, so that a single step is visible too.
    const i = last;
    if (i >= 0 && Number.isFinite(losses[i])) {
      ctx.fillStyle = colours.train;
      ctx.beginPath();
      ctx.arc(x(steps[i]), y(losses[i]), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
