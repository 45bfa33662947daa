// What is read back from storage, checked in full (www/lib/records.js), and the slots'
// store against damaged and lying keys (www/lib/storage.js): nothing read can break the
// page, no summary is taken on its word, the word list travels with its model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkHistory, checkRecord, checkView, checkWords, isMeta, sameWords, wordsOf, fingerprint, describeWords, classifyEvent,
} from '../../www/lib/records.js';
import { Store, KEYS, BUDGET_CHARS, exportCharsBound, forgetAll } from '../../www/lib/storage.js';
import { LossHistory } from '../../www/lib/series.js';

const error = (h, last) => checkHistory(h, last).error;

test('a history: steps whole, strictly increasing, within 2^53 − 1 and the model\'s steps', () => {
  assert.equal(error({ steps: [0, 1, 2], losses: [3, 2, 1] }), undefined);
  assert.equal(error({ steps: [0, 2, 1], losses: [3, 2, 1] }), 'its loss history\'s steps are out of order');
  assert.equal(error({ steps: [1e300, 0, 1], losses: [3, 2, 1] }), 'its loss history has steps that are not whole numbers up to 2^53 − 1');
  assert.equal(error({ steps: [0, 2 ** 53], losses: [3, 2] }), 'its loss history has steps that are not whole numbers up to 2^53 − 1');
  assert.equal(error({ steps: [0, 1.5], losses: [3, 2] }), 'its loss history has steps that are not whole numbers up to 2^53 − 1');
  assert.equal(error({ steps: [0, 1], losses: [3] }), 'its loss history does not have as many steps as losses');
  assert.equal(error({ steps: ['0'], losses: [3] }), 'its loss history has steps that are not whole numbers up to 2^53 − 1');
  assert.equal(error({ steps: [0], losses: [null] }), 'its loss history has losses that are not numbers');
  assert.equal(error({ steps: [0, 5], losses: [3, 2] }, 4), 'its loss history goes past the model\'s step count');
  assert.equal(error({ steps: [0, 1], losses: [3, 2], marks: [7] }), 'its resample marks lie outside its loss history');
  assert.equal(error({ steps: [0, 1], losses: [3, 2], dev: [1] }), 'its dev losses do not match its steps');
  assert.equal(error({ steps: [0, 1], losses: [3, 2], dev: 'x' }), 'its dev losses do not match its steps');
  assert.equal(error('x'), 'its loss history is not a list of points');
  assert.equal(error({ steps: Array(1001).fill(0), losses: Array(1001).fill(0) }), 'its loss history has more than 1000 points');
  assert.deepEqual(checkHistory(undefined).history, { steps: [], losses: [], dev: [], marks: [] }, 'an old record: none');
});

test('a step repeats only at a resample mark, as LossHistory keeps both ends of the jump', () => {
  const h = new LossHistory();
  h.append(0, 3, null);
  h.append(1, 2.9, null);
  h.mark(1);
  h.append(1, 3.3, null);
  h.mark(1);
  h.append(1, 3.1, null);
  h.append(2, 3.0, 3.2);
  const saved = JSON.parse(JSON.stringify(h.series()));
  assert.deepEqual(saved.steps, [0, 1, 1, 1, 2]);
  const back = checkHistory(saved, 2);
  assert.equal(back.error, undefined);
  assert.deepEqual(back.history.dev.map(Number.isNaN), [true, true, true, true, false], 'null dev read back as NaN');
  assert.equal(error({ ...saved, marks: [] }, 2), 'its loss history\'s steps are out of order', 'a repeat without its mark');
});

const model = (steps = 3) => ({ format: 'bigram-lab-model', steps, context: 1, encoding: 'context', w: [0.5], vocab: '.a' });

