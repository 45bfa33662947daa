// Beyond the lecture: the forward-pass explorer, guess-and-check resampling, counting
// versus the net, and any alphabet. Numbers come from the PyTorch reference.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { usePage, tid, golden } from './harness.mjs';

const t = usePage();
const values = async (id) => JSON.parse(await t.page.getAttribute(tid(id), 'data-values'));
const close = (a, b, tol, what) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol, `${what}[${i}]: ${x} vs ${b[i]}`));
const W0 = golden.rng['2147483647'].randn_27x27_row_major;
const N = golden.default_dataset.counts_27x27_row_major;

test('the explorer follows em through the net with PyTorch\'s numbers, by pointer and by keyboard', async () => {
  await t.page.click(`${tid('nll-table')} tr[data-bigram="em"]`);
  assert.match(await t.page.textContent(tid('explorer-title')), /x = “e” \(index 5\) → true next y = “m” \(index 13\)/);
  const onehot = await values('explorer-xenc');
  assert.deepEqual(onehot, Array.from({ length: 27 }, (_, i) => (i === 5 ? 1 : 0)));
  const logits = await values('explorer-logits');
  close(logits, W0.slice(5 * 27, 6 * 27), 1e-7, 'logits = W[5]');
  close(await values('explorer-counts'), logits.map(Math.exp), 1e-5, 'counts = exp(logits)');
  close(await values('explorer-probs'), golden.emma.probs_5x27[1], 1e-6, 'probs');
  assert.ok(Math.abs(await t.value('explorer-p') - golden.emma.probs_5x27[1][13]) < 1e-7);
  assert.ok(Math.abs(await t.value('explorer-nll') - golden.emma.nll[1]) < 1e-6);
  // The word's one-hot picture: inputs . e m m a.
  assert.deepEqual(JSON.parse(await t.page.getAttribute(tid('xenc-picture'), 'data-rows')), golden.emma.xs);

  await t.page.focus(`${tid('nll-table')} tr[data-bigram="ma"]`);
  await t.page.keyboard.press('Enter');
  assert.match(await t.page.textContent(tid('explorer-title')), /x = “m” \(index 13\) → true next y = “a” \(index 1\)/);
  assert.ok(Math.abs(await t.value('explorer-nll') - golden.emma.nll[3]) < 1e-6);
  // Live while training: a step moves the path.
  await t.page.click(tid('step-button'));
  assert.ok(await t.value('explorer-nll') < golden.emma.nll[3]);
});

test('the heatmap shows the counting model and its difference from the net; the floor follows k', async () => {
  const cell = async () => {
    await t.page.focus('#heatmap');
    for (let i = 0; i < 5; i++) await t.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 13; i++) await t.page.keyboard.press('ArrowRight');
    return t.page.textContent(tid('heatmap-readout'));
  };
  const rowE = N.slice(5 * 27, 6 * 27);
  const sumE = rowE.reduce((a, b) => a + b, 0);
  await t.page.selectOption(tid('heatmap-mode'), 'counts');
  assert.equal(await cell(), `em: counting P(m after e) = ${(rowE[13] / sumE).toFixed(4)}`);
  await t.page.selectOption(tid('heatmap-mode'), 'diff');
  const diff = golden.emma.probs_5x27[1][13] - rowE[13] / sumE;
  assert.equal(await t.page.textContent(tid('heatmap-readout')), `em: net − counting = ${diff >= 0 ? '+' : ''}${diff.toFixed(4)}`);

  assert.equal((await t.value('floor-value')).toFixed(6), golden.default_dataset.count_model_nll_smoothing_0.toFixed(6));
  await t.page.fill(tid('smoothing-input'), '1');
  assert.equal(await t.page.textContent(tid('smoothing-value')), '1');
  assert.equal((await t.value('floor-value')).toFixed(6), golden.default_dataset.count_model_nll_smoothing_1.toFixed(6));
  await t.page.selectOption(tid('heatmap-mode'), 'counts');
  assert.equal(await cell(), `em: counting P(m after e) = ${((rowE[13] + 1) / (sumE + 27)).toFixed(4)}`);
});

test('Resample W draws a new W from the next seed, keeps the step count and marks the chart', async () => {
  for (let i = 0; i < 20; i++) await t.page.click(tid('step-button'));
  const trained = await t.value('loss-value');
  await t.page.click(tid('resample-button'));
  assert.equal(await t.page.inputValue(tid('seed-input')), '2147483648');
  assert.equal(await t.value('step-count'), 20);
  const jumped = await t.value('loss-value');
  assert.ok(jumped > trained + 0.5, `a random W is far worse: ${trained} → ${jumped}`);
  assert.match(await t.page.textContent(tid('status')), /Resampled W from seed 2147483648/);
  // Gradient steps bring it down again.
  for (let i = 0; i < 5; i++) await t.page.click(tid('step-button'));
  assert.ok(await t.value('loss-value') < jumped);
  assert.equal(await t.value('step-count'), 25);
});

