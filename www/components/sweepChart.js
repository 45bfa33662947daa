// The sweep chart (exercise E03): train and dev loss against a strength (smoothing k or
// λ) on a log x axis, with uPlot, the best dev point ringed and named. Point at it and the
// legend reads out the strength and both losses there. It draws the points it is handed;
// the same points are written out as text in its aria-label.

import uPlot from '../../pkg/uPlot.esm.js';
import { palette, plotAxis } from './draw.js';
import { fixed, strengthText } from '../lib/format.js';

/**
 * One strength of a sweep and the losses it gave.
 * @typedef {{value: number, train: number, dev: number}} SweepPoint
 */

/** The chart's colours, from the page's palette (style.css, per theme), read at every redraw. */
function chartColours() {
  const p = palette();
  return { train: p.train, dev: p.dev, best: p.mark, bg: p.bg };
}


/** Train and dev loss against log strength, with uPlot, in `host` (a role=img element). */
export class SweepChart {
  /** @param {HTMLElement} host */
  constructor(host) {
    this.host = host;
    /** @type {SweepPoint[]} */
    this.points = [];
    /** @type {SweepPoint[]} the points drawn: those above 0 */
    this.shown = [];
    /** @type {HTMLElement[]} the legend's value cells */
    this.cells = [];
    this.name = 'strength';
    /** The best point by dev loss: its index in `points`, and in the points shown. */
    this.best = -1;
    this.bestShown = -1;
    this.plot = this.make();
    new ResizeObserver(() => {
      const width = this.width();
      if (width !== this.plot.width) this.plot.setSize({ width, height: this.plot.height });
    }).observe(host);
  }

  get colours() {
    return chartColours();
  }

  /**
   * @param {SweepPoint[]} [points] in increasing value
   * @param {string} [name] what the strength is ("smoothing k", "λ")
   * @param {number} [best] the index of the best point by dev loss, or −1
   */
  draw(points = this.points, name = this.name, best = this.best) {
    // Only strengths above 0 have a place on a log axis.
    this.points = points;
    this.best = best;
    this.shown = points.filter((p) => p.value > 0);
    this.bestShown = best >= 0 ? this.shown.indexOf(points[best]) : -1;
    if (name !== this.name) {
      this.name = name;
      this.plot.destroy(); // the legend and axis name the strength
      this.plot = this.make();
    }
    /** @type {[number[], ...(number|null)[][]]} */
    const data = [
      this.shown.map((p) => p.value),
      this.shown.map((p) => (Number.isFinite(p.train) ? p.train : null)),
      this.shown.map((p) => (Number.isFinite(p.dev) ? p.dev : null)),
    ];
    this.plot.setData(data);
    this.host.setAttribute('aria-label', this.describe());
  }

  /** The chart in words: every point, and the best. */
  describe() {
    const { shown, name } = this;
    if (!shown.length) return 'No sweep yet';
    const list = shown.map((p) => `${strengthText(p.value)}: train ${fixed(p.train, 4, 'none')}, dev ${fixed(p.dev, 4, 'none')}`).join('; ');
    const p = shown[this.bestShown];
    const bestText = p ? ` Best dev loss ${fixed(p.dev, 4, 'none')} at ${name} ${strengthText(p.value)}.` : '';
    return `Train and dev loss against ${name} on a log axis. ${list}.${bestText}`;
  }

  width() {
    return Math.max(200, this.host.clientWidth);
  }

  /** @returns {uPlot} a new uPlot in the host, for the strength's name */
  make() {
    this.host.replaceChildren();
    this.cells = [];
    /**
     * @param {'train'|'dev'} key
     * @param {number[]} dash
     * @returns {uPlot.Series}
     */
    const line = (key, dash) => ({
      label: key,
      stroke: () => this.colours[key],
      width: 2,
      dash,
      value: (u, v) => fixed(v),
      points: { show: true, size: 6, fill: () => this.colours[key] },
    });
    const plot = new uPlot({
      width: this.width(),
      height: 240,
      scales: { x: { time: false, distr: 3 } },
      series: [
        { label: this.name, value: (u, v) => (v == null ? '–' : strengthText(v)) },
        line('train', []),
        line('dev', [5, 3]),
      ],
      axes: [
        plotAxis(`${this.name} (log scale)`, {
          size: 32,
          values: (/** @type {uPlot} */ u, /** @type {(number|null)[]} */ splits) => splits.map((v) => (v == null ? '' : strengthText(v))),
        }),
        plotAxis('loss'),
      ],
      cursor: { y: false, drag: { x: false, y: false } },
      legend: { markers: { stroke: (u, i) => (i === 1 ? 'var(--series-train)' : 'var(--series-dev)'), fill: () => 'transparent' } },
      hooks: {
        draw: [(u) => this.ringBest(u)],
        setLegend: [(u) => this.readout(u)],
      },
    }, [[], [], []], this.host);
    this.cells = [...plot.root.querySelectorAll('.u-legend .u-series .u-value')].filter((cell) => cell instanceof HTMLElement);
    this.cells.forEach((cell, i) => {
      cell.dataset.testid = `sweep-readout-${['strength', 'train', 'dev'][i]}`;
    });
    return plot;
  }

  /**
   * The full value of each series at the pointer, in its readout cell's data-value.
   * @param {uPlot} u
   */
  readout(u) {
    // (uPlot may call this while it is being made, before the cells are known.)
    this.cells.forEach((cell, i) => {
      const idx = u.legend.idxs?.[i];
      const v = idx == null ? null : u.data[i][idx];
      if (v == null) delete cell.dataset.value;
      else cell.dataset.value = String(v);
    });
  }

  /**
   * The best dev point: ringed and named on the canvas.
   * @param {uPlot} u
   */
  ringBest(u) {
    const p = this.shown[this.bestShown];
    if (!p || !u.series[2].show) return;
    const { ctx } = u;
    const dpr = devicePixelRatio || 1;
    const x = u.valToPos(p.value, 'x', true);
    const y = u.valToPos(p.dev, 'y', true);
    ctx.save();
    ctx.strokeStyle = this.colours.best;
    ctx.fillStyle = this.colours.best;
    ctx.lineWidth = 2.5 * dpr;
    ctx.beginPath();
    ctx.arc(x, y, 7 * dpr, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.font = `${palette().fontSize * dpr}px system-ui, sans-serif`;
    const right = x > u.bbox.left + u.bbox.width / 2;
    ctx.textAlign = right ? 'right' : 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`best dev ${p.dev.toFixed(4)} at ${strengthText(p.value)}`, x + (right ? -10 : 10) * dpr, y - 8 * dpr);
    ctx.restore();
  }
}
