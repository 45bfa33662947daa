// The wiring: the only module that knows every other one. It loads the wasm module,
// turns the person's input into calls on the Lab, and hands each component its data.
// The loop is the lecture's: every animation frame, forward → backward → step, then draw.

import init, { Lab, Loader, maxFileBytes } from '../pkg/bigram_lab.js';
import { Settings, DEFAULTS, toQuery, fromQuery } from './state.js';
import { LossChart } from './lossChart.js';
import { Heatmap } from './heatmap.js';
import { renderProbe } from './probe.js';
import * as storage from './storage.js';
import { Explorer } from './explorer.js';

const $ = (id) => document.getElementById(id);
const els = {
  status: $('status'),
  stepCount: $('step-count'),
  loss: $('loss-value'),
  floor: $('floor-value'),
  train: $('train-toggle'),
  step: $('step-button'),
  reset: $('reset-button'),
  seed: $('seed-input'),
  lr: $('lr-input'),
  l2: $('l2-input'),
  stepsPerFrame: $('steps-per-frame-input'),
  batchSize: $('batch-size-input'),
  split: $('split-input'),
  devLoss: $('dev-loss'),
  devReadout: $('dev-readout'),
  progress: $('load-progress'),
  announce: $('announce'),
  exportButton: $('export-button'),
  importInput: $('import-input'),
  forget: $('forget-button'),
  resample: $('resample-button'),
  chartPng: $('chart-png-button'),
  tableCsv: $('table-csv-button'),
  heatMode: $('heatmap-mode'),
  smoothing: $('smoothing-input'),
  smoothingValue: $('smoothing-value'),
  word: $('word-input'),
  wordLoss: $('word-loss'),
  table: $('nll-table'),
  sampleCount: $('sample-count-input'),
  sample: $('sample-button'),
  samples: $('samples'),
  datasetInput: $('dataset-input'),
  dropZone: $('drop-zone'),
  summary: $('dataset-summary'),
};

const settings = new Settings();
const chart = new LossChart($('loss-chart'));
const heatmap = new Heatmap($('heatmap'), $('heat-readout'));
const explorer = new Explorer({
  title: $('explorer-title'),
  xenc: $('strip-xenc'),
  logits: $('strip-logits'),
  counts: $('strip-counts'),
  probs: $('strip-probs'),
  p: $('explorer-p'),
  nll: $('explorer-nll'),
  picture: $('xenc-picture'),
});
/** What the heatmap shows, and the counting model's smoothing (it also sets the floor). */
const view = { mode: 'net', k: 0 };
/** The word-table row whose example the explorer follows. */
let selectedRow = 0;
let lab = null;
let memory = null;
let vocab = [];
let floor = NaN;
let training = false;
let frameRequest = 0; // the pending animation frame while training, to cancel on Pause
let history = { steps: [], losses: [], dev: [], marks: [] };
/** The held-out loss of the current W, when words are held out (else NaN). */
let devLoss = NaN;

/** Training time per animation frame: the rest of a 60 Hz frame is left for drawing. */
const FRAME_BUDGET_MS = 10;
/** Large files are read in pieces of this size, yielding to the page in between. */
const CHUNK_BYTES = 1 << 20;
/** While training, the loss is announced to screen readers at most this often. */
const ANNOUNCE_EVERY_MS = 5000;
/** While training, the state is saved at most this often (and on every other change). */
const SAVE_EVERY_MS = 1000;
let lastAnnounce = 0;
let lastSave = 0;

function say(message, kind = 'info') {
  els.status.textContent = message;
  els.status.dataset.kind = kind;
}

