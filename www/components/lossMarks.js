// What the loss chart draws on its canvas beyond uPlot's curves, so that a PNG keeps it:
// the counting model's floor with its value, and each resample of W as a dotted,
// labelled line (words, not colour alone).

import { palette } from './draw.js';

/**
 * Draws the floor (when its series is shown and it is finite) and a line at each resample.
 * @param {uPlot} u
 * @param {number} floor
 * @param {readonly number[]} marks the steps where W was resampled
 * @param {{floor: string, mark: string}} colours
 */
export function annotate(u, floor, marks, colours) {
  const { ctx } = u;
  const dpr = devicePixelRatio || 1;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.font = `${palette().fontSize * dpr}px system-ui, sans-serif`;
  ctx.lineWidth = dpr;
  if (u.series[3].show && Number.isFinite(floor)) {
    const y = Math.round(u.valToPos(floor, 'y', true));
    if (y >= top && y <= top + height) {
      ctx.strokeStyle = colours.floor;
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      // Below the line, where yRange leaves room and the curves seldom go.
      ctx.fillStyle = colours.floor;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText(`counting model ${floor.toFixed(4)}`, left + width - 2 * dpr, y + 3 * dpr);
    }
  }
  // Resamples: dotted verticals with a label, not colour alone.
  ctx.strokeStyle = colours.mark;
  ctx.fillStyle = colours.mark;
  ctx.lineWidth = dpr;
  ctx.setLineDash([2 * dpr, 3 * dpr]);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (const m of marks) {
    const x = Math.round(u.valToPos(m, 'x', true));
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillText('resample', x + 3 * dpr, top + 2 * dpr);
  }
  ctx.restore();
}
