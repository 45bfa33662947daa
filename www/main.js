// @ts-nocheck
// The wiring: the only module that knows every other one. It loads the wasm module,
// turns the person's input into calls on the Lab (whose session holds every rule), and
// hands each component what it draws. Training runs in a Web Worker when one can start
// (offload.js): every animation frame takes the worker's latest report of its steps
// (`adoptReport`), then `settle` (the loss; a diverged W rewound) and the redraw. Where no
// worker runs (the single file opened from disk; after the worker failed; a run begun
// before the worker had loaded, until it has), each frame trains itself: one `trainFor`
// call (forward → backward → step until the frame's budget is spent), then the same. *Walk the loop* instead takes the loop one phase a Step press (forward, zero_grad,
// backward, update).

import init, { Lab, Loader, maxFileBytes, settingRules } from '../pkg/bigram_lab.js';
import {
  Settings, DEFAULTS, toQuery, fromQuery, startupPlan, normaliseWord, effectiveEncoding, parseSetting, modelName,
} from './lib/settings.js';
import { LossChart } from './components/lossChart.js';
import { LossHistory, bestIndex } from './lib/series.js';
import { Heatmap } from './components/heatmap.js';
import { renderProbe } from './components/wordTable.js';
import { Explorer } from './components/explorer.js';
import { SweepChart } from './components/sweepChart.js';
import { contextLabel, label, paletteChanged, strengthText } from './components/draw.js';
import { FrameBudget, TrainingLoop, ViewPacer } from './lib/training.js';
import { Offload, SILENCE_MS } from './lib/offload.js';
import { download, tableCsv } from './lib/exporters.js';
import * as storage from './lib/storage.js';
import { STOPS, Tour, tourFromLink } from './lib/tour.js';
import { TourPanel } from './components/tourPanel.js';
import { SHORTCUTS, shortcutFor } from './lib/shortcuts.js';
import { loadThemeChoice, parseThemeChoice, resolveTheme, saveThemeChoice } from './lib/theme.js';

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
  trainOn: $('train-on-select'),
  walk: $('walk-toggle'),
  walkPhase: $('walk-phase'),
  walkText: $('walk-text'),
  gradcheck: $('gradcheck-button'),
  heatHint: $('heat-mode-hint'),
  devLoss: $('dev-loss'),
  devReadout: $('dev-readout'),
  progress: $('load-progress'),
  announce: $('announce'),
  exportButton: $('export-button'),
  importInput: $('import-input'),
  npyExport: $('npy-export-button'),
  npyNExport: $('npy-n-export-button'),
  npyImport: $('npy-import-input'),
  forget: $('forget-button'),
  resample: $('resample-button'),
  chartPng: $('chart-png-button'),
  chartLogX: $('chart-logx-toggle'),
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
  context: $('context-select'),
  encoding: $('encoding-select'),
  splitKind: $('split-select'),
  splitSeed: $('split-seed-input'),
  testButton: $('test-button'),
  testLoss: $('test-loss'),
  testReadout: $('test-readout'),
  heatFirst: $('heatmap-first'),
  heatFirstLabel: $('heatmap-first-label'),
  smoothingNumber: $('smoothing-number'),
  xencFigure: $('xenc-picture-figure'),
  sweepKind: $('sweep-kind'),
  sweepSteps: $('sweep-steps-input'),
  sweepButton: $('sweep-button'),
  sweepCancel: $('sweep-cancel'),
  sweepProgress: $('sweep-progress'),
  sweepNote: $('sweep-note'),
  sweepResults: $('sweep-results'),
  sweepBest: $('sweep-best'),
  useBest: $('use-best-button'),
  codeForm: $('code-form'),
  codeView: $('code-view'),
  codeCopy: $('code-copy-button'),
  codeData: $('code-data-button'),
  tourButton: $('tour-button'),
  savedModels: $('saved-models-select'),
  savedRestore: $('saved-models-restore'),
  savedNote: $('saved-models-note'),
  tabsNotice: $('tabs-notice'),
};

const chart = new LossChart($('loss-chart'));
const tour = new Tour();
const tourPanel = new TourPanel({
  panel: $('tour-panel'),
  title: $('tour-title'),
  progress: $('tour-progress'),
  body: $('tour-body'),
  look: $('tour-look'),
  try: $('tour-try'),
  prev: $('tour-prev'),
  next: $('tour-next'),
});
/** Every settled W's loss: the wiring keeps it (and saves it), the chart draws it. */
const lossHistory = new LossHistory();
const heatmap = new Heatmap($('heatmap'), $('heat-readout'), $('heat-scale'));
const sweepChart = new SweepChart($('sweep-chart'));
const explorer = new Explorer({
  title: $('explorer-title'),
  xenc: $('strip-xenc'),
  logits: $('strip-logits'),
  counts: $('strip-counts'),
  probs: $('strip-probs'),
  p: $('explorer-p'),
  nll: $('explorer-nll'),
  picture: $('xenc-picture'),
  contextNote: $('xenc-context'),
  backTitle: $('backward-title'),
  dlogits: $('strip-dlogits'),
  grad: $('strip-grad'),
  gradData: $('strip-grad-data'),
  gradL2: $('strip-grad-l2'),
  stepLine: $('backward-step'),
  batchNote: $('backward-batch-note'),
  gradcheck: $('gradcheck-results'),
});
const loop = new TrainingLoop(trainFrame, (err) => {
  // The loop has stopped itself: what stopTraining does after a running loop.
  offload?.stop();
  showStopped();
  announce();
  saveModel();
  say(err.message, 'error');
});

/** Training time per animation frame: what the drawing, as measured, leaves of a 60 Hz
 * frame (at most its `maxMs`). Shared by training and the λ sweep. */
const frameBudget = new FrameBudget();
/** Which training frames also redraw the word table, explorer and heatmap. */
const viewPacer = new ViewPacer();
/** The training worker (null until the first Train, and always from disk). */
let offload = null;

/**
 * Makes the training worker at the first Train: a page that never trains never loads a
 * second instance of the module (its fetch and compile competed with the page's own work
 * at start-up). Until it has loaded, the run trains in the page, then moves into it. A
 * page opened from disk (the single file) has no origin to load a worker's script from.
 */
function startWorker() {
  if (offload || window.location.protocol === 'file:') return;
  offload = new Offload(
    () => new Worker(new URL('./worker/trainingWorker.js', import.meta.url), { type: 'module' }),
    { onReady: () => { document.body.dataset.worker = 'ready'; }, onFailure: offloadFailed },
  );
}
/** Whether the last frame left those views showing an older W. */
let viewsStale = false;
/** Large files are read in pieces of this size, yielding to the page in between. */
const CHUNK_BYTES = 1 << 20;
/** While training, the loss is announced to screen readers at most this often. */
const ANNOUNCE_EVERY_MS = 5000;
/** While training, the model is saved at most this often (and on every other change). */
const SAVE_EVERY_MS = 1000;
/** This tab's slot in the browser's storage, beside the other tabs' (www/storage.js). */
const store = new storage.Store();
/** False until start-up is done: a tab saves only once its W changes, so that opening a
 * tab, or reloading one, never adds a slot or makes an old one look newest. */
let saving = false;

let settings = null;
let lab = null;
let memory = null;
let vocab = [];
/** What the heatmap shows, and the counting model's smoothing (it also sets the floor). */
const view = { mode: 'net', k: 0, first: '0' };
/** The word-table row whose example the explorer follows. */
let selectedRow = 0;
/** The explorer's example `{x, y}` (null when the row has none): the gradient check's cell. */
let currentExample = null;
/** The probe's last report, and the one from before the last Step (for its Δ columns). */
let lastReport = null;
let stepBase = null;
/** True while a Step press settles: the Δ columns are kept; any other change clears them. */
let stepping = false;
/** The session's last answer to "W changed": loss, dev loss, steps. */
let status = null;
let lastAnnounce = 0;
let lastSave = 0;
/**
 * What the last save took (ms). A frame that saves (once a second while training) does
 * not count it as drawing: the frame budget would take it for every frame's cost and
 * starve training for the twenty frames it takes to forget it (a trigram's save is
 * several milliseconds).
 */
