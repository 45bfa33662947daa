// The shared colour ramps: the first stop (the ground) for nothing, the last for the
// largest value, the negative ramp only for negative values of a signed table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colour, maxAbs, label, contextDigits, contextLabel, parseRamp, readPalette } from '../../www/components/draw.js';

/** A palette whose ramps are given and whose other colours are placeholders. */
const paletteOf = (ramp, negative) => readPalette((name) => ({ '--heat-ramp': ramp, '--heat-ramp-negative': negative }[name] ?? 'x'));
const BLUES_TEXT = '#f7fbff #c6dbef #6baed6 #2171b5 #08306b';
const REDS_TEXT = '#fff5f0 #fcbba1 #ef3b2c #99000d';
const BLUES = parseRamp(BLUES_TEXT);
const REDS = parseRamp(REDS_TEXT);
const pal = paletteOf(BLUES_TEXT, REDS_TEXT);

test('values map onto the ramps by √(|v| / scale)', () => {
  assert.deepEqual(colour(0, 1, false, pal), BLUES[0]);
  assert.deepEqual(colour(1, 1, false, pal), BLUES[BLUES.length - 1]);
  assert.deepEqual(colour(5, 1, false, pal), BLUES[BLUES.length - 1], 'clamped');
  assert.deepEqual(colour(-1, 1, true, pal), REDS[REDS.length - 1]);
  assert.deepEqual(colour(-1, 1, false, pal), BLUES[BLUES.length - 1], 'unsigned tables stay blue');
  assert.deepEqual(colour(NaN, 1, false, pal), BLUES[0]);
  assert.deepEqual(colour(1, 0, false, pal), BLUES[0], 'a zero scale shows nothing');
  // √0.25 = 0.5: the middle of the five-stop ramp (within the 256-step table's rounding).
  colour(0.25, 1, false, pal).forEach((c, i) => assert.ok(Math.abs(c - BLUES[2][i]) <= 2, `${c} vs ${BLUES[2][i]}`));
});

test('a ramp is read from CSS text; fewer than two stops is refused', () => {
  assert.deepEqual(parseRamp(' #000000 #FF8000\n'), [[0, 0, 0], [255, 128, 0]]);
  assert.deepEqual(parseRamp('#161b22, #d4ebff'), [[22, 27, 34], [212, 235, 255]]);
  assert.throws(() => parseRamp('#fff #000'), /two or more #rrggbb/);
  assert.throws(() => parseRamp(''), /two or more/);
  // Another palette's ramps give other colours: the theme reaches every cell.
  const dark = paletteOf('#161b22 #d4ebff', '#161b22 #ffe0d4');
  assert.deepEqual(colour(0, 1, true, dark), [22, 27, 34]);
  assert.deepEqual(colour(-1, 1, true, dark), [255, 224, 212]);
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