test('a record: model, history within its steps, settings of the right types, its words, its time', () => {
  assert.equal(checkRecord({ model: model(), history: { steps: [0, 3], losses: [3, 2] } }).error, undefined);
  assert.equal(checkRecord(null).error, 'it holds no model');
  assert.equal(checkRecord({ model: { ...model(), steps: 1e300 } }).error, 'its step count is not a whole number up to 2^53 − 1');
  assert.equal(checkRecord({ model: { ...model(), context: 'constructor' } }).error, 'its context is not 1, 2 or 3 characters');
  assert.equal(checkRecord({ model: { ...model(), w: 'x' } }).error, 'its weights are not a list');
  assert.equal(checkRecord({ model: model(), settings: { lr: {} } }).error, 'its settings are not of the right types');
  assert.equal(checkRecord({ model: model(), settings: [1] }).error, 'its settings are not of the right types');
  assert.equal(checkRecord({ model: model(), savedAt: 1e300 }).error, 'its time is not a time');
  assert.equal(checkRecord({ model: model(), words: { name: 'x', size: 1, count: 1, hash: 'zz' } }).error, 'its word list is not described');
  const words = wordsOf('ann\nbob', 'mine.txt');
  assert.deepEqual(checkRecord({ model: model(), words }).record.words, words);
  assert.equal(checkRecord({ model: model(), words: { ...words, text: 'ann\nbot' } }).error, 'its word list does not match its fingerprint');
});

test('word lists: the default, a text with its fingerprint, a reference without it', () => {
  assert.deepEqual(checkWords(undefined).words, { default: true });
  const words = wordsOf('ann\nbob\n', 'mine.txt');
  assert.equal(words.count, 2);
  assert.equal(fingerprint('ann\nbob\n'), words.hash);
  assert.notEqual(fingerprint('ann\nbob'), words.hash);
  assert.match(words.hash, /^[0-9a-f]{16}$/);
  const reference = { ...words };
  delete reference.text;
  assert.ok(sameWords(reference, words) && sameWords(words, reference));
  assert.ok(!sameWords(words, { default: true }) && sameWords({ default: true }, { default: true }));
  assert.equal(describeWords({ ...reference, size: 5_200_000, count: 1_300_000 }), '“mine.txt” (1,300,000 words, 5.2 MB)');
});

test('a view: settings of the right types and a word that is text', () => {
  assert.deepEqual(checkView({ settings: { lr: 40 }, word: 'ava' }).view, { settings: { lr: 40 }, word: 'ava' });
  assert.equal(checkView({ settings: { lr: 40 }, word: 42 }).error, 'its word is not text');
  assert.equal(checkView({ settings: 'x' }).error, 'its settings are not of the right types');
  assert.equal(checkView([]).error, 'it is not a view');
});

test('a summary is checked on its own; a garbage one is no news from another tab', () => {
  const meta = { id: 'a', savedAt: 1000, steps: 3, context: 1, encoding: 'context', chars: 10 };
  assert.ok(isMeta(meta, 'a'));
  for (const bad of [{ steps: '<b>x</b>' }, { context: 'constructor' }, { savedAt: 'x' }, { savedAt: 1e300 }, { chars: -1 }, { id: 'b' }]) {
    assert.equal(isMeta({ ...meta, ...bad }, 'a'), false, JSON.stringify(bad));
  }
  assert.equal(classifyEvent({ key: `${KEYS.meta}a`, newValue: JSON.stringify({ ...meta, context: 'constructor' }) }, 'me'), null);
  assert.deepEqual(classifyEvent({ key: `${KEYS.meta}a`, newValue: JSON.stringify(meta) }, 'me'), { kind: 'saved', meta });
});

test('the bound of an export: the library\'s when it has one, else W\'s weights at 20 characters', () => {
  assert.equal(exportCharsBound({ contextLength: 3, vocabSize: 27, encoding: 'context' }), 27 ** 4 * 20 + 1000);
  assert.equal(exportCharsBound({ contextLength: 3, vocabSize: 27, encoding: 'concat' }), 3 * 27 * 27 * 20 + 1000);
  assert.equal(exportCharsBound({ contextLength: 3, vocabSize: 27, encoding: 'context', exportCharsBound: 123 }), 123);
  assert.equal(exportCharsBound({ contextLength: 3, vocabSize: 27, encoding: 'context', exportCharsBound: () => 456 }), 456);
  assert.ok(exportCharsBound({ contextLength: 3, vocabSize: 27, encoding: 'context' }) > BUDGET_CHARS);
  assert.ok(exportCharsBound({ contextLength: 2, vocabSize: 27, encoding: 'context' }) < BUDGET_CHARS);
});