let saveMs = 0;

function say(message, kind = 'info') {
  els.status.textContent = message;
  els.status.dataset.kind = kind;
}

function setNumber(el, value, digits) {
  el.dataset.value = String(value);
  el.textContent = Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** A rows×V table read in place from wasm memory (a view, not a copy); V×V by default. */
const tableAt = (ptr, rows = vocab.length) => new Float32Array(memory.buffer, ptr, rows * vocab.length);

/** Rows of the probability tables: one per context (V^len). */
const contextRows = () => vocab.length ** lab.contextLength;
/** Rows of W (and W.grad, ΔW): one per context, or len·V for one-hots side by side. */
const weightRows = () => (lab.encoding === 'concat' ? lab.contextLength * vocab.length : contextRows());
const W_MODES = new Set(['weights', 'grad', 'update']);

/**
 * What the heatmap's mode asks for, whole: the net's table, counting's, their
 * difference, W, W.grad (while walking the loop, the walk's buffer) or the last step's ΔW.
 */
function fullTable() {
  const rows = contextRows();
  if (view.mode === 'net') return tableAt(lab.probsPtr(), rows);
  if (view.mode === 'weights') return tableAt(lab.weightsPtr(), weightRows());
  if (view.mode === 'grad') return tableAt(lab.gradPtr(), weightRows());
  if (view.mode === 'update') return tableAt(lab.updatePtr(), weightRows());
  const counting = tableAt(lab.countProbsPtr(view.k), rows);
  if (view.mode === 'counts') return counting;
  const net = tableAt(lab.probsPtr(), rows); // after countProbsPtr: its allocation may move memory
  return net.map((p, i) => p - counting[i]);
}

const SUBSCRIPTS = '₁₂₃₄';
/** Row names, kept per view so the heatmap draws its labels once per view. */
const rowLabelCache = new Map();
function rowLabelsFor(key, make) {
  if (!rowLabelCache.has(key)) rowLabelCache.set(key, make());
  return rowLabelCache.get(key);
}

/** The heatmap's blocks: the first characters of a context, or (W side by side) the positions. */
function heatBlocks() {
  const len = lab.contextLength;
  const v = vocab.length;
  if (len === 1) return { kind: 'none', options: [] };
  if (lab.encoding === 'concat' && W_MODES.has(view.mode)) {
    return { kind: 'position', options: Array.from({ length: len }, (_, i) => `position ${i + 1} (${i === len - 1 ? 'the last character' : `${len - 1 - i} before the last`})`) };
  }
  const count = v ** (len - 1);
  return { kind: 'prefix', options: Array.from({ length: count }, (_, i) => `first ${len === 2 ? 'character' : 'characters'} “${contextLabel(i, len - 1, vocab)}”`) };
}

/** Keeps the heatmap's block picker in step with the context, encoding and mode. */
function showHeatBlocks() {
  const { kind, options } = heatBlocks();
  const key = `${kind}|${options.length}|${vocab.length}|${vocab.join('')}`;
  els.heatFirstLabel.hidden = kind === 'none';
  if (els.heatFirst.dataset.key === key) return;
  els.heatFirst.dataset.key = key;
  const choices = [...options.map((text, i) => [String(i), text]), ['overview', 'overview: every row, scaled down']];
  els.heatFirst.replaceChildren(...choices.map(([value, text]) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  }));
  if (!choices.some(([value]) => value === view.first)) view.first = '0';
  els.heatFirst.value = view.first;
}

/** What the heatmap draws: the V×V block picked (or every row), and the rows' names. */
function heatmapView() {
  const full = fullTable();
  const len = lab.contextLength;
  const v = vocab.length;
  if (len === 1) return { values: full, rowLabels: null };
  const { kind } = heatBlocks();
  const total = full.length / v;
  const name = (r) => (kind === 'position' ? `${label(vocab[r % v])}${SUBSCRIPTS[Math.floor(r / v)]}` : contextLabel(r, len, vocab));
  const tag = `${kind}|${len}|${v}|${vocab.join('')}`;
  if (view.first === 'overview') {
    return { values: full, rowLabels: rowLabelsFor(`${tag}|all`, () => Array.from({ length: total }, (_, r) => name(r))) };
  }
  const block = Math.min(Number(view.first) || 0, total / v - 1);
  const rowLabels = rowLabelsFor(`${tag}|${block}`, () => Array.from({ length: v }, (_, i) => name(block * v + i)));
  // A copy (V×V, small): a view would go dead if wasm memory grows before the next draw.
  return { values: full.slice(block * v * v, (block + 1) * v * v), rowLabels };
}

/** The table the heatmap shows (and the CSV saves). */
const heatmapValues = () => heatmapView().values;

/** A sentence beside the modes that need one. */
const HEAT_HINTS = {
  weights: 'W itself: row x holds the logits that input x gives. Blue above 0, red below; softmax of each row is the probability table.',
  grad: 'W.grad at the current W (while walking the loop: the buffer as the walk left it). For the data part, the whole list\'s '
    + 'gradient is (R_i·P_net − N)/n row by row (R_i: the examples with input i), so it vanishes where the net equals the counting '
    + 'model: compare with “net − counting”. The L2 part adds 2λ·W/|W|.',
  update: 'ΔW = −lr·W.grad of the last step: how far and which way each weight moved (zeros before the first step).',
};

function drawHeatmap() {
  showHeatBlocks();
  const { values, rowLabels } = heatmapView();
  heatmap.draw(values, vocab, view.mode, { rowLabels });
  const hint = HEAT_HINTS[view.mode];
  els.heatHint.hidden = !hint;
  els.heatHint.textContent = hint ?? '';
}

/** The explorer follows the selected bigram of the probe's word. */
function drawExplorer(report) {
  const { rows } = report;
  selectedRow = Math.max(0, Math.min(selectedRow, rows.length - 1));
  const trs = els.table.tBodies[0].rows;
  for (let i = 0; i < trs.length; i++) trs[i].setAttribute('aria-current', String(i === selectedRow));
  const len = lab.contextLength;
  const encoding = lab.encoding;
  // The word's picture is the bigram's (one row of V per example); a longer context has its own xenc above.
  els.xencFigure.hidden = len > 1;
  if (len === 1) explorer.drawWord(rows.map((r) => r.input), vocab, selectedRow);
  currentExample = null;
  const row = rows[selectedRow];
  if (!row) return explorer.clear('');
  if (row.input === null || row.label === null) {
    return explorer.clear(`“${row.bigram}” has a character outside the vocabulary: it has no path through the net.`);
  }
  const [x, y] = [row.input, row.label];
  try {
    explorer.draw(lab.example(x, y), vocab, { len, encoding });
    if (encoding === 'concat') {
      explorer.clearBackward(`With one one-hot per character, example “${row.example ?? row.bigram}” lands in ${len} rows of W.grad, `
        + 'one per position, each also shared by every example with that character there: the backward rows are drawn for '
        + 'the one-hot over contexts. The heatmap shows W.grad by position.');
      return undefined;
    }
    const back = lab.backwardView(x, y);
    const cell = x * vocab.length + y;
    const w = tableAt(lab.weightsPtr(), weightRows())[cell];
    const lastDelta = tableAt(lab.updatePtr(), weightRows())[cell];
    const rowName = len > 1 ? contextLabel(x, len, vocab) : undefined;
    explorer.drawBackward(back, { x, y, w, lr: settings.lr, minibatch: settings.batchSize > 0, lastDelta, rowName }, vocab);
    currentExample = { x, y };
  } catch (err) {
    explorer.clear(err.message);
  }
  return undefined;
}

