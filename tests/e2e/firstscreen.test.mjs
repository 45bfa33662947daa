// The learner's first screen: at a laptop's, a small laptop's, a projector's and a
// phone's size, a first visit shows the lecture's loop without scrolling (the word, its
// first bigrams, Train and Step, the step and the loss, the chart), Train makes the chart
// fall in view with nothing moving the page, nothing overflows sideways while training,
// and the welcome offers the tour once. Screenshots of each size go to target/e2e/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { BASE_URL, SHOTS, tid } from './harness.mjs';
import { mkdirSync } from 'node:fs';
import { STOPS } from '../../www/lib/tour.js';

const SIZES = [
  ['laptop', 1366, 768, false],
  ['small-laptop', 1280, 720, false],
  ['projector', 1920, 1080, false],
  ['phone', 390, 844, true],
];
const FIRST_SCREEN = ['word-input', 'train-toggle', 'step-button', 'step-count', 'loss-value', 'loss-chart'];

/** Opens a fresh visitor's page (nothing kept) at a size; fails on any console error. */
async function visit(browser, [, width, height, touch], url = BASE_URL) {
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page, problems };
}

// Overflow is measured against the root's clientWidth, the device's width: a mobile
// browser widens its layout viewport (innerWidth) to whatever the page needs, so
// scrollWidth − innerWidth stays 0 on a phone however wide the page grows.

/** The element's box, and whether it lies wholly inside the viewport. */
const inView = (page, id) => page.evaluate((sel) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, ok: r.top >= 0 && r.left >= 0
    && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.width > 0 && r.height > 0 };
}, tid(id));

