// The wiring: the only module that knows every other one. It loads the wasm module,
// turns the person's input into calls on the Lab (whose session holds every rule), and
// hands each component what it draws. Every animation frame while training: one
// `trainFor` call (forward → backward → step until the frame's budget is spent), then
// `settle` (the loss; a diverged W rewound) and the redraw.

import init, { Lab, Loader, maxFileBytes, settingRules } from '../pkg/bigram_lab.js';
import { Settings, DEFAULTS, toQuery, fromQuery, startupPlan, normaliseWord } from './state.js';
import { LossChart } from './lossChart.js';
import { Heatmap } from './heatmap.js';
import { renderProbe } from './probe.js';
import { Explorer } from './explorer.js';
import { TrainingLoop } from './training.js';
import { download, tableCsv } from './exporters.js';
import * as storage from './storage.js';

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
const loop = new TrainingLoop(trainFrame, (err) => {
  showStopped();
  say(err.message, 'error');
});

/** Training time per animation frame: the rest of a 60 Hz frame is left for drawing. */
const FRAME_BUDGET_MS = 10;
/** Large files are read in pieces of this size, yielding to the page in between. */
const CHUNK_BYTES = 1 << 20;
/** While training, the loss is announced to screen readers at most this often. */
const ANNOUNCE_EVERY_MS = 5000;
/** While training, the model is saved at most this often (and on every other change). */
const SAVE_EVERY_MS = 1000;

let settings = null;
let lab = null;
let memory = null;
let vocab = [];
/** What the heatmap shows, and the counting model's smoothing (it also sets the floor). */
const view = { mode: 'net', k: 0 };
/** The word-table row whose example the explorer follows. */
let selectedRow = 0;
/** The session's last answer to "W changed": loss, dev loss, steps. */
let status = null;
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

/** A V×V table read in place from wasm memory (a view, not a copy). */
const tableAt = (ptr) => new Float32Array(memory.buffer, ptr, vocab.length * vocab.length);

