// Every number one tap away: the explorer's strips read out each cell (hover, tap, or
// focus and ← →) as the lecture prints it, Σ counts is shown, the word table gives each
// example's indices, and on a phone the heatmap's cells are large enough to read and tap
// while the page itself never scrolls sideways. All at the page's first state: emma, the
// seed's W.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePage, tid, golden, SHOTS } from './harness.mjs';

const t = usePage();
const W0 = golden.rng['2147483647'].randn_27x27_row_major;
const values = async (id) => JSON.parse(await t.page.getAttribute(tid(id), 'data-values'));
const readout = (id = 'explorer-readout') => t.page.textContent(tid(id));
/** The middle of cell j of a strip, in the canvas's own coordinates. */
async function cellAt(id, j) {
  const box = await t.page.locator(tid(id)).boundingBox();
  const n = (await values(id)).length;
  return { x: (j + 0.5) * (box.width / n), y: 6 };
}
/** The number a readout gives: what follows the first " = ". */
const number = (text) => Number(text.split(' = ')[1].split(/[: (]/)[0]);

test('hovering a logits cell reads logits[i, j] = the value, as PyTorch prints it', async () => {
  // The first example of .emma. is picked: x = "." (row 0 of W) → y = "e".
  assert.equal(await readout(), 'Point at, tap or focus a strip to read its cells.', 'nothing read before the pointer comes');
  assert.equal(await t.page.getAttribute(tid('explorer-readout'), 'data-value'), null);
  const logits = await values('explorer-logits');
  for (const j of [5, 13, 26]) {
    await t.page.locator(tid('explorer-logits')).hover({ position: await cellAt('explorer-logits', j) });
    const text = await readout();
    assert.match(text, new RegExp(`^logits\\[0, ${j}\\] = -?\\d+\\.\\d{4}: xenc\\[0\\] @ W = W\\[0, ${j}\\], “\\.” → “${golden.default_dataset.vocab[j]}”`));
    assert.equal(number(text).toFixed(4), logits[j].toFixed(4), `logits[0, ${j}]`);
    assert.equal(logits[j].toFixed(6), W0[j].toFixed(6), 'the seed\'s W, row 0');
    assert.equal(await t.page.getAttribute(tid('explorer-logits'), 'data-cursor'), String(j));
    assert.equal(Number(await t.page.getAttribute(tid('explorer-readout'), 'data-value')), logits[j]);
  }
  assert.match(await readout(), /^logits\[0, 26\]/);
  // The true next character's cell says so; moving to another strip of the group moves the cursor.
  await t.page.locator(tid('explorer-counts')).hover({ position: await cellAt('explorer-counts', 5) });
  assert.match(await readout(), /^counts\[0, 5\] = \d+\.\d{4} = exp\(logits\[0, 5\]\) = exp\(-?\d\.\d{4}\), “\.” → “e” ▲ the true next$/);
  assert.equal(await t.page.getAttribute(tid('explorer-counts'), 'data-cursor'), '5');
  assert.equal(await t.page.getAttribute(tid('explorer-logits'), 'data-cursor'), null, 'one cursor per group');
  // The backward strips have their own line: W.grad[x, j] with its sign.
  const grad = await values('grad-row');
  await t.page.locator(tid('grad-row')).hover({ position: await cellAt('grad-row', 13) });
  const back = await readout('backward-readout');
  assert.match(back, /^W\.grad\[0, 13\] = [+−]\d\.\d{4} \(row “\.”, column “m”\) = data part \+ L2 part$/);
  assert.equal(Number(back.split(' = ')[1].split(' ')[0].replace('−', '-')).toFixed(4), grad[13].toFixed(4));
  await t.page.locator(tid('dlogits-row')).hover({ position: await cellAt('dlogits-row', 5) });
  assert.match(await readout('backward-readout'), /^dlogits\[0, 5\] = −\d\.\d{3}e-\d = \(probs\[0, 5\] − 1\) \/ \d+: row “\.”, column “e”$/);
  assert.equal(await t.page.getAttribute(tid('explorer-counts'), 'data-cursor'), '5', 'the forward cursor stays');
  assert.deepEqual(await t.seriousAxeViolations(), []);
  await t.page.setViewportSize({ width: 1366, height: 768 });
  await t.page.locator('#explorer-panel').scrollIntoViewIfNeeded();
  await t.page.locator(tid('explorer-probs')).hover({ position: await cellAt('explorer-probs', 5) });
  await t.page.locator('#explorer-panel').screenshot({ path: new URL('readouts-explorer.png', SHOTS).pathname });
});

test('the keyboard reads the strips: focus the counts strip, → twice names cell 2', async () => {
  await t.page.focus(tid('explorer-counts'));
  const counts = await values('explorer-counts');
  assert.match(await readout(), /^counts\[0, 0\] = /);
  await t.page.keyboard.press('ArrowRight');
  await t.page.keyboard.press('ArrowRight');
  const text = await readout();
  assert.match(text, /^counts\[0, 2\] = \d+\.\d{4} = exp\(logits\[0, 2\]\) = exp\(-?\d\.\d{4}\), “\.” → “b”$/);
  assert.equal(number(text).toFixed(4), counts[2].toFixed(4));
  assert.equal(await t.page.getAttribute(tid('explorer-counts'), 'data-cursor'), '2');
  await t.page.keyboard.press('End');
  assert.match(await readout(), /^counts\[0, 26\] = /);
  await t.page.keyboard.press('ArrowRight'); // the last cell stays the last
  assert.match(await readout(), /^counts\[0, 26\] = /);
  await t.page.keyboard.press('Home');
  assert.match(await readout(), /^counts\[0, 0\] = /);
  // Another example keeps the cursor's column and reads the new row.
  await t.page.click(`${tid('nll-table')} tr[data-bigram="em"]`);
  await t.page.waitForFunction((sel) => /^counts\[1, 0\]/.test(document.querySelector(sel).textContent), tid('explorer-readout'));
  // A Step moves the numbers; the reading follows them.
  await t.page.focus(tid('explorer-probs'));
  await t.page.keyboard.press('ArrowRight');
  await t.page.click(tid('step-button'));
  const probs = await values('explorer-probs');
  await t.page.waitForFunction(([sel, v]) => Number(document.querySelector(sel).dataset.value) === v, [tid('explorer-readout'), probs[1]]);
  assert.match(await readout(), /^probs\[1, 1\] = 0\.\d{4} = counts\[1, 1\] \/ Σ counts = \d+\.\d{4} \/ \d+\.\d{4}, “e” → “a”$/);
});

test('Σ counts is shown beside the counts strip, and probs = counts / Σ counts', async () => {
  const counts = await values('explorer-counts');
  const sum = counts.reduce((a, b) => a + b, 0);
  const shown = await t.value('explorer-sum-counts');
  assert.ok(Math.abs(shown - sum) <= 1e-4 * sum, `Σ counts ${shown} vs ${sum}`);
  assert.equal(await t.page.textContent(tid('explorer-sum-counts')), shown.toFixed(4));
  assert.equal(await t.page.textContent('#explorer-probs-sum'), shown.toFixed(4), 'the probs caption divides by it');
  const probs = await values('explorer-probs');
  probs.forEach((p, j) => assert.ok(Math.abs(p - counts[j] / shown) < 1e-6, `probs[${j}]`));
  // The probs readout writes the division out.
  await t.page.locator(tid('explorer-probs')).hover({ position: await cellAt('explorer-probs', 5) });
  assert.equal(await readout(), `probs[0, 5] = ${probs[5].toFixed(4)} = counts[0, 5] / Σ counts = ${counts[5].toFixed(4)} / ${shown.toFixed(4)}, “.” → “e” ▲ the true next`);
});

test('the word table gives each example\'s indices, x → y', async () => {
  assert.equal(await t.page.inputValue(tid('word-input')), 'emma');
  const header = t.page.locator(`${tid('nll-table')} thead th`).last();
  assert.equal(await header.textContent(), 'x → y');
  assert.equal(await header.getAttribute('scope'), 'col');
  const xy = await t.page.locator(`${tid('nll-table')} [data-col=xy]`).allTextContents();
  assert.deepEqual(xy, ['0 → 5', '5 → 13', '13 → 13', '13 → 1', '1 → 0']);
  assert.deepEqual(xy, golden.emma.xs.map((x, i) => `${x} → ${golden.emma.ys[i]}`));
  // A character outside the vocabulary has no index.
  await t.page.fill(tid('word-input'), 'a1');
  assert.deepEqual(await t.page.locator(`${tid('nll-table')} [data-col=xy]`).allTextContents(), ['0 → 1', '1 → —', '— → 0']);
});

test('on a phone: a tap reads a probs cell, the heatmap\'s cells are 20 px or more and only it scrolls sideways', async () => {
  await t.page.context().close();
  const context = await t.browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  t.page = await t.open(await context.newPage());
  const probs = await values('explorer-probs');
  await t.page.locator(tid('explorer-probs')).tap({ position: await cellAt('explorer-probs', 13) });
  const text = await readout();
  assert.match(text, /^probs\[0, 13\] = 0\.\d{4} = counts\[0, 13\] \/ Σ counts = /);
  assert.equal(number(text).toFixed(4), probs[13].toFixed(4));
  assert.equal(await t.page.getAttribute(tid('explorer-probs'), 'data-cursor'), '13');

  const width = await t.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a 390px phone`);
  const heat = t.page.locator('#heatmap');
  const box = await heat.boundingBox();
  const cell = box.width / 28;
  assert.ok(cell >= 20, `heatmap cells ${cell}px`);
  const scroller = await heat.evaluate((c) => {
    const s = getComputedStyle(c.parentElement).overflowX;
    return { s, scrolls: c.parentElement.scrollWidth > c.parentElement.clientWidth };
  });
  assert.deepEqual(scroller, { s: 'auto', scrolls: true }, 'the heatmap scrolls in its own box');
  // A tap on the cell e → m (row 5, column 13) reads it out.
  await heat.scrollIntoViewIfNeeded();
  await heat.evaluate((c, x) => { c.parentElement.scrollLeft = x; }, cell * 10);
  await heat.tap({ position: { x: cell * 14.5, y: cell * 6.5 } });
  assert.equal(await t.page.textContent(tid('heatmap-readout')), `em: p(m after e) = ${golden.emma.probs_5x27[1][13].toFixed(4)}`);
  // The keyboard scrolls the box to follow the cursor.
  await t.page.focus('#heatmap');
  for (let i = 0; i < 13; i++) await t.page.keyboard.press('ArrowRight');
  assert.match(await t.page.textContent(tid('heatmap-readout')), /^ez: p\(z after e\)/);
  const shown = await heat.evaluate((c) => {
    const b = c.parentElement;
    return { left: b.scrollLeft, right: b.scrollLeft + b.clientWidth };
  });
  assert.ok(shown.right >= cell * 27, `the last column is in view: ${JSON.stringify(shown)}`);
  assert.equal(await t.page.evaluate(() => document.documentElement.scrollWidth), width, 'still nothing else scrolls sideways');
  await heat.evaluate((c) => { c.parentElement.scrollLeft = 0; });
  await t.page.locator('#heatmap-panel').screenshot({ path: new URL('readouts-phone-heatmap.png', SHOTS).pathname });
  await t.page.locator('#explorer-panel').screenshot({ path: new URL('readouts-phone-explorer.png', SHOTS).pathname });
  await t.page.locator('#probe-panel').screenshot({ path: new URL('readouts-phone-table.png', SHOTS).pathname });
  assert.deepEqual(await t.seriousAxeViolations(), []);
});