function drawProbe() {
  const { word, note } = normaliseWord(els.word.value, lab.vocabIsLowercase);
  const report = lab.wordReport(word);
  renderProbe(els.table, els.wordLoss, report, stepBase);
  lastReport = report;
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
 * announcement and the save are throttled. `views`: whether the slow views redraw too.
 */
function afterSteps(force = false, views = true) {
  if (!stepping) {
    stepBase = null; // the Δ columns compare with before a Step press only
    restartWalk(); // settle's forward pass discards a walk's gradient: walk from forward again
  }
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
  lossHistory.append(status.steps, status.loss, status.devLoss);
  viewsStale = !views;
  if (views) {
    const drawing = performance.now();
    chart.draw(lossHistory.series());
    drawHeatmap();
    drawProbe();
    viewPacer.drew(performance.now() - drawing);
  }
  clearTest(); // the test loss was of another W
  refreshCode(force);
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

/** Saves W, the loss history and the settings in this tab's slot (after W changed). */
function saveModel() {
  lastSave = performance.now();
  saveMs = 0;
  if (tour.active) return; // the tour's copy is not the person's model
  if (!saving) return;
  // A W refused as too large stays too large while it trains: exporting its megabytes
  // every second would cost frames. It is tried again when training stops.
  if (loop.running && lastRefusal?.tooLarge) return;
  showKept(store.saveModel({ model: lab.exportModel(), history: lossHistory.series(), settings: settings.snapshot() }));
  saveMs = performance.now() - lastSave;
}

/** Saves the settings and the word, and puts them in the URL (after either changed). */
function saveView() {
  if (tour.active) {
    if (lab) refreshCode(true);
    return; // the person's own settings are kept, and come back when the tour ends
  }
  try {
    const present = presenting ? { present: '1' } : {};
    window.history.replaceState(null, '', `?${toQuery(settings, { word: els.word.value, ...present })}`);
  } catch {
    // Some pages (a file opened from disk, in some browsers) may not rewrite their URL.
  }
  storageRefused(store.saveView({ settings: settings.snapshot(), word: els.word.value }));
  if (lab) refreshCode(true); // the program follows the settings
}

/** Why this tab's model was last not kept, `{error, tooLarge}`, or null if it was. */
let lastRefusal = null;
/** Other tabs already told about in the status line (the notice line says every save). */
const toldOf = new Set();

/**
 * Shows whether this tab's model is kept: after a save (`result`), or nothing yet
 * (null). A refusal is said in the status line when it starts, and stays in the note.
 */
function showKept(result) {
  if (result?.dropped.length) {
    say(`To keep at most ${storage.MAX_SLOTS} saved models within the browser's room, the oldest other `
      + `${result.dropped.length === 1 ? 'one was' : `${result.dropped.length} were`} dropped `
      + `(${result.dropped.map((m) => storage.describeSlot(m)).join('; ')}).`);
  }
  if (!result || !result.error) {
    lastRefusal = null;
    els.savedNote.dataset.kind = result ? 'kept' : 'none';
    els.savedNote.textContent = result
      ? `This tab's model is kept in this browser (step ${lab.steps}); it comes back on reload.`
      : '';
    showSlots();
    return;
  }
  const own = store.slots().find((m) => m.id === store.tabId);
  const note = `${result.error} ${own
    ? `This tab's last kept model (${storage.describeSlot(own)}) stays in Saved models.`
    : 'Nothing of this tab is kept.'}`;
  els.savedNote.dataset.kind = 'refused';
  els.savedNote.textContent = note;
  if (lastRefusal?.error !== result.error) say(note, 'error'); // once, not every save
  lastRefusal = { error: result.error, tooLarge: result.chars > storage.BUDGET_CHARS };
  showSlots();
}

/** The Saved models list: every slot, newest first (options updated in place if the same). */
function showSlots() {
  const slots = store.slots();
  const select = els.savedModels;
  const same = slots.length === select.options.length && slots.every((m, i) => select.options[i].value === m.id);
  if (!same) {
    const keep = select.value;
    select.replaceChildren(...slots.map((m) => new Option('', m.id)));
    if (slots.some((m) => m.id === keep)) select.value = keep;
  }
  if (select.selectedIndex < 0 && slots.length) select.selectedIndex = 0;
  const left = store.leftIds();
  slots.forEach((m, i) => {
    const option = select.options[i];
    option.textContent = storage.describeSlot(m, { own: m.id === store.tabId, earlier: left.includes(m.id) });
    option.dataset.steps = String(m.steps);
    option.dataset.own = String(m.id === store.tabId);
  });
  select.disabled = slots.length === 0;
  els.savedRestore.disabled = slots.length === 0;
}

/**
 * Restore: the chosen saved model replaces this tab's, all or nothing, as an import does.
 * This tab's own saved model, if it is another, stays in the list: the tab saves to a
 * new slot from now on.
 */
function restoreSlot() {
  const id = els.savedModels.value;
  if (!id) {
    say('No saved model to restore.', 'error');
    return;
  }
  stopTraining(); // saves this tab's model first, if it was training
  const read = store.readSlot(id);
  if (read.error) {
    say(`Could not restore that saved model: ${read.error}. Nothing changed.`, 'error');
    showSlots();
    return;
  }
  const own = id === store.tabId;
  const keptApart = !own && store.slots().some((m) => m.id === store.tabId);
  const earlier = store.leftIds().includes(id);
  let refused;
  try {
    refused = adopt({ model: read.record.model, settings: read.record.settings });
  } catch (err) {
    say(`Could not restore that saved model: ${err.message}. Nothing changed.`, 'error');
    return;
  }
  if (earlier) store.returnTo(id);
  else if (keptApart) store.leaveSlot();
  saveView();
  lossHistory.restore(storage.readHistory(read.record.history));
  afterSteps(true);
  const note = refused.length ? ` Some settings were not taken: ${refused.join(' ')}` : '';
  say(`Restored the saved model at step ${lab.steps}.${keptApart ? ' This tab\'s previous model stays in Saved models.' : ''}${note}`);
}

/** Another tab changed what is saved: say so, and keep this tab's model apart from it. */
function storageChanged(event) {
  if (event.storageArea !== store.local || !store.touchesSlots(event)) return;
  const news = store.classify(event) ?? { kind: 'none' };
  let text = null;
  if (news.kind === 'saved') {
    text = `Another tab saved its model (${storage.describeSlot(news.meta)}). This tab's model is kept apart; both are in Saved models.`;
    if (!toldOf.has(news.meta.id)) {
      toldOf.add(news.meta.id);
      say(text);
    }
  } else if (news.kind === 'duplicate') {
    // A duplicated tab carries this tab's id: the copy keeps the slot, this tab moves.
    store.leaveSlot();
    saveModel();
    text = 'A copy of this tab (a duplicated tab shares its slot) saved its model there; this tab now keeps its model in a slot of its own. Both are in Saved models.';
    say(text);
  } else if (news.kind === 'dropped' || news.kind === 'cleared') {
    text = 'Another tab removed this tab\'s saved model (Forget saved state, or room made for newer ones); it is saved again at this tab\'s next change.';
    say(text);
    showKept(null);
  }
  if (text) {
    els.tabsNotice.textContent = text;
    els.tabsNotice.hidden = false;
  }
  showSlots();
}

function wireSavedModels() {
  els.savedRestore.addEventListener('click', guarded(restoreSlot));
  window.addEventListener('storage', guarded(storageChanged));
}

/** One animation frame of training. */
function trainFrame() {
  if (offload?.usable && !offload.running) {
    // The worker loaded during a run the page began: it takes over from this state.
    handOver();
  }
  if (offload?.running) {
    offloadFrame();
    return;
  }
  frameBudget.started(performance.now());
  lab.trainFor(settings.lr, settings.stepsPerFrame, frameBudget.ms);
  const drawing = performance.now();
  const views = viewPacer.due();
  const savedBefore = lastSave;
  afterSteps(false, views);
  const saved = lastSave === savedBefore ? 0 : saveMs;
  // The frame's own drawing, with the slow views' cost spread over the frames between
  // their redraws: what the next frames have left for training.
  const own = performance.now() - drawing - (views ? viewPacer.lastMs : 0) - saved;
  frameBudget.drew(Math.max(0, own) + viewPacer.spreadMs);
}

