// What the browser keeps, read back whatever it holds: the page always starts (a damaged
// record, summary or view is set aside and said, and Forget works afterwards); nothing
// is lost on a reload or a closed tab; a model comes back with the word list it was
// trained on; the storage budget measures what is stored; a model too large to keep is
// refused from its shape, not exported on every change; Forget asks before it removes
// other tabs' models.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePage, tid, BASE_URL } from './harness.mjs';
import { generatedWords } from './words.mjs';

const t = usePage();

const value = async (page, id) => Number(await page.getAttribute(tid(id), 'data-value'));
const loss = (page) => page.getAttribute(tid('loss-value'), 'data-value');
const status = (page) => page.textContent(tid('status'));
const savedModels = (page) => page.$$eval(`${tid('saved-models-select')} option`,
  (options) => options.map((o) => ({ id: o.value, steps: Number(o.dataset.steps), own: o.dataset.own === 'true', text: o.textContent })));

async function steps(page, n) {
  for (let i = 0; i < n; i++) await page.click(tid('step-button'));
}

async function reload(page) {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
}

/** A page in a browser context that can hold a second tab (the harness closes it). */
async function firstTab() {
  await t.page.context().close();
  const context = await t.browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.page = await t.open(await context.newPage());
  return t.page;
}

/** Changes this tab's own stored slot: `edit(record, meta)` in the page, then writes both back. */
function damageOwn(page, edit) {
  return page.evaluate((source) => {
    const id = sessionStorage.getItem('bigram-lab/tab/v1');
    const record = JSON.parse(localStorage.getItem(`bigram-lab/slot/v1/${id}`));
    const meta = JSON.parse(localStorage.getItem(`bigram-lab/slot-meta/v1/${id}`));
    const out = new Function('record', 'meta', 'localStorage', 'id', source)(record, meta, localStorage, id);
    if (out !== 'raw') {
      localStorage.setItem(`bigram-lab/slot/v1/${id}`, JSON.stringify(record));
      localStorage.setItem(`bigram-lab/slot-meta/v1/${id}`, JSON.stringify(meta));
    }
  }, edit);
}

/** Forget, then a reload: a clean start at step 0 with nothing set aside or restored. */
async function forgetWorks(page) {
  assert.equal(await page.isDisabled(tid('forget-button')), false, 'Forget can be used');
  await page.click(tid('forget-button'));
  assert.match(await status(page), /Saved state forgotten/);
  await reload(page);
  assert.doesNotMatch(await status(page), /set aside|Welcome back|Restored|could not/);
  assert.equal(await value(page, 'step-count'), 0);
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('set-aside') || k.includes('slot/')));
  assert.deepEqual(left, [], 'nothing of the page left but what the fresh start wrote');
}

const damages = {
  'history out of order': 'record.history.steps = [0, 2, 1, 3]; record.history.losses = [3, 2, 2.5, 1]; record.history.dev = [null, null, null, null];',
  'huge steps': 'record.history.steps = [1e300, 0, 1]; record.history.losses = [3, 2, 1]; record.history.dev = [null, null, null]; record.model.steps = 1e300;',
  'steps past 2^53 in order': 'record.history.steps = [0, 1, 2 ** 60]; record.history.losses = [3, 2, 1]; record.history.dev = [null, null, null];',
  'lengths differing': 'record.history.losses.pop();',
  'non-numbers': 'record.history.losses = record.history.losses.map(() => "x");',
  'a mark outside the steps': 'record.history.marks = [99];',
  'a record that is not JSON': 'localStorage.setItem("bigram-lab/slot/v1/" + id, "{\\"model\\": [trunc"); return "raw";',
  'a summary claiming another step count': 'meta.steps = 1e6;',
  'a view of the wrong types': 'localStorage.setItem("bigram-lab/view/v1", JSON.stringify({ settings: { lr: { a: 1 }, seed: [1] }, word: 42 })); return "raw";',
};

for (const [kind, edit] of Object.entries(damages)) {
  test(`the page starts with ${kind} stored, says it set something aside, and Forget works`, async () => {
    const page = t.page;
    await steps(page, 3);
    await damageOwn(page, edit);
    await reload(page);
    assert.match(await status(page), /could not be used: .*set aside/);
    assert.equal(await page.getAttribute(tid('status'), 'data-kind'), 'error');
    for (const m of await savedModels(page)) assert.doesNotMatch(m.text, /function|Invalid Date|1000000|<b>/);
    if (kind === 'a summary claiming another step count' || kind === 'a view of the wrong types') {
      assert.equal(await value(page, 'step-count'), 3, 'the record wins: its own step');
    }
    await forgetWorks(page);
  });
}

