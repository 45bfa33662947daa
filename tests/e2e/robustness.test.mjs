// The page against bad input, hostile text, reloads and assistive technology. Each test
// also fails on any console error or off-origin request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { usePage, tid, golden, GD, SHOTS, typeAs } from './harness.mjs';

const t = usePage();
const status = () => t.page.textContent(tid('status'));
const rows = () => t.page.locator(`${tid('nll-table')} tbody tr`);

/** Every data-value on the page that is not a finite number: there must be none. */
const nonFinite = () => t.page.evaluate(() => [...document.querySelectorAll('[data-value]')]
  .map((e) => `${e.dataset.testid ?? e.dataset.col}=${e.dataset.value}`)
  .filter((s) => !Number.isFinite(Number(s.split('=')[1]))));

/** Sets an input's text as typing would, even text a number input will not hold. */
const typeInto = (id, text) => typeAs(t.page, id, text);

const loadFile = (name, buffer) => t.page.setInputFiles(tid('dataset-input'), { name, mimeType: 'text/plain', buffer });

test('the word probe explains empty input, spaces, upper case, unknown characters and huge words', async () => {
  const cases = [
    ['', /Type a word/, 1],
    ['   ', /Type a word/, 1],
    ['  emma ', /Spaces around the word were left out/, 5],
    ['EMMA', /folded to lower case/, 5],
    ['em😀ma', /Not in the vocabulary: “😀”/, 6],
    ['e\u0301mma', /Not in the vocabulary: “\u0301”/, 6], // e + combining acute accent
  ];
  for (const [word, message, count] of cases) {
    await t.page.fill(tid('word-input'), word);
    assert.match(await status(), message, JSON.stringify(word));
    assert.equal(await rows().count(), count, JSON.stringify(word));
    assert.deepEqual(await nonFinite(), [], JSON.stringify(word));
  }
  await t.page.fill(tid('word-input'), 'EMMA');
  assert.equal(await t.page.textContent(tid('word-loss')), '3.7693', 'EMMA is emma');
  await t.page.fill(tid('word-input'), 'em😀ma');
  assert.equal(await t.page.getAttribute(tid('word-loss'), 'data-value'), null, 'no NLL is invented');
  assert.equal(await rows().nth(2).locator('[data-col=p]').textContent(), 'unknown');

  await t.page.fill(tid('word-input'), 'ab'.repeat(5000));
  assert.match(await status(), /Showing the first 200 of 10001 bigrams; the mean NLL covers them all/);
  assert.equal(await rows().count(), 200);
  assert.ok(Number.isFinite(await t.value('word-loss')));
});

test('word-list files that cannot be used are refused with a reason, and nothing changes', async () => {
  await t.page.click(tid('step-button'));
  const loss = await t.page.getAttribute(tid('loss-value'), 'data-value');
  const cjk = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('\n');
  const cases = [
    ['empty.txt', Buffer.alloc(0), /no words/],
    ['blank.txt', Buffer.from('\n \n\r\n\t\n'), /no words/],
    ['latin1.txt', Buffer.from([0x61, 0x6e, 0x6e, 0x0a, 0x62, 0x72, 0xe9, 0x65, 0x0a]), /not UTF-8 text \(first bad byte at offset 6, line 2\)/],
    ['binary.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0xff, 0x00, 0x0a]), /not UTF-8/],
    ['cjk.txt', Buffer.from(cjk), /more than 128 distinct characters.*line 128/],
    ['dots.txt', Buffer.from('ann\nst.john\n'), /line 2 contains '\.'/],
  ];
  for (const [name, buffer, reason] of cases) {
    await loadFile(name, buffer);
    await t.page.waitForFunction(([sel, n]) => document.querySelector(sel).textContent.includes(`“${n}”`), [tid('status'), name]);
    const text = await status();
    assert.match(text, reason, name);
    assert.match(text, /The current data set is unchanged/, name);
    assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-words'), '32257', name);
    assert.equal(await t.page.getAttribute(tid('loss-value'), 'data-value'), loss, name);
    assert.equal(await t.value('step-count'), 1, name);
  }
});

test('a CRLF list with a BOM, a one-megabyte line and a 50 MB file are all taken', async () => {
  await loadFile('crlf.txt', Buffer.from('\uFEFFann\r\nbob\r\n'));
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '2', tid('dataset-summary'));
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-vocab'), '5'); // . a b n o

  await loadFile('long-line.txt', Buffer.from('ab'.repeat(1 << 19)));
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '1', tid('dataset-summary'));
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-bigrams'), String((1 << 20) + 1));

  // 50 MB from disk (Playwright takes at most 50 MB from memory).
  const path = new URL('fifty.txt', SHOTS).pathname;
  writeFileSync(path, 'emma\nolivia\nava\n'.repeat(Math.ceil((50 << 20) / 16)));
  await t.page.setInputFiles(tid('dataset-input'), path);
  await t.page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.words) > 9_000_000,
    tid('dataset-summary'), { timeout: 60000 });
  assert.match(await status(), /Loaded “fifty.txt”/);
  await t.page.click(tid('step-button'));
  assert.ok(Number.isFinite(await t.value('loss-value')));
});

