// Weights that cross to NumPy and back: W.npy and N.npy downloaded
// and read here by a small .npy parser, byte for byte against PyTorch's W for the seed,
// the page's own W (its model export) and the counts; .npy files made here imported:
// a zero W gives the loss ln V, and a wrong shape or a garbage file is refused with the
// shape wanted, changing nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, golden, SHOTS } from './harness.mjs';

const t = usePage();

/**
 * A .npy file's dtype, order, shape and data: the magic, the version, the header's
 * length (2 bytes in version 1, 4 after), the header dict, then the raw data.
 * @param {Uint8Array} bytes
 */
function parseNpy(bytes) {
  assert.deepEqual([...bytes.subarray(0, 6)], [0x93, ...Buffer.from('NUMPY')], 'the magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = Buffer.from(bytes.subarray(start, start + headerLength)).toString('latin1');
  assert.ok(header.endsWith('\n'), 'the header ends in a newline');
  assert.equal((start + headerLength) % 64, 0, 'the data starts 64-byte aligned, as NumPy writes it');
  const descr = header.match(/'descr':\s*'([^']*)'/)[1];
  const fortran = header.match(/'fortran_order':\s*(True|False)/)[1] === 'True';
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const data = bytes.slice(start + headerLength); // a copy: aligned for the typed arrays
  return { descr, fortran, shape, data: data.buffer };
}

/**
 * A .npy file (version 1.0) as NumPy's `np.save` writes it.
 * @param {string} descr e.g. '<f8'
 * @param {number[]} shape
 * @param {ArrayBufferView} data little-endian
 */