test('a list of accented names works end to end: summary, heatmap, table and explorer scale to it', async () => {
  const names = ['zoë', 'élodie', 'józef', 'łukasz', 'ñaña', 'søren', 'ångström', 'chloé', 'andré', 'maëlle'];
  await t.page.setInputFiles(tid('dataset-input'), { name: 'accents.txt', mimeType: 'text/plain', buffer: Buffer.from(names.join('\n')) });
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '10', tid('dataset-summary'));
  const vocab = [...new Set(names.join(''))].sort();
  assert.equal(await t.page.getAttribute(tid('dataset-summary'), 'data-vocab'), String(vocab.length + 1));
  assert.match(await t.page.textContent(tid('dataset-summary')), new RegExp(`\\.${vocab.join('')}$`));
  await t.page.fill(tid('word-input'), 'łukasz');
  assert.equal(await t.page.locator(`${tid('nll-table')} tbody tr`).count(), 7);
  assert.ok(Number.isFinite(await t.value('word-loss')));
  await t.page.click(`${tid('nll-table')} tr[data-bigram=".ł"]`);
  const probs = await values('explorer-probs');
  assert.equal(probs.length, vocab.length + 1);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  for (let i = 0; i < 30; i++) await t.page.click(tid('step-button'));
  assert.ok(await t.value('loss-value') < 3.0);
});

test('the URL carries every setting and the word, so a link reproduces the view', async () => {
  // A fresh visitor (a browser context of its own, with nothing saved) opens the link.
  const link = new URL('?seed=42&lr=10&l2=0&stepsPerFrame=3&batchSize=64&sampleCount=7&word=olivia', t.page.url());
  await t.page.context().close();
  t.page = await t.open(await t.browser.newPage(), link.href);
  const inputs = await Promise.all(['seed-input', 'lr-input', 'l2-input', 'steps-per-frame-input', 'batch-size-input', 'sample-count-input', 'word-input']
    .map((id) => t.page.inputValue(tid(id))));
  assert.deepEqual(inputs, ['42', '10', '0', '3', '64', '7', 'olivia']);
  // W comes from the link's seed: the explorer's logits for "." are PyTorch's row 0 of randn for 42.
  await t.page.click(`${tid('nll-table')} tr[data-bigram=".o"]`);
  const logits = JSON.parse(await t.page.getAttribute(tid('explorer-logits'), 'data-values'));
  assert.deepEqual(logits.map((x) => x.toFixed(5)), golden.rng['42'].randn_27x27_row_major.slice(0, 27).map((x) => x.toFixed(5)));
  // Changing a setting rewrites the URL.
  await t.page.fill(tid('lr-input'), '25');
  assert.equal(new URLSearchParams(await t.page.evaluate(() => window.location.search)).get('lr'), '25');
  // A link with a bad value says so and keeps the default.
  await t.page.context().close();
  t.page = await t.open(await t.browser.newPage(), new URL('?lr=-4&seed=abc', link).href);
  assert.match(await t.page.textContent(tid('status')), /Some of the link's settings were not taken: .*Learning rate.*seed/);
  assert.equal(await t.page.inputValue(tid('seed-input')), '2147483647');
});

test('the loss chart saves as PNG and the probability table as CSV', async () => {
  await t.page.click(tid('step-button'));
  const [png] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('chart-png-button'))]);
  const bytes = readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');

  await t.page.click(tid('reset-button'));
  const [csv] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('table-csv-button'))]);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
  const header = lines[0].split(',').map((f) => JSON.parse(f));
  assert.deepEqual(header, ['', ...golden.default_dataset.vocab]);
  assert.equal(lines.length, 28);
  const rowE = lines[6].split(',');
  assert.equal(JSON.parse(rowE[0]), 'e');
  rowE.slice(1).map(Number).forEach((p, j) => assert.ok(Math.abs(p - golden.emma.probs_5x27[1][j]) < 1e-6, `P[e][${j}]`));
});

