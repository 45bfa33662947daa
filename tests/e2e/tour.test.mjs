// The guided tour: every stop forwards and backwards, what the stops set up (PyTorch's
// numbers from tests/fixtures), the person's own session given back exactly, a ?tour=N
// link, the keys, axe at three stops, and a screenshot of one stop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { usePage, tid, SHOTS, BASE_URL, golden } from './harness.mjs';

const t = usePage();
const gradient = JSON.parse(readFileSync(new URL('../fixtures/gradient.json', import.meta.url)));
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const stopOf = async () => Number(await t.page.getAttribute(tid('tour-panel'), 'data-step'));
const title = () => t.page.textContent(tid('tour-title'));

/** Everything the person's session is: W and steps (the export), settings, chart, word. */
async function session() {
  const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.click(tid('export-button'))]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const file = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return {
    model: file.model ?? file,
    settings: file.settings,
    steps: await t.value('step-count'),
    loss: await t.value('loss-value'),
    word: await t.page.inputValue(tid('word-input')),
    lr: await t.page.inputValue(tid('lr-input')),
    context: await t.page.inputValue(tid('context-select')),
    heatmap: await t.page.inputValue(tid('heatmap-mode')),
    marks: await t.page.getAttribute('#loss-chart', 'data-marks'),
  };
}

test('every stop forwards and back: titles, progress, focus on the title, no console error', async () => {
  await t.page.click(tid('tour-button'));
  const steps = Number(await t.page.getAttribute(tid('tour-panel'), 'data-steps'));
  assert.equal(steps, 12);
  const titles = [];
  for (let k = 1; k <= steps; k++) {
    assert.equal(await stopOf(), k);
    assert.equal(await t.page.textContent('#tour-progress'), `${k} of ${steps}`);
    assert.equal(await t.page.evaluate(() => document.activeElement?.dataset.testid), 'tour-title', 'focus moves to the stop');
    titles.push(await title());
    if (k < steps) await t.page.click(tid('tour-next'));
  }
  assert.equal(new Set(titles).size, steps, 'every stop has its own title');
  assert.ok(await t.page.isDisabled(tid('tour-prev')) === false);
  for (let k = steps; k > 1; k--) {
    assert.equal(await title(), titles[k - 1]);
    await t.page.click(tid('tour-prev'));
  }
  assert.equal(await stopOf(), 1);
  assert.ok(await t.page.isDisabled(tid('tour-prev')), 'no stop before the first');
  // Next on the last stop finishes the tour.
  await t.page.goto(`${BASE_URL}?tour=12`);
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await stopOf(), 12);
  await t.page.click(tid('tour-next'));
  assert.ok(await t.page.isHidden(tid('tour-panel')));
});

test('the stops set the page up: emma\'s 3.7693 at stop 5, the step to 3.7492 at stop 8, PyTorch\'s samples at 11', async () => {
  const { emma } = gradient;
  await t.page.fill(tid('word-input'), 'zed'); // the stops set their own word
  await t.page.click(tid('tour-button'));
  assert.equal(await t.page.inputValue(tid('word-input')), 'emma');
  const body = () => t.page.textContent('#tour-body');
  // Stop 1 quotes the examples with their indices, read from the page.
  assert.match(await body(), /\(\., e\) = \(0, 5\), \(e, m\) = \(5, 13\), \(m, m\) = \(13, 13\), \(m, a\) = \(13, 1\), \(a, \.\) = \(1, 0\)/);
  assert.match(await body(), /32,257 names/);
  for (let k = 1; k < 5; k++) await t.page.click(tid('tour-next'));
  near(await t.value('word-loss'), emma.loss, 5e-5, 'emma at the seed\'s W');
  assert.ok((await body()).includes(emma.loss.toFixed(4)), 'stop 5 quotes the loss the page shows');
  assert.equal(await t.value('step-count'), 0);
  await t.page.click(tid('tour-next'));
  await t.page.click(tid('tour-next'));
  assert.equal(await t.page.inputValue(tid('heatmap-mode')), 'grad');
  await t.page.click(tid('tour-next')); // 8: the update
  assert.equal(await stopOf(), 8);
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'word');
  assert.equal(await t.value('step-count'), 1);
  near(await t.value('loss-value'), emma['losses_lr0.1'][1], 1e-5, 'after one step');
  assert.ok((await body()).includes(`from ${emma.loss.toFixed(4)} to ${gradient.emma['losses_lr0.1'][1].toFixed(4)}`));
  await t.page.click(tid('tour-next')); // 9: all the words, at the seed's W
  near(await t.value('loss-value'), golden.default_dataset.gd.loss_before_each_step[0], 1e-4, 'the whole list at the seed');
  assert.equal(await t.page.inputValue(tid('train-on-select')), 'all');
  await t.page.click(tid('tour-next')); // 10: trained to 200 steps
  assert.equal(await t.value('step-count'), 200);
  assert.equal(await t.page.inputValue(tid('heatmap-mode')), 'diff');
  assert.ok(await t.page.locator('#l2-note').evaluate((d) => d.open));
  await t.page.click(tid('tour-next')); // 11: sampling
  await t.page.click(tid('sample-button'));
  const names = await t.page.locator(`${tid('samples')} li`).allTextContents();
  const expected = golden.default_dataset.gd.samples_after_200_steps_seed_2147483647.slice(0, names.length);
  assert.deepEqual(names, expected);
});

