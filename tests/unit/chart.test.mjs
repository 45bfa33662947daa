// The loss chart's data without a browser: the history (www/lib/series.js) keeps its points in
// step order when W is rewound and replaces a point whose step comes again; `thin`
// (www/components/draw.js) picks the few points of a long history that the chart hands to uPlot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LossHistory } from '../../www/lib/series.js';
import { thin } from '../../www/components/draw.js';

const chart = () => new LossHistory();

test('points are appended in step order; a rewound step drops the points after it', () => {
  const c = chart();
  c.append(0, 3.77, null);
  c.append(1, 3.37, null);
  c.append(2, 3.13, null);
  c.mark(2);
  c.append(5, 2.9, null);
  // A divergence sent W back to step 2: steps 2 and 5 go, the new step-2 point stays.
  c.append(2, 3.1, null);
  assert.deepEqual(c.series().steps, [0, 1, 2]);
  assert.deepEqual(c.series().losses, [3.77, 3.37, 3.1]);
  assert.deepEqual(c.series().marks, [2], 'a mark at the step kept stays');
  c.append(1, 3.3, null);
  assert.deepEqual(c.series().marks, [], 'marks after the step go');
});

test('a dev loss is kept per point, NaN where there is none', () => {
  const c = chart();
  c.append(0, 3.7, 3.8);
  c.append(1, 3.5, null);
  assert.deepEqual(c.series().dev.map(String), ['3.8', 'NaN']);
});

test('restore copies the series; clear empties it', () => {
  const c = chart();
  const saved = { steps: [0, 10], losses: [3, 2.5], dev: [NaN, NaN], marks: [10] };
  c.restore(saved);
  c.append(11, 2.4, null);
  assert.deepEqual(saved.steps, [0, 10], 'the saved arrays are not changed');
  assert.deepEqual(c.series().steps, [0, 10, 11]);
  c.clear();
  assert.deepEqual(c.series(), { steps: [], losses: [], dev: [], marks: [] });
});

test('a resample keeps the point before the jump beside the one after it', () => {
  const c = chart();
  c.append(0, 3.77, null);
  c.append(5, 3.0, null);
  c.mark(5);
  c.append(5, 3.9, null);
  assert.deepEqual(c.series().steps, [0, 5, 5]);
  assert.deepEqual(c.series().losses, [3.77, 3.0, 3.9]);
  c.append(5, 3.8, null); // λ changed: the same W, another loss replaces the last point only
  assert.deepEqual(c.series().losses, [3.77, 3.8]);
});

test('a short history is drawn whole', () => {
  const xs = [0, 1, 2, 3, 4];
  assert.deepEqual(thin(xs, 0, 4, 100), [0, 1, 2, 3, 4]);
  assert.deepEqual(thin([], 0, 1, 100), []);
  assert.deepEqual(thin([0], 0, 1, 100), [0]);
});

test('a long history gives one point per slice of the axis, the last point, and both ends of a jump', () => {
  const xs = Array.from({ length: 100001 }, (_, i) => i);
  xs.splice(5001, 0, 5000); // a resample at step 5000: two points at that step
  const picked = thin(xs, 0, 100000, 100, undefined, [5000]);
  assert.ok(picked.length <= 104, `${picked.length} points`);
  assert.equal(picked[0], 0);
  assert.equal(picked.at(-1), xs.length - 1, 'the latest point is always drawn');
  assert.ok(picked.includes(5000) && picked.includes(5001), 'both sides of the jump');
  // One point every 1000 steps: the first of each slice.
  assert.deepEqual(picked.slice(0, 4).map((i) => xs[i]), [0, 1000, 2000, 3000]);
  assert.deepEqual([...picked].sort((a, b) => a - b), picked, 'in order');
  assert.equal(new Set(picked).size, picked.length, 'no repeats');
});

test('a zoomed range keeps its points and one neighbour on each side, so the lines reach the edges', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => i * 10);
  const picked = thin(xs, 105, 195, 1000);
  assert.deepEqual(picked.map((i) => xs[i]), [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
  // A mark outside the range adds nothing.
  assert.deepEqual(thin(xs, 105, 195, 1000, undefined, [5000]), picked);
});

test('on a log axis the slices are equal in log(step): the first steps keep their points', () => {
  const xs = Array.from({ length: 100001 }, (_, i) => i);
  const linear = thin(xs, 0, 100000, 50).map((i) => xs[i]);
  const log = thin(xs, 0, 100000, 50, Math.asinh).map((i) => xs[i]);
  assert.deepEqual(linear.slice(0, 3), [0, 2000, 4000]);
  // asinh(100000) ≈ 12.2, so a slice is ≈ 0.24 wide: steps 0 and 1 each have one of their own.
  assert.deepEqual(log.slice(0, 4), [0, 1, 2, 3]);
  assert.ok(log.length <= 52, `${log.length} points`);
  assert.ok(log.filter((s) => s < 100).length > 15, 'the first hundred steps are a good part of the picture');
});
