// What the loss chart draws on its canvas beyond uPlot's curves, so that a PNG keeps it:
// the counting model's floor with its value, and each resample of W as a dotted,
// labelled line (words, not colour alone), one per try where a step has several.

import { palette } from './draw.js';
import { tryLabel } from '../lib/series.js';

/**
 * A resample's line: where it is on the step axis and its label.
 * @typedef {{x: number, label: string}} MarkLine
 */

/**
 * The resample lines of a history: one at each try (lib/series.js's `triesOf`), and one
 * at the step of a mark that kept no point of its own.
 * @param {{x: number, try: import('../lib/series.js').Try}[]} tries
 * @param {readonly number[]} marks
 * @returns {MarkLine[]}
 */
export function markLines(tries, marks) {
  const tried = new Set(tries.map((t) => t.try.step));
  return [
    ...tries.map((t) => ({ x: t.x, label: tryLabel(t.try) })),
    ...[...new Set(marks)].filter((m) => !tried.has(m)).map((m) => ({ x: m, label: 'resample' })),
  ].sort((a, b) => a.x - b.x);
}

/**
 * Draws the floor (when its series is shown and it is finite) and the resample lines.
 * A label that would run into the one before it is left out; its line stays.
 * @param {uPlot} u
 * @param {number} floor
 * @param {MarkLine[]} lines
 * @param {{floor: string, mark: string}} colours
 */
export function annotate(u, floor, lines, colours) {
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
  let free = -Infinity; // where the last label ended
  for (const { x: at, label } of lines) {
    const x = Math.round(u.valToPos(at, 'x', true));
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    if (x < free) continue;
    ctx.fillText(label, x + 3 * dpr, top + 2 * dpr);
    free = x + ctx.measureText(label).width + 6 * dpr;
  }
  ctx.restore();
}
