// Refusals said where the person looks, in their words, and nothing half-done: links and
// fields checked as they are typed, conflicting link settings named, imports that say
// "Nothing changed" only when it is true, a divergence that offers Reset, user text that
// cannot reorder the page's own, and a tour that says what it drops.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, BASE_URL, SHOTS, typeAs } from './harness.mjs';

const t = usePage();
const status = () => t.page.textContent(tid('status'));
const at = (query) => t.open(t.page, new URL(query, BASE_URL).href);

/** Sets an input's text as typing would, even text a number input will not hold. */
const typeInto = (id, text) => typeAs(t.page, id, text);

test('a link that trains on a word the vocabulary cannot make says so, and trains on every word', async () => {
  await at(`?trainOn=word&word=${encodeURIComponent('😀')}`);
  assert.match(await status(), /Train on the word: .*Training on all the words instead/);
  assert.match(await status(), /Not in the vocabulary: “😀”/, 'the probe\'s note is kept beside it');
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
});

test('conflicting link settings are named: makemore\'s split wins over a held-out %', async () => {
  await at('?splitKind=80-10-10&devPercent=20');
  assert.match(await status(), /devPercent=20 conflicts with splitKind=80-10-10/);
  assert.equal(await t.page.inputValue(tid('split-input')), '0');
  assert.equal(await t.page.inputValue(tid('split-select')), '80-10-10');
});

test('link values in other bases, or not the one value a flag takes, are refused and said', async () => {
  await at('?lr=0x10&tour=0x3&present=yes');
  const said = await status();
  assert.match(said, /Learning rate: enter a number/);
  assert.match(said, /tour=0x3 is not a stop of the tour/);
  assert.match(said, /present=yes is not taken/);
  assert.equal(await t.page.inputValue(tid('lr-input')), '50');
  assert.equal(await t.page.isVisible(tid('tour-panel')), false);
  assert.equal(await t.page.getAttribute('body', 'data-present'), 'false');
});

test('a seed the library would refuse is marked as it is typed, and never reaches the URL', async () => {
  for (const seed of ['-5', '1.5', '1e3']) {
    await typeInto('seed-input', seed);
    assert.equal(await t.page.getAttribute(tid('seed-input'), 'aria-invalid'), 'true', seed);
    assert.match(await status(), new RegExp(`Seed: “${seed.replace('.', '\\.')}” is not a whole number`), seed);
    assert.equal(new URL(t.page.url()).searchParams.get('seed'), '2147483647', seed);
  }
  await typeInto('seed-input', '42');
  assert.equal(await t.page.getAttribute(tid('seed-input'), 'aria-invalid'), 'false');
  assert.equal(new URL(t.page.url()).searchParams.get('seed'), '42');
});

test('a learning rate that float32 rounds to 0 is refused in the link and in the field', async () => {
  await at('?lr=1e-46');
  assert.match(await status(), /Learning rate: 1e-46 is 0 in float32/);
  assert.equal(await t.page.inputValue(tid('lr-input')), '50');
  await typeInto('lr-input', '1e-46');
  assert.equal(await t.page.getAttribute(tid('lr-input'), 'aria-invalid'), 'true');
  await t.page.click(tid('step-button'));
  assert.equal(await t.value('step-count'), 1, 'Step works at the last good rate');
});

test('an import at the largest step count is taken whole; the chart draws it', async () => {
  await t.page.click(tid('step-button'));
  const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('export-button'))]);
  const path = new URL('refusals-model.json', SHOTS).pathname;
  await download.saveAs(path);
  const model = JSON.parse(readFileSync(path, 'utf8'));
  const big = JSON.stringify({ ...model, steps: Number.MAX_SAFE_INTEGER });
  await t.page.setInputFiles(tid('import-input'), { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(big) });
  await t.page.waitForFunction((sel) => /big\.json/.test(document.querySelector(sel).textContent), tid('status'));
  assert.match(await status(), /Imported “big\.json”: step 9007199254740991/);
  assert.equal(await t.page.getAttribute(tid('step-count'), 'data-value'), '9007199254740991');
});

test('a diverging run rewinds, says its loss in scientific form and offers Reset', async () => {
  await typeInto('lr-input', '1000000');
  for (let i = 0; i < 30 && !/too large/.test(await status()); i++) await t.page.click(tid('step-button'));
  const said = await status();
  assert.match(said, /is too large here/);
  assert.match(said, /press Reset for a new W from the seed/);
  assert.doesNotMatch(said, /\d{20}/, 'no number printed in seventy digits');
  assert.doesNotMatch(await t.page.textContent(tid('loss-value')), /\d{12}/);
});