test('settings that do not parse are refused with a message and the model is untouched', async () => {
  const cases = [
    ['lr-input', 'abc', /Learning rate: enter a number/],
    ['lr-input', '0', /Learning rate: 0 is out of range/],
    ['lr-input', '-1', /Learning rate: -1 is out of range/],
    ['lr-input', '1e12', /Learning rate: 1e12 is out of range/],
    ['l2-input', '-0.5', /λ \(L2\): -0.5 is out of range/],
    ['steps-per-frame-input', '0', /Steps per frame: 0 is out of range/],
    ['steps-per-frame-input', '2.5', /Steps per frame: enter a whole number/],
    ['batch-size-input', '-1', /Batch size: -1 is out of range/],
    ['sample-count-input', '1000000', /Names: 1000000 is out of range/],
  ];
  for (const [id, text, message] of cases) {
    await typeInto(id, text);
    assert.match(await status(), message, `${id} = ${text}`);
    assert.equal(await t.page.getAttribute(tid(id), 'aria-invalid'), 'true');
  }
  // A seed is checked as it is typed (as the library checks it), and Reset keeps the last good one.
  for (const [seed, message] of [['18446744073709551616', /Seed: .* is too large/], ['-5', /Seed: .* is not a whole number/], ['', /Seed: empty/]]) {
    await typeInto('seed-input', seed);
    assert.match(await status(), message, `seed ${seed}`);
    assert.equal(await t.page.getAttribute(tid('seed-input'), 'aria-invalid'), 'true', `seed ${seed}`);
    await t.page.click(tid('reset-button'));
    assert.equal(await status(), 'New W from seed 2147483647.', `seed ${seed}`);
  }
  // Every refused value left the last good one in force: PyTorch's first step.
  await t.page.click(tid('step-button'));
  assert.ok(Math.abs(await t.value('loss-value') - GD.loss_before_each_step[1]) < 1e-5);
  assert.equal(await t.value('step-count'), 1);
});

test('a learning rate of 1e6 diverges: training pauses, W goes back to its last finite state, no NaN is shown', async () => {
  await t.page.fill(tid('lr-input'), '1000000');
  await t.page.click(tid('train-toggle'));
  await t.page.waitForFunction((sel) => /The loss became/.test(document.querySelector(sel).textContent), tid('status'), { timeout: 30000 });
  assert.equal(await t.page.getAttribute(tid('train-toggle'), 'aria-pressed'), 'false');
  const [, at, back] = (await status()).match(/at step (\d+).*went back to step (\d+)/);
  assert.ok(Number(back) < Number(at));
  assert.equal(await t.value('step-count'), Number(back));
  assert.deepEqual(await nonFinite(), []);
  // The rewound W trains on with a sane learning rate.
  await t.page.fill(tid('lr-input'), '1');
  await t.page.click(tid('step-button'));
  assert.equal(await t.value('step-count'), Number(back) + 1);
  assert.deepEqual(await nonFinite(), []);
});

test('hostile text in a word list or the probe is shown as text and runs nothing', async () => {
  const hostile = ['<img src=x onerror=window_pwned=1>', '<script>window_pwned=1</script>',
    '"><svg onload=window_pwned=1>', '<b>bold</b>'];
  await loadFile('hostile.txt', Buffer.from(hostile.join('\n')));
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '4', tid('dataset-summary'));
  assert.match(await t.page.textContent(tid('dataset-summary')), /<=>/, 'the vocabulary shows <, = and > as text');
  for (const word of hostile) {
    await t.page.fill(tid('word-input'), word);
    assert.equal(await rows().count(), [...word].length + 1);
  }
  await t.page.fill(tid('sample-count-input'), '50');
  await t.page.click(tid('sample-button'));
  assert.equal(await t.page.locator(`${tid('samples')} li`).count(), 50);
  const injected = await t.page.evaluate(() => ({
    ran: typeof window.window_pwned !== 'undefined',
    elements: document.body.querySelectorAll('img, script, svg, b').length,
  }));
  assert.deepEqual(injected, { ran: false, elements: 0 });
  // And had any slipped through, the policy allows no inline script and no other origin.
  const csp = await t.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline|\*|https?:/);
});

