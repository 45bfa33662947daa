// The loss chart: the training loss (and the dev loss) against steps, with the counting
// model's loss as a dashed, labelled floor and each resample of W as a dotted line. It
// draws the history it is handed with uPlot: point at the chart (or tap it) and the legend
// reads out every series at that step; drag across it with the mouse or a finger to zoom,
// and the page's Zoom out (or a double-click) shows every step again; a log step axis;
// each series switched on and off in the legend. Tries of Resample at one step are dots
// side by side, each labelled. However long the history, uPlot gets about one point per
// pixel of width (draw.js's `thin`), so a frame's redraw costs the same at step 100 as at
// step ten million.

import uPlot from '../../pkg/uPlot.esm.js';
import { thin, palette, plotAxis } from './draw.js';
import { zoomByTouch } from './chartTouch.js';
import { annotate, markLines } from './lossMarks.js';
import { fixed } from '../lib/format.js';
import { placeOf, triesOf, tryLabel } from '../lib/series.js';
import { spanSteps } from '../lib/touchZoom.js';
import { SERIES_VAR, SERIES, WHOLE_STEPS, finiteOrNull, yRange, asShown, valueCell, logSplits, linearSplits, stepText } from './lossScales.js';

/** @typedef {import('../lib/series.js').LossSeries} LossSeries */
/** @typedef {'train'|'dev'|'floor'} SeriesKey */

/**
 * The chart's colours, from the page's palette (style.css, per theme), read at every
 * redraw so that a theme change shows at the next one.
 */
function chartColours() {
  const p = palette();
  return { train: p.train, dev: p.dev, floor: p.floor, mark: p.resample, bg: p.bg };
}


/** Loss against steps with uPlot, in `host` (which carries the chart's test hooks). */
export class LossChart {
  /**
   * @param {HTMLElement} host
   * @param {(zoomed: boolean) => void} [onZoom] told whenever the chart zooms in or shows every step again
   */
  constructor(host, onZoom = () => {}) {
    this.host = host;
    this.onZoom = onZoom;
    /** Whether `onZoom` last heard of a zoom. */
    this.zoomed = false;
    /** @type {ReturnType<typeof placeOf>[]} each point handed to uPlot: where it is drawn, its step, its try */
    this.places = [];
    /** @type {ReturnType<typeof triesOf>} the history's tries of Resample */
    this.tries = [];
    this.floor = NaN;
    /** @type {LossSeries} */
    this.history = { steps: [], losses: [], dev: [], marks: [] };
    /** @type {[number, number]|null} The steps shown, [lo, hi], after a drag; null shows the whole history. */
    this.zoom = null;
    this.logX = false;
    /** Whether the history has dev losses (the dev series is offered). */
    this.hasDev = false;
    /** @type {Partial<Record<SeriesKey, HTMLInputElement>>} each series' legend checkbox */
    this.boxes = {};
    /** @type {HTMLElement[]} the legend's rows: the step's, then a series' each */
    this.rows = [];
    /** The series switched off in the legend. */
    this.hidden = new Set();
    this.plot = this.make();
    new ResizeObserver(() => this.resize()).observe(host);
  }

  get colours() {
    return chartColours();
  }

  /**
   * The counting model's loss, drawn as the floor.
   * @param {number} floor
   */
  setFloor(floor) {
    this.floor = floor;
  }

  /**
   * Draws `history` ({steps, losses, dev, marks}, as `LossHistory.series()` gives it;
   * kept, not copied, for the redraws a zoom or a resize asks for).
   * @param {LossSeries} [history]
   */
  draw(history = this.history) {
    this.history = history;
    this.render();
  }

  /**
   * Steps on a log scale (asinh: logarithmic from step 1 up, with step 0 kept at the left edge), or linear.
   * @param {boolean} on
   */
  setLogX(on) {
    if (on === this.logX) return;
    this.logX = on;
    this.plot.destroy(); // uPlot fixes a scale's kind when it is made
    this.plot = this.make();
    this.render();
  }

