// The shared colour ramps: white for nothing, the darkest blue for the largest value,
// red only for negative values of a signed table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colour, maxAbs, BLUES, REDS, label, contextDigits, contextLabel } from '../../www/draw.js';

test('values map onto the ramps by √(|v| / scale)', () => {
  assert.deepEqual(colour(0, 1, false), BLUES[0]);
  assert.deepEqual(colour(1, 1, false), BLUES[BLUES.length - 1]);
  assert.deepEqual(colour(5, 1, false), BLUES[BLUES.length - 1], 'clamped');
  assert.deepEqual(colour(-1, 1, true), REDS[REDS.length - 1]);
  assert.deepEqual(colour(-1, 1, false), BLUES[BLUES.length - 1], 'unsigned tables stay blue');
  assert.deepEqual(colour(NaN, 1, false), BLUES[0]);
  assert.deepEqual(colour(1, 0, false), BLUES[0], 'a zero scale shows nothing');
  // √0.25 = 0.5: the middle of the five-stop ramp (within the 256-step table's rounding).
  colour(0.25, 1, false).forEach((c, i) => assert.ok(Math.abs(c - BLUES[2][i]) <= 2, `${c} vs ${BLUES[2][i]}`));
});

test('maxAbs skips non-finite values; spaces get a visible label', () => {
  assert.equal(maxAbs([1, -3, NaN, Infinity, 2]), 3);
  assert.equal(maxAbs([]), 0);
  assert.equal(label(' '), '␠');
  assert.equal(label('a'), 'a');
});

test('context rows read as characters, oldest first: row = a·V + b', () => {
  assert.deepEqual(contextDigits(0, 1, 27), [0]);
  assert.deepEqual(contextDigits(5, 1, 27), [5]);
  assert.deepEqual(contextDigits(5 * 27 + 13, 2, 27), [5, 13]);
  assert.deepEqual(contextDigits(26 * 729 + 1 * 27 + 2, 3, 27), [26, 1, 2]);
  const vocab = ['.', ...'abcdefghijklmnopqrstuvwxyz'];
  assert.equal(contextLabel(5 * 27 + 13, 2, vocab), 'em');
  assert.equal(contextLabel(0, 3, vocab), '...');
  assert.equal(contextLabel(1, 2, [' ', 'x']), '␠x');
});
