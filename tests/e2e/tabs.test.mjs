// Nothing lost between tabs: two pages of one browser context share localStorage as two
// tabs do, and each keeps its own sessionStorage. Each tab keeps its model in a slot of
// its own; a reload finds it; the other tab is told and can restore it; a model too
// large for the browser is refused whole.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePage, tid, SHOTS } from './harness.mjs';

const t = usePage();

/** Presses Step n times. */
async function steps(page, n) {
  for (let i = 0; i < n; i++) await page.click(tid('step-button'));
}

const value = async (page, id) => Number(await page.getAttribute(tid(id), 'data-value'));
const loss = (page) => page.getAttribute(tid('loss-value'), 'data-value');
const status = (page) => page.textContent(tid('status'));

/** The Saved models list as `{id, steps, own, text}`, newest first. */
const savedModels = (page) => page.$$eval(`${tid('saved-models-select')} option`,
  (options) => options.map((o) => ({ id: o.value, steps: Number(o.dataset.steps), own: o.dataset.own === 'true', text: o.textContent })));

/** Waits until a page's other-tabs notice says something matching `re`. */
const noticeSays = (page, re) => page.waitForFunction(([sel, source]) => new RegExp(source).test(document.querySelector(sel).textContent),
  [tid('tabs-notice'), re.source]);

async function reload(page) {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
}

/**
 * The first tab, in a browser context that can hold a second one (the harness's page has
 * a context of its own that cannot); the harness closes it after the test.
 */
async function firstTab() {
  await t.page.context().close();
  const context = await t.browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.page = await t.open(await context.newPage());
  return t.page;
}

/** A second tab: a page of the same browser context (same localStorage), watched for errors. */
const secondTab = async (page, url) => t.open(await page.context().newPage(), url);

/** What localStorage holds for the page: every slot record parsed, and its summary. */
const stored = (page) => page.evaluate(() => {
  const slots = [];
  let chars = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    chars += key.length + localStorage.getItem(key).length;
    if (!key.startsWith('bigram-lab/slot/v1/')) continue;
    const record = JSON.parse(localStorage.getItem(key)); // throws if half-written
    const meta = JSON.parse(localStorage.getItem(`bigram-lab/slot-meta/v1/${key.slice(19)}`));
    slots.push({ steps: record.model.steps, context: record.model.context, metaSteps: meta.steps,
      metaContext: meta.context, lastStep: record.history.steps.at(-1), weights: record.model.w.length });
  }
  return { slots, chars };
});