/** A Storage stand-in over a Map. */
function fakeStorage(entries = {}) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => { map.set(k, String(v)); },
    removeItem: (k) => { map.delete(k); },
  };
}

function browser() {
  const local = fakeStorage();
  let clock = 1000;
  let ids = 0;
  return { local, tab: (session = fakeStorage()) => new Store({ local, session, now: () => clock++, newId: () => `tab${++ids}` }) };
}

const save = (store, steps, words) => store.saveModel({ model: model(steps), history: { steps: [0, steps], losses: [3, 2], dev: [NaN, NaN], marks: [] }, settings: {}, words });

test('a summary claiming 5e6 characters drops nothing: sizes are the records\' own lengths', () => {
  const b = browser();
  const real = b.tab();
  const liar = b.tab();
  save(real, 3);
  save(liar, 4);
  b.local.setItem(KEYS.meta + liar.tabId, JSON.stringify({ id: liar.tabId, savedAt: 1, steps: 4, context: 1, encoding: 'context', chars: 5e6 }));
  const me = b.tab();
  const result = save(me, 5);
  assert.equal(result.error, null);
  assert.deepEqual(result.dropped, []);
  assert.equal(me.slots().length, 3);
  assert.ok(me.slots().every((m) => m.chars < 1000), 'measured');
});

test('a summary that disagrees with its record: the record wins, the summary is set aside and written again', () => {
  const b = browser();
  const session = fakeStorage();
  const a = b.tab(session);
  save(a, 3);
  const lie = { ...JSON.parse(b.local.getItem(KEYS.meta + a.tabId)), steps: 1e6 };
  b.local.setItem(KEYS.meta + a.tabId, JSON.stringify(lie));
  const again = b.tab(session);
  const found = again.load();
  assert.equal(found.model.model.steps, 3, 'step 3, never step 1e6');
  assert.equal(found.slot.steps, 3);
  assert.deepEqual(found.damaged, [KEYS.meta + a.tabId]);
  again.setAside(found.damaged);
  assert.equal(JSON.parse(b.local.getItem(KEYS.meta + a.tabId)).steps, 3);
  assert.equal(JSON.parse(b.local.getItem(`${KEYS.meta}${a.tabId}/set-aside`)).steps, 1e6);
  assert.deepEqual(b.tab(session).load().damaged, []);
});

test('the word list goes with its model; past the budget only its name, size and fingerprint', () => {
  const b = browser();
  const session = fakeStorage();
  const a = b.tab(session);
  const small = wordsOf('ann\nbob', 'mine.txt');
  save(a, 3, small);
  assert.deepEqual(b.tab(session).load().model.words, small);
  assert.equal(b.tab(session).slots()[0].wordsName, 'mine.txt');
  const huge = wordsOf('abcdefg\n'.repeat(600_000), 'big.txt');
  const result = save(a, 4, huge);
  assert.equal(result.error, null);
  assert.ok(result.chars < 10_000, 'the text left out');
  const reference = { ...huge };
  delete reference.text;
  assert.deepEqual(b.tab(session).load().model.words, reference);
});

test('no storage: two sentences; forgetAll removes every key of the page, whatever it holds', () => {
  const store = new Store({ local: null, session: null });
  assert.equal(store.saveModel({ model: model(1), history: { steps: [1], losses: [2] }, settings: {} }).error, 'This browser gives the page no storage.');
  const local = fakeStorage({
    [`${KEYS.slot}x`]: '{bad', [`${KEYS.meta}x`]: '{bad', [KEYS.view]: '[]', [`${KEYS.view}/set-aside`]: 'x', other: 'kept',
  });
  forgetAll(local);
  assert.deepEqual([...local.map.keys()], ['other']);
});
