// The page's benchmarks in headless Chromium (Playwright, Debian's Chromium). Run by
// `cargo xtask bench`, which serves the page and sets BASE_URL; prints one JSON object.
// Every figure is a median of repeated runs.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
// The end-to-end tests' launcher (and their one npm package, playwright-core).
import { launch } from '../tests/e2e/browser.mjs';
import { generatedWords } from '../tests/e2e/words.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8000/';
const WASM = new URL('../pkg/bigram_lab_bg.wasm', import.meta.url);
const SEED = '2147483647';
const tid = (id) => `[data-testid="${id}"]`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const browser = await launch();

async function openPage({ throttle = 1, bypassCSP = false, worker = true } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP });
  // Without its script the worker cannot start, and the page trains itself: as the single
  // file opened from disk does.
  if (!worker) await page.route('**/trainingWorker.js', (route) => route.abort());
  if (throttle !== 1) {
    // A slow school laptop: DevTools' CPU throttling, before the page loads.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  // Every fold open: the bench drives the exercises' controls as a person who opened them.
  await page.goto(new URL('?open=all', BASE_URL).href);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/**
 * Runs in the page: µs per training step of a Lab for each case, the median of `runs`
 * timed calls after V8 has tiered the module up. `fused` is `trainFor` (what the
 * page's frames run); `separate` is forward, backward and step called one by one. The
 * cases take turns, one timed call each a round: a few seconds of noise on this machine
 * (another VM's load) then touches a few rounds of every case, which the medians shed,
 * instead of every call of the one case it lands on (a case once read 49 µs instead of
 * 34 that way, with the cases timed one after another).
 */
const stepScript = async ({ cases, runs, seed }) => {
  const m = await import('/pkg/bigram_lab.js');
  await m.default();
  const all = cases.map((c) => {
    const lab = new m.Lab(undefined, seed, 0.01);
    lab.setContext(c.len, c.encoding, seed);
    if (c.batch) lab.batchSize = c.batch;
    const step = c.separate
      ? (n) => { for (let i = 0; i < n; i++) { lab.forward(); lab.backward(); lab.step(50); } }
      : (n) => lab.trainFor(50, n, 1e9);
    const warm = performance.now();
    while (performance.now() - warm < 1500) step(c.per);
    return { c, lab, step, us: [] };
  });
  for (let r = 0; r < runs; r++) {
    for (const { c, step, us } of all) {
      const t0 = performance.now();
      step(c.per);
      us.push(((performance.now() - t0) * 1000) / c.per);
    }
  }
  const out = {};
  for (const { c, lab, us } of all) {
    us.sort((a, b) => a - b);
    const summary = lab.summary();
    out[c.name] = {
      us: us[us.length >> 1],
      occurring: summary.occurring_contexts,
      contexts: summary.contexts,
      weights: summary.contexts * [...summary.vocab].length,
    };
    lab.free();
  }
  return out;
};

async function stepsInWasm() {
  const page = await openPage();
  const cases = [
    { name: 'bigram', len: 1, encoding: 'context', per: 20000 },
    { name: 'bigramSeparate', len: 1, encoding: 'context', per: 20000, separate: true },
    { name: 'trigram', len: 2, encoding: 'context', per: 1000 },
    { name: 'trigramSeparate', len: 2, encoding: 'context', per: 1000, separate: true },
    { name: 'trigramConcat', len: 2, encoding: 'concat', per: 1000 },
    { name: 'three', len: 3, encoding: 'context', per: 100 },
    { name: 'threeSeparate', len: 3, encoding: 'context', per: 50, separate: true },
    { name: 'threeBatch32', len: 3, encoding: 'context', per: 2000, batch: 32 },
  ];
  const r = await page.evaluate(stepScript, { cases, runs: 21, seed: SEED });
  await page.close();
  return r;
}

/** Counts animation frames in the page, and the longest gap between two. */
const frameCounter = () => {
  window.benchFrames = 0;
  window.benchLongestGap = 0;
  let last = performance.now();
  const tick = (t) => {
    window.benchFrames++;
    window.benchLongestGap = Math.max(window.benchLongestGap, t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/**
 * Training through the UI at the top steps-per-frame setting: steps/s and frames/s, and
 * where it trained (`worker` or `page`).
 */
async function throughput({ context = '1', throttle = 1, runs = 3, worker = true } = {}) {
  const rates = [];
  const fps = [];
  let trainer = null;
  for (let run = 0; run < runs; run++) {
    const page = await openPage({ throttle, worker });
    if (context !== '1') await page.selectOption(tid('context-select'), context);
    await page.fill(tid('steps-per-frame-input'), '100000');
    await page.evaluate(frameCounter);
    await page.click(tid('train-toggle'));
    // The worker is made at the first Train: its run starts in the page until it has
    // loaded (or, without its script, stays there).
    await page.waitForSelector(worker ? 'body[data-trainer="worker"]' : 'body[data-worker="failed"]');
    await page.waitForTimeout(1500); // tier-up and the first frames
    const read = () => page.evaluate(() => ({
      steps: Number(document.querySelector('[data-testid="step-count"]').dataset.value),
      frames: window.benchFrames,
      t: performance.now(),
    }));
    const a = await read();
    await page.waitForTimeout(3000);
    const b = await read();
    trainer = await page.getAttribute('body', 'data-trainer');
    await page.click(tid('train-toggle'));
    rates.push(((b.steps - a.steps) * 1000) / (b.t - a.t));
    fps.push(((b.frames - a.frames) * 1000) / (b.t - a.t));
    await page.close();
  }
  return { stepsPerSecond: median(rates), framesPerSecond: median(fps), trainer };
}

/**
 * The λ sweep on the trigram with makemore's split, 500 steps a strength, as the page
 * runs it (frame-sized slices): time from the click to the last point, and the frames
 * and longest frame gap meanwhile.
 */
async function l2SweepOnPage() {
  const times = [];
  const gaps = [];
  const fps = [];
  let strengths = 0;
  for (let run = 0; run < 3; run++) {
    const page = await openPage();
    await page.selectOption(tid('context-select'), '2');
    await page.selectOption(tid('split-select'), '80-10-10');
    await page.selectOption(tid('sweep-kind'), 'l2');
    await page.fill(tid('sweep-steps-input'), '500');
    await page.evaluate(frameCounter);
    await page.waitForTimeout(300);
    const t0 = await page.evaluate(() => {
      window.benchLongestGap = 0;
      window.benchFrames = 0;
      return performance.now();
    });
    await page.click(tid('sweep-button'));
    await page.waitForFunction(() => document.querySelector('[data-testid="sweep-cancel"]').hidden
      && JSON.parse(document.querySelector('[data-testid="sweep-results"]').dataset.points || '[]').length > 0,
    null, { polling: 'raf', timeout: 60_000 });
    const r = await page.evaluate(() => ({
      t: performance.now(),
      gap: window.benchLongestGap,
      frames: window.benchFrames,
      points: JSON.parse(document.querySelector('[data-testid="sweep-results"]').dataset.points).length,
    }));
    times.push(r.t - t0);
    gaps.push(r.gap);
    fps.push((r.frames * 1000) / (r.t - t0));
    strengths = r.points;
    await page.close();
  }
  return { ms: median(times), longestFrameMs: median(gaps), framesPerSecond: median(fps), strengths };
}

/**
 * The same sweep in a Web Worker running its own instance of the module, in one call
 * (no slices): time from posting the job to the points, the page's frames meanwhile.
 * Tried for the README's table; the page keeps the slices (see there).
 */
async function l2SweepInWorker() {
  const times = [];
  const gaps = [];
  for (let run = 0; run < 3; run++) {
    // The page's CSP allows scripts from its own origin only, and a Worker made from a
    // Blob is not: this page, made for the measurement, leaves the CSP out.
    const page = await openPage({ bypassCSP: true });
    await page.evaluate(frameCounter);
    await page.waitForTimeout(300);
    const r = await page.evaluate(async (seed) => {
      const code = `
        const m = await import(${JSON.stringify(`${location.origin}/pkg/bigram_lab.js`)});
        await m.default();
        onmessage = ({ data }) => {
          const lab = new m.Lab(undefined, data.seed, 0.01);
          lab.setContext(2, 'context', data.seed);
          lab.setMakemoreSplit('42');
          lab.startL2Sweep(500, 50, data.seed);
          let p;
          do { p = lab.advanceSweep(1e9); } while (!p.finished);
          postMessage(p.points.length);
          lab.free();
        };
        postMessage('ready');`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
      // A worker that fails to start says so instead of leaving the benchmark waiting.
      const failed = new Promise((_, reject) => {
        worker.onerror = (e) => reject(new Error(`the sweep worker failed: ${e.message ?? 'no message'}`));
      });
      await Promise.race([new Promise((resolve) => { worker.onmessage = resolve; }), failed]);
      window.benchLongestGap = 0;
      const t0 = performance.now();
      const points = await Promise.race([new Promise((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.postMessage({ seed });
      }), failed]);
      const t = performance.now();
      worker.terminate();
      return { ms: t - t0, gap: window.benchLongestGap, points };
    }, SEED);
    times.push(r.ms);
    gaps.push(r.gap);
    await page.close();
  }
  return { ms: median(times), longestFrameMs: median(gaps) };
}

/** The smoothing sweep of the trigram counting model (13 values of k) in wasm. */
async function smoothingSweep() {
  const page = await openPage();
  const ms = await page.evaluate(async (seed) => {
    const m = await import('/pkg/bigram_lab.js');
    await m.default();
    const lab = new m.Lab(undefined, seed, 0.01);
    lab.setContext(2, 'context', seed);
    lab.setMakemoreSplit('42');
    for (let i = 0; i < 5; i++) lab.smoothingSweep();
    const xs = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      const points = lab.smoothingSweep();
      xs.push(performance.now() - t0);
      if (points.length !== 13) throw new Error(`${points.length} points`);
    }
    lab.free();
    return xs.sort((a, b) => a - b)[10];
  }, SEED);
  await page.close();
  return ms;
}

async function pageLoad({ throttle = 1, runs = 9 } = {}) {
  const ms = [];
  const bytes = [];
  for (let run = 0; run < runs; run++) {
    const page = await openPage({ throttle });
    const r = await page.evaluate(() => {
      const ready = performance.getEntriesByName('bigram-lab-ready')[0].startTime;
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      return { ready, bytes: entries.reduce((sum, e) => sum + e.transferSize, 0) };
    });
    ms.push(r.ready);
    bytes.push(r.bytes);
    await page.close();
  }
  const wasm = readFileSync(WASM);
  const names = readFileSync(new URL('../src/names.txt', import.meta.url));
  return {
    interactiveMs: median(ms),
    bytesTransferred: median(bytes),
    wasmBytes: wasm.length,
    wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
    namesBytes: names.length,
    namesGzipBytes: gzipSync(names, { level: 9 }).length,
  };
}

/** µs per bigram step of a Lab loaded with `text`, and the load itself. */
const listScript = async ({ text, seed }) => {
  const m = await import('/pkg/bigram_lab.js');
  const wasm = await m.default();
  const lab = new m.Lab(undefined, seed, 0.01);
  const bytes = new TextEncoder().encode(text);
  const loadMs = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    lab.loadWords(bytes, seed);
    loadMs.push(performance.now() - t0);
  }
  const warm = performance.now();
  while (performance.now() - warm < 1500) lab.trainFor(50, 1000, 1e9);
  const us = [];
  for (let r = 0; r < 11; r++) {
    const t0 = performance.now();
    lab.trainFor(50, 10000, 1e9);
    us.push(((performance.now() - t0) * 1000) / 10000);
  }
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const result = {
    usPerStep: sorted(us)[5],
    loadMs: sorted(loadMs)[2],
    memoryMiB: wasm.memory.buffer.byteLength / 1048576,
    words: lab.summary().words,
  };
  lab.free();
  return result;
};

async function largeLists() {
  const out = [];
  for (const count of [10_000, 100_000, 1_000_000]) {
    const page = await openPage(); // a fresh page: memory is what this list needs
    out.push(await page.evaluate(listScript, { text: generatedWords(count), seed: SEED }));
    await page.close();
  }
  return out;
}

const result = {
  chromium: browser.version(),
  steps: await stepsInWasm(),
  ui: await throughput(),
  uiTrigram: await throughput({ context: '2' }),
  uiTrigramPage: await throughput({ context: '2', worker: false }),
  sweep: { slices: await l2SweepOnPage(), worker: await l2SweepInWorker() },
  smoothingMs: await smoothingSweep(),
  throttled: { ui: await throughput({ throttle: 4 }), load: await pageLoad({ throttle: 4, runs: 5 }) },
  load: await pageLoad(),
  lists: await largeLists(),
};
await browser.close();
console.log(JSON.stringify(result));