test('each size shows the lecture\'s loop on its first screen, and Train makes the chart fall in view', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await launch();
  try {
    for (const size of SIZES) {
      const [name] = size;
      const { context, page, problems } = await visit(browser, size);
      assert.equal(await page.isVisible(tid('welcome')), true, `${name}: a first visit is greeted`);
      for (const id of FIRST_SCREEN) {
        const box = await inView(page, id);
        assert.ok(box.ok, `${name}: ${id} is on the first screen (${JSON.stringify(box)})`);
      }
      // At least the word table's first two rows.
      const rows = await page.$$eval(`${tid('nll-table')} tbody tr`, (trs) => trs.slice(0, 2).map((tr) => tr.getBoundingClientRect().bottom));
      assert.ok(rows.length === 2 && rows.every((b) => b <= page.viewportSize().height), `${name}: the first rows`);
      await page.screenshot({ path: new URL(`first-screen-${name}.png`, SHOTS).pathname });

      const chartBefore = await inView(page, 'loss-chart');
      const lossBefore = Number(await page.getAttribute(tid('loss-value'), 'data-value'));
      await page.click(tid('train-toggle'));
      await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) >= 30, tid('step-count'));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.click(tid('train-toggle'));
      assert.ok(overflow <= 0, `${name}: nothing overflows sideways while training (${overflow} px)`);
      assert.equal(await page.evaluate(() => window.scrollY), 0, `${name}: nothing moved the page`);
      // Paused, the model is kept and listed among the saved models, a long line of text.
      await page.waitForSelector(`${tid('saved-models-select')} option`, { state: 'attached' });
      const paused = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(paused <= 0, `${name}: nothing overflows sideways with the saved models listed (${paused} px)`);
      const chartAfter = await inView(page, 'loss-chart');
      assert.ok(chartAfter.ok && chartAfter.top === chartBefore.top, `${name}: the chart stays in view where it was`);
      assert.ok(Number(await page.getAttribute(tid('loss-value'), 'data-value')) < lossBefore, `${name}: the loss fell`);
      await page.screenshot({ path: new URL(`first-screen-${name}-trained.png`, SHOTS).pathname });
      assert.deepEqual(problems, [], name);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('nothing overflows sideways at 320 px, training included', async () => {
  const browser = await launch();
  try {
    const { context, page, problems } = await visit(browser, ['narrow', 320, 640, true]);
    await page.click(tid('train-toggle'));
    await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.value) >= 30, tid('step-count'));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.click(tid('train-toggle'));
    assert.ok(overflow <= 0, `${overflow} px`);
    // Every section unfolded, after a Step (the word table's Δ columns): still within the width.
    await page.goto(new URL('?open=all', BASE_URL).href);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click(tid('step-button'));
    const wide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('main *')].filter((e) => !e.closest('.scroll-x, .heat-scroll') && e.getBoundingClientRect().right > width + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}#${e.id || e.dataset.testid || ''} ${Math.round(e.getBoundingClientRect().right)}`);
    });
    assert.deepEqual(wide, [], 'nothing reaches past a 320 px screen');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('the welcome: the tour from it, closed it stays closed, and a link that asks for something is not greeted', async () => {
  const browser = await launch();
  try {
    const laptop = SIZES[0];
    // Take the tour from the welcome: the tour opens at stop 1 and the welcome is gone.
    let { context, page } = await visit(browser, laptop);
    await page.click(tid('welcome-tour'));
    assert.equal(await page.getAttribute(tid('tour-panel'), 'data-step'), '1');
    assert.equal(await page.isVisible(tid('welcome')), false);
    await context.close();

    // Explore on my own: closed, and still closed after a reload in the same browser.
    ({ context, page } = await visit(browser, laptop));
    await page.click(tid('welcome-close'));
    assert.equal(await page.isVisible(tid('welcome')), false);
    await page.goto(BASE_URL);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.isVisible(tid('welcome')), false, 'closed stays closed');
    await context.close();

    for (const query of ['?lr=10', '?tour=3', '?present=1', '?word=ava']) {
      ({ context, page } = await visit(browser, laptop, new URL(query, BASE_URL).href));
      assert.equal(await page.isVisible(tid('welcome')), false, `${query} is not greeted`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('folded settings open with ?open=all, with a link that sets them, and stay open once opened', async () => {
  const browser = await launch();
  try {
    const laptop = SIZES[0];
    let { context, page } = await visit(browser, laptop);
    assert.equal(await page.isVisible(tid('l2-input')), false, 'λ is folded on a first visit');
    assert.equal(await page.isVisible(tid('context-select')), false, 'the exercises are folded');
    await page.click('#more-settings > summary');
    assert.equal(await page.isVisible(tid('l2-input')), true);
    await page.goto(BASE_URL);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.isVisible(tid('l2-input')), true, 'kept open after a reload');
    await context.close();

    ({ context, page } = await visit(browser, laptop, new URL('?open=all', BASE_URL).href));
    for (const id of ['l2-input', 'batch-size-input', 'train-on-select', 'context-select', 'split-select', 'test-button']) {
      assert.equal(await page.isVisible(tid(id)), true, `${id} with ?open=all`);
    }
    await context.close();

    ({ context, page } = await visit(browser, laptop, new URL('?context=2', BASE_URL).href));
    assert.equal(await page.isVisible(tid('context-select')), true, 'a link that sets the context shows it');
    await context.close();
  } finally {
    await browser.close();
  }
});

test('every tour stop brings what its Look names into view, clear of the stop\'s own panel, at every size', async () => {
  const browser = await launch();
  try {
    for (const size of SIZES) {
      const [name, width] = size;
      const { context, page, problems } = await visit(browser, size);
      await page.click(tid('welcome-tour'));
      const steps = Number(await page.getAttribute(tid('tour-panel'), 'data-steps'));
      assert.equal(steps, STOPS.length);
      for (let k = 1; k <= steps; k++) {
        await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.dataset.step === String(n), [tid('tour-panel'), k]);
        const see = STOPS[k - 1].see;
        assert.ok(see.length > 0, `stop ${k} names what to look at`);
        const fit = await page.evaluate((ids) => {
          const tour = document.querySelector('[data-testid="tour-panel"]').getBoundingClientRect();
          const seen = ids.map((id) => {
            const el = document.querySelector(`[data-testid="${id}"]`) ?? document.getElementById(id);
            // What scrolls sideways in a box of its own (a heatmap, a table) is seen through the box.
            const rect = el.getBoundingClientRect();
            const clip = el.closest('.heat-scroll, .scroll-x')?.getBoundingClientRect() ?? rect;
            const r = { top: rect.top, bottom: rect.bottom, height: rect.height, left: Math.max(rect.left, clip.left), right: Math.min(rect.right, clip.right) };
            const overlaps = !(r.right <= tour.left || r.left >= tour.right || r.bottom <= tour.top || r.top >= tour.bottom);
            return { id, inView: r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth,
              overlaps, box: [Math.round(r.top), Math.round(r.bottom), Math.round(r.left), Math.round(r.right)] };
          });
          return { seen, tour: [Math.round(tour.top), Math.round(tour.bottom), Math.round(tour.left), Math.round(tour.right)] };
        }, see);
        for (const s of fit.seen) {
          assert.ok(s.inView, `${name}, stop ${k}: ${s.id} is in view (${JSON.stringify(s.box)})`);
          assert.ok(!s.overlaps, `${name}, stop ${k}: the stop's panel ${JSON.stringify(fit.tour)} does not cover ${s.id} ${JSON.stringify(s.box)}`);
        }
        assert.ok(fit.tour[2] >= 0 && fit.tour[3] <= width, `${name}, stop ${k}: the tour's panel is within the width`);
        if (k === 1) await page.screenshot({ path: new URL(`tour-${name}.png`, SHOTS).pathname });
        if (k === 4) await page.screenshot({ path: new URL(`tour-${name}-softmax.png`, SHOTS).pathname });
        if (k < steps) await page.click(tid('tour-next'));
      }
      assert.deepEqual(problems, [], name);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('on a phone every control on screen is at least 24×24 CSS px (WCAG 2.2 target size)', async () => {
  const browser = await launch();
  try {
    const { context, page, problems } = await visit(browser, SIZES[3]);
    const small = await page.evaluate(() => [...document.querySelectorAll('button, input, select, summary')].filter((el) => {
      const r = el.getBoundingClientRect();
      const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
      return visible && (r.width < 24 || r.height < 24);
    }).map((el) => `${el.tagName.toLowerCase()}#${el.id || el.dataset.testid || ''} ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`));
    assert.deepEqual(small, []);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('presenting at 1920×1080: the chart keeps a readable aspect, the heatmap\'s cells and labels read from afar, and it all fits', async () => {
  const browser = await launch();
  try {
    const { context, page, problems } = await visit(browser, SIZES[2], new URL('?present=1', BASE_URL).href);
    const m = await page.evaluate(() => {
      const chart = document.querySelector('[data-testid="loss-chart"] canvas').getBoundingClientRect();
      const heat = document.querySelector('#heatmap').getBoundingClientRect();
      return { aspect: chart.width / chart.height, cell: heat.width / 28, fits: document.documentElement.scrollHeight <= window.innerHeight };
    });
    assert.ok(m.aspect <= 3.5, `the chart's aspect ${m.aspect.toFixed(2)}`);
    // The heatmap writes a large cell's label at 0.45 of it: 12 px and more from 27 px cells.
    assert.ok(Math.floor(Math.floor(m.cell) * 0.45) >= 12, `heatmap cells of ${m.cell.toFixed(1)} px`);
    assert.ok(m.fits, 'nothing to scroll to');
    await page.screenshot({ path: new URL('presentation-1920.png', SHOTS).pathname });
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('the tour\'s stops say what is on the page: the sampling stop draws the names it speaks of, and leaving gives back the person\'s', async () => {
  const browser = await launch();
  try {
    const { context, page, problems } = await visit(browser, SIZES[0], new URL('?tour=11', BASE_URL).href);
    await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.step === '11', tid('tour-panel'));
    assert.equal(await page.locator(`${tid('samples')} li`).count(), 5);
    assert.match(await page.textContent('#tour-look'), /names this stop sampled/);
    await page.click(tid('tour-close'));
    assert.equal(await page.locator(`${tid('samples')} li`).count(), 0, 'the person had sampled nothing');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('no choice cuts its text, on a laptop or a phone', async () => {
  const browser = await launch();
  try {
    for (const size of [SIZES[0], SIZES[3]]) {
      const { context, page, problems } = await visit(browser, size, new URL('?open=all', BASE_URL).href);
      const cut = await page.evaluate(() => {
        const measure = document.createElement('canvas').getContext('2d');
        return [...document.querySelectorAll('select')].filter((s) => s.offsetParent !== null).map((s) => {
          const cs = getComputedStyle(s);
          measure.font = `${cs.fontSize} ${cs.fontFamily}`;
          const need = Math.max(...[...s.options].map((o) => measure.measureText(o.textContent ?? '').width));
          const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20; // the arrow
          return { id: s.id, need: Math.round(need), room: Math.round(room) };
        }).filter((x) => x.need > x.room);
      });
      assert.deepEqual(cut, [], size[0]);
      assert.deepEqual(problems, []);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