function setNumber(el, value, digits) {
  el.dataset.value = String(value);
  el.textContent = Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** The probability table, read in place from wasm memory (a view, not a copy). */
function probsView() {
  const v = vocab.length;
  return new Float32Array(memory.buffer, lab.probsPtr(), v * v);
}

/** The counting model's table for smoothing k, also read in place. */
function countView() {
  const ptr = lab.countProbsPtr(view.k);
  return new Float32Array(memory.buffer, ptr, vocab.length * vocab.length);
}

/** What the heatmap's mode asks for: the net's table, counting's, or their difference. */
function heatmapValues() {
  if (view.mode === 'net') return probsView();
  const counts = countView();
  if (view.mode === 'counts') return counts;
  const net = probsView(); // after countView: its allocation may have moved memory
  return net.map((p, i) => p - counts[i]);
}

function drawHeatmap() {
  heatmap.draw(heatmapValues(), vocab, view.mode);
}

/** The explorer follows the selected bigram of the probe's word. */
function drawExplorer(report) {
  const { rows } = report;
  selectedRow = Math.max(0, Math.min(selectedRow, rows.length - 1));
  const trs = els.table.tBodies[0].rows;
  for (let i = 0; i < trs.length; i++) trs[i].setAttribute('aria-current', String(i === selectedRow));
  explorer.drawWord(rows.map((r) => r.input), vocab, selectedRow);
  const row = rows[selectedRow];
  if (!row) return explorer.clear('');
  if (row.input === null || row.label === null) {
    return explorer.clear(`“${row.bigram}” has a character outside the vocabulary: it has no path through the net.`);
  }
  try {
    return explorer.draw(lab.example(row.input, row.label), vocab);
  } catch (err) {
    return explorer.clear(err.message);
  }
}

function probeWord() {
  const typed = els.word.value;
  const notes = [];
  let word = typed.trim();
  if (word === '') {
    notes.push('Type a word: an empty word has just the bigram “..” (start, then end).');
  } else if (word !== typed) {
    notes.push('Spaces around the word were left out.');
  }
  // A lower-case vocabulary cannot know upper-case letters: fold, and say so.
  if (lab.vocabIsLowercase && word !== word.toLowerCase()) {
    word = word.toLowerCase();
    notes.push('Upper case was folded to lower case: the vocabulary is lower-case.');
  }
  return { word, note: notes.join(' ') || null };
}

function drawProbe() {
  const { word, note } = probeWord();
  const report = lab.wordReport(word);
  renderProbe(els.table, els.wordLoss, report);
  drawExplorer(report);
  return { report, note };
}

function describeProbe({ report, note }) {
  const notes = [];
  if (note) notes.push(note);
  if (report.unknown.length) {
    const chars = report.unknown.map((c) => `“${c}”`).join(', ');
    notes.push(`Not in the vocabulary: ${chars}. Those bigrams have no probability, so the word has no mean NLL.`);
  }
  if (report.rows.length < report.total_rows) {
    notes.push(`Showing the first ${report.rows.length} of ${report.total_rows} bigrams; the mean NLL covers them all.`);
  }
  if (notes.length) say(notes.join(' '), 'info');
}

/**
 * The whole data set's loss of the current W. When it is NaN or infinite, training
 * pauses and W goes back to its last finite state, so no such number is ever shown.
 */
function settledLoss() {
  const loss = lab.loss();
  if (Number.isFinite(loss)) return loss;
  const at = lab.steps;
  const back = lab.rewind();
  stopTraining();
  say(`The loss became ${loss} at step ${at}: a learning rate of ${settings.lr} is too large here. `
    + `Training paused and W went back to step ${back}, its last finite state. Lower the learning rate to go on.`, 'error');
  return lab.loss();
}

/** The whole data set's loss of the current W, and everything that shows it, redrawn. */
function refresh() {
  const loss = settledLoss();
  devLoss = lab.devLoss() ?? NaN;
  setNumber(els.stepCount, lab.steps, 0);
  setNumber(els.loss, loss, 4);
  els.devReadout.hidden = !Number.isFinite(devLoss);
  if (Number.isFinite(devLoss)) setNumber(els.devLoss, devLoss, 4);
  drawHeatmap();
  drawProbe();
  return loss;
}

function record(loss) {
  // After a rewind the step may already be charted: replace, do not repeat.
  while (history.steps.length && history.steps[history.steps.length - 1] > lab.steps) {
    history.steps.pop();
    history.losses.pop();
    history.dev.pop();
  }
  history.marks = history.marks.filter((m) => m <= lab.steps);
  history.steps.push(lab.steps);
  history.losses.push(loss);
  history.dev.push(devLoss);
  drawChart();
}

function drawChart() {
  chart.draw(history.steps, history.losses, floor, history.marks, history.dev);
}

/** Says the step and loss to screen readers (politely: the region is aria-live). */
function announce(loss) {
  lastAnnounce = performance.now();
  els.announce.textContent = `Step ${lab.steps}, loss ${loss.toFixed(4)}`;
}

/** Saves everything a reload should bring back; says so once if the browser refuses. */
function persist() {
  lastSave = performance.now();
  updateUrl();
  const error = storage.save({
    model: lab.exportModel(),
    settings: settings.snapshot(),
    word: els.word.value,
    history: storage.thin(history),
  });
  if (error && !persist.warned) {
    persist.warned = true;
    say(`This browser would not keep the state across reloads (${error}).`, 'error');
  }
}

function clearHistory() {
  history = { steps: [], losses: [], dev: [], marks: [] };
}

/** One lecture iteration: forward, backward, update. */
function trainStep() {
  lab.forward();
  lab.backward();
  lab.step(settings.lr);
}

function stopTraining() {
  const was = training;
  training = false;
  cancelAnimationFrame(frameRequest);
  if (was) {
    announce(Number(els.loss.dataset.value));
    persist();
  }
  els.train.setAttribute('aria-pressed', 'false');
  els.train.textContent = 'Train';
}

/**
 * After W changed: everything redrawn, the point charted, the loss told to screen
 * readers and the state saved. While training (unless `force`) the last two are
 * throttled. Returns the loss.
 */
function afterSteps(force = false) {
  const loss = refresh();
  record(loss);
  const now = performance.now();
  if (force || !training || now - lastAnnounce > ANNOUNCE_EVERY_MS) announce(loss);
  if (force || !training || now - lastSave > SAVE_EVERY_MS) persist();
  return loss;
}

function frame() {
  if (!training) return;
  try {
    // Up to stepsPerFrame steps, but never past the frame's budget, counted from now
    // (the frame's timestamp can be a millisecond or more earlier). Reading the clock
    // costs about 1% of a step; a large minibatch step can take milliseconds.
    const deadline = performance.now() + FRAME_BUDGET_MS;
    for (let i = 0; i < settings.stepsPerFrame; i++) {
      trainStep();
      if (performance.now() > deadline) break;
    }
    afterSteps();
  } catch (err) {
    stopTraining();
    say(err.message, 'error');
  }
  if (training) frameRequest = requestAnimationFrame(frame);
}

function guarded(action) {
  return (...args) => {
    try {
      action(...args);
    } catch (err) {
      say(err.message, 'error');
    }
  };
}

function showSummary() {
  const s = lab.summary();
  vocab = [...s.vocab];
  els.summary.dataset.words = String(s.words);
  els.summary.dataset.bigrams = String(s.bigrams);
  els.summary.dataset.vocab = String(vocab.length);
  const n = (x) => x.toLocaleString('en-US');
  els.summary.dataset.devWords = String(s.dev_words);
  const held = s.dev_words ? ` (${n(s.dev_words)} held out)` : '';
  els.summary.textContent = `${n(s.words)} words${held} · ${n(s.bigrams)} bigrams · vocabulary of ${vocab.length}: ${s.vocab}`;
  setFloor();
}

/** The counting model's loss for the current smoothing: the chart's floor. */
function setFloor() {
  floor = lab.countLoss(view.k);
  setNumber(els.floor, floor, 4);
}

function restart() {
  clearHistory();
  afterSteps(true);
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * Reads the file a slice at a time, so that neither the whole file nor a long parse
 * holds the page; the progress bar shows when it takes more than a blink.
 */
async function readWords(file) {
  const loader = new Loader();
  try {
    let slice = performance.now();
    for (let at = 0; at < file.size; at += CHUNK_BYTES) {
      const chunk = new Uint8Array(await file.slice(at, at + CHUNK_BYTES).arrayBuffer());
      loader.push(chunk);
      if (performance.now() - slice > 50) {
        els.progress.hidden = false;
        els.progress.value = (at + chunk.length) / file.size;
        await nextFrame();
        slice = performance.now();
      }
    }
    return loader;
  } catch (err) {
    loader.free();
    throw err;
  } finally {
    els.progress.hidden = true;
  }
}

const controls = () => [els.train, els.step, els.reset, els.sample, els.datasetInput,
  els.exportButton, els.importInput, els.forget, els.resample, els.chartPng, els.tableCsv];
let loading = false;

async function loadFile(file) {
  if (!file) return;
  if (loading) {
    say(`Still loading the previous file; “${file.name}” was not loaded.`, 'error');
    return;
  }
  if (file.size > maxFileBytes()) {
    say(`Could not load “${file.name}”: it is larger than ${maxFileBytes() >> 20} MiB. The current data set is unchanged.`, 'error');
    return;
  }
  stopTraining();
  loading = true;
  for (const c of controls()) c.disabled = true;
  try {
    lab.loadFrom(await readWords(file), settings.seed);
    showSummary();
    restart();
    els.samples.replaceChildren();
    say(`Loaded “${file.name}”: ${els.summary.textContent}. New W from the seed.`);
  } catch (err) {
    say(`Could not load “${file.name}”: ${err.message}. The current data set is unchanged.`, 'error');
  } finally {
    loading = false;
    for (const c of controls()) c.disabled = false;
    els.datasetInput.value = ''; // so that choosing the same file again loads it again
  }
}

/** Guess and check: a new random W from the next seed; the chart marks the jump. */
function resample() {
  // BigInt would also take "", "0x10" and spaces, which the Lab refuses.
  if (!/^\d+$/.test(settings.seed)) {
    throw new Error(`seed: “${settings.seed}” is not a whole number: use one from 0 to 18446744073709551615`);
  }
  const next = (BigInt(settings.seed) + 1n) % (1n << 64n);
  const before = Number(els.loss.dataset.value);
  lab.resample(String(next));
  settings.update('seed', String(next));
  showSettings();
  history.marks.push(lab.steps);
  const loss = afterSteps(true);
  say(`Resampled W from seed ${next}: the loss went from ${before.toFixed(4)} to ${loss.toFixed(4)}. `
    + 'Guessing W at random rarely helps; the gradient says which way to move every weight.');
}

/** Saves a blob as a file the browser downloads. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked a little later: the download starts asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads the model and settings as JSON. */
function exportModel() {
  const file = { ...lab.exportModel(), settings: settings.snapshot() };
  download(new Blob([JSON.stringify(file)], { type: 'application/json' }), `bigram-lab-step-${lab.steps}.json`);
  say(`Exported the model at step ${lab.steps}.`);
}

/** A CSV field: quoted, and never read as a formula by a spreadsheet. */
function csvField(text) {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The heatmap's table as CSV: a header of next characters, a row per current one. */
function exportTable() {
  const values = heatmapValues();
  const v = vocab.length;
  const lines = [['', ...vocab].map(csvField).join(',')];
  for (let r = 0; r < v; r++) {
    lines.push([csvField(vocab[r]), ...Array.from(values.subarray(r * v, (r + 1) * v), String)].join(','));
  }
  download(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }), `bigram-lab-${view.mode}-step-${lab.steps}.csv`);
  say(`Saved the ${els.heatMode.selectedOptions[0].textContent} as CSV.`);
}

function exportChart() {
  const steps = lab.steps;
  $('loss-chart').toBlob((blob) => {
    if (!blob) {
      say('The browser could not make a PNG of the chart.', 'error');
      return;
    }
    download(blob, `bigram-lab-loss-step-${steps}.png`);
    say('Saved the loss chart as PNG.');
  }, 'image/png');
}

/** Keeps the URL in step with the view, so that a link reproduces it. */
function updateUrl() {
  try {
    window.history.replaceState(null, '', `?${toQuery(settings, { word: els.word.value })}`);
  } catch {
    // Some pages (a file opened from disk, in some browsers) may not rewrite their URL.
  }
}

/**
 * Settings and word from the URL. Returns what was refused, and the settings the link
 * set that were taken (their values as checked), to lay over a restored session.
 */
function applyQuery() {
  const query = fromQuery(window.location.search, ['word']);
  const refused = [];
  const taken = {};
  for (const [key, value] of Object.entries(query.settings)) {
    const error = settings.update(key, value);
    if (error) refused.push(error);
    else taken[key] = settings[key];
  }
  if (query.extra.word !== undefined) els.word.value = query.extra.word;
  return { refused, taken, word: query.extra.word };
}

/**
 * Takes the model and its settings from an exported file (or the saved state). If any
 * part is refused, everything goes back as it was: a bad file changes nothing.
 * @returns {string[]} settings of the file that were not taken
 */
function adopt(file) {
  const before = { model: lab.exportModel(), settings: settings.snapshot() };
  try {
    const model = file.model ?? file;
    lab.importModel(model);
    // The model's λ and split are the ones its weights were trained with.
    const refused = settings.restore({ ...file.settings, l2: model.l2, devPercent: lab.splitPercent });
    showSettings();
    applySettings();
    return refused;
  } catch (err) {
    lab.importModel(before.model);
    settings.restore(before.settings);
    showSettings();
    applySettings();
    throw err;
  }
}

async function importModel(file) {
  if (!file) return;
  stopTraining();
  try {
    let parsed;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      throw new Error('not a Bigram Lab model file (not JSON)');
    }
    const refused = adopt(parsed);
    restart();
    const note = refused.length ? ` Some settings were not taken: ${refused.join(' ')}` : '';
    say(`Imported “${file.name}”: step ${lab.steps}.${note}`);
  } catch (err) {
    say(`Could not import “${file.name}”: ${err.message}. Nothing changed.`, 'error');
  } finally {
    els.importInput.value = '';
  }
}

