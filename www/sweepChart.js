// The sweep chart (exercise E03): train and dev loss against a strength (smoothing k or
// λ) on a log x axis, the best dev point ringed. It draws the points it is handed; the
// same points are written out as text in its aria-label.

import { fitCanvas, palette } from './draw.js';

const MARGIN = { left: 56, right: 14, top: 12, bottom: 40 };

/** A strength as short text: 1e-4, 0.0316, 3.16, 100. */
export function strengthText(v) {
  if (v === 0) return '0';
  return v < 1e-3 ? Number(v.toPrecision(3)).toExponential().replace('e-', 'e−') : String(Number(v.toPrecision(3)));
}

/** The index of the point with the lowest finite dev loss, or −1. */
export function bestIndex(points) {
  let best = -1;
  points.forEach((p, i) => {
    if (Number.isFinite(p.dev) && (best < 0 || p.dev < points[best].dev)) best = i;
  });
  return best;
}

/** Train and dev loss against log strength on a canvas. */
export class SweepChart {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.name = 'strength';
  }

  /**
   * @param {{value: number, train: number, dev: number}[]} points in increasing value
   * @param {string} name what the strength is ("smoothing k", "λ")
   */
  draw(points = this.points, name = this.name) {
    this.points = points;
    this.name = name;
    const { canvas } = this;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 240;
    const ctx = fitCanvas(canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    const colours = palette();
    const shown = points.filter((p) => p.value > 0);
    if (!shown.length) {
      canvas.setAttribute('aria-label', 'No sweep yet');
      return;
    }
    const logs = shown.map((p) => Math.log10(p.value));
    const xLo = Math.floor(Math.min(...logs));
    const xHi = Math.max(xLo + 1, Math.ceil(Math.max(...logs)));
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of shown) {
      for (const v of [p.train, p.dev]) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!Number.isFinite(lo)) return;
    const pad = Math.max(1e-3, (hi - lo) * 0.08);
    const [yLo, yHi] = [lo - pad, hi + pad];
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    const x = (v) => MARGIN.left + ((Math.log10(v) - xLo) / (xHi - xLo)) * plotW;
    const y = (v) => MARGIN.top + (1 - (v - yLo) / (yHi - yLo)) * plotH;

    // Axes: a tick per decade, five loss ticks, both axes named.
    ctx.font = `${colours.fontSize}px system-ui, sans-serif`;
    ctx.fillStyle = colours.muted;
    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let d = xLo; d <= xHi; d++) {
      const v = 10 ** d;
      ctx.beginPath();
      ctx.moveTo(x(v), MARGIN.top);
      ctx.lineTo(x(v), MARGIN.top + plotH);
      ctx.stroke();
      ctx.fillText(strengthText(v), x(v), MARGIN.top + plotH + 4);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const v = yLo + ((yHi - yLo) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, y(v));
      ctx.lineTo(MARGIN.left + plotW, y(v));
      ctx.stroke();
      ctx.fillText(v.toFixed(3), MARGIN.left - 6, y(v));
    }
    ctx.fillStyle = colours.ink;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`${name} (log scale)`, MARGIN.left + plotW / 2, height - 2);
    ctx.save();
    ctx.translate(12, MARGIN.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText('loss', 0, 0);
    ctx.restore();

    const curve = (key, colour, dash) => {
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(dash);
      ctx.beginPath();
      let pen = false;
      for (const p of shown) {
        if (!Number.isFinite(p[key])) continue;
        if (pen) ctx.lineTo(x(p.value), y(p[key]));
        else ctx.moveTo(x(p.value), y(p[key]));
        pen = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      for (const p of shown) {
        if (!Number.isFinite(p[key])) continue;
        ctx.beginPath();
        ctx.arc(x(p.value), y(p[key]), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    };
    curve('train', colours.train, []);
    curve('dev', colours.dev, [5, 3]);
    // A legend in the top corner: the line styles named, not colour alone.
    const legend = [['train', colours.train, []], ['dev', colours.dev, [5, 3]]];
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    legend.forEach(([text, colour, dash], i) => {
      const ly = MARGIN.top + 10 + i * 14;
      const lx = MARGIN.left + 10;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(lx, ly);
      ctx.lineTo(lx + 22, ly);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = colour;
      ctx.fillText(text, lx + 28, ly);
    });

    const best = bestIndex(shown);
    let bestText = '';
    if (best >= 0) {
      const p = shown[best];
      ctx.strokeStyle = colours.mark;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(x(p.value), y(p.dev), 7, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillStyle = colours.mark;
      ctx.textAlign = x(p.value) > MARGIN.left + plotW / 2 ? 'right' : 'left';
      ctx.textBaseline = 'bottom';
      const dx = ctx.textAlign === 'right' ? -10 : 10;
      ctx.fillText(`best dev ${p.dev.toFixed(4)} at ${strengthText(p.value)}`, x(p.value) + dx, y(p.dev) - 8);
      bestText = ` Best dev loss ${p.dev.toFixed(4)} at ${name} ${strengthText(p.value)}.`;
    }
    const list = shown.map((p) => `${strengthText(p.value)}: train ${p.train.toFixed(4)}, dev ${p.dev.toFixed(4)}`).join('; ');
    canvas.setAttribute('aria-label', `Train and dev loss against ${name} on a log axis. ${list}.${bestText}`);
  }
}
