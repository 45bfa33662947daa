// The page's settings (www/lib/settings.js) in Node, without a browser: how each input's text
// is parsed and refused, how a refused value keeps the last good one, and the URL form
// that makes a link reproduce the view. Run by `cargo xtask test` (`node --test tests/unit/`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSetting, Settings, DEFAULTS, TRAIN_ON, CONTEXTS, ENCODINGS, SPLIT_KINDS, toQuery, fromQuery, startupPlan, normaliseWord,
  effectiveEncoding, modelName,
} from '../../www/lib/settings.js';

/**
 * Rules of the shape the library's `settingRules()` gives (its values are checked in
 * tests/web.rs); here they only drive the parsing under test.
 */
const RULES = [
  { key: 'lr', name: 'Learning rate', min: 0, max: 1e9, integer: false, exclusiveMin: true },
  { key: 'l2', name: 'λ (L2)', min: 0, max: 1e6, integer: false, exclusiveMin: false },
  { key: 'stepsPerFrame', name: 'Steps per frame', min: 1, max: 100000, integer: true, exclusiveMin: false },
  { key: 'batchSize', name: 'Batch size', min: 0, max: 1000000, integer: true, exclusiveMin: false },
  { key: 'devPercent', name: 'Held-out %', min: 0, max: 50, integer: true, exclusiveMin: false },
  { key: 'sampleCount', name: 'Names', min: 1, max: 100, integer: true, exclusiveMin: false },
  { key: 'sweepSteps', name: 'Sweep steps', min: 1, max: 100000, integer: true, exclusiveMin: false },
];
/** The settings added for the lecture's exercises, at their defaults. */
const EXERCISE_DEFAULTS = { context: '1', encoding: 'context', splitKind: 'none', splitSeed: '42', sweepSteps: 100 };
const parse = (key, text) => parseSetting(RULES.find((r) => r.key === key), text);

test('parseSetting accepts numbers in range, trimmed, with inclusive bounds where the rule says', () => {
  assert.deepEqual(parse('lr', '0.5'), { value: 0.5 });
  assert.deepEqual(parse('lr', '  50 '), { value: 50 });
  assert.deepEqual(parse('lr', '1e9'), { value: 1e9 });
  assert.deepEqual(parse('l2', '0'), { value: 0 });
  assert.deepEqual(parse('l2', '1000000'), { value: 1e6 });
  assert.deepEqual(parse('stepsPerFrame', '1'), { value: 1 });
  assert.deepEqual(parse('stepsPerFrame', '1e3'), { value: 1000 });
  assert.deepEqual(parse('stepsPerFrame', '100000'), { value: 100000 });
  assert.deepEqual(parse('batchSize', '0'), { value: 0 });
  assert.deepEqual(parse('devPercent', '50'), { value: 50 });
  assert.deepEqual(parse('sampleCount', '100'), { value: 100 });
  // Numbers as well as text (a snapshot restores numbers through String()).
  assert.deepEqual(parse('sampleCount', 7), { value: 7 });
});

test('parseSetting refuses empty text and non-numbers, saying which setting and its range', () => {
  const lr = 'Learning rate: enter a number greater than 0 and at most 1000000000.';
  assert.deepEqual(parse('lr', ''), { error: lr });
  assert.deepEqual(parse('lr', '   '), { error: lr });
  assert.deepEqual(parse('lr', 'fast'), { error: lr });
  assert.deepEqual(parse('lr', '0.1.2'), { error: lr });
  // Infinity parses as a number but is not a finite one.
  assert.deepEqual(parse('lr', 'Infinity'), { error: lr });
  assert.deepEqual(parse('l2', 'NaN'), { error: 'λ (L2): enter a number at least 0 and at most 1000000.' });
  assert.deepEqual(parse('devPercent', 'ten'), { error: 'Held-out %: enter a number at least 0 and at most 50.' });
});

test('parseSetting refuses fractions where a whole number is needed', () => {
  assert.deepEqual(parse('stepsPerFrame', '1.5'),
    { error: 'Steps per frame: enter a whole number at least 1 and at most 100000.' });
  assert.deepEqual(parse('batchSize', '32.25'),
    { error: 'Batch size: enter a whole number at least 0 and at most 1000000.' });
  assert.deepEqual(parse('sampleCount', '2.5'),
    { error: 'Names: enter a whole number at least 1 and at most 100.' });
  // The learning rate and λ may be fractions.
  assert.deepEqual(parse('l2', '0.001'), { value: 0.001 });
});