test('weights, step count, settings, word and loss curve survive a reload; Forget clears them', async () => {
  for (let i = 0; i < 3; i++) await t.page.click(tid('step-button'));
  await t.page.fill(tid('lr-input'), '40');
  await t.page.fill(tid('word-input'), 'olivia');
  const loss = await t.page.getAttribute(tid('loss-value'), 'data-value');
  const wordLoss = await t.page.getAttribute(tid('word-loss'), 'data-value');
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.match(await status(), /Welcome back: your model at step 3/);
  assert.equal(await t.value('step-count'), 3);
  assert.equal(await t.page.getAttribute(tid('loss-value'), 'data-value'), loss);
  assert.equal(await t.page.inputValue(tid('lr-input')), '40');
  assert.equal(await t.page.inputValue(tid('word-input')), 'olivia');
  assert.equal(await t.page.getAttribute(tid('word-loss'), 'data-value'), wordLoss);
  // Next step continues from step 3 at the restored learning rate.
  await t.page.click(tid('step-button'));
  assert.equal(await t.value('step-count'), 4);

  await t.page.click(tid('forget-button'));
  assert.equal(await t.value('step-count'), 0);
  assert.equal(await t.page.inputValue(tid('lr-input')), '50');
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.doesNotMatch(await status(), /Welcome back/);
  assert.ok(Math.abs(await t.value('loss-value') - GD.loss_before_each_step[0]) < 1e-5);
  // Forget also rewrote the URL: the reload did not bring lr 40 back.
  assert.equal(await t.page.inputValue(tid('lr-input')), '50');
});

test('export then import gives back the same model; damaged and foreign files are refused', async () => {
  for (let i = 0; i < 5; i++) await t.page.click(tid('step-button'));
  const loss = await t.page.getAttribute(tid('loss-value'), 'data-value');
  const ps = await rows().locator('[data-col=p]').evaluateAll((cells) => cells.map((c) => c.dataset.value));
  const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('export-button'))]);
  const path = new URL('model.json', SHOTS).pathname;
  await download.saveAs(path);
  const model = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(model.format, 'bigram-lab-model');
  assert.equal(model.vocab, golden.default_dataset.vocab);
  assert.equal(model.w.length, 27 * 27);
  assert.equal(model.steps, 5);
  assert.equal(model.settings.lr, 50);

  await t.page.click(tid('reset-button'));
  assert.equal(await t.value('step-count'), 0);
  await t.page.setInputFiles(tid('import-input'), path);
  await t.page.waitForFunction((sel) => /Imported/.test(document.querySelector(sel).textContent), tid('status'));
  assert.equal(await t.value('step-count'), 5);
  assert.equal(await t.page.getAttribute(tid('loss-value'), 'data-value'), loss);
  assert.deepEqual(await rows().locator('[data-col=p]').evaluateAll((cells) => cells.map((c) => c.dataset.value)), ps);

  const text = readFileSync(path, 'utf8');
  const bad = [
    ['damaged.json', text.slice(0, text.length / 2), /not a Bigram Lab model file \(not JSON\)/],
    ['foreign.json', '{"hello": "world"}', /not a Bigram Lab model file/],
    ['other-vocab.json', JSON.stringify({ ...model, vocab: '.ab', w: [0, 0, 0, 0, 0, 0, 0, 0, 0] }), /vocabulary is "\.ab"/],
    ['short.json', JSON.stringify({ ...model, w: model.w.slice(1) }), /not 27×27 numbers/],
    ['infinite.json', JSON.stringify({ ...model, w: [1e39, ...model.w.slice(1)] }), /not all finite/],
  ];
  for (const [name, content, reason] of bad) {
    await t.page.setInputFiles(tid('import-input'), { name, mimeType: 'application/json', buffer: Buffer.from(content) });
    await t.page.waitForFunction(([sel, n]) => document.querySelector(sel).textContent.includes(`“${n}”`), [tid('status'), name]);
    assert.match(await status(), reason, name);
    assert.match(await status(), /Nothing changed/, name);
    assert.equal(await t.page.getAttribute(tid('loss-value'), 'data-value'), loss, name);
    assert.equal(await t.value('step-count'), 5, name);
  }
});

test('the loss is announced politely, and axe-core finds no serious or critical violation', async () => {
  const live = t.page.locator(tid('loss-announcement'));
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  await t.page.click(tid('step-button'));
  assert.equal(await live.textContent(), `Step 1, loss ${GD.loss_before_each_step[1].toFixed(4)}`);

  assert.deepEqual(await t.seriousAxeViolations(), []);
});