/**
 * Brings back the last session's state, if this browser kept one.
 * @returns {boolean} whether it did (otherwise the page starts fresh)
 */
function restoreSaved() {
  let saved;
  try {
    saved = storage.load();
  } catch (err) {
    storage.setAside();
    say(`The saved state could not be read (${err.message}); starting fresh. `
      + 'It is kept aside in this browser\'s storage, not overwritten.', 'error');
    return false;
  }
  if (!saved) return false;
  try {
    adopt(saved);
    if (typeof saved.word === 'string') els.word.value = saved.word;
    const h = saved.history;
    const ok = Array.isArray(h?.steps) && Array.isArray(h?.losses) && h.steps.length === h.losses.length
      && h.steps.every(Number.isFinite) && h.losses.every(Number.isFinite);
    history.steps = ok ? h.steps : [];
    history.losses = ok ? h.losses : [];
    history.marks = ok && Array.isArray(h.marks) ? h.marks.filter(Number.isFinite) : [];
    // JSON keeps NaN (no dev loss at that step) as null.
    history.dev = ok && Array.isArray(h.dev) && h.dev.length === h.steps.length
      ? h.dev.map((v) => (v === null ? NaN : v)) : history.steps.map(() => NaN);
    afterSteps(true);
    say(`Welcome back: your model at step ${lab.steps} was restored. Reset starts again from the seed; “Forget saved state” clears what is kept.`);
    return true;
  } catch (err) {
    storage.setAside();
    say(`The saved state could not be restored (${err.message}); starting fresh. `
      + 'It is kept aside in this browser\'s storage, not overwritten.', 'error');
    return false;
  }
}

