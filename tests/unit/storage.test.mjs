// The loss history's thinning before it is saved (www/storage.js), in Node: storage.js
// touches localStorage only inside its functions, so importing it needs no browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thin, readHistory } from '../../www/storage.js';

/** A history of n points: steps 0…n−1, a loss and a dev loss that name their step. */
function history(n, marks = []) {
  const steps = Array.from({ length: n }, (_, i) => i);
  return { steps, losses: steps.map((s) => 10 + s), dev: steps.map((s) => 20 + s), marks };
}

test('a history of at most 1000 points is kept whole', () => {
  for (const n of [0, 1, 2, 999, 1000]) {
    const h = history(n, [3]);
    assert.deepEqual(thin(h), h, `${n} points`);
  }
});

test('a longer history keeps every k-th point and always the last', () => {
  const t = thin(history(2500));
  // k = ceil(2500 / 1000) = 3: steps 0, 3, …, 2499 (itself a multiple of 3).
  assert.equal(t.steps.length, 834);
  assert.deepEqual(t.steps.slice(0, 4), [0, 3, 6, 9]);
  assert.equal(t.steps.at(-1), 2499);

  const odd = thin(history(1234));
  // k = 2: the even steps 0…1232, then the last, 1233, which is odd.
  assert.equal(odd.steps.length, 618);
  assert.deepEqual(odd.steps.slice(-3), [1230, 1232, 1233]);

  const justOver = thin(history(1001));
  assert.equal(justOver.steps.length, 501);
  assert.equal(justOver.steps.at(-1), 1000);
});

test('losses and dev losses stay with their steps', () => {
  for (const n of [1234, 2500, 7777]) {
    const t = thin(history(n));
    assert.deepEqual(t.losses, t.steps.map((s) => 10 + s), `${n} points`);
    assert.deepEqual(t.dev, t.steps.map((s) => 20 + s), `${n} points`);
    assert.equal(t.steps.at(-1), n - 1);
    assert.ok(t.steps.length <= 1000, `${n} points thin to ${t.steps.length}`);
  }
});

test('the resample marks are kept, up to the last 1000', () => {
  const marks = [40, 900, 1500];
  assert.deepEqual(thin(history(5555, marks)).marks, [40, 900, 1500]);
  const many = Array.from({ length: 1200 }, (_, i) => i * 2);
  assert.deepEqual(thin(history(10, many)).marks, many.slice(200));
});

test('a history without dev losses or marks gets empty ones', () => {
  const t = thin({ steps: [0, 1, 2], losses: [3, 2, 1] });
  assert.deepEqual(t, { steps: [0, 1, 2], losses: [3, 2, 1], dev: [], marks: [] });
});

// Found by this test: with k = ceil(n / 1000), an exact multiple of 1000 kept 1001
// points (the k-th ones, then the last on top).
test('at most 1000 points remain for any length', () => {
  for (const n of [1999, 2000, 3000, 5000]) {
    const t = thin(history(n));
    assert.ok(t.steps.length <= 1000, `${n} points thin to ${t.steps.length}`);
    assert.equal(t.steps.at(-1), n - 1);
  }
});

test('a saved history is read back checked: broken parts give empty ones, null dev is NaN', () => {
  assert.deepEqual(readHistory({ steps: [0, 1], losses: [3, 2], dev: [null, 2.5], marks: [1, 'x'] }),
    { steps: [0, 1], losses: [3, 2], dev: [NaN, 2.5], marks: [1] });
  const empty = { steps: [], losses: [], dev: [], marks: [] };
  assert.deepEqual(readHistory(null), empty);
  assert.deepEqual(readHistory({ steps: [0, 1], losses: [3] }), empty, 'lengths differ');
  assert.deepEqual(readHistory({ steps: [0], losses: [NaN] }), empty, 'a non-finite loss');
  assert.deepEqual(readHistory({ steps: [0], losses: [3], dev: [1, 2] }).dev, [NaN], 'dev of another length');
});
