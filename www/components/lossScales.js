// The loss chart's series and scales: each series' colour variable and dash, the y
// range, the step axis's ticks, the step and value texts of its readout.

/** @typedef {'train'|'dev'|'floor'} SeriesKey */

/**
 * The custom property each series' colour comes from, for the HTML legend's markers.
 * @type {Readonly<Record<SeriesKey, string>>}
 */
export const SERIES_VAR = { train: '--series-train', dev: '--series-dev', floor: '--series-floor' };

/**
 * The series after the steps, in uPlot's order: key, legend label, line dash.
 * @type {ReadonlyArray<[SeriesKey, string, number[]]>}
 */
export const SERIES = [
  ['train', 'train', []],
  ['dev', 'dev', [5, 3]],
  ['floor', 'counting model', [6, 4]],
];

/** The linear step axis's tick spacings: whole steps, 1, 2, 5, 10, 20, … */
export const WHOLE_STEPS = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));
/** @param {number} v */
export const finiteOrNull = (v) => (Number.isFinite(v) ? v : null);

/**
 * The y range: the shown values (the floor among them) with a margin, at least 0.1 tall;
 * more below, where the floor's label goes.
 * @param {number|null} lo
 * @param {number|null} hi
 * @returns {[number, number]}
 */
export function yRange(lo, hi) {
  if (lo == null || hi == null) return [0, 1];
  const top = Math.max(hi, lo + 0.1);
  const span = top - lo;
  return [lo - span * 0.12, top + span * 0.05];
}

/**
 * The x range as uPlot found it (the steps shown are set in `render`).
 * @param {number} lo
 * @param {number} hi
 * @returns {[number, number]}
 */
export function asShown(lo, hi) {
  return [lo, hi];
}

/**
 * A legend row's value cell (uPlot makes one in each row).
 * @param {HTMLElement} row
 * @returns {HTMLElement|null}
 */
export function valueCell(row) {
  const cell = row.querySelector('.u-value');
  return cell instanceof HTMLElement ? cell : null;
}

/**
 * The log step axis's ticks: 0 (the left edge), then 1–9 of every power of ten in range.
 * @param {uPlot} u
 * @param {number} axisIdx
 * @param {number} min
 * @param {number} max
 * @returns {number[]}
 */
export function logSplits(u, axisIdx, min, max) {
  const out = min <= 0 ? [0] : [];
  for (let decade = 1; decade <= max; decade *= 10) {
    for (let m = 1; m < 10; m++) {
      if (m * decade >= min && m * decade <= max) out.push(m * decade);
    }
  }
  return out;
}

/**
 * A tick's label (uPlot leaves only 0 and the powers of ten on a log axis: the others are null).
 * @param {number|null} v
 * @returns {string}
 */
export function stepText(v) {
  return v == null ? '' : v.toLocaleString('en-US');
}

/**
 * The linear step axis's ticks: every multiple of `incr` in [min, max]. Near 2^53 a
 * step plus a small increment is the same number (a double has no room left), and a
 * loop that adds it never ends; past a thousand ticks, or there, only the two ends.
 * @param {uPlot} _u
 * @param {number} _axisIdx
 * @param {number} min
 * @param {number} max
 * @param {number} incr
 * @returns {number[]}
 */
export function linearSplits(_u, _axisIdx, min, max, incr) {
  if (!(incr > 0) || !Number.isFinite(min) || !Number.isFinite(max) || (max - min) / incr > 1000 || max + incr === max) {
    return [min, max];
  }
  const ticks = [];
  for (let x = Math.ceil(min / incr) * incr; x <= max; x += incr) ticks.push(x);
  return ticks;
}