test('parseSetting refuses values out of range, quoting the trimmed text', () => {
  assert.deepEqual(parse('lr', ' 0 '),
    { error: 'Learning rate: 0 is out of range; enter a number greater than 0 and at most 1000000000.' });
  assert.deepEqual(parse('lr', '-1'),
    { error: 'Learning rate: -1 is out of range; enter a number greater than 0 and at most 1000000000.' });
  assert.deepEqual(parse('lr', '2e9'),
    { error: 'Learning rate: 2e9 is out of range; enter a number greater than 0 and at most 1000000000.' });
  assert.deepEqual(parse('l2', '-0.5'),
    { error: 'λ (L2): -0.5 is out of range; enter a number at least 0 and at most 1000000.' });
  assert.deepEqual(parse('stepsPerFrame', '0'),
    { error: 'Steps per frame: 0 is out of range; enter a number at least 1 and at most 100000.' });
  assert.deepEqual(parse('stepsPerFrame', '100001'),
    { error: 'Steps per frame: 100001 is out of range; enter a number at least 1 and at most 100000.' });
  assert.deepEqual(parse('devPercent', '51'),
    { error: 'Held-out %: 51 is out of range; enter a number at least 0 and at most 50.' });
  assert.deepEqual(parse('sampleCount', '0'),
    { error: 'Names: 0 is out of range; enter a number at least 1 and at most 100.' });
});

test('new Settings start from the defaults, the lecture\'s seed and learning rate', () => {
  const s = new Settings(RULES);
  assert.deepEqual(s.snapshot(), {
    seed: '2147483647', lr: 50, l2: 0.01, stepsPerFrame: 1, batchSize: 0, devPercent: 0, sampleCount: 5, trainOn: 'all',
    ...EXERCISE_DEFAULTS,
  });
  assert.deepEqual(s.snapshot(), { ...DEFAULTS });
});

test('Settings.update takes a good value and keeps the last good one on a refusal', () => {
  const s = new Settings(RULES);
  assert.equal(s.update('lr', '0.1'), null);
  assert.equal(s.lr, 0.1);
  assert.equal(s.update('lr', 'abc'), 'Learning rate: enter a number greater than 0 and at most 1000000000.');
  assert.equal(s.lr, 0.1);
  assert.equal(s.update('batchSize', '-3'),
    'Batch size: -3 is out of range; enter a number at least 0 and at most 1000000.');
  assert.equal(s.batchSize, 0);
  assert.equal(s.update('batchSize', '32'), null);
  assert.equal(s.batchSize, 32);
  // The seed stays text, trimmed, whatever its size: the library checks it.
  assert.equal(s.update('seed', ' 18446744073709551615 '), null);
  assert.equal(s.seed, '18446744073709551615');
});

test('Train on is text, one of all and word; anything else keeps the last choice', () => {
  const s = new Settings(RULES);
  assert.equal(s.trainOn, 'all');
  assert.deepEqual(TRAIN_ON, ['all', 'word']);
  assert.equal(s.update('trainOn', ' word '), null);
  assert.equal(s.trainOn, 'word');
  assert.equal(s.update('trainOn', 'emma'), 'Train on: “emma” is not a choice; choose all or word.');
  assert.equal(s.trainOn, 'word');
  assert.deepEqual(s.restore({ trainOn: 'some' }), ['Train on: “some” is not a choice; choose all or word.']);
  assert.deepEqual(s.restore({ trainOn: 'all' }), []);
  assert.equal(s.trainOn, 'all');
});

test('the exercises\' settings: context, encoding and split kind are choices; the split seed is text; sweep steps a number', () => {
  const s = new Settings(RULES);
  assert.deepEqual(CONTEXTS, ['1', '2', '3']);
  assert.deepEqual(ENCODINGS, ['context', 'concat']);
  assert.deepEqual(SPLIT_KINDS, ['none', '80-10-10']);
  assert.equal(s.update('context', ' 2 '), null);
  assert.equal(s.context, '2');
  assert.equal(s.update('context', '4'), 'Context: “4” is not a choice; choose 1 or 2 or 3.');
  assert.equal(s.context, '2');
  assert.equal(s.update('encoding', 'concat'), null);
  assert.equal(s.update('encoding', 'sum'), 'Encoding: “sum” is not a choice; choose context or concat.');
  assert.equal(s.encoding, 'concat');
  assert.equal(effectiveEncoding(s), 'concat');
  assert.equal(s.update('context', 3), null, 'a number restored from a snapshot is its text');
  s.update('context', '1');
  assert.equal(effectiveEncoding(s), 'context', 'one character has only the one-hot over contexts');
  assert.equal(s.update('splitKind', '80-10-10'), null);
  assert.equal(s.update('splitKind', '90-10'), 'Split: “90-10” is not a choice; choose none or 80-10-10.');
  assert.equal(s.update('splitSeed', ' 7 '), null);
  assert.equal(s.splitSeed, '7', 'checked by the library where it is used');
  assert.equal(s.update('sweepSteps', '0'), 'Sweep steps: 0 is out of range; enter a number at least 1 and at most 100000.');
  assert.equal(s.sweepSteps, 100);
  assert.equal(s.update('sweepSteps', '5'), null);
  assert.equal(s.sweepSteps, 5);
  assert.deepEqual([1, 2, 3].map(modelName), ['bigram', 'trigram', '4-gram']);
});