test('30 steps in A, 5 in B: A reloads at 30, each is told of the other, and either can be restored anywhere', async () => {
  const a = await firstTab();
  const b = await secondTab(a);
  await steps(a, 30);
  const lossA = await loss(a);
  // B is told as A saves, and A's model is in B's list.
  await noticeSays(b, /Another tab saved its model \(step 30, bigram/);
  assert.deepEqual((await savedModels(b)).map((m) => [m.steps, m.own]), [[30, false]]);
  await steps(b, 5);
  const lossB = await loss(b);
  assert.notEqual(lossA, lossB);
  await noticeSays(a, /Another tab saved its model \(step 5, bigram/);
  assert.match(await status(a), /Another tab saved its model.*This tab's model is kept apart/);

  await reload(a);
  assert.match(await status(a), /Welcome back: your model at step 30 was restored/);
  assert.equal(await value(a, 'step-count'), 30);
  assert.equal(await loss(a), lossA, 'the same W as before the reload');
  const list = await savedModels(a);
  assert.deepEqual(list.map((m) => [m.steps, m.own]), [[5, false], [30, true]], 'both, newest first');
  assert.match(list[1].text, /^This tab: step 30, bigram, loss \d\.\d{4}, saved /);

  // A restores B's model: step 5 and B's loss; A's 30 steps stay in the list.
  await a.selectOption(tid('saved-models-select'), list[0].id);
  await a.click(tid('saved-models-restore'));
  assert.equal(await value(a, 'step-count'), 5);
  assert.equal(await loss(a), lossB);
  assert.match(await status(a), /Restored the saved model at step 5\. This tab's previous model stays in Saved models\./);
  const after = await savedModels(a);
  assert.deepEqual(after.map((m) => m.steps).sort((x, y) => x - y), [5, 5, 30]);
  // And back: A's own 30 steps, whole, in its own slot again (no copy of it made).
  await a.selectOption(tid('saved-models-select'), list[1].id);
  await a.click(tid('saved-models-restore'));
  assert.equal(await value(a, 'step-count'), 30);
  assert.equal(await loss(a), lossA);
  const back = await savedModels(a);
  assert.deepEqual(back.map((m) => [m.steps, m.own]).sort(), [[30, true], [5, false], [5, false]].sort());
  assert.equal(back.find((m) => m.own).id, list[1].id);
  assert.ok(back.some((m) => m.text.startsWith('This tab, earlier: step 5, bigram')), 'B\'s model as A had it');
  // B, reloaded, is still its own 5 steps.
  await reload(b);
  assert.equal(await value(b, 'step-count'), 5);
  assert.equal(await loss(b), lossB);
  assert.deepEqual(await t.seriousAxeViolations(), [], 'the list and its notes are accessible');
  // The Model panel from its heading to the note, for the README.
  await a.locator(tid('saved-models-note')).scrollIntoViewIfNeeded();
  const panel = await a.locator('section:has(#model-h)').boundingBox();
  const top = await a.locator('#model-h').boundingBox();
  const end = await a.locator(tid('saved-models-note')).boundingBox();
  await a.screenshot({ path: new URL('saved-models.png', SHOTS).pathname,
    clip: { x: panel.x, y: top.y - 8, width: panel.width, height: end.y + end.height - top.y + 16 } });
});

test('a new tab starts from the most recently saved model, says so, and saves to a slot of its own', async () => {
  const a = await firstTab();
  await steps(a, 12);
  const lossA = await loss(a);
  const c = await secondTab(a);
  assert.match(await status(c), /Restored the most recently saved model \(step 12, bigram, loss .*\)\. This tab keeps its own copy/);
  assert.equal(await value(c, 'step-count'), 12);
  assert.equal(await loss(c), lossA);
  assert.equal((await savedModels(c)).length, 1, 'opening a tab adds no slot');
  await steps(c, 3);
  assert.deepEqual((await savedModels(c)).map((m) => [m.steps, m.own]), [[15, true], [12, false]]);
  await reload(a);
  assert.equal(await value(a, 'step-count'), 12, 'the first tab keeps its 12');
  assert.equal(await loss(a), lossA);
});

test('a duplicated tab (same id) that saves moves the first tab to a slot of its own; neither loses', async () => {
  const a = await firstTab();
  await steps(a, 7);
  const lossA = await loss(a);
  // Chromium's "Duplicate tab" copies sessionStorage, and with it the tab's id.
  const id = await a.evaluate(() => sessionStorage.getItem('bigram-lab/tab/v1'));
  const copy = await a.context().newPage();
  await copy.addInitScript((tab) => sessionStorage.setItem('bigram-lab/tab/v1', tab), id);
  await t.open(copy);
  assert.match(await status(copy), /Welcome back: your model at step 7/);
  await steps(copy, 2);
  // A moves to a new id (and says so, until the copy's next save is the news).
  await a.waitForFunction((old) => sessionStorage.getItem('bigram-lab/tab/v1') !== old, id);
  await noticeSays(a, /step 9/);
  const list = await savedModels(a);
  assert.deepEqual(list.map((m) => [m.steps, m.own]).sort(), [[7, true], [9, false]]);
  await reload(a);
  assert.equal(await value(a, 'step-count'), 7);
  assert.equal(await loss(a), lossA);
  await copy.close();
});

test('a 4-gram too large to keep is refused whole, with its size; a reload is consistent', async () => {
  const a = await firstTab();
  await steps(a, 3);
  const bigramLoss = await loss(a);
  const before = await stored(a);
  await a.selectOption(tid('context-select'), '3');
  const note = await a.textContent(tid('saved-models-note'));
  assert.match(note, /^This model is 10\.\d MB as text, more than the 4\.5 MB this page keeps in the browser .* use “Export model” to keep it\. This tab's last kept model \(step 3, bigram/);
  assert.equal(await a.getAttribute(tid('saved-models-note'), 'data-kind'), 'refused');
  assert.match(await status(a), /New W of 19683×27 .*This model is 10\.\d MB as text/);
  assert.equal(await a.getAttribute(tid('status'), 'data-kind'), 'error');
  const freshLoss = await loss(a);
  await steps(a, 1);
  assert.deepEqual(await stored(a), before, 'nothing written: not the W, not a history of another context');

  // Reload: the URL asks for the 4-gram, so its W is new from the seed and the bigram's
  // history is not drawn beside it; the bigram stays in Saved models.
  await reload(a);
  assert.equal(await a.inputValue(tid('context-select')), '3');
  assert.equal(await value(a, 'step-count'), 0);
  assert.equal(await loss(a), freshLoss);
  assert.match(await status(a), /The saved model \(step 3, bigram.*\) was not taken: the link \(this page's address\) asks for a 4-gram/);
  const list = await savedModels(a);
  assert.deepEqual(list.map((m) => [m.steps, m.own]), [[3, false]]);
  const { slots, chars } = await stored(a);
  assert.deepEqual(slots, [{ steps: 3, context: 1, metaSteps: 3, metaContext: 1, lastStep: 3, weights: 27 * 27 }]);
  assert.ok(chars < 100_000, `${chars} characters stored`);
  // And it comes back whole, with its context.
  await a.click(tid('saved-models-restore'));
  assert.equal(await a.inputValue(tid('context-select')), '1');
  assert.equal(await value(a, 'step-count'), 3);
  assert.equal(await loss(a), bigramLoss);

  // The trigram (19,683 weights) is kept.
  await a.selectOption(tid('context-select'), '2');
  await steps(a, 1);
  assert.equal(await a.getAttribute(tid('saved-models-note'), 'data-kind'), 'kept');
  await reload(a);
  assert.equal(await a.inputValue(tid('context-select')), '2');
  assert.equal(await value(a, 'step-count'), 1);
});

test('Forget in one tab clears every tab\'s saved model, and the other tab is told', async () => {
  const a = await firstTab();
  const b = await secondTab(a);
  await steps(a, 4);
  await steps(b, 6);
  await noticeSays(a, /step 6/);
  a.once('dialog', (d) => d.accept()); // Forget asks before removing another tab's model
  await a.click(tid('forget-button'));
  await noticeSays(b, /Another tab removed this tab's saved model/);
  assert.deepEqual(await savedModels(b), []);
  assert.equal(await b.isDisabled(tid('saved-models-restore')), true);
  assert.deepEqual((await stored(b)).slots, []);
  await reload(b);
  assert.doesNotMatch(await status(b), /Welcome back|Restored/);
  assert.equal(await value(b, 'step-count'), 0);
});

test('the one model kept before slots becomes a slot on the first load, and nothing is lost', async () => {
  const a = t.page;
  await steps(a, 4);
  const lossA = await loss(a);
  // What the page kept before slots: one key, { model, history }, and no tab id.
  await a.evaluate(() => {
    const id = sessionStorage.getItem('bigram-lab/tab/v1');
    const { model, history } = JSON.parse(localStorage.getItem(`bigram-lab/slot/v1/${id}`));
    localStorage.clear();
    sessionStorage.clear();
    localStorage.setItem('bigram-lab/state/v1', JSON.stringify({ model, history }));
  });
  await reload(a);
  assert.match(await status(a), /Restored the most recently saved model \(step 4, bigram/);
  assert.equal(await value(a, 'step-count'), 4);
  assert.equal(await loss(a), lossA);
  assert.equal(await a.evaluate(() => localStorage.getItem('bigram-lab/state/v1')), null);
  assert.deepEqual((await stored(a)).slots.map((s) => s.steps), [4]);
});