  /** Shows the whole history again (what Zoom out and a double-click do). */
  resetZoom() {
    this.zoom = null;
    this.render();
  }

  /**
   * Shows the steps from lo to hi (a drag's, by mouse or finger); training keeps them.
   * @param {number} lo
   * @param {number} hi
   */
  zoomTo(lo, hi) {
    this.zoom = [lo, hi];
    this.render();
  }

  /**
   * Calls `done` with a PNG of the chart as drawn (floor, marks and labels included) on
   * the theme's background, with a line naming the curves shown (the page's legend is
   * HTML, not part of the canvas).
   * @param {BlobCallback} done
   */
  toBlob(done) {
    const source = this.plot.ctx.canvas;
    const dpr = devicePixelRatio || 1;
    const strip = Math.round(22 * dpr);
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height + strip;
    const ctx = canvas.getContext('2d');
    // Null only for a canvas that has another kind of context: this one is new.
    if (!ctx) throw new Error('this canvas gives no 2D context');
    ctx.fillStyle = this.colours.bg;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    ctx.font = `${palette().fontSize * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    let x = this.plot.bbox.left;
    const y = source.height + strip / 2;
    SERIES.forEach(([key, label, dash], i) => {
      if (!this.plot.series[i + 1].show || (key === 'dev' && !this.hasDev)) return;
      ctx.strokeStyle = this.colours[key];
      ctx.fillStyle = this.colours[key];
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash(dash.map((d) => d * dpr));
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 24 * dpr, y);
      ctx.stroke();
      ctx.fillText(label, x + 30 * dpr, y);
      x += 30 * dpr + ctx.measureText(label).width + 18 * dpr;
    });
    canvas.toBlob(done, 'image/png');
  }

  /**
   * A new uPlot in the host, for the current scale.
   * @returns {uPlot}
   */
  make() {
    this.host.replaceChildren();
    this.rows = [];
    /** @type {uPlot.Series[]} */
    const series = SERIES.map(([key, label, dash]) => ({
      label: this.toggle(key, label),
      show: !this.hidden.has(key), // a new plot (the other scale) keeps the choice
      stroke: () => this.colours[key],
      width: key === 'floor' ? 1.5 : 2,
      dash,
      value: (u, v) => fixed(v),
      // While the history is short every point is drawn: tries of Resample at one step
      // (step 0 before any training) show as a dot each, not one line at the axis.
      points: { fill: () => this.colours.bg, show: (/** @type {uPlot} */ u) => u.data[0].length <= 60 },
    }));
    // The floor is drawn across the whole plot by `annotate`; its series gives the readout.
    Object.assign(series[2], { paths: () => null, points: { show: false } });
    const plot = new uPlot({
      width: this.width(),
      height: this.height(),
      scales: {
        // The steps shown are set in `render`, as they are: no rounding out to a decade.
        x: { time: false, auto: false, distr: this.logX ? 4 : 1, asinh: 1, range: (u, lo, hi) => asShown(lo, hi) },
        y: { range: (u, lo, hi) => yRange(lo, hi) },
      },
      series: [{ label: 'step', value: (u, v, _i, idx) => this.stepText(v, idx) }, ...series],
      axes: [
        plotAxis(this.logX ? 'step (log scale)' : 'step', {
          size: 32,
          ...(this.logX
            ? { splits: logSplits, values: (/** @type {uPlot} */ u, /** @type {number[]} */ splits) => splits.map(stepText) }
            : { incrs: WHOLE_STEPS, splits: linearSplits }),
        }),
        plotAxis('loss'),
      ],
      cursor: {
        y: false,
        points: { fill: (u, i) => this.colours[SERIES[i - 1][0]] },
        drag: { x: true, y: false, setScale: false },
        // A double-click shows the whole history, not uPlot's range of the points drawn.
        bind: {
          dblclick: () => (e) => {
            if (e.button === 0) this.resetZoom();
            return null;
          },
        },
      },
      legend: { markers: { stroke: (u, i) => `var(${SERIES_VAR[SERIES[i - 1][0]]})`, fill: () => 'transparent' } },
      hooks: {
        draw: [(u) => annotate(u, this.floor, markLines(this.tries, this.history.marks), this.colours)],
        setSelect: [(u) => this.selected(u)],
        setLegend: [(u) => this.readout(u)],
        setSeries: [(u) => this.showShown(u)],
        setScale: [(u, key) => this.showScale(u, key)],
      },
    }, [[], [], [], []], this.host);
    // The legend's value cells: the hover readout, each with the full value in data-value.
    this.rows = [...plot.root.querySelectorAll('.u-legend .u-series')].filter((row) => row instanceof HTMLElement);
    this.rows.forEach((row, i) => {
      const cell = valueCell(row);
      if (cell) cell.dataset.testid = `chart-readout-${i ? SERIES[i - 1][0] : 'step'}`;
    });
    // The text alternative: the canvas is an image whose label says what it shows.
    plot.ctx.canvas.setAttribute('role', 'img');
    this.host.dataset.logX = String(this.logX);
    this.showShown(plot);
    zoomByTouch(plot, (lo, hi) => this.zoomTo(lo, hi));
    return plot;
  }

  /**
   * The readout's step: the step of the point at the pointer, and which try of Resample
   * it is when it is one ("0 · try 2").
   * @param {number|null} v
   * @param {number|null} idx
   * @returns {string}
   */
  stepText(v, idx) {
    const place = idx == null ? undefined : this.places[idx];
    if (!place) return v == null ? '–' : String(v);
    return place.try ? `${place.step} · ${tryLabel(place.try)}` : String(place.step);
  }

  /**
   * A series' legend label: a checkbox that shows or hides it (uPlot toggles the series
   * on the click, which a keyboard's Space also gives; the box follows in `showShown`).
   * @param {SeriesKey} key
   * @param {string} text the series' name
   * @returns {HTMLElement}
   */
  toggle(key, text) {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.dataset.testid = `chart-series-${key}`;
    box.setAttribute('aria-label', `Show ${text}`);
    this.boxes[key] = box;
    const label = document.createElement('span');
    label.append(box, ` ${text}`);
    return label;
  }

  /** Fits uPlot to the host's width (and the page's chart height). */
  resize() {
    const width = this.width();
    const height = this.height();
    if (width !== this.plot.width || height !== this.plot.height) {
      this.plot.setSize({ width, height });
      this.render();
    }
  }

  width() {
    return Math.max(200, this.host.clientWidth);
  }

  /** The plot's height: style.css's `--chart-height` (smaller on a phone, and when presenting). */
  height() {
    return parseFloat(getComputedStyle(this.host).getPropertyValue('--chart-height')) || 260;
  }

  /** Hands uPlot the points of the shown steps (thinned to the plot's width) and sets the x range. */
  render() {
    const { steps, losses, dev, marks } = this.history;
    const { plot } = this;
    const n = steps.length;
    // Tries of Resample at the last step are drawn up to the next step: the axis goes there.
    const last = n ? steps[n - 1] + (n > 1 && steps[n - 2] === steps[n - 1] ? 1 : 0) : 1;
    if (this.zoom && !(n && last >= this.zoom[0] && steps[0] <= this.zoom[1])) this.zoom = null;
    let [lo, hi] = this.zoom ?? [n ? steps[0] : 0, last];
    if (!(hi > lo)) hi = lo + 1;
    const buckets = Math.max(1, Math.round(plot.bbox.width / (devicePixelRatio || 1)));
    const picked = thin(steps, lo, hi, buckets, this.logX ? Math.asinh : undefined, marks);
    this.places = picked.map((i) => placeOf(steps, i));
    this.tries = triesOf(steps, marks);
    /** @type {[number[], ...(number|null)[][]]} */
    const data = [
      this.places.map((p) => p.x),
      picked.map((i) => finiteOrNull(losses[i])),
      picked.map((i) => finiteOrNull(dev[i])),
      picked.map(() => finiteOrNull(this.floor)),
    ];
    this.hasDev = data[2].some((v) => v !== null);
    this.rows[2].hidden = !this.hasDev;
    plot.batch(() => {
      plot.setData(data, false);
      plot.setScale('x', { min: lo, max: hi });
    });
    const { host } = this;
    host.dataset.points = String(picked.length);
    host.dataset.marks = JSON.stringify(marks);
    host.dataset.tries = JSON.stringify(this.tries.map((t) => ({ ...t.try, x: t.x, loss: losses[t.index] })));
    plot.ctx.canvas.setAttribute('aria-label', this.describe());
    if (this.zoomed !== !!this.zoom) {
      this.zoomed = !!this.zoom;
      this.onZoom(this.zoomed);
    }
  }

  /** The chart in words, for screen readers (the live region says each new loss). */
  describe() {
    const { steps, losses, dev, marks } = this.history;
    const n = steps.length;
    if (!n) return 'Loss against steps: no steps yet.';
    const last = n - 1;
    const devText = Number.isFinite(dev[last]) ? `, dev loss ${fixed(dev[last])}` : '';
    const tries = this.tries.map((t) => `${tryLabel(t.try)} at step ${t.try.step}: ${fixed(losses[t.index])}`);
    const marksText = marks.length ? ` W was resampled at step ${[...new Set(marks)].join(', ')}${tries.length ? ` (${tries.join('; ')})` : ''}.` : '';
    return `Loss against steps${this.logX ? ' (log scale)' : ''}: from ${fixed(losses[0], 4, 'unknown')} at step ${steps[0]} `
      + `to ${fixed(losses[last], 4, 'unknown')} at step ${steps[last]}${devText}; the counting model's loss, the floor, is `
      + `${fixed(this.floor, 4, 'unknown')}.${marksText}`;
  }

