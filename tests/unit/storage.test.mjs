// The loss history's thinning before it is saved (www/storage.js), in Node: storage.js
// touches localStorage only inside its functions, so importing it needs no browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thin, readHistory, load, saveModel, saveView, forget, setAside } from '../../www/storage.js';

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
// points (the k-th ones, then the last on top); thin now takes k = ceil(n / 999).
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

/** A localStorage stand-in for Node. */
function fakeStorage(entries = {}) {
  const map = new Map(Object.entries(entries));
  globalThis.localStorage = {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => { map.set(k, String(v)); },
    removeItem: (k) => { map.delete(k); },
  };
  return map;
}

test('the model and the view are saved and read apart; forget removes both', () => {
  const map = fakeStorage();
  assert.equal(saveView({ settings: { lr: 40 }, word: 'ava' }), null);
  assert.deepEqual(load(), { model: null, view: { settings: { lr: 40 }, word: 'ava' }, damaged: [] }, 'a view without a model');
  saveModel({ model: { w: [1] }, history: { steps: [0], losses: [3] } });
  const both = load();
  assert.deepEqual(both.model.model, { w: [1] });
  assert.equal(both.view.word, 'ava');
  forget();
  assert.equal(map.size, 0);
});

test('a damaged key is reported and loses nothing of the other; the old single key still reads', () => {
  fakeStorage({ 'bigram-lab/state/v1': JSON.stringify({ model: { w: [2] } }), 'bigram-lab/view/v1': '{broken' });
  const { model, view, damaged } = load();
  assert.deepEqual(model.model, { w: [2] });
  assert.equal(view, null);
  assert.deepEqual(damaged, ['bigram-lab/view/v1']);
  const map = fakeStorage({ 'bigram-lab/state/v1': JSON.stringify({ model: { w: [3] }, settings: { lr: 7 }, word: 'mia' }) });
  assert.deepEqual(load().view, { settings: { lr: 7 }, word: 'mia' }, 'the format before the view had its own key');
  setAside(['bigram-lab/state/v1']);
  assert.ok(map.has('bigram-lab/state/v1/set-aside'));
  delete globalThis.localStorage;
});
