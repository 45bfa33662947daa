// A finger on a chart's plot, apart from the page so that Node tests it: whether a touch
// is a tap (the readout), a drag across (a zoom to the steps it covers) or a drag up or
// down (the page's scroll, left to the browser), and the steps a drag covered.

/** How far (CSS px) a finger moves before a touch is a drag rather than a tap. */
export const DRAG_PX = 8;

/**
 * What a touch that has moved (dx, dy) from where it began is: a tap until it has gone
 * `min` px, then a selection when it went more across than up or down, else a scroll.
 * @param {number} dx
 * @param {number} dy
 * @param {number} [min]
 * @returns {'tap'|'select'|'scroll'}
 */
export function touchKind(dx, dy, min = DRAG_PX) {
  if (Math.hypot(dx, dy) < min) return 'tap';
  return Math.abs(dx) >= Math.abs(dy) ? 'select' : 'scroll';
}

/**
 * The part of the plot a drag from x0 to x1 (CSS px from the plot's left, either way
 * round) covers, kept within the plot's width: a finger may leave the plot.
 * @param {number} x0
 * @param {number} x1
 * @param {number} width the plot's width
 * @returns {{left: number, width: number}}
 */
export function dragSpan(x0, x1, width) {
  /** @param {number} x */
  const inside = (x) => Math.min(width, Math.max(0, x));
  const left = inside(Math.min(x0, x1));
  return { left, width: inside(Math.max(x0, x1)) - left };
}

/**
 * The steps a span of the plot covers, [lo, hi], through the axis's own mapping from
 * CSS px to steps (linear or log); null for a span `min` px wide or less (a slip of the
 * finger or the mouse is not a zoom), or one the mapping cannot place.
 * @param {{left: number, width: number}} span
 * @param {(px: number) => number} toStep
 * @param {number} [min]
 * @returns {[number, number]|null}
 */
export function spanSteps(span, toStep, min = DRAG_PX) {
  if (!(span.width > min)) return null;
  const lo = toStep(span.left);
  const hi = toStep(span.left + span.width);
  return Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? [lo, hi] : null;
}