  /**
   * The host carries the ranges shown: data-x-min, data-x-max (steps), data-y-min, data-y-max (loss).
   * @param {uPlot} u
   * @param {string} key the scale
   */
  showScale(u, key) {
    const { min, max } = u.scales[key];
    if (min == null || max == null) return;
    this.host.dataset[`${key}Min`] = String(min);
    this.host.dataset[`${key}Max`] = String(max);
  }

  /**
   * A mouse drag across the plot zooms to the steps it covered.
   * @param {uPlot} u
   */
  selected(u) {
    if (!(u.select.width > 1)) return;
    const steps = spanSteps(u.select, (px) => u.posToVal(px, 'x'), 1);
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (steps) this.zoomTo(...steps);
  }

  /**
   * Puts the full value of each series at the pointer in its readout cell's data-value.
   * @param {uPlot} u
   */
  readout(u) {
    // (uPlot may call this while it is being made, before the rows are known.)
    this.rows.forEach((row, i) => {
      const idx = u.legend.idxs?.[i];
      const place = idx == null ? undefined : this.places[idx];
      // The step's cell: the step itself (a try is drawn off it), and the try in data-try.
      const v = idx == null ? null : i === 0 ? place?.step ?? null : u.data[i][idx];
      const cell = valueCell(row);
      if (!cell) return;
      if (v == null) delete cell.dataset.value;
      else cell.dataset.value = String(v);
      if (i === 0 && place?.try) cell.dataset.try = String(place.try.try);
      else if (i === 0) delete cell.dataset.try;
    });
  }

  /**
   * The legend's checkboxes follow the series shown; the host says which are.
   * @param {uPlot} u
   */
  showShown(u) {
    SERIES.forEach(([key], i) => {
      const show = u.series[i + 1].show ?? true;
      const box = this.boxes[key];
      if (box) box.checked = show;
      if (show) this.hidden.delete(key);
      else this.hidden.add(key);
    });
    this.host.dataset.shown = JSON.stringify(SERIES.map(([key]) => key).filter((key) => !this.hidden.has(key)));
  }
}