/** A frame while the worker trains: its latest report, if one came, taken and drawn. */
function offloadFrame() {
  if (offload.silent) {
    offload.fail(`no report for ${SILENCE_MS / 1000} s`);
    return;
  }
  const report = offload.take();
  if (!report) return;
  if (!lab.adoptReport(report)) {
    // The session changed after the run began (a setting, a Step, a reset…): the worker
    // trained a state that is gone, so it starts again from this one.
    handOver();
    return;
  }
  afterSteps(false, viewPacer.due());
  offload.ack(settings.lr, settings.stepsPerFrame);
}

/** Hands the session to the worker for a run (or says why not: the page trains on). */
function handOver() {
  try {
    offload.start((knownData) => lab.handoff(knownData), settings.lr, settings.stepsPerFrame);
    document.body.dataset.trainer = 'worker';
  } catch (err) {
    const midRun = offload.running;
    offload.fail(err.message);
    if (!midRun) say(`Training runs in the page (slower): its worker could not take the run (${err.message}).`, 'error');
  }
}

/**
 * The worker failed. Mid-run, the page trains on itself from the last steps it took, and
 * says so; before, the page simply trains itself.
 */
function offloadFailed(message, midRun) {
  document.body.dataset.worker = 'failed';
  if (!midRun) return;
  document.body.dataset.trainer = 'page';
  say(`Training moved back into the page (slower): its worker failed (${message}).`, 'error');
}

function showStopped() {
  delete document.body.dataset.training;
  els.train.setAttribute('aria-pressed', 'false');
  els.train.textContent = 'Train';
}

