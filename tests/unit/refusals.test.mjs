// What the page refuses as it is typed or linked, in Node: numbers in decimal only, a
// float32 setting that rounds to its excluded minimum, seeds the library would refuse,
// and tour stops written in another base.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Settings, linkConflicts, parseSetting, seedError } from '../../www/lib/settings.js';
import { tourFromLink } from '../../www/lib/tour.js';
import { fixed, plural, lossText, isolate } from '../../www/lib/format.js';

const LR = { name: 'Learning rate', min: 0, max: 1e6, integer: false, exclusiveMin: true };

test('numbers are read in decimal only: hex, binary and octal forms are refused', () => {
  for (const text of ['0x10', '0b1', '0o7', '1_000', 'Infinity', '1e', '.', '--1']) {
    assert.ok('error' in parseSetting(LR, text), text);
  }
  assert.deepEqual(parseSetting(LR, ' 16 '), { value: 16 });
  assert.deepEqual(parseSetting(LR, '1.5e-3'), { value: 0.0015 });
  assert.deepEqual(parseSetting(LR, '.5'), { value: 0.5 });
});

test('a learning rate that float32 rounds to 0 is refused, with the reason', () => {
  const parsed = parseSetting(LR, '1e-46');
  assert.ok('error' in parsed);
  assert.match(parsed.error, /is 0 in float32/);
  // The smallest float32 above 0 is kept.
  assert.deepEqual(parseSetting(LR, '1.5e-45'), { value: 1.5e-45 });
});

test('seeds are whole numbers from 0 to 2^64 − 1, checked as they are typed', () => {
  for (const text of ['-5', '1.5', '1e3', '0x10']) {
    assert.equal(seedError('Seed', text), `Seed: “${text}” is not a whole number: a seed is a whole number from 0 to 18446744073709551615.`);
  }
  assert.match(seedError('Seed', '') ?? '', /^Seed: empty: /);
  assert.match(seedError('Seed', '18446744073709551616') ?? '', /^Seed: “18446744073709551616” is too large: /);
  assert.equal(seedError('Seed', '0'), null);
  assert.equal(seedError('Seed', '18446744073709551615'), null);
  const s = new Settings([
    'lr', 'l2', 'stepsPerFrame', 'batchSize', 'devPercent', 'sampleCount', 'sweepSteps',
  ].map((key) => ({ key, name: key, min: 0, max: 1e9, integer: false, exclusiveMin: false })));
  assert.match(s.update('seed', '-5') ?? '', /Seed: “-5” is not a whole number/);
  assert.equal(s.seed, '2147483647', 'the last good seed is kept');
  assert.match(s.update('splitSeed', '1.5') ?? '', /Split seed: “1.5” is not a whole number/);
  assert.equal(s.splitSeed, '42');
});

test('a tour stop is a whole number written in decimal', () => {
  assert.deepEqual(tourFromLink('?tour=3'), { stop: 3 });
  for (const raw of ['0x3', '3.0', '1e0', '+3']) {
    assert.ok('error' in (tourFromLink(`?tour=${encodeURIComponent(raw)}`) ?? {}), raw);
  }
});

test('numbers and counts are written for people: plurals, large losses in scientific form', () => {
  assert.equal(plural(1, 'word'), '1 word');
  assert.equal(plural(32257, 'word'), '32,257 words');
  assert.equal(lossText(2.45678), '2.4568');
  assert.equal(lossText(3.572524667923356e70), '3.573e+70');
  assert.equal(lossText(Infinity), '∞');
  assert.equal(fixed(NaN), '–');
  // User text is isolated, so that it cannot reorder the page's own sentence.
  assert.equal(isolate('a\u202Eb'), '\u2068a\u202Eb\u2069');
});

test('a link whose settings contradict each other names the conflict, and the held-out % gives way', () => {
  const taken = { splitKind: '80-10-10', devPercent: 20, lr: 5 };
  const refused = linkConflicts(taken);
  assert.equal(refused.length, 1);
  assert.match(refused[0], /^devPercent=20 conflicts with splitKind=80-10-10/);
  assert.deepEqual(taken, { splitKind: '80-10-10', lr: 5 });
  assert.deepEqual(linkConflicts({ splitKind: '80-10-10', devPercent: 0 }), []);
  assert.deepEqual(linkConflicts({ splitKind: 'none', devPercent: 20 }), []);
});