function makeNpy(descr, shape, data, { fortran = false } = {}) {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${tuple}, }`;
  header = header.padEnd(64 * Math.ceil((10 + header.length + 1) / 64) - 10 - 1, ' ') + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** Clicks `id` and returns the downloaded file's name and bytes. */
async function download(id) {
  const [file] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid(id))]);
  return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync(await file.path())) };
}

/** The page's W as its model export (JSON) gives it, as float32. */
async function pagesW() {
  const { bytes } = await download('export-button');
  return Float32Array.from(JSON.parse(Buffer.from(bytes).toString('utf8')).w);
}

/** Chooses `buffer` as `name` in the .npy input and waits for the page to answer. */
async function importNpy(name, buffer) {
  await t.page.evaluate((sel) => { document.querySelector(sel).textContent = ''; }, tid('status'));
  await t.page.setInputFiles(tid('npy-import-input'), { name, mimeType: 'application/octet-stream', buffer });
  await t.page.waitForFunction((sel) => /^(Imported W|Could not import)/.test(document.querySelector(sel).textContent), tid('status'));
  return t.page.textContent(tid('status'));
}

const bitsEqual = (a, b, what) => {
  assert.equal(a.length, b.length, `${what}: length`);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const at = x.findIndex((v, i) => v !== y[i]);
  assert.equal(at, -1, `${what}: first difference at ${at} (${a[at]} vs ${b[at]})`);
};

test('W.npy is the seed\'s W bit for bit (PyTorch\'s randn), float32 27×27 in C order; N.npy the counts as int32', async () => {
  const w = await download('npy-export-button');
  assert.equal(w.name, 'W.npy');
  const npy = parseNpy(w.bytes);
  assert.deepEqual([npy.descr, npy.fortran, npy.shape], ['<f4', false, [27, 27]]);
  const torchW = Float32Array.from(golden.rng['2147483647'].randn_27x27_row_major);
  bitsEqual(new Float32Array(npy.data), torchW, 'W.npy against torch.randn((27, 27), generator=g)');
  assert.match(await t.page.textContent(tid('status')), /W\.npy \(float32\)/);

  const n = await download('npy-n-export-button');
  assert.equal(n.name, 'N.npy');
  const counts = parseNpy(n.bytes);
  assert.deepEqual([counts.descr, counts.fortran, counts.shape], ['<i4', false, [27, 27]]);
  assert.deepEqual([...new Int32Array(counts.data)], golden.default_dataset.counts_27x27_row_major);
  // The Code panel says how to load it into PyTorch.
  const code = await t.page.textContent(tid('code-view'));
  assert.ok(code.includes("#   import numpy as np\n#   W = torch.tensor(np.load('W.npy'), dtype=torch.float32, requires_grad=True)\n"), code);
});

test('after training, and for the trigram\'s two shapes, W.npy holds exactly the page\'s W', async () => {
  for (let k = 0; k < 3; k++) await t.page.click(tid('step-button'));
  assert.equal(await t.value('step-count'), 3);
  let npy = parseNpy((await download('npy-export-button')).bytes);
  bitsEqual(new Float32Array(npy.data), await pagesW(), 'after 3 steps');

  for (const [encoding, rows] of [['context', 729], ['concat', 54]]) {
    await t.page.selectOption(tid('context-select'), '2');
    await t.page.selectOption(tid('encoding-select'), encoding);
    await t.page.click(tid('step-button'));
    npy = parseNpy((await download('npy-export-button')).bytes);
    assert.deepEqual([npy.descr, npy.fortran, npy.shape], ['<f4', false, [rows, 27]], encoding);
    bitsEqual(new Float32Array(npy.data), await pagesW(), `trigram, ${encoding}`);
    // N: one row per context (V² of them) whichever way the context is fed.
    const counts = parseNpy((await download('npy-n-export-button')).bytes);
    assert.deepEqual(counts.shape, [729, 27]);
    const total = new Int32Array(counts.data).reduce((a, b) => a + b, 0);
    assert.equal(total, Number(await t.page.getAttribute(tid('dataset-summary'), 'data-examples')));
  }
});

test('a zero W from NumPy (float64) gives the loss ln 27; the step count restarts and the Code panel says so', async () => {
  for (let k = 0; k < 2; k++) await t.page.click(tid('step-button'));
  const said = await importNpy('zeros.npy', makeNpy('<f8', [27, 27], new Float64Array(27 * 27)));
  assert.match(said, /^Imported W from “zeros\.npy”: loss 3\.2958; the step count starts again from 0\.$/);
  const loss = await t.value('loss-value');
  assert.ok(Math.abs(loss - Math.log(27)) < 1e-6, `loss ${loss} is ln 27`);
  assert.equal(await t.page.textContent(tid('loss-value')), '3.2958');
  assert.equal(await t.value('step-count'), 0);
  assert.ok([...await pagesW()].every((x) => x === 0), 'W is zeros');
  const code = await t.page.textContent(tid('code-view'));
  assert.match(code, /# NOTE: the page's run cannot be written as one loop:\n# W was imported from a \.npy file/);
  // It trains from there, and the curve starts at the import.
  await t.page.click(tid('step-button'));
  assert.equal(await t.value('step-count'), 1);
  assert.ok(await t.value('loss-value') < loss);
  await t.page.locator('section.panel', { has: t.page.locator(tid('npy-import-input')) })
    .screenshot({ path: new URL('npy-controls.png', SHOTS).pathname });
});

test('a .npy of another shape, a garbage file and a Fortran-order W are refused naming the shape wanted; nothing changes', async () => {
  for (let k = 0; k < 2; k++) await t.page.click(tid('step-button'));
  // The chart as the pixels drawn into its canvas: the same picture, the same curve.
  const chart = () => t.page.evaluate(() => document.querySelector('#loss-chart canvas').toDataURL());
  const before = async () => [await t.value('step-count'), await t.value('loss-value'), await chart()];
  const was = await before();
  const w = await pagesW();
  const expected = 'expected a float32 or float64 array of shape (27, 27), C order; this file holds';
  for (const [name, buffer, found] of [
    ['wide.npy', makeNpy('<f8', [27, 28], new Float64Array(27 * 28)), 'shape (27, 28)'],
    ['garbage.npy', Buffer.from('emma\nolivia\nava\n'), 'no NumPy array'],
    ['ints.npy', makeNpy('<i8', [27, 27], new BigInt64Array(27 * 27)), "dtype '<i8'"],
    ['fortran.npy', makeNpy('<f4', [27, 27], new Float32Array(27 * 27), { fortran: true }), 'Fortran order'],
    ['cut.npy', makeNpy('<f4', [27, 27], new Float32Array(27 * 27)).subarray(0, 500), 'too few bytes for shape (27, 27)'],
    ['nan.npy', makeNpy('<f4', [27, 27], new Float32Array(27 * 27).fill(NaN)), 'a value that is not finite (NaN) at [0, 0]'],
  ]) {
    const said = await importNpy(name, buffer);
    assert.ok(said.startsWith(`Could not import “${name}”: ${expected} ${found}`), said);
    assert.ok(said.endsWith('Nothing changed.'), said);
    assert.equal(await t.page.getAttribute(tid('status'), 'data-kind'), 'error');
    assert.deepEqual(await before(), was, `${name}: step, loss and chart unchanged`);
    assert.ok(!(await t.page.textContent(tid('loss-value'))).includes('NaN'));
  }
  bitsEqual(await pagesW(), w, 'W unchanged');
  // The shape wanted follows the context.
  await t.page.selectOption(tid('context-select'), '2');
  const said = await importNpy('bigram.npy', makeNpy('<f4', [27, 27], new Float32Array(27 * 27)));
  assert.ok(said.includes('expected a float32 or float64 array of shape (729, 27), C order; this file holds shape (27, 27)'), said);
  assert.equal(await t.value('step-count'), 0);
});

test('a W.npy exported here comes back exactly, in another page of the same data', async () => {
  for (let k = 0; k < 5; k++) await t.page.click(tid('step-button'));
  const loss = await t.value('loss-value');
  const exported = (await download('npy-export-button')).bytes;
  const w = await pagesW();
  await t.page.click(tid('reset-button'));
  assert.notEqual(await t.value('loss-value'), loss);
  const said = await importNpy('W.npy', Buffer.from(exported));
  assert.match(said, /^Imported W from “W\.npy”/);
  assert.equal(await t.value('loss-value'), loss);
  bitsEqual(await pagesW(), w, 'the same W');
  assert.equal(await t.value('step-count'), 0);
  assert.deepEqual(await t.seriousAxeViolations(), []);
});