const settingInputs = {
  seed: els.seed,
  lr: els.lr,
  l2: els.l2,
  stepsPerFrame: els.stepsPerFrame,
  batchSize: els.batchSize,
  devPercent: els.split,
  sampleCount: els.sampleCount,
};

/** The inputs show the settings (the defaults live in state.js only). */
function showSettings() {
  for (const [key, input] of Object.entries(settingInputs)) {
    input.value = String(settings[key]);
    input.setAttribute('aria-invalid', 'false');
  }
}

/** Hands the settings the model uses to the Lab. */
function applySettings() {
  lab.l2 = settings.l2;
  lab.batchSize = settings.batchSize;
  // Reshuffle only for a new share: a split made with another seed stays as trained.
  if (lab.splitPercent !== settings.devPercent) lab.setSplit(settings.devPercent, settings.seed);
}

/** Keeps a setting in step with its input; a bad value is marked, explained and not taken. */
function bindSetting(key, onChange = () => {}) {
  const input = settingInputs[key];
  input.addEventListener('input', () => {
    const error = settings.update(key, input.value);
    input.setAttribute('aria-invalid', error ? 'true' : 'false');
    if (error) {
      say(`${error} Keeping ${settings[key]}.`, 'error');
      return;
    }
    if (els.status.dataset.kind === 'error') say('');
    onChange();
    persist();
  });
}

