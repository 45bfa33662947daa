// Zoom by touch on a uPlot chart. uPlot's own drag to zoom listens to the mouse, and a
// browser makes mouse events of a tap only, never of a finger drawn across: here a
// finger drawn across the plot shows the steps it covers (the readout follows it) and
// zooms to them when it lifts. The plot's overlay has `touch-action: pan-y pinch-zoom`
// (style.css), so a finger drawn up or down still scrolls the page and two still zoom
// it; a tap still reads out, through the mouse events the browser makes of it.

import { touchKind, dragSpan, spanSteps } from '../lib/touchZoom.js';

/**
 * Listens for touch drags on `u`'s plot and calls `zoom` with the steps one covered.
 * @param {uPlot} u
 * @param {(lo: number, hi: number) => void} zoom
 */
export function zoomByTouch(u, zoom) {
  const { over } = u;
  /** @type {{id: number, x: number, y: number, kind: 'tap'|'select'|'scroll'}|null} */
  let drag = null;
  /** @param {PointerEvent} e @returns {[number, number]} where e is, in CSS px from the plot's corner */
  const at = (e) => {
    const r = over.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  /** @param {PointerEvent} e */
  const span = (e) => dragSpan(drag?.x ?? 0, at(e)[0], over.clientWidth);
  const end = () => {
    if (drag?.kind === 'select') u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    drag = null;
  };
  over.addEventListener('pointerdown', (/** @type {PointerEvent} */ e) => {
    if (e.pointerType !== 'touch') return;
    if (!e.isPrimary) {
      end(); // a second finger: a pinch, the browser's
      return;
    }
    const [x, y] = at(e);
    drag = { id: e.pointerId, x, y, kind: 'tap' };
  });
  over.addEventListener('pointermove', (/** @type {PointerEvent} */ e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const [x, y] = at(e);
    if (drag.kind === 'tap') drag.kind = touchKind(x - drag.x, y - drag.y);
    if (drag.kind === 'scroll') end();
    if (drag?.kind !== 'select') return;
    const { left, width } = span(e);
    u.setSelect({ left, top: 0, width, height: over.clientHeight }, false);
    u.setCursor({ left: Math.min(over.clientWidth, Math.max(0, x)), top: y });
  });
  over.addEventListener('pointerup', (/** @type {PointerEvent} */ e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const steps = drag.kind === 'select' ? spanSteps(span(e), (px) => u.posToVal(px, 'x')) : null;
    end();
    if (steps) zoom(...steps);
  });
  over.addEventListener('pointercancel', (/** @type {PointerEvent} */ e) => {
    if (drag && e.pointerId === drag.id) end();
  });
}
