// The loss chart's series and ticks, without a browser: it owns its points, keeps them
// in step order when W is rewound, and replaces a point whose step comes again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LossChart, ticks } from '../../www/lossChart.js';

const chart = () => new LossChart({});

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

test('ticks are round numbers covering the range', () => {
  assert.deepEqual(ticks(0, 200, 5, 1), [0, 50, 100, 150, 200]);
  assert.deepEqual(ticks(2.4, 3.8, 5).map((t) => t.toFixed(1)), ['2.5', '3.0', '3.5']);
  assert.deepEqual(ticks(2.4, 3.8, 10).map((t) => t.toFixed(1)), ['2.4', '2.6', '2.8', '3.0', '3.2', '3.4', '3.6', '3.8']);
  assert.deepEqual(ticks(0, 1, 5, 1), [0, 1], 'steps are whole');
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