function wire() {
  showSettings();
  bindSetting('seed');
  bindSetting('lr');
  bindSetting('stepsPerFrame');
  bindSetting('sampleCount');
  bindSetting('batchSize', guarded(() => { lab.batchSize = settings.batchSize; }));
  bindSetting('devPercent', guarded(() => {
    lab.setSplit(settings.devPercent, settings.seed);
    showSummary();
    record(refresh());
  }));
  bindSetting('l2', guarded(() => {
    lab.l2 = settings.l2;
    const loss = refresh();
    history.losses[history.losses.length - 1] = loss;
    history.dev[history.dev.length - 1] = devLoss;
    drawChart();
  }));

  els.train.addEventListener('click', () => {
    if (training) {
      stopTraining();
      return;
    }
    training = true;
    els.train.setAttribute('aria-pressed', 'true');
    els.train.textContent = 'Pause';
    frameRequest = requestAnimationFrame(frame);
  });
  els.step.addEventListener('click', guarded(() => {
    trainStep();
    afterSteps();
  }));
  els.reset.addEventListener('click', guarded(() => {
    lab.reset(settings.seed);
    stopTraining();
    restart();
    say(`New W from seed ${settings.seed}.`);
  }));
  els.sample.addEventListener('click', guarded(() => {
    const names = lab.sample(settings.sampleCount, settings.seed);
    els.samples.replaceChildren(...names.map((name) => {
      const li = document.createElement('li');
      li.textContent = name;
      return li;
    }));
  }));
  els.word.addEventListener('input', guarded(() => {
    say('');
    describeProbe(drawProbe());
    persist();
  }));
  els.exportButton.addEventListener('click', guarded(exportModel));

  // The explorer follows the bigram picked in the word table, by pointer or keyboard.
  const pick = (event) => {
    const tr = event.target.closest('tbody tr');
    if (!tr) return;
    selectedRow = tr.sectionRowIndex;
    drawProbe();
  };
  els.table.addEventListener('click', guarded(pick));
  els.table.addEventListener('keydown', guarded((event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick(event);
    }
  }));

  els.heatMode.addEventListener('change', guarded(() => {
    view.mode = els.heatMode.value;
    drawHeatmap();
  }));
  els.smoothing.addEventListener('input', guarded(() => {
    view.k = Number(els.smoothing.value);
    els.smoothingValue.textContent = String(view.k);
    setFloor();
    drawHeatmap();
    drawChart();
  }));
  els.resample.addEventListener('click', guarded(resample));
  els.chartPng.addEventListener('click', guarded(exportChart));
  els.tableCsv.addEventListener('click', guarded(exportTable));
  els.importInput.addEventListener('change', () => importModel(els.importInput.files[0]));
  els.forget.addEventListener('click', guarded(() => {
    storage.forget();
    stopTraining();
    settings.restore(DEFAULTS);
    showSettings();
    applySettings();
    lab.reset(settings.seed);
    restart();
    storage.forget(); // restart saved the fresh state; forgetting means nothing is kept
    say('Saved state forgotten: default settings and a new W from the seed.');
  }));
  els.datasetInput.addEventListener('change', () => loadFile(els.datasetInput.files[0]));

  // Drop a file on the data panel; anywhere else, keep the browser from opening it.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (e) => e.preventDefault());
  }
  els.dropZone.addEventListener('dragover', () => els.dropZone.classList.add('over'));
  els.dropZone.addEventListener('dragleave', () => els.dropZone.classList.remove('over'));
  els.dropZone.addEventListener('drop', (e) => {
    els.dropZone.classList.remove('over');
    loadFile(e.dataTransfer.files[0]);
  });
  window.addEventListener('resize', () => {
    drawHeatmap();
    drawChart();
  });
}

