// The sweep chart's pure helpers in Node: which point is best by the dev loss
// (www/lib/series.js), and how a strength is written on the axis and in the table (www/components/draw.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestIndex } from '../../www/lib/series.js';
import { strengthText } from '../../www/lib/format.js';

test('the best point is the lowest finite dev loss; none without one', () => {
  const pts = [
    { value: 1e-4, train: 2.1, dev: 2.3 },
    { value: 0.1, train: 2.2, dev: 2.24 },
    { value: 1, train: 2.3, dev: NaN },
    { value: 10, train: 2.4, dev: 2.38 },
  ];
  assert.equal(bestIndex(pts), 1);
  assert.equal(bestIndex([]), -1);
  assert.equal(bestIndex([{ value: 1, train: 2, dev: NaN }]), -1);
  // A tie keeps the smaller strength (the first).
  assert.equal(bestIndex([{ value: 1, train: 2, dev: 2 }, { value: 2, train: 2, dev: 2 }]), 0);
});

test('strengths as short text: three significant digits, an exponent below 0.001', () => {
  assert.equal(strengthText(0), '0');
  assert.equal(strengthText(1e-4), '1e−4');
  assert.equal(strengthText(10 ** -3.5), '3.16e−4');
  assert.equal(strengthText(0.001), '0.001');
  assert.equal(strengthText(10 ** -1.5), '0.0316');
  assert.equal(strengthText(0.1), '0.1');
  assert.equal(strengthText(10 ** 0.5), '3.16');
  assert.equal(strengthText(100), '100');
});
