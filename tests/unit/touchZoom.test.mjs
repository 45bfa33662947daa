// A finger on the loss chart without a browser (www/lib/touchZoom.js): a touch is a tap
// until it moves, a drag across selects steps and one up or down is the page's scroll;
// the span a drag covers stays within the plot, either way round; and the steps it
// covers come from the axis's own mapping, none for a span too narrow to mean a zoom.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRAG_PX, touchKind, dragSpan, spanSteps } from '../../www/lib/touchZoom.js';

test('a touch is a tap until it has moved DRAG_PX, then a selection across or a scroll up or down', () => {
  assert.equal(touchKind(0, 0), 'tap');
  assert.equal(touchKind(DRAG_PX - 1, 0), 'tap');
  assert.equal(touchKind(5, 5), 'tap', '7.1 px on the slant is still a tap');
  assert.equal(touchKind(DRAG_PX, 0), 'select');
  assert.equal(touchKind(-30, 10), 'select', 'leftwards counts');
  assert.equal(touchKind(10, -30), 'scroll');
  assert.equal(touchKind(0, 40), 'scroll');
  assert.equal(touchKind(20, 20), 'select', 'a diagonal goes to the chart');
  assert.equal(touchKind(3, 0, 2), 'select', 'the threshold is a parameter');
});

test('a drag\'s span is the same either way round and stays within the plot', () => {
  assert.deepEqual(dragSpan(50, 150, 200), { left: 50, width: 100 });
  assert.deepEqual(dragSpan(150, 50, 200), { left: 50, width: 100 });
  assert.deepEqual(dragSpan(-20, 80, 200), { left: 0, width: 80 }, 'a finger that began left of the plot');
  assert.deepEqual(dragSpan(120, 260, 200), { left: 120, width: 80 }, 'one that ran off its right edge');
  assert.deepEqual(dragSpan(-5, -50, 200), { left: 0, width: 0 }, 'wholly outside: nothing');
});

test('the steps a span covers come from the axis\'s mapping, none for a span too narrow', () => {
  const linear = (px) => px / 10; // 10 px a step
  assert.deepEqual(spanSteps({ left: 50, width: 100 }, linear), [5, 15]);
  assert.equal(spanSteps({ left: 50, width: DRAG_PX }, linear), null, 'DRAG_PX wide is a slip, not a zoom');
  assert.deepEqual(spanSteps({ left: 50, width: 2 }, linear, 1), [5, 5.2], 'the mouse\'s own threshold');
  const log = (px) => Math.sinh(px / 20); // an asinh axis
  const [lo, hi] = spanSteps({ left: 0, width: 100 }, log);
  assert.equal(lo, 0);
  assert.ok(Math.abs(hi - Math.sinh(5)) < 1e-9);
  assert.equal(spanSteps({ left: 10, width: 50 }, () => 3), null, 'a mapping that gives no range');
  assert.equal(spanSteps({ left: 10, width: 50 }, () => NaN), null);
});