async function start() {
  const wasm = await init();
  memory = wasm.memory;
  // A link's settings make the first W too, so that the link reproduces the view.
  const link = applyQuery();
  try {
    lab = new Lab(undefined, settings.seed, settings.l2);
  } catch (err) {
    link.refused.push(err.message);
    settings.update('seed', DEFAULTS.seed);
    lab = new Lab(undefined, settings.seed, settings.l2);
  }
  if (settings.seed !== link.taken.seed) delete link.taken.seed; // refused by the Lab
  showSummary();
  wire();
  const restored = restoreSaved();
  // Over a restored session the link's settings still win; the saved W stays until Reset.
  settings.restore(link.taken);
  if (link.word !== undefined) els.word.value = link.word;
  const { refused } = link;
  showSettings();
  applySettings();
  if (restored) refresh(); // the link's settings may have changed λ, hence the loss
  else restart();
  describeProbe(drawProbe());
  for (const c of controls()) c.disabled = false;
  if (refused.length) say(`Some of the link's settings were not taken: ${[...new Set(refused)].join(' ')}`, 'error');
  if (els.status.textContent === 'Loading…') say('Ready. Type a word, or press Train.');
  document.body.dataset.ready = 'true';
  performance.mark('bigram-lab-ready'); // the load benchmark reads this
}

start().catch((err) => say(`Bigram Lab could not start: ${err.message}`, 'error'));