test('a held-out split charts the dev loss beside the training loss, and lives in the URL', async () => {
  const summary = t.page.locator(tid('dataset-summary'));
  assert.equal(await t.page.isVisible(tid('dev-loss')), false);
  await t.page.fill(tid('split-input'), '10');
  assert.equal(await summary.getAttribute('data-dev-words'), String(Math.round(32257 * 0.1)));
  assert.match(await summary.textContent(), /32,257 words \(3,226 held out\)/);
  assert.equal(await t.page.isVisible(tid('dev-loss')), true);
  const dev0 = await t.value('dev-loss');
  const train0 = await t.value('loss-value');
  // The same W on two disjoint parts of the same names: close, not equal.
  assert.ok(Math.abs(dev0 - train0) < 0.1 && dev0 !== train0, `${train0} vs ${dev0}`);
  for (let i = 0; i < 20; i++) await t.page.click(tid('step-button'));
  assert.ok(await t.value('loss-value') < train0 - 0.5);
  assert.ok(await t.value('dev-loss') < dev0 - 0.5, 'the held-out loss falls too');
  assert.equal(new URLSearchParams(await t.page.evaluate(() => window.location.search)).get('devPercent'), '10');
  // Same seed, same split: a reset shuffles the same words out again.
  await t.page.click(tid('reset-button'));
  assert.equal(await t.value('dev-loss'), dev0);
  await t.page.fill(tid('split-input'), '0');
  assert.equal(await t.page.isVisible(tid('dev-loss')), false);
  assert.ok(Math.abs(await t.value('loss-value') - golden.default_dataset.gd.loss_before_each_step[0]) < 1e-5);
});

test('dist/bigram-lab.html works opened from disk, with no server and no network', {
  skip: !process.env.DIST_HTML && 'cargo xtask test builds the file and sets DIST_HTML',
}, async () => {
  const page = await t.browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!/^(file|data|blob):/.test(r.url())) problems.push(`request: ${r.url()}`); });
  await page.goto(pathToFileURL(process.env.DIST_HTML).href);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent(tid('word-loss')), '3.7693');
  assert.equal(await page.getAttribute(tid('dataset-summary'), 'data-words'), '32257');
  await page.click(tid('step-button'));
  const loss = Number(await page.getAttribute(tid('loss-value'), 'data-value'));
  assert.ok(Math.abs(loss - golden.default_dataset.gd.loss_before_each_step[1]) < 1e-5);
  await page.click(tid('sample-button'));
  assert.equal(await page.locator(`${tid('samples')} li`).count(), 5);
  // No worker from a file: training runs in the page, and runs.
  await page.click(tid('train-toggle'));
  await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 5, tid('step-count'));
  await page.click(tid('train-toggle'));
  assert.equal(await page.getAttribute('body', 'data-trainer'), 'page');
  await page.context().close();
  assert.deepEqual(problems, []);
});

test('a split survives a resample and a reload with the words it was shuffled with', async () => {
  await t.page.fill(tid('split-input'), '10');
  for (let i = 0; i < 5; i++) await t.page.click(tid('step-button'));
  await t.page.click(tid('resample-button')); // the seed setting moves on; the split must not
  await t.page.click(tid('step-button'));
  assert.deepEqual(JSON.parse(await t.page.getAttribute('#loss-chart', 'data-marks')), [5]);
  const before = await Promise.all(['loss-value', 'dev-loss'].map((id) => t.page.getAttribute(tid(id), 'data-value')));
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  const after = await Promise.all(['loss-value', 'dev-loss'].map((id) => t.page.getAttribute(tid(id), 'data-value')));
  assert.deepEqual(after, before);
  assert.deepEqual(JSON.parse(await t.page.getAttribute('#loss-chart', 'data-marks')), [5]);
});

test('a link with a bad value leaves the saved setting, and says so', async () => {
  await t.page.fill(tid('lr-input'), '40');
  await t.page.goto(new URL('?lr=-4', t.page.url()).href);
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await t.page.inputValue(tid('lr-input')), '40');
  assert.match(await t.page.textContent(tid('status')), /not taken: Learning rate: -4 is out of range/);
});

test('CSV fields are quoted and never start a spreadsheet formula; the explorer clears for unknown characters', async () => {
  await t.page.setInputFiles(tid('dataset-input'), { name: 'signs.txt', mimeType: 'text/plain', buffer: Buffer.from('=a\n+b\n@c\n-d\n"e\n') });
  await t.page.waitForFunction((sel) => document.querySelector(sel).dataset.words === '5', tid('dataset-summary'));
  const [csv] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('table-csv-button'))]);
  const header = readFileSync(await csv.path(), 'utf8').split('\r\n')[0];
  // "." first, then by code point: '"' (quoted by doubling), then + - = @ (each made text).
  assert.equal(header, '"",".","""","\'+","\'-","\'=","\'@","a","b","c","d","e"');

  await t.page.click(`${tid('nll-table')} tbody tr >> nth=0`);
  await t.page.fill(tid('word-input'), 'zz');
  assert.match(await t.page.textContent(tid('explorer-title')), /outside the vocabulary/);
  assert.equal(await t.page.getAttribute(tid('explorer-probs'), 'data-values'), null);
});