test('a damaged summary is never listed as its garbage; it does not make a save drop a real slot', async () => {
  const page = t.page;
  await steps(page, 3);
  await page.evaluate(() => {
    const id = sessionStorage.getItem('bigram-lab/tab/v1');
    const text = localStorage.getItem(`bigram-lab/slot/v1/${id}`);
    const record = JSON.parse(text);
    // A real slot of another tab, and a slot whose summary claims 5e6 characters and garbage.
    for (const [other, savedAt] of [['real-other', 1000], ['claims-big', 500]]) {
      localStorage.setItem(`bigram-lab/slot/v1/${other}`, JSON.stringify({ ...record, savedAt }));
    }
    localStorage.setItem('bigram-lab/slot-meta/v1/real-other',
      JSON.stringify({ id: 'real-other', savedAt: 1000, steps: 3, context: 1, encoding: 'context', chars: text.length }));
    localStorage.setItem('bigram-lab/slot-meta/v1/claims-big',
      JSON.stringify({ id: 'claims-big', savedAt: 'x', steps: '<b>x</b>', context: 'constructor', chars: 5e6 }));
  });
  await steps(page, 1); // a save: it measures what is stored
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('bigram-lab/slot/v1/')));
  assert.ok(stored.includes('bigram-lab/slot/v1/real-other'), 'the real slot stays');
  assert.ok(stored.includes('bigram-lab/slot/v1/claims-big'), 'and the small one whose summary lied');
  const list = await savedModels(page);
  assert.equal(list.length, 3);
  for (const m of list) assert.doesNotMatch(m.text, /function|Invalid Date|<b>|NaN/);
  await reload(page);
  assert.match(await status(page), /summary .*set aside/);
  assert.equal(await value(page, 'step-count'), 4);
});

test('a reload restores at least the step shown just before it, while training', async () => {
  const page = t.page;
  await page.click(tid('train-toggle'));
  await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 40, tid('step-count'));
  const shown = await value(page, 'step-count');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.ok(await value(page, 'step-count') >= shown, `restored ${await value(page, 'step-count')} ≥ ${shown}`);
  assert.match(await status(page), /Welcome back/);
});

test('a tab closed mid-training: a new tab restores at least the step it showed', async () => {
  const a = await firstTab();
  const context = a.context();
  await a.click(tid('train-toggle'));
  await a.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) > 40, tid('step-count'));
  const shown = await value(a, 'step-count');
  await a.close({ runBeforeUnload: true });
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  const b = await t.open(await context.newPage());
  assert.ok(await value(b, 'step-count') >= shown, `restored ${await value(b, 'step-count')} ≥ ${shown}`);
  assert.match(await status(b), /Restored the most recently saved model/);
});

test('a model comes back with its own word list: the same loss, summary and chart', async () => {
  const page = t.page;
  await page.setInputFiles(tid('dataset-input'), { name: 'mine.txt', mimeType: 'text/plain', buffer: Buffer.from(generatedWords(800)) });
  await page.waitForFunction((sel) => /Loaded “mine\.txt”/.test(document.querySelector(sel).textContent), tid('status'));
  await steps(page, 20);
  const before = {
    loss: await loss(page),
    summary: await page.textContent(tid('dataset-summary')),
    chart: await page.$eval('#loss-chart', (el) => [el.dataset.xMin, el.dataset.xMax, el.dataset.yMin, el.dataset.yMax, el.dataset.points]),
  };
  await reload(page);
  assert.match(await status(page), /Welcome back: your model at step 20 was restored/);
  assert.equal(await loss(page), before.loss, 'the same loss exactly: scored on its own words');
  assert.equal(await page.textContent(tid('dataset-summary')), before.summary);
  assert.deepEqual(await page.$eval('#loss-chart', (el) => [el.dataset.xMin, el.dataset.xMax, el.dataset.yMin, el.dataset.yMax, el.dataset.points]),
    before.chart, 'the chart is this list\'s history alone');
  assert.match((await savedModels(page))[0].text, /words of “mine\.txt”/);
});

test('a word list too large to keep beside its model: a reload says which list it needs and scores nothing on another', async () => {
  const page = t.page;
  const big = generatedWords(1_300_000);
  await page.setInputFiles(tid('dataset-input'), { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from(big) });
  await page.waitForFunction((sel) => /Loaded “big\.txt”/.test(document.querySelector(sel).textContent), tid('status'), { timeout: 60_000 });
  await steps(page, 2);
  assert.equal(await page.getAttribute(tid('saved-models-note'), 'data-kind'), 'kept');
  await reload(page);
  assert.match(await status(page), /was not restored: it was trained on the word list “big\.txt” \(1,300,000 words, \d\.\d MB\)/);
  assert.equal(await value(page, 'step-count'), 0, 'not restored onto the default names');
  const list = await savedModels(page);
  assert.deepEqual(list.map((m) => [m.steps, m.own]), [[2, false]], 'it stays in Saved models');
  await page.click(tid('saved-models-restore'));
  assert.match(await status(page), /Could not restore that saved model: it was trained on the word list “big\.txt”.*Nothing changed\./);
  // With that list loaded again, it comes back.
  await page.setInputFiles(tid('dataset-input'), { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from(big) });
  await page.waitForFunction((sel) => /Loaded “big\.txt”/.test(document.querySelector(sel).textContent), tid('status'), { timeout: 60_000 });
  await page.selectOption(tid('saved-models-select'), list[0].id);
  await page.click(tid('saved-models-restore'));
  assert.equal(await value(page, 'step-count'), 2);
});