test('text the person wrote is isolated in the status line: a right-to-left mark cannot reorder it', async () => {
  await t.page.fill(tid('word-input'), 'em\u202Ema');
  const bdi = await t.page.$$eval(`${tid('status')} bdi`, (els) => els.map((e) => e.textContent));
  assert.deepEqual(bdi, ['\u202E']);
  assert.match(await status(), /^Not in the vocabulary: “\u202E”/);
});

test('a list loaded during the tour is dropped on leaving, and the page says so', async () => {
  await t.page.click(tid('tour-button'));
  await t.page.setInputFiles(tid('dataset-input'), { name: 'tour-list.txt', mimeType: 'text/plain', buffer: Buffer.from('ab\nba\n') });
  await t.page.waitForFunction((sel) => /Loaded/.test(document.querySelector(sel).textContent), tid('status'));
  await t.page.click(tid('tour-close'));
  assert.match(await status(), /Tour closed: .*is not kept: the word list “tour-list\.txt”/);
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-words'), '32257');
});

test('another word list clears the old sweep: its best is not offered for the new words', async () => {
  await t.page.selectOption(tid('split-select'), '80-10-10');
  await t.page.selectOption(tid('sweep-kind'), 'smoothing');
  await t.page.click(tid('sweep-button'));
  assert.equal(await t.page.isDisabled(tid('use-best-button')), false);
  const words = Array.from({ length: 40 }, (_, i) => `w${'abcdefghij'[i % 10]}${'klmnopqrst'[(i * 7) % 10]}`).join('\n');
  await t.page.setInputFiles(tid('dataset-input'), { name: 'other.txt', mimeType: 'text/plain', buffer: Buffer.from(words) });
  await t.page.waitForFunction((sel) => /Loaded/.test(document.querySelector(sel).textContent), tid('status'));
  assert.equal(await t.page.textContent(tid('sweep-best')), '–');
  assert.equal(await t.page.isDisabled(tid('use-best-button')), true);
  assert.equal(await t.page.getAttribute(tid('sweep-results'), 'data-points'), '[]');
});

test('word lists are read as Python\'s splitlines() reads them, and invisible or direction-changing characters are refused with their line', async () => {
  await t.page.setInputFiles(tid('dataset-input'), { name: 'mac.txt', mimeType: 'text/plain', buffer: Buffer.from('anna\rbob\rcleo\r') });
  await t.page.waitForFunction((sel) => /mac\.txt/.test(document.querySelector(sel).textContent), tid('status'));
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-words'), '3', 'old-Mac line ends');
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-vocab'), '8', 'no \\r in the vocabulary: . a n b o c l e');
  await t.page.setInputFiles(tid('dataset-input'), { name: 'rlo.txt', mimeType: 'text/plain', buffer: Buffer.from('anna\nbo\u202Eb\n') });
  await t.page.waitForFunction((sel) => /rlo\.txt/.test(document.querySelector(sel).textContent), tid('status'));
  assert.match(await status(), /line 2 has an invisible or direction-changing character, U\+202E/);
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-words'), '3', 'the data set is unchanged');
});

test('imports that are refused say so in the person\'s words and leave the exported model byte-identical', async () => {
  await t.page.click(tid('step-button'));
  const exported = async () => {
    const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('export-button'))]);
    return readFileSync(await download.path(), 'utf8');
  };
  const before = await exported();
  const model = JSON.parse(before);
  const cases = [
    ['null.json', 'null', /this file holds no model/],
    ['steps.json', JSON.stringify({ ...model, steps: 2 ** 53 }), /the file's "steps" is not a whole number from 0 to 9007199254740991/],
    ['l2.json', JSON.stringify({ ...model, l2: null }), /the file's "l2" is not a number/],
  ];
  for (const [name, text, reason] of cases) {
    await t.page.setInputFiles(tid('import-input'), { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await t.page.waitForFunction(([sel, n]) => document.querySelector(sel).textContent.includes(n), [tid('status'), name]);
    assert.match(await status(), reason, name);
    assert.match(await status(), /Nothing changed/, name);
    assert.equal(await exported(), before, `${name}: the model is as it was`);
  }
});