test('leaving the tour gives back the person\'s session exactly, and nothing was saved over it', async () => {
  await t.page.fill(tid('word-input'), 'olivia');
  await t.page.fill(tid('lr-input'), '20');
  for (let i = 0; i < 7; i++) await t.page.click(tid('step-button'));
  await t.page.click(tid('resample-button'));
  for (let i = 0; i < 3; i++) await t.page.click(tid('step-button'));
  await t.page.selectOption(tid('heatmap-mode'), 'weights');
  const before = await session();
  assert.equal(before.steps, 10);

  await t.page.click(tid('tour-button'));
  for (let k = 1; k < 9; k++) await t.page.click(tid('tour-next')); // through the step at stop 8
  await t.page.click(tid('step-button')); // the person tries things on the way
  await t.page.click(tid('tour-close'));
  assert.ok(await t.page.isHidden(tid('tour-panel')));
  assert.match(await t.page.textContent(tid('status')), /back as you left them/);
  assert.deepEqual(await session(), before);

  // A reload finds the person's state, not the tour's.
  await t.page.reload();
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await t.value('step-count'), 10);
  assert.equal(await t.page.inputValue(tid('word-input')), 'olivia');
});

test('a ?tour=5 link opens stop 5 at the seed\'s W; a bad stop is named', async () => {
  await t.page.goto(`${BASE_URL}?tour=5`);
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await stopOf(), 5);
  near(await t.value('word-loss'), gradient.emma.loss, 5e-5, 'emma');
  await t.page.goto(`${BASE_URL}?tour=13`);
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.ok(await t.page.isHidden(tid('tour-panel')));
  assert.match(await t.page.textContent(tid('status')), /tour=13 is not a stop of the tour \(1 to 12\)/);
});

test('→ and ← move between stops but not while typing; Esc leaves', async () => {
  await t.page.click(tid('tour-button'));
  await t.page.keyboard.press('ArrowRight');
  await t.page.keyboard.press('ArrowRight');
  assert.equal(await stopOf(), 3);
  await t.page.keyboard.press('ArrowLeft');
  assert.equal(await stopOf(), 2);
  await t.page.focus(tid('word-input'));
  await t.page.keyboard.press('ArrowRight');
  assert.equal(await stopOf(), 2, 'the arrow moved the caret, not the tour');
  await t.page.keyboard.press('Escape');
  assert.ok(await t.page.isHidden(tid('tour-panel')));
});

test('axe finds nothing serious at three stops; a screenshot of stop 7', async () => {
  for (const stop of [1, 7, 12]) {
    await t.page.goto(`${BASE_URL}?tour=${stop}`);
    await t.page.waitForSelector('body[data-ready="true"]');
    assert.equal(await stopOf(), stop);
    assert.deepEqual(await t.seriousAxeViolations(), [], `stop ${stop}`);
    if (stop === 7) await t.page.screenshot({ path: new URL('tour.png', SHOTS).pathname });
  }
});

test('in the presentation view the stop\'s panel shows, and Esc leaves the tour before the view', async () => {
  await t.page.goto(`${BASE_URL}?present=1&tour=11`);
  await t.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await t.page.getAttribute('body', 'data-present'), 'true');
  assert.equal(await stopOf(), 11);
  assert.ok(await t.page.isVisible(tid('sample-button')), 'the sampling panel, hidden when presenting, shows for its stop');
  await t.page.click(tid('sample-button'));
  assert.equal(await t.page.locator(`${tid('samples')} li`).count(), 5);
  await t.page.keyboard.press('ArrowLeft');
  assert.equal(await stopOf(), 10);
  assert.ok(await t.page.isHidden(tid('sample-button')), 'stop 10\'s panel is the heatmap\'s');
  await t.page.screenshot({ path: new URL('tour-presenting.png', SHOTS).pathname });
  assert.deepEqual(await t.seriousAxeViolations(), []);
  await t.page.keyboard.press('Escape');
  assert.ok(await t.page.isHidden(tid('tour-panel')));
  assert.equal(await t.page.getAttribute('body', 'data-present'), 'true', 'still presenting');
  await t.page.keyboard.press('Escape');
  assert.equal(await t.page.getAttribute('body', 'data-present'), 'false');
});