function stopTraining() {
  frameBudget.paused();
  offload?.stop();
  if (loop.stop()) {
    announce();
    saveModel();
  }
  if (viewsStale) {
    // The last frames drew only the readouts: the views show the W training stopped at.
    viewsStale = false;
    chart.draw(lossHistory.series());
    drawHeatmap();
    drawProbe();
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
  els.summary.dataset.testWords = String(s.test_words);
  els.summary.dataset.examples = String(s.examples);
  const held = s.test_words ? ` (${n(s.dev_words)} dev, ${n(s.test_words)} test: makemore's 80/10/10)`
    : s.dev_words ? ` (${n(s.dev_words)} held out)` : '';
  const len = lab.contextLength;
  const context = len > 1 ? ` for a context of ${len} characters` : '';
  els.summary.textContent = `${n(s.words)} words${held} · ${n(s.bigrams)} bigrams · ${n(s.examples)} training examples${context} `
    + `· vocabulary of ${vocab.length}: ${s.vocab}`;
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
  lossHistory.clear();
  afterSteps(true);
}

/** The probe's word as the model takes it: what *Train on: word* trains on. */
const probeWord = () => normaliseWord(els.word.value, lab.vocabIsLowercase).word;

/**
 * Hands the *Train on* choice to the Lab: all the training words, or the probe's word
 * alone. A word the library refuses is explained and training goes back to all.
 * @returns {{changed: boolean, refused: boolean}} whether the training data changed
 */
function applyTrainOn() {
  const want = settings.trainOn === 'word' ? probeWord() : undefined;
  if (lab.trainOn === want) return { changed: false, refused: false };
  try {
    lab.setTrainOn(want);
    return { changed: true, refused: false };
  } catch (err) {
    settings.update('trainOn', 'all');
    els.trainOn.value = 'all';
    const changed = lab.trainOn !== undefined;
    if (changed) lab.setTrainOn(undefined);
    say(`Train on the word: ${err.message}. Training on all the words instead.`, 'error');
    return { changed, refused: true };
  }
}

/** After the training data changed: its floor, loss and chart point. */
function trainingDataChanged() {
  setFloor();
  afterSteps(true); // the same W, another loss: the chart's last point is replaced
}

/** What each phase of *Walk the loop* did, in a sentence. */
const WALK_TEXT = {
  forward: (loss) => `— the loss of this step's examples is ${loss.toFixed(4)}; their probabilities are computed.`,
  zero_grad: () => '— W.grad cleared: the heatmap in W.grad mode shows zeros.',
  backward: () => '— W.grad appears, filled by backpropagation (see the heatmap in W.grad mode).',
  update: () => '— W moves by −lr·W.grad, one step counted; the loss is recomputed.',
};

function showPhase(phase, loss = null) {
  els.walkPhase.dataset.value = phase ?? '';
  els.walkPhase.textContent = phase ?? 'none yet';
  els.walkText.textContent = phase ? WALK_TEXT[phase](loss) : '';
}

/** A walk starts again from forward (after W was replaced), if the walk is on. */
function restartWalk() {
  if (!els.walk.checked) return;
  lab.setWalk(true);
  showPhase(null);
}

/** Turns *Walk the loop* off, leaving W as the walk left it. */
function stopWalk() {
  if (!els.walk.checked) return;
  els.walk.checked = false;
  lab.setWalk(false);
  showPhase(null);
}

/** One Step press while walking the loop: the next phase, and what it changed drawn. */
function walkStep() {
  const before = lastReport;
  const { phase, loss } = lab.walkNext(settings.lr);
  showPhase(phase, loss);
  if (phase === 'update') {
    stepped(before, () => afterSteps());
  } else {
    // W has not moved: no settle (it would run a forward pass over the whole data and
    // the walk's gradient would no longer be the one the update uses).
    drawHeatmap();
    drawProbe();
  }
}

/** Runs `settle`, keeping `before` as the report the probe's Δ columns compare with. */
function stepped(before, settle) {
  stepBase = before;
  stepping = true;
  try {
    settle();
  } finally {
    stepping = false;
  }
}

/** The gradient check at the explorer's example, and five more cells from the seed. */
function checkGradient() {
  if (!currentExample) {
    say('Pick a bigram of known characters in the word table first: the gradient check starts at its cell.', 'error');
    return;
  }
  const points = lab.gradCheck(currentExample.x, currentExample.y, 5, settings.seed);
  explorer.drawGradCheck(points, vocab);
  const worst = Math.max(...points.map((p) => p.relError));
  say(`Gradient check at ${points.length} cells: the largest relative error is ${worst.toExponential(2)}.`);
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
  els.exportButton, els.importInput, els.forget, els.resample, els.chartPng, els.tableCsv, els.gradcheck,
  els.npyExport, els.npyNExport, els.npyImport,
  els.testButton, els.sweepButton, els.codeData, els.tourButton];
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
    if (settings.trainOn === 'word' && lab.trainOn === undefined) {
      // The word trained on has characters the new list does not: train on all of it.
      settings.update('trainOn', 'all');
      els.trainOn.value = 'all';
    }
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
  lossHistory.mark(lab.steps);
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
  chart.toBlob((blob) => {
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
  // The model's own Train on wins: its word becomes the probe's.
  const trainOn = lab.trainOn === undefined ? 'all' : 'word';
  const refused = settings.restore({ ...file.settings, ...labLayer(), l2: model.l2, trainOn });
  if (lab.trainOn !== undefined) els.word.value = lab.trainOn;
  lab.batchSize = settings.batchSize;
  showSettings();
  showSummary(); // the model's split: held-out words and floor
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

/** Downloads `W.npy` (float32) or `N.npy` (int32): what `np.load` reads in a notebook. */
function exportNpy(which) {
  const bytes = which === 'W' ? lab.exportWNpy() : lab.exportNNpy();
  download(new Blob([bytes], { type: 'application/octet-stream' }), `${which}.npy`);
  say(which === 'W'
    ? `Exported W at step ${lab.steps} as W.npy (float32): np.load('W.npy') gives these numbers exactly.`
    : 'Exported the training words\' counts as N.npy (int32, one row per context).');
}

/**
 * Takes W from a .npy file (a notebook's `np.save`). The session checks the dtype,
 * order and shape and refuses anything else, changing nothing; taken, the step count
 * starts again from 0 and the chart with it. No more of the file is read than a W of
 * this shape can take (and one byte, so that a longer file is refused, not cut).
 */
async function importNpy(file) {
  if (!file) return;
  stopTraining();
  try {
    const bytes = new Uint8Array(await file.slice(0, lab.maxWNpyBytes + 1).arrayBuffer());
    lab.importWNpy(bytes);
    restart();
    say(`Imported W from “${file.name}”: loss ${status.loss.toFixed(4)}; the step count starts again from 0.`);
  } catch (err) {
    say(`Could not import “${file.name}”: ${err.message}. Nothing changed.`, 'error');
  } finally {
    els.npyImport.value = '';
  }
}

/**
 * Reads what this browser kept and takes the saved model, if there is one.
 * @returns {{model: object | null, view: object | null}} the saved model (with its
 *   history) if it was taken, and the saved view
 */
function takeSaved() {
  const saved = store.load();
  if (saved.damaged.length) {
    store.setAside(saved.damaged);
    say('Part of the saved state could not be read; it is kept aside in this browser\'s storage, not overwritten.', 'error');
  }
  const notTaken = (why) => {
    // This tab's slot stays as it is, in Saved models: the tab saves to a new one.
    if (saved.own) store.leaveSlot();
    say(`The saved model could not be restored (${why}); starting fresh. It stays in Saved models, not overwritten.`, 'error');
    return { ...saved, model: null };
  };
  if (saved.unreadable) return notTaken('it could not be read');
  if (!saved.model) return saved;
  try {
    lab.importModel(saved.model.model);
    return saved;
  } catch (err) {
    return notTaken(err.message);
  }
}

/** The Lab's context and split as settings: what a restored or imported model carries. */
function labLayer() {
  const seed = lab.makemoreSplitSeed;
  const layer = {
    devPercent: lab.splitPercent,
    context: String(lab.contextLength),
    splitKind: seed === undefined ? 'none' : '80-10-10',
  };
  // A bigram's encoding is the one-hot over contexts whatever the view chose.
  if (lab.contextLength > 1) layer.encoding = lab.encoding;
  if (seed !== undefined) layer.splitSeed = seed;
  return layer;
}

/**
 * The settings the restored model was trained with, as a layer over the saved view:
 * its split and Train on, and its λ where the view's (kept as typed) is another number.
 */
function modelLayer(view) {
  const layer = { ...labLayer(), trainOn: lab.trainOn === undefined ? 'all' : 'word' };
  // λ travels as float32: the view's own text stands unless it is another number.
  if (Math.fround(Number(view?.settings?.l2)) !== lab.l2) layer.l2 = lab.l2;
  return layer;
}

const settingInputs = {
  seed: els.seed,
  lr: els.lr,
  l2: els.l2,
  stepsPerFrame: els.stepsPerFrame,
  batchSize: els.batchSize,
  devPercent: els.split,
  sampleCount: els.sampleCount,
  trainOn: els.trainOn,
  context: els.context,
  encoding: els.encoding,
  splitKind: els.splitKind,
  splitSeed: els.splitSeed,
  sweepSteps: els.sweepSteps,
};

/** The inputs show the settings (the defaults live in state.js only). */
function showSettings() {
  for (const [key, input] of Object.entries(settingInputs)) {
    input.value = String(settings[key]);
    input.setAttribute('aria-invalid', 'false');
  }
  els.encoding.disabled = settings.context === '1';
}

/** The inputs' ranges, from the library's rules (the browser's spinners follow them). */
function showRanges(rules) {
  const inputs = { ...settingInputs, smoothing: els.smoothing };
  for (const rule of rules) {
    for (const input of rule.key === 'smoothing' ? [els.smoothing, els.smoothingNumber] : [inputs[rule.key]]) {
      if (!input) continue;
      input.min = String(rule.min);
      input.max = String(rule.max);
    }
  }
}

/** Hands the settings the model uses to the Lab. */
function applySettings() {
  lab.l2 = settings.l2;
  lab.batchSize = settings.batchSize;
  try {
    applyContext();
  } catch (err) {
    settings.update('context', String(lab.contextLength));
    settings.update('encoding', lab.encoding);
    showSettings();
    say(`Context: ${err.message}. Keeping ${modelName(lab.contextLength)}.`, 'error');
  }
  try {
    applySplit();
  } catch (err) {
    settings.update('splitKind', 'none');
    showSettings();
    say(`Split: ${err.message}.`, 'error');
  }
  if (applyTrainOn().changed) setFloor();
}

/**
 * Hands the context setting to the Lab when it differs: a new W of the context's shape
 * from the seed (it throws, changing nothing, if the net would not fit).
 * @returns {boolean} whether W was replaced
 */
function applyContext() {
  const len = Number(settings.context);
  const encoding = effectiveEncoding(settings);
  if (lab.contextLength === len && lab.encoding === encoding) return false;
  lab.setContext(len, encoding, settings.seed);
  return true;
}

/** Hands the split settings to the Lab: makemore's 80/10/10, or the held-out % (or none). */
function applySplit() {
  if (settings.splitKind === '80-10-10') {
    if (settings.devPercent !== 0) settings.update('devPercent', '0');
    if (lab.makemoreSplitSeed !== settings.splitSeed) lab.setMakemoreSplit(settings.splitSeed);
    return;
  }
  if (lab.makemoreSplitSeed !== undefined) lab.setMakemoreSplit(undefined);
  // Reshuffle only for a new share: a split made with another seed stays as trained.
  if (lab.splitPercent !== settings.devPercent) lab.setSplit(settings.devPercent, settings.seed);
}

/** The context select or the encoding select changed: a new W of the context's shape. */
function changeContext(key, input) {
  const before = { len: lab.contextLength, encoding: lab.encoding, floor: lab.countLoss(view.k) };
  const error = settings.update(key, input.value);
  if (error) {
    say(error, 'error');
    showSettings();
    return;
  }
  stopTraining();
  stopWalk();
  try {
    if (!applyContext()) {
      showSettings();
      saveView();
      return;
    }
  } catch (err) {
    settings.update('context', String(before.len));
    settings.update('encoding', before.encoding);
    showSettings();
    say(`${err.message}. The context stays ${modelName(before.len)}.`, 'error');
    return;
  }
  cancelSweep('The context changed: the sweep stopped.');
  const after = lab.countLoss(view.k); // before the redraw: it may grow wasm memory
  showSettings();
  showSummary();
  restart();
  saveView();
  const v = vocab.length;
  const len = lab.contextLength;
  const shape = lab.encoding === 'concat' ? `${len * v}×${v} (one one-hot per character, side by side)`
    : `${v ** len}×${v} (one one-hot over the ${v ** len} contexts)`;
  const what = len === before.len
    ? `${modelName(len)}, another encoding: the counting floor stays ${after.toFixed(3)}`
    : `${modelName(len)}: counting floor ${after.toFixed(3)} vs ${modelName(before.len)} ${before.floor.toFixed(3)}`;
  // A W too large to keep was refused while restarting: say it here too, not only before.
  const kept = lastRefusal ? ` ${els.savedNote.textContent}` : '';
  say(`${what}. New W of ${shape} from seed ${settings.seed}.${kept}`, lastRefusal ? 'error' : 'info');
}

/** The test loss is shown only when asked, and only for the W it was asked of. */
function clearTest() {
  if (els.testReadout.hidden) return; // every training frame calls it: no DOM write for nothing
  els.testReadout.hidden = true;
  els.testLoss.textContent = '–';
  delete els.testLoss.dataset.value;
}

/** Evaluate on test: once, at the very end, as the lecture says. */
function evaluateTest() {
  const loss = lab.testLoss();
  if (loss === undefined || loss === null) {
    say('The test words come with makemore\'s 80/10/10 split: choose it under Split first.', 'error');
    return;
  }
  setNumber(els.testLoss, loss, 4);
  els.testReadout.hidden = false;
  say(`Test loss ${loss.toFixed(4)} at step ${lab.steps}. Use the test words once, at the end: choose k, λ and the steps `
    + 'by the dev loss, or the test loss stops being an honest estimate.');
}

/** The split select changed: makemore's 80/10/10 (the held-out % goes to 0), or none. */
function changeSplitKind() {
  settings.update('splitKind', els.splitKind.value);
  if (settings.splitKind === '80-10-10') settings.update('devPercent', '0');
  try {
    applySplit();
  } catch (err) {
    settings.update('splitKind', 'none');
    applySplit();
    say(`makemore's split: ${err.message}. No split.`, 'error');
  }
  showSettings();
  showSummary();
  afterSteps(true);
  saveView();
  const s = lab.summary();
  if (settings.splitKind === '80-10-10') {
    say(`makemore's split with seed ${lab.makemoreSplitSeed}: ${s.words - s.dev_words - s.test_words} training words, `
      + `${s.dev_words} dev, ${s.test_words} test. The chart shows train and dev.`);
  }
}

// ---- Tuning on dev (exercise E03) ----

/** The sweep under way or last shown: its kind and points. */
let sweep = { kind: null, points: [], running: false, steps: 0 };

function showSweep(kind, points) {
  sweep.kind = kind;
  sweep.points = points;
  const name = kind === 'l2' ? 'λ' : 'smoothing k';
  const best = bestIndex(points);
  const body = els.sweepResults.tBodies[0];
  body.replaceChildren(...points.map((p, i) => {
    const tr = document.createElement('tr');
    tr.classList.toggle('best', i === best);
    for (const text of [strengthText(p.value), p.train.toFixed(4), p.dev.toFixed(4)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  els.sweepResults.dataset.points = JSON.stringify(points.map(({ value, train, dev }) => ({ value, train, dev })));
  els.sweepResults.dataset.kind = kind;
  if (best >= 0) {
    const p = points[best];
    els.sweepBest.dataset.value = String(p.value);
    els.sweepBest.textContent = `${name} = ${strengthText(p.value)} (dev ${p.dev.toFixed(4)}, train ${p.train.toFixed(4)})`;
  } else {
    delete els.sweepBest.dataset.value;
    els.sweepBest.textContent = '–';
  }
  els.useBest.disabled = best < 0 || sweep.running;
  sweepChart.draw(points, name, best);
}

function runSweep() {
  if (!lab.summary().dev_words) {
    const text = 'Tuning needs dev words: choose makemore\'s 80/10/10 split (or a held-out %) first, then sweep.';
    els.sweepNote.textContent = text;
    say(text, 'error');
    return;
  }
  const kind = els.sweepKind.value;
  if (kind === 'smoothing') {
    showSweep(kind, lab.smoothingSweep());
    els.sweepNote.textContent = 'The counting model for each k, scored on the training and dev words. The training loss always '
      + 'prefers less smoothing; the dev loss says how much helps on words not counted.';
    say(`Smoothing sweep: best dev loss at k = ${els.sweepBest.dataset.value ? strengthText(Number(els.sweepBest.dataset.value)) : '–'}.`);
    return;
  }
  stopTraining();
  lab.startL2Sweep(settings.sweepSteps, settings.lr, settings.seed);
  sweep.running = true;
  sweep.steps = settings.sweepSteps;
  showSweep(kind, []);
  els.sweepCancel.hidden = false;
  els.sweepProgress.hidden = false;
  els.sweepProgress.value = 0;
  els.sweepButton.disabled = true;
  els.sweepNote.textContent = `Training a net from seed ${settings.seed} for ${settings.sweepSteps} steps at lr ${settings.lr} for each λ; `
    + 'your W is left as it is.';
  requestAnimationFrame(guardedSweepFrame);
}

/** One animation frame of the λ sweep: what the frame budget allows, then the points so far. */
function sweepFrame() {
  if (!sweep.running) return;
  const progress = lab.advanceSweep(frameBudget.ms);
  const drawing = performance.now();
  if (!progress) {
    endSweep('The sweep stopped: the data or context changed.');
    return;
  }
  els.sweepProgress.value = progress.total ? progress.done / progress.total : 1;
  showSweep('l2', progress.points);
  frameBudget.drew(performance.now() - drawing);
  if (progress.finished) {
    endSweep(`λ sweep done: ${progress.points.length} strengths, ${sweep.steps} steps each.`);
    say(`λ sweep done: best dev loss at λ = ${strengthText(Number(els.sweepBest.dataset.value))}.`);
    return;
  }
  requestAnimationFrame(guardedSweepFrame);
}

const guardedSweepFrame = () => {
  try {
    sweepFrame();
  } catch (err) {
    endSweep('');
    say(err.message, 'error');
  }
};

function endSweep(note) {
  sweep.running = false;
  els.sweepCancel.hidden = true;
  els.sweepProgress.hidden = true;
  els.sweepButton.disabled = false;
  els.useBest.disabled = !els.sweepBest.dataset.value;
  if (note) els.sweepNote.textContent = note;
}

/** Stops a λ sweep under way (nothing happens without one). */
function cancelSweep(note = 'Sweep cancelled.') {
  if (!sweep.running) return;
  lab.cancelSweep();
  endSweep(note);
}

/** Sets the counting model's smoothing k (the slider, the number, the floor, the heatmap). */
function setSmoothing(k) {
  view.k = k;
  els.smoothing.value = String(k);
  els.smoothingNumber.value = String(k);
  els.smoothingNumber.setAttribute('aria-invalid', 'false');
  els.smoothingValue.textContent = String(k);
  setFloor();
  drawHeatmap();
  chart.draw();
}

function useBest() {
  const value = Number(els.sweepBest.dataset.value);
  if (!Number.isFinite(value)) return;
  if (sweep.kind === 'smoothing') {
    setSmoothing(value);
    say(`Smoothing k = ${strengthText(value)}, the best by dev: the heatmap's counting model and the chart's floor use it.`);
    return;
  }
  const error = settings.update('l2', String(value));
  if (error) {
    say(error, 'error');
    return;
  }
  els.l2.value = String(settings.l2);
  lab.l2 = settings.l2;
  afterSteps(true);
  saveView();
  say(`λ = ${strengthText(value)}, the best by dev. Reset and train to reach it from the seed.`);
}

// ---- The PyTorch it equals ----

let lastCode = 0;

/** The program for the current run, at most once a second while training (unless `force`). */
function refreshCode(force = false) {
  const now = performance.now();
  if (!force && loop.running && now - lastCode < 1000) return;
  lastCode = now;
  try {
    els.codeView.textContent = lab.code(els.codeForm.value, settings.seed, settings.lr, settings.sampleCount);
  } catch (err) {
    els.codeView.textContent = `No program: ${err.message}`;
  }
}

async function copyCode() {
  try {
    await navigator.clipboard.writeText(els.codeView.textContent);
    say('Copied the program.');
  } catch (err) {
    say(`The browser would not copy (${err.message}): select the program and copy it by hand.`, 'error');
  }
}

/** Keeps a setting in step with its input; a bad value is marked, explained and not taken. */
// The guided tour runs on a copy of the session (`Lab.copy`): the person's own lab,
// settings, chart, word and view wait in `beforeTour` and come back whole on leaving.
let beforeTour = null;

/** Starts the tour at `stop` (from 1), or moves an open tour there. */
function startTour(stop = 1) {
  if (!tour.active) {
    stopTraining();
    stopWalk();
    cancelSweep('');
    beforeTour = {
      lab,
      settings: settings.snapshot(),
      history: structuredClone(lossHistory.series()), // the history goes on in place
      word: els.word.value,
      view: { ...view },
      selectedRow,
      open: [...document.querySelectorAll('details[open]')],
    };
    lab = lab.copy();
    document.body.dataset.tour = 'true';
  }
  tour.go(stop);
  showStop();
}

/** The settings a stop asks for: the defaults (the lecture's run) under its own. */
function stopSettings(setup) {
  const { trainOn = 'all', lr = DEFAULTS.lr, l2 = DEFAULTS.l2 } = setup;
  return { ...DEFAULTS, stepsPerFrame: settings.stepsPerFrame, sampleCount: settings.sampleCount, trainOn, lr, l2 };
}

/** Sets the page up as the current stop asks, then shows the stop's words. */
function showStop() {
  stopTraining();
  const stop = STOPS[tour.stop - 1];
  const { setup } = stop;
  if (setup.word !== undefined) els.word.value = setup.word;
  const seeded = setup.weights === 'seed'
    || (setup.trainTo && (lab.trainOn !== undefined || lab.contextLength !== 1 || settings.lr !== DEFAULTS.lr));
  if (seeded) {
    settings.restore(stopSettings(setup));
    showSettings();
    applySettings();
    lab.reset(settings.seed);
    showSummary();
    lossHistory.clear();
  }
  if (setup.trainTo && lab.steps < setup.trainTo) {
    // Step by step, so that the chart shows the fall and not one jump.
    while (lab.steps < setup.trainTo) {
      lab.trainFor(settings.lr, 1, 1e9);
      const s = lab.settle();
      lossHistory.append(s.steps, s.loss, s.devLoss);
    }
  }
  if (setup.example !== undefined) selectedRow = setup.example;
  if (setup.heatmap) {
    els.heatMode.value = setup.heatmap;
    view.mode = setup.heatmap;
  }
  if (setup.open) $(setup.open).open = true;
  afterSteps(true);
  let before = null;
  if (setup.step) {
    before = status.loss;
    const report = lastReport;
    lab.trainFor(settings.lr, setup.step, 1e9);
    stepped(report, () => afterSteps(true));
  }
  tourPanel.show({
    stop: tour.stop,
    steps: tour.steps,
    progress: tour.progress,
    title: stop.title,
    paragraphs: stop.text(tourValues(before)),
    look: stop.look,
    try: stop.try,
  });
  highlight(setup);
}

/** What the stops quote, read off the page as it is now. */
function tourValues(before) {
  const value = (el) => Number(el.dataset.value);
  const examples = [...els.table.querySelectorAll('tbody tr')].map((tr) => {
    const chars = [...(tr.dataset.example ?? tr.dataset.bigram ?? '')];
    const x = chars.slice(0, -1).join('');
    const y = chars.at(-1) ?? '';
    return { x, y, xi: vocab.indexOf(x), yi: vocab.indexOf(y) };
  });
  return {
    words: Number(els.summary.dataset.words),
    vocab: vocab.length,
    word: probeWord(),
    lr: settings.lr,
    steps: lab.steps,
    examples,
    p: value($('explorer-p')),
    nll: value($('explorer-nll')),
    wordLoss: value(els.wordLoss),
    loss: value(els.loss),
    floor: value(els.floor),
    before,
  };
}

/** Scrolls to the stop's panel and marks it, and the control it asks for. */
function highlight(setup) {
  for (const el of document.querySelectorAll('.tour-focus, .tour-control')) el.classList.remove('tour-focus', 'tour-control');
  const target = $(setup.panel);
  target?.closest('section')?.classList.add('tour-focus');
  if (setup.control) document.querySelector(`[data-testid="${setup.control}"]`)?.classList.add('tour-control');
  target?.scrollIntoView({ block: 'start' });
}

/** Leaves the tour: the person's own session comes back as it was. */
function leaveTour() {
  if (!tour.active) return;
  stopTraining();
  stopWalk();
  tour.close();
  tourPanel.hide();
  highlight({});
  delete document.body.dataset.tour;
  const kept = beforeTour;
  beforeTour = null;
  lab.free();
  lab = kept.lab;
  settings.restore(kept.settings);
  showSettings();
  els.word.value = kept.word;
  Object.assign(view, kept.view);
  els.heatMode.value = view.mode;
  selectedRow = kept.selectedRow;
  for (const d of document.querySelectorAll('details[open]')) d.open = kept.open.includes(d);
  showSummary();
  lossHistory.restore(kept.history);
  afterSteps(true);
  saveView();
  say(`Tour closed: your own model (step ${lab.steps}) and settings are back as you left them.`);
  els.tourButton.focus();
}

/** Next, or leaving after the last stop. */
function nextStop() {
  if (tour.next()) showStop();
  else leaveTour();
}

function prevStop() {
  if (tour.prev()) showStop();
}

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
  bindSetting('lr', guarded(drawProbe)); // the explorer's step line uses it
  bindSetting('stepsPerFrame');
  bindSetting('sampleCount');
  bindSetting('batchSize', guarded(() => {
    lab.batchSize = settings.batchSize;
    drawProbe();
  }));
  els.trainOn.addEventListener('change', guarded(() => {
    settings.update('trainOn', els.trainOn.value);
    const { changed, refused } = applyTrainOn();
    if (changed) trainingDataChanged();
    if (!refused) {
      say(lab.trainOn === undefined ? 'Training on all the words.'
        : `Training on “${lab.trainOn}” alone, as the lecture's first run: the loss shown and charted is that word's.`);
    }
    saveView();
  }));
  els.walk.addEventListener('change', guarded(() => {
    if (els.walk.checked) {
      stopTraining();
      lab.setWalk(true);
      showPhase(null);
      say('Walking the loop: each Step press does one phase — forward, zero_grad, backward, update.');
    } else {
      lab.setWalk(false);
      showPhase(null);
      drawHeatmap();
      drawProbe();
    }
  }));
  els.gradcheck.addEventListener('click', guarded(checkGradient));
  bindSetting('devPercent', guarded(() => {
    // A held-out share replaces makemore's split; 0 under makemore's split changes nothing.
    if (settings.devPercent > 0 && settings.splitKind !== 'none') {
      settings.update('splitKind', 'none');
      els.splitKind.value = 'none';
    }
    applySplit();
    showSummary();
    afterSteps(true);
  }));
  els.context.addEventListener('change', guarded(() => changeContext('context', els.context)));
  els.encoding.addEventListener('change', guarded(() => changeContext('encoding', els.encoding)));
  els.splitKind.addEventListener('change', guarded(changeSplitKind));
  els.splitSeed.addEventListener('input', guarded(() => {
    settings.update('splitSeed', els.splitSeed.value);
    if (settings.splitKind !== '80-10-10') {
      saveView();
      return;
    }
    try {
      applySplit();
      els.splitSeed.setAttribute('aria-invalid', 'false');
    } catch (err) {
      els.splitSeed.setAttribute('aria-invalid', 'true');
      say(`Split seed: ${err.message}. Keeping seed ${lab.makemoreSplitSeed}.`, 'error');
      settings.update('splitSeed', lab.makemoreSplitSeed ?? DEFAULTS.splitSeed);
      return;
    }
    showSummary();
    afterSteps(true);
    saveView();
  }));
  els.testButton.addEventListener('click', guarded(evaluateTest));
  bindSetting('sweepSteps');
  els.sweepButton.addEventListener('click', guarded(runSweep));
  els.sweepCancel.addEventListener('click', guarded(() => cancelSweep()));
  els.useBest.addEventListener('click', guarded(useBest));
  els.codeForm.addEventListener('change', guarded(() => refreshCode(true)));
  els.codeCopy.addEventListener('click', () => copyCode());
  els.codeData.addEventListener('click', guarded(() => {
    download(new Blob([lab.wordsText()], { type: 'text/plain' }), 'names.txt');
    say('Downloading the data set as names.txt, for the program to read.');
  }));
  els.heatFirst.addEventListener('change', guarded(() => {
    view.first = els.heatFirst.value;
    drawHeatmap();
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
    stopWalk(); // training runs whole steps
    els.train.setAttribute('aria-pressed', 'true');
    els.train.textContent = 'Pause';
    document.body.dataset.training = 'true';
    document.body.dataset.trainer = 'page';
    startWorker();
    if (offload?.usable) handOver();
    loop.start();
  });
  els.step.addEventListener('click', guarded(() => {
    if (els.walk.checked) {
      walkStep();
      return;
    }
    const before = lastReport;
    lab.trainFor(settings.lr, 1, frameBudget.ms);
    stepped(before, () => afterSteps());
  }));
  els.reset.addEventListener('click', guarded(() => {
    lab.reset(settings.seed);
    stopTraining();
    showSummary(); // a split is shuffled again with the seed: its floor changes
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
    stepBase = null; // another word: no Δ to show
    describeProbe(drawProbe());
    if (settings.trainOn === 'word') {
      const { changed } = applyTrainOn(); // a refusal says why and goes back to all
      if (changed) trainingDataChanged();
    }
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
  els.smoothing.addEventListener('input', guarded(() => setSmoothing(Number(els.smoothing.value))));
  els.smoothingNumber.addEventListener('input', guarded(() => {
    const parsed = parseSetting(settings.rules.smoothing, els.smoothingNumber.value);
    if ('error' in parsed) {
      els.smoothingNumber.setAttribute('aria-invalid', 'true');
      say(`${parsed.error} Keeping ${view.k}.`, 'error');
      return;
    }
    if (els.status.dataset.kind === 'error') say('');
    setSmoothing(parsed.value);
  }));
  els.resample.addEventListener('click', guarded(resample));
  els.chartPng.addEventListener('click', guarded(exportChart));
  els.chartLogX.addEventListener('change', guarded(() => chart.setLogX(els.chartLogX.checked)));
  els.tableCsv.addEventListener('click', guarded(exportTable));
  els.importInput.addEventListener('change', () => importModel(els.importInput.files[0]));
  els.npyExport.addEventListener('click', guarded(() => exportNpy('W')));
  els.npyNExport.addEventListener('click', guarded(() => exportNpy('N')));
  els.npyImport.addEventListener('change', () => importNpy(els.npyImport.files[0]));
  els.forget.addEventListener('click', guarded(() => {
    leaveTour(); // what is forgotten is the person's own state, not the tour's copy
    stopTraining();
    cancelSweep('');
    settings.restore(DEFAULTS);
    showSettings();
    applySettings();
    lab.reset(settings.seed);
    showSummary();
    restart();
    saveView(); // the URL too: a reload must not bring the old settings back
    store.forget(); // after restart and saveView, which saved the fresh state: nothing is kept
    showKept(null);
    say('Saved state forgotten: default settings and a new W from the seed.');
  }));
  els.datasetInput.addEventListener('change', () => loadFile(els.datasetInput.files[0]));
  els.tourButton.addEventListener('click', guarded(() => (tour.active ? leaveTour() : startTour(1))));
  $('tour-next').addEventListener('click', guarded(nextStop));
  $('tour-prev').addEventListener('click', guarded(prevStop));
  $('tour-close').addEventListener('click', guarded(leaveTour));

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
    explorer.resized();
    drawHeatmap();
    chart.resize(); // a view change may set another chart height
    chart.draw();
    sweepChart.draw();
  });
}

// In front of a class: the theme, the presentation view and the keyboard shortcuts.
// Each is a data attribute the CSS follows; the canvases read their colours and font
// size from CSS too, so after a change they are drawn again.

const viewEls = {
  present: $('present-button'),
  theme: $('theme-toggle'),
  help: $('shortcuts-help'),
  helpButton: $('shortcuts-button'),
  helpList: $('shortcuts-list'),
  helpClose: $('shortcuts-close'),
};
const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
/** localStorage, or null where the browser refuses it (its getter may throw). */
const browserStorage = () => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};
let themeChoice = loadThemeChoice(browserStorage());
let presenting = false;

/** Draws every canvas again, in the colours and at the sizes now in force. */
function redrawCanvases() {
  paletteChanged();
  if (!lab) return; // nothing drawn yet: the first drawing reads the palette
  // The resize handlers draw the heatmap and the charts at their containers' sizes.
  window.dispatchEvent(new Event('resize'));
  drawProbe(); // the explorer's strips and the backward rows
}

/** Puts the chosen theme (or the system's, on "auto") in force on <html>. */
function applyTheme() {
  document.documentElement.dataset.theme = resolveTheme(themeChoice, darkScheme.matches);
  viewEls.theme.value = themeChoice;
  redrawCanvases();
}

/** Turns the presentation view on or off; the link carries it as ?present=1. */
function setPresenting(on) {
  presenting = on;
  document.body.dataset.present = String(on);
  viewEls.present.setAttribute('aria-pressed', String(on));
  if (lab) saveView();
  redrawCanvases();
}

/** The shortcuts' list, written from the one table of them, and each control's aria-keyshortcuts. */
function showShortcuts() {
  const controls = { train: els.train, step: els.step, reset: els.reset, help: viewEls.helpButton };
  for (const { action, keys, aria, what } of SHORTCUTS) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = keys;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = what;
    viewEls.helpList.append(dt, dd);
    controls[action]?.setAttribute('aria-keyshortcuts', aria);
  }
}

applyTheme();
setPresenting(new URLSearchParams(window.location.search).get('present') === '1');
showShortcuts();
darkScheme.addEventListener('change', () => applyTheme());
viewEls.theme.addEventListener('change', () => {
  themeChoice = parseThemeChoice(viewEls.theme.value);
  const refused = saveThemeChoice(browserStorage(), themeChoice);
  if (refused) say(`The theme applies to this visit only: this browser did not keep it (${refused}).`);
  applyTheme();
});
viewEls.present.addEventListener('click', () => {
  setPresenting(!presenting);
  // Focus then rests on Train, so that Space trains and pauses as the shortcut says.
  if (presenting) els.train.focus();
});
viewEls.helpButton.addEventListener('click', () => viewEls.help.showModal());
viewEls.helpClose.addEventListener('click', () => viewEls.help.close());
document.addEventListener('keydown', (event) => {
  const action = shortcutFor(event, { helpOpen: viewEls.help.open });
  // Outside the tour the arrows scroll the page, and Esc has nothing to leave.
  const touring = tour.active;
  if (action === null || (action === 'leave' && !presenting && !touring)) return;
  if ((action === 'next' || action === 'prev') && !touring) return;
  event.preventDefault(); // Space would scroll the page
  if (action === 'leave') guarded(touring ? leaveTour : () => setPresenting(false))();
  else if (action === 'next') guarded(nextStop)();
  else if (action === 'prev') guarded(prevStop)();
  else if (action === 'help') viewEls.help.showModal();
  else ({ train: els.train, step: els.step, reset: els.reset })[action].click(); // a disabled button ignores it
});

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
  const tourLink = tourFromLink(window.location.search); // before saveView rewrites the URL
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
  wireSavedModels();
  const saved = takeSaved();
  const plan = startupPlan({
    savedView: saved.view,
    model: saved.model ? modelLayer(saved.view) : null,
    modelWord: saved.model ? lab.trainOn : undefined,
    linkTaken: link.taken,
    linkWord: link.word,
  });
  // Saved settings were checked when they were saved; the link's were checked above.
  for (const layer of plan.settings) settings.restore(layer);
  if (plan.word !== undefined) els.word.value = plan.word;
  showSettings();
  const restored = `${lab.contextLength} ${lab.encoding} ${lab.steps}`;
  applySettings();
  showSummary(); // the restored split's held-out words and floor
  if (saved.model && restored !== `${lab.contextLength} ${lab.encoding} ${lab.steps}`) {
    // The link asked for another context: its new W replaced the restored one, whose
    // history is not this W's. The saved model stays as it is, in Saved models.
    if (saved.own) store.leaveSlot();
    say(`The saved model (${storage.describeSlot(saved.slot)}) was not taken: the link (this page's address) asks `
      + `for a ${modelName(lab.contextLength)}, so W is new from the seed. The saved one stays in Saved models.`);
    restart();
  } else if (saved.model) {
    lossHistory.restore(storage.readHistory(saved.model.history));
    say(saved.own
      ? `Welcome back: your model at step ${lab.steps} was restored. Reset starts again from the seed; “Forget saved state” clears what is kept.`
      : `Restored the most recently saved model (${storage.describeSlot(saved.slot)}). This tab keeps its own copy from its `
        + 'first change, apart from the other tab’s; every saved model is in Saved models.');
    afterSteps(true);
  } else {
    restart();
  }
  saving = true;
  showSlots();
  saveView();
  describeProbe(drawProbe());
  for (const c of controls()) c.disabled = false;
  if (link.refused.length) say(`Some of the link's settings were not taken: ${[...new Set(link.refused)].join(' ')}`, 'error');
  if (els.status.textContent === 'Loading…') say('Ready. Type a word, or press Train.');
  if (tourLink?.error) say(`${tourLink.error}; the tour is under “Take the tour”.`, 'error');
  else if (tourLink) startTour(tourLink.stop);
  document.body.dataset.ready = 'true';
  performance.mark('bigram-lab-ready'); // the load benchmark reads this
}

start().catch((err) => say(`Bigram Lab could not start: ${err.message}`, 'error'));