test('Settings.restore takes what parses, reports each refusal, and ignores unknown keys', () => {
  const s = new Settings(RULES);
  const errors = s.restore({ lr: 2, l2: -5, stepsPerFrame: '10', devPercent: 'x', seed: 7, colour: 'red' });
  assert.deepEqual(errors, [
    'λ (L2): -5 is out of range; enter a number at least 0 and at most 1000000.',
    'Held-out %: enter a number at least 0 and at most 50.',
  ]);
  assert.deepEqual(s.snapshot(), {
    seed: '7', lr: 2, l2: 0.01, stepsPerFrame: 10, batchSize: 0, devPercent: 0, sampleCount: 5, trainOn: 'all',
    ...EXERCISE_DEFAULTS,
  });
  assert.equal('colour' in s, false);
  // Nothing to restore changes nothing.
  assert.deepEqual(s.restore(null), []);
  assert.deepEqual(s.restore({}), []);
  assert.equal(s.lr, 2);
});

test('toQuery and fromQuery round-trip every setting and the extras, ignoring unknown keys', () => {
  const s = new Settings(RULES);
  s.restore({
    seed: '123', lr: 0.5, l2: 0, stepsPerFrame: 20, batchSize: 64, devPercent: 10, sampleCount: 12, trainOn: 'word',
    context: '2', encoding: 'concat', splitKind: '80-10-10', splitSeed: '7', sweepSteps: 5,
  });
  const query = toQuery(s, { word: 'é & =?' });
  const params = new URLSearchParams(query);
  assert.equal(params.get('lr'), '0.5');
  assert.equal(params.get('trainOn'), 'word');
  assert.equal(params.get('word'), 'é & =?');
  assert.equal(params.get('context'), '2');
  assert.equal(params.get('splitKind'), '80-10-10');
  assert.equal([...params.keys()].length, 14);

  const back = fromQuery(`?${query}&evil=1&__proto__=x`, ['word']);
  assert.deepEqual(back.extra, { word: 'é & =?' });
  assert.deepEqual(Object.keys(back.settings).sort(), Object.keys(DEFAULTS).sort());
  // Values come back as text, which restore parses like typed input.
  assert.equal(back.settings.stepsPerFrame, '20');
  const t = new Settings(RULES);
  assert.deepEqual(t.restore(back.settings), []);
  assert.deepEqual(t.snapshot(), s.snapshot());
});

test('fromQuery returns only the keys the URL has', () => {
  assert.deepEqual(fromQuery('lr=3&word=emma&other=1', ['word', 'missing']),
    { settings: { lr: '3' }, extra: { word: 'emma' } });
  assert.deepEqual(fromQuery('', ['word']), { settings: {}, extra: {} });
});

test('a Settings without a rule for one of its settings is refused at once', () => {
  assert.throws(() => new Settings(RULES.slice(1)), /no rule for the setting lr/);
});

test('start-up: saved view, then the restored model\'s own settings, then the link; words likewise', () => {
  const savedView = { settings: { lr: 40, l2: 0.1, devPercent: 0 }, word: 'olivia' };
  const model = { l2: 0.5, devPercent: 10 };
  const plan = startupPlan({ savedView, model, linkTaken: { lr: 25, devPercent: 20 }, linkWord: undefined });
  const s = new Settings(RULES);
  for (const layer of plan.settings) s.restore(layer);
  assert.equal(s.lr, 25, 'the link wins');
  assert.equal(s.l2, 0.5, 'the model\'s λ over the saved view\'s');
  assert.equal(s.devPercent, 20, 'the link over the model');
  assert.equal(plan.word, 'olivia');
  assert.equal(startupPlan({ savedView, model, modelWord: 'emma', linkTaken: {} }).word, 'emma', 'the word the model trains on');
  assert.equal(startupPlan({ savedView, modelWord: 'emma', linkTaken: {}, linkWord: 'ava' }).word, 'ava');
  const fresh = startupPlan({ savedView: null, linkTaken: { seed: '42' }, linkWord: undefined });
  assert.deepEqual(fresh, { settings: [{ seed: '42' }], word: undefined });
  assert.equal(startupPlan({ savedView: { word: 7 }, linkTaken: {} }).word, undefined, 'a saved word must be text');
});

test('the probe\'s word: spaces left out, upper case folded for a lower-case vocabulary, each said', () => {
  assert.deepEqual(normaliseWord('emma', true), { word: 'emma', note: null });
  assert.deepEqual(normaliseWord(' Emma ', true), {
    word: 'emma',
    note: 'Spaces around the word were left out. Upper case was folded to lower case: the vocabulary is lower-case.',
  });
  assert.deepEqual(normaliseWord('Emma', false), { word: 'Emma', note: null });
  assert.match(normaliseWord('   ', true).note, /empty word has just the bigram/);
});