/** What the heatmap's mode asks for: the net's table, counting's, or their difference. */
function heatmapValues() {
  if (view.mode === 'net') return tableAt(lab.probsPtr());
  const counting = tableAt(lab.countProbsPtr(view.k));
  if (view.mode === 'counts') return counting;
  const net = tableAt(lab.probsPtr()); // after countProbsPtr: its allocation may move memory
  return net.map((p, i) => p - counting[i]);
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

function drawProbe() {
  const { word, note } = normaliseWord(els.word.value, lab.vocabIsLowercase);
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
 * After W changed (a step, a reset, a resample, an import, a λ or split change): the
 * session's answer shown, charted and drawn. A divergence the session rewound pauses
 * training and says why. While training (unless `force`), the screen-reader
 * announcement and the save are throttled.
 */
function afterSteps(force = false) {
  status = lab.settle();
  const { rewound } = status;
  if (rewound) {
    stopTraining();
    say(`The loss became ${rewound.loss} at step ${rewound.atStep}: a learning rate of ${settings.lr} is too large here. `
      + `Training paused and W went back to step ${rewound.toStep}, its last finite state. Lower the learning rate to go on.`, 'error');
  }
  const dev = status.devLoss ?? NaN;
  setNumber(els.stepCount, status.steps, 0);
  setNumber(els.loss, status.loss, 4);
  els.devReadout.hidden = !Number.isFinite(dev);
  if (Number.isFinite(dev)) setNumber(els.devLoss, dev, 4);
  chart.append(status.steps, status.loss, status.devLoss);
  chart.draw();
  drawHeatmap();
  drawProbe();
  const now = performance.now();
  const training = loop.running;
  if (force || !training || now - lastAnnounce > ANNOUNCE_EVERY_MS) announce();
  if (force || !training || now - lastSave > SAVE_EVERY_MS) saveModel();
  return status;
}

/** Says the step and loss to screen readers (politely: the region is aria-live). */
function announce() {
  lastAnnounce = performance.now();
  els.announce.textContent = `Step ${status.steps}, loss ${status.loss.toFixed(4)}`;
}

/** Says once if the browser will not keep the state. */
function storageRefused(error) {
  if (error && !storageRefused.warned) {
    storageRefused.warned = true;
    say(`This browser would not keep the state across reloads (${error}).`, 'error');
  }
}

/** Saves W and the loss history (after W changed). */
function saveModel() {
  lastSave = performance.now();
  storageRefused(storage.saveModel({ model: lab.exportModel(), history: chart.series() }));
}

/** Saves the settings and the word, and puts them in the URL (after either changed). */
function saveView() {
  try {
    window.history.replaceState(null, '', `?${toQuery(settings, { word: els.word.value })}`);
  } catch {
    // Some pages (a file opened from disk, in some browsers) may not rewrite their URL.
  }
  storageRefused(storage.saveView({ settings: settings.snapshot(), word: els.word.value }));
}

/** One animation frame of training. */
function trainFrame() {
  lab.trainFor(settings.lr, settings.stepsPerFrame, FRAME_BUDGET_MS);
  afterSteps();
}

function showStopped() {
  els.train.setAttribute('aria-pressed', 'false');
  els.train.textContent = 'Train';
}

function stopTraining() {
  if (loop.stop()) {
    announce();
    saveModel();
  }
  showStopped();
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
  const floor = lab.countLoss(view.k);
  setNumber(els.floor, floor, 4);
  chart.setFloor(floor);
}

/** A new run: the chart starts again. */
function restart() {
  chart.clear();
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
  const before = status.loss;
  const next = lab.resampleNext(settings.seed);
  settings.update('seed', next);
  showSettings();
  saveView();
  chart.mark(lab.steps);
  const after = afterSteps(true).loss;
  say(`Resampled W from seed ${next}: the loss went from ${before.toFixed(4)} to ${after.toFixed(4)}. `
    + 'Guessing W at random rarely helps; the gradient says which way to move every weight.');
}

/** Downloads the model and settings as JSON. */
function exportModel() {
  const file = { ...lab.exportModel(), settings: settings.snapshot() };
  download(new Blob([JSON.stringify(file)], { type: 'application/json' }), `bigram-lab-step-${lab.steps}.json`);
  say(`Exported the model at step ${lab.steps}.`);
}

function exportTable() {
  download(new Blob([tableCsv(heatmapValues(), vocab)], { type: 'text/csv' }), `bigram-lab-${view.mode}-step-${lab.steps}.csv`);
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

/**
 * Takes an exported model file: the session checks and takes the model whole (or
 * refuses it, changing nothing); then the file's settings that parse, with the model's
 * own λ and split, which its weights were trained with. Nothing after the import can
 * fail: the settings were checked against the same rules the session uses.
 * @returns {string[]} settings of the file that were not taken
 */
function adopt(file) {
  const model = file.model ?? file;
  lab.importModel(model);
  const refused = settings.restore({ ...file.settings, l2: model.l2, devPercent: lab.splitPercent });
  lab.batchSize = settings.batchSize;
  showSettings();
  return refused;
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
    saveView();
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
 * Reads and takes the last session's model, if this browser kept one.
 * @returns {object | null} the saved state taken (settings, word, history), or null
 */
function takeSaved() {
  let saved;
  try {
    saved = storage.load();
    if (!saved) return null;
    lab.importModel(saved.model);
    return saved;
  } catch (err) {
    storage.setAside();
    say(`The saved state could not be restored (${err.message}); starting fresh. `
      + 'It is kept aside in this browser\'s storage, not overwritten.', 'error');
    return null;
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

/** The inputs' ranges, from the library's rules (the browser's spinners follow them). */
function showRanges(rules) {
  const inputs = { ...settingInputs, smoothing: els.smoothing };
  for (const rule of rules) {
    const input = inputs[rule.key];
    if (!input) continue;
    input.min = String(rule.min);
    input.max = String(rule.max);
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
    saveView();
  });
}

function wire() {
  bindSetting('seed');
  bindSetting('lr');
  bindSetting('stepsPerFrame');
  bindSetting('sampleCount');
  bindSetting('batchSize', guarded(() => { lab.batchSize = settings.batchSize; }));
  bindSetting('devPercent', guarded(() => {
    lab.setSplit(settings.devPercent, settings.seed);
    showSummary();
    afterSteps(true);
  }));
  bindSetting('l2', guarded(() => {
    lab.l2 = settings.l2;
    afterSteps(true); // the same W, another loss: the chart's last point is replaced
  }));

  els.train.addEventListener('click', () => {
    if (loop.running) {
      stopTraining();
      return;
    }
    els.train.setAttribute('aria-pressed', 'true');
    els.train.textContent = 'Pause';
    loop.start();
  });
  els.step.addEventListener('click', guarded(() => {
    lab.trainFor(settings.lr, 1, FRAME_BUDGET_MS);
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
    saveView();
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
    chart.draw();
  }));
  els.resample.addEventListener('click', guarded(resample));
  els.chartPng.addEventListener('click', guarded(exportChart));
  els.tableCsv.addEventListener('click', guarded(exportTable));
  els.importInput.addEventListener('change', () => importModel(els.importInput.files[0]));
  els.forget.addEventListener('click', guarded(() => {
    stopTraining();
    settings.restore(DEFAULTS);
    showSettings();
    applySettings();
    lab.reset(settings.seed);
    restart();
    storage.forget(); // after restart, which saved the fresh state: nothing is kept
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
    chart.draw();
  });
}

/**
 * The link's settings, each checked on its own. Returns those taken (as checked) and
 * what was refused.
 */
function readLink(rules) {
  const query = fromQuery(window.location.search, ['word']);
  const scratch = new Settings(rules);
  const refused = [];
  const taken = {};
  for (const [key, value] of Object.entries(query.settings)) {
    const error = scratch.update(key, value);
    if (error) refused.push(error);
    else taken[key] = scratch[key];
  }
  return { refused, taken, word: query.extra.word };
}

async function start() {
  const wasm = await init();
  memory = wasm.memory;
  const rules = settingRules();
  settings = new Settings(rules);
  const link = readLink(rules);
  // A link's settings make the first W too, so that the link reproduces the view.
  settings.restore(link.taken);
  try {
    lab = new Lab(undefined, settings.seed, settings.l2);
  } catch (err) {
    link.refused.push(err.message);
    delete link.taken.seed; // refused by the library
    settings.update('seed', DEFAULTS.seed);
    lab = new Lab(undefined, settings.seed, settings.l2);
  }
  showRanges(rules);
  showSummary();
  wire();
  const saved = takeSaved();
  const plan = startupPlan({ saved, linkTaken: link.taken, linkWord: link.word });
  // Saved settings were checked when they were saved; the link's were checked above.
  for (const layer of plan.settings) settings.restore(layer);
  if (plan.word !== undefined) els.word.value = plan.word;
  showSettings();
  applySettings();
  if (saved) {
    chart.restore(storage.readHistory(saved.history));
    say(`Welcome back: your model at step ${lab.steps} was restored. Reset starts again from the seed; “Forget saved state” clears what is kept.`);
    afterSteps(true);
  } else {
    restart();
  }
  saveView();
  describeProbe(drawProbe());
  for (const c of controls()) c.disabled = false;
  if (link.refused.length) say(`Some of the link's settings were not taken: ${[...new Set(link.refused)].join(' ')}`, 'error');
  if (els.status.textContent === 'Loading…') say('Ready. Type a word, or press Train.');
  document.body.dataset.ready = 'true';
  performance.mark('bigram-lab-ready'); // the load benchmark reads this
}

start().catch((err) => say(`Bigram Lab could not start: ${err.message}`, 'error'));