test('a 4-gram is found too large from its shape: Step and λ never export it', async () => {
  const page = t.page;
  await steps(page, 2);
  await page.selectOption(tid('context-select'), '3');
  assert.equal(await page.getAttribute(tid('saved-models-note'), 'data-kind'), 'refused');
  await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/bigram_lab.js', document.baseURI).href);
    const exportModel = Lab.prototype.exportModel;
    window.exports = 0;
    Lab.prototype.exportModel = function counted(...args) {
      window.exports += 1;
      return exportModel.apply(this, args);
    };
  });
  await steps(page, 3);
  await page.fill(tid('l2-input'), '0.02');
  await page.fill(tid('l2-input'), '0.03');
  assert.equal(await page.evaluate(() => window.exports), 0, 'no export to refuse it');
  assert.match(await page.textContent(tid('saved-models-note')), /^This model is 10\.\d MB as text, more than the 4\.5 MB/);
  assert.equal(await page.getAttribute(tid('saved-models-note'), 'data-kind'), 'refused');
  // Back to the bigram: it is kept again, exported once per save.
  await page.selectOption(tid('context-select'), '1');
  await steps(page, 1);
  assert.equal(await page.getAttribute(tid('saved-models-note'), 'data-kind'), 'kept');
  assert.ok(await page.evaluate(() => window.exports) > 0);
});

test('Forget asks before removing other tabs\' models; declined, nothing goes', async () => {
  const a = await firstTab();
  const b = await t.open(await a.context().newPage());
  await steps(a, 4);
  await steps(b, 6);
  await a.waitForFunction((sel) => document.querySelectorAll(`${sel} option`).length === 2, tid('saved-models-select'));
  const asked = [];
  a.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await a.click(tid('forget-button'));
  assert.equal(asked.length, 1);
  assert.match(asked[0], /removes every saved model in this browser: one other besides this tab's own/);
  assert.equal((await savedModels(a)).length, 2, 'declined: both stay');
  assert.equal(await value(a, 'step-count'), 4);
  a.once('dialog', (d) => d.accept());
  await a.click(tid('forget-button'));
  assert.match(await status(a), /Saved state forgotten/);
  assert.deepEqual(await savedModels(b).then((l) => l.filter((m) => !m.own)), []);
});

test('Forget with no other tab\'s model forgets at once, without asking', async () => {
  const page = t.page;
  await steps(page, 3);
  let asked = false;
  page.on('dialog', (d) => { asked = true; d.dismiss(); });
  await page.click(tid('forget-button'));
  assert.equal(asked, false);
  assert.match(await status(page), /Saved state forgotten/);
});

test('no storage: the note says so in two sentences', async () => {
  const page = await t.browser.newPage();
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
  });
  await t.open(page);
  await steps(page, 1);
  assert.equal(await page.textContent(tid('saved-models-note')), 'This browser gives the page no storage. Nothing of this tab is kept.');
  await page.context().close();
});

test('a start-up that fails anyway still leaves Forget working, and says what to do', async () => {
  const page = await t.browser.newPage();
  await page.goto(BASE_URL);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click(tid('step-button'));
  await page.addInitScript(() => {
    if (sessionStorage.getItem('broken') === 'no') return;
    sessionStorage.setItem('broken', 'yes');
    WebAssembly.instantiateStreaming = () => Promise.reject(new Error('broken for the test'));
    WebAssembly.instantiate = () => Promise.reject(new Error('broken for the test'));
  });
  await page.reload();
  await page.waitForFunction((sel) => /could not start/.test(document.querySelector(sel).textContent), tid('status'));
  assert.match(await status(page), /could not start: .*“Forget saved state” clears what this browser keeps for the page and reloads it/);
  await page.evaluate(() => sessionStorage.setItem('broken', 'no'));
  await Promise.all([page.waitForNavigation(), page.click(tid('forget-button'))]);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await value(page, 'step-count'), 0);
  assert.doesNotMatch(await status(page), /Welcome back/);
  await page.context().close();
});
