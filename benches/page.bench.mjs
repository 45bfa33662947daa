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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const browser = await launch();

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(BASE_URL);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** Runs in the page: a Lab on the given word list (or the default names when empty). */
const labScript = async ({ text, runs, stepsPerRun }) => {
  const m = await import('/pkg/bigram_lab.js');
  const wasm = await m.default();
  const loadMs = [];
  const lab = new m.Lab(undefined, '2147483647', 0.01);
  if (text) {
    const bytes = new TextEncoder().encode(text);
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      lab.loadWords(bytes, '2147483647');
      loadMs.push(performance.now() - t0);
    }
  }
  const step = (n) => { for (let i = 0; i < n; i++) { lab.forward(); lab.backward(); lab.step(50); } };
  // Warm up until V8 has tiered the module up to its optimising compiler.
  const warm = performance.now();
  while (performance.now() - warm < 1500) step(1000);
  const usPerStep = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    step(stepsPerRun);
    usPerStep.push(((performance.now() - t0) * 1000) / stepsPerRun);
  }
  const sorted = [...usPerStep].sort((a, b) => a - b);
  const result = {
    usPerStep: sorted[sorted.length >> 1],
    loadMs: loadMs.length ? [...loadMs].sort((a, b) => a - b)[2] : null,
    memoryMiB: wasm.memory.buffer.byteLength / 1048576,
    words: lab.summary().words,
  };
  lab.free();
  return result;
};

async function stepInWasm() {
  const page = await openPage();
  const r = await page.evaluate(labScript, { text: '', runs: 21, stepsPerRun: 20000 });
  await page.close();
  return r.usPerStep;
}

async function throughput() {
  const rates = [];
  const fps = [];
  for (let run = 0; run < 3; run++) {
    const page = await openPage();
    await page.fill('[data-testid="steps-per-frame-input"]', '100000');
    await page.evaluate(() => {
      window.benchFrames = 0;
      const tick = () => { window.benchFrames++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.click('[data-testid="train-toggle"]');
    await page.waitForTimeout(1500); // tier-up and the first frames
    const read = () => page.evaluate(() => ({
      steps: Number(document.querySelector('[data-testid="step-count"]').dataset.value),
      frames: window.benchFrames,
      t: performance.now(),
    }));
    const a = await read();
    await page.waitForTimeout(3000);
    const b = await read();
    await page.click('[data-testid="train-toggle"]');
    rates.push(((b.steps - a.steps) * 1000) / (b.t - a.t));
    fps.push(((b.frames - a.frames) * 1000) / (b.t - a.t));
    await page.close();
  }
  return { stepsPerSecond: median(rates), framesPerSecond: median(fps) };
}

async function pageLoad() {
  const ms = [];
  const bytes = [];
  for (let run = 0; run < 9; run++) {
    const page = await browser.newPage();
    await page.goto(BASE_URL);
    await page.waitForSelector('body[data-ready="true"]');
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

async function largeLists() {
  const out = [];
  for (const count of [10_000, 100_000, 1_000_000]) {
    const page = await openPage(); // a fresh page: memory is what this list needs
    out.push(await page.evaluate(labScript, { text: generatedWords(count), runs: 11, stepsPerRun: 10000 }));
    await page.close();
  }
  return out;
}

const result = {
  chromium: browser.version(),
  wasmUsPerStep: await stepInWasm(),
  ui: await throughput(),
  load: await pageLoad(),
  lists: await largeLists(),
};
await browser.close();
console.log(JSON.stringify(result));
