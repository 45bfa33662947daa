// The loss chart's data without a browser: the history (www/lib/series.js) keeps its points in
// step order when W is rewound and replaces a point whose step comes again; tries of
// Resample at one step each get a place of their own on the axis and a label; `thin`
// (www/components/draw.js) picks the few points of a long history that the chart hands to uPlot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LossHistory, placeOf, triesOf, tryLabel } from '../../www/lib/series.js';
import { thin } from '../../www/components/draw.js';
import { markLines } from '../../www/components/lossMarks.js';

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

test('tries of Resample at step 0 each get a place of their own, up to step 1, and say which try they are', () => {
  const c = chart();
  c.append(0, 3.77, null);
  for (const loss of [3.70, 3.69, 3.694]) {
    c.mark(0);
    c.append(0, loss, null);
  }
  const { steps, marks } = c.series();
  assert.deepEqual(steps, [0, 0, 0, 0], 'the history keeps every try at its step');
  assert.deepEqual(steps.map((_, i) => placeOf(steps, i).x), [0, 0.25, 0.5, 0.75]);
  assert.equal(placeOf(steps, 0).try, null, 'the seed\'s W is no try');
  assert.deepEqual(placeOf(steps, 2).try, { step: 0, try: 2, of: 3 });
  const tries = triesOf(steps, marks);
  assert.deepEqual(tries.map((t) => [t.index, t.x, t.try.try]), [[1, 0.25, 1], [2, 0.5, 2], [3, 0.75, 3]]);
  assert.deepEqual(tries.map((t) => tryLabel(t.try)), ['try 1', 'try 2', 'try 3']);
  // Training goes on from the last try: the next step is one unit on.
  c.append(1, 3.4, null);
  assert.deepEqual(c.series().steps.map((_, i) => placeOf(c.series().steps, i).x), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(triesOf(c.series().steps, c.series().marks).length, 3);
});

test('a step\'s only resample sits half a step on and is labelled "resample"; a mark that kept no point stays at its step', () => {
  const steps = [0, 1, 2, 2, 3];
  assert.deepEqual(placeOf(steps, 3), { x: 2.5, step: 2, try: { step: 2, try: 1, of: 1 } });
  assert.deepEqual(placeOf(steps, 4), { x: 3, step: 3, try: null });
  const tries = triesOf(steps, [2, 3]);
  assert.deepEqual(tries.map((t) => t.index), [3]);
  assert.equal(tryLabel(tries[0].try), 'resample');
  // Step 3's resample was followed by a change that replaced its point (λ, say): its line stays at 3.
  assert.deepEqual(markLines(tries, [2, 3, 3]), [{ x: 2.5, label: 'resample' }, { x: 3, label: 'resample' }]);
  assert.deepEqual(triesOf([], [0]), [], 'an empty history has none');
});

test('every try at a resample\'s step goes to the plot, in range or zoomed into the step\'s unit', () => {
  const steps = [0, 0, 0, 0, ...Array.from({ length: 10000 }, (_, i) => i + 1)];
  const all = thin(steps, 0, 10000, 50, undefined, [0, 0, 0]);
  assert.deepEqual(all.slice(0, 4), [0, 1, 2, 3], 'the seed\'s W and its three tries');
  // Zoomed to steps 0.3–0.6: within step 0's unit, where tries 2 and 3 are drawn.
  const zoomed = thin(steps, 0.3, 0.6, 50, undefined, [0]);
  assert.deepEqual(zoomed, [0, 1, 2, 3, 4], 'the tries and the first point after them');
  assert.deepEqual(thin(steps, 2, 10, 50, undefined, [0]).includes(1), false, 'a unit out of range adds nothing');
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
