// Bigram Lab's page: constructs the state, the app's modules and the panels, and
// connects what each panel asks for to what does it. Nothing else happens here: the
// rules are the library's, the state says what changed (app/state.js), and each panel
// draws its own part of the page (docs/architecture.md).

import init from '../pkg/bigram_lab.js';
import { State } from './app/state.js';
import { Model } from './app/model.js';
import { Persist } from './app/persist.js';
import { Trainer } from './app/trainer.js';
import { Files } from './app/files.js';
import { Sweep } from './app/sweep.js';
import { Guide } from './app/tour.js';
import { makeLab, restoreSaved, startFailed } from './app/start.js';
import { tourFromLink } from './lib/tour.js';
import { DEFAULTS } from './lib/settings.js';
import { foldsForLink, greets, loadOpen, saveOpen } from './lib/folds.js';
import { browserStorage } from './lib/theme.js';
import { paletteChanged } from './components/draw.js';
import { showRanges } from './panels/panel.js';
import { StatusPanel } from './panels/status.js';
import { HeaderPanel } from './panels/header.js';
import { TrainingPanel } from './panels/training.js';
import { ExercisesPanel } from './panels/exercises.js';
import { ChartPanel } from './panels/chart.js';
import { ProbePanel } from './panels/probe.js';
import { HeatmapPanel } from './panels/heatmap.js';
import { SamplingPanel } from './panels/sampling.js';
import { DataPanel } from './panels/data.js';
import { ModelPanel } from './panels/model.js';
import { ExplorerPanel } from './panels/explorer.js';
import { SweepPanel } from './panels/sweep.js';
import { CodePanel } from './panels/code.js';
import { TourGuidePanel } from './panels/tour.js';
import { WelcomePanel } from './panels/welcome.js';

/** The element with this id (the page is broken without it). @param {string} id */
const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
};
const state = new State();
new StatusPanel($('status'), state);
const model = new Model(state);
const persist = new Persist(state, model);
const trainer = new Trainer(state, model);
const files = new Files(state, model, persist);
const sweep = new Sweep(state, model);
/** @type {Guide | null} */
let guide = null;
/** @type {TrainingPanel | null} */
let training = null;
new HeaderPanel([$('view-tools'), $('shortcuts-help')], state, {
  tour: () => (guide?.active ? guide.leave() : guide?.start(1)),
  next: () => guide?.next(),
  prev: () => guide?.prev(),
  leave: () => guide?.leave(),
  press: (action) => ({ train: () => trainer.toggle(), step: () => model.step(), reset: () => model.reset() })[action](),
  presented: (on) => on && training?.focusTrain(),
  themed: () => {
    paletteChanged();
    if (!state.lab) return; // nothing drawn yet: the first drawing reads the palette
    window.dispatchEvent(new Event('resize')); // the canvases take their containers' sizes
    model.redraw();
  },
});

async function start() {
  const { rules, link } = makeLab(state, await init());
  const tourLink = tourFromLink(window.location.search); // before the URL is rewritten
  guide = new Guide(state, model, persist, sweep);
  const tour = guide;
  // Folded sections open as this browser kept them, and as the link asks.
  const storage = browserStorage();
  state.open = new Set([...loadOpen(storage), ...foldsForLink(window.location.search, link.taken)]);
  state.on('folds', () => state.touring || saveOpen(storage, state.open));
  new WelcomePanel($('welcome'), state, { tour: () => tour.start(1), storage: () => storage },
    greets(window.location.search, storage, Object.keys(DEFAULTS)));
  training = new TrainingPanel([$('training-panel'), $('settings-panel')], state, {
    train: () => trainer.toggle(),
    step: () => model.step(),
    reset: () => model.reset(),
    resample: () => model.resample(),
    walk: (on) => model.setWalk(on),
    trainOn: (value) => {
      model.changeTrainOn(value);
      state.emit('settings', { typed: 'trainOn' });
    },
    setting: (key) => model.settingChanged(key),
  });
  new ExercisesPanel($('exercises-panel'), state, {
    context: (key, value) => model.changeContext(key, value, () => persist.refusalNote()),
    splitKind: (value) => model.changeSplitKind(value),
    splitSeed: (text) => model.splitSeedChanged(text),
    test: () => state.lab.testLoss(),
  });
  new ChartPanel($('chart-panel'), state);
  new ProbePanel($('probe-panel'), state, {
    word: (text) => {
      state.word = text;
      model.wordChanged();
    },
    pick: (row) => {
      state.selectedRow = row;
      state.emit('word');
    },
  });
  const heatmap = new HeatmapPanel($('heatmap-panel'), state, { smoothing: (k) => model.setSmoothing(k) });
  new SamplingPanel($('sampling-panel'), state, { sample: () => model.sample() });
  new DataPanel($('data-panel'), state, { load: (file) => files.loadWords(persist.naming(file)) });
  new ModelPanel($('model-panel'), state, {
    exportModel: () => files.exportModel(),
    importModel: (file) => files.importModel(file),
    exportNpy: (which) => files.exportNpy(which),
    importNpy: (file) => files.importNpy(file),
    forget: () => persist.forget(() => tour.leave()),
    restore: (id) => persist.restoreSlot(id),
  });
  new ExplorerPanel($('explorer-panel'), state, { step: () => model.step() });
  new SweepPanel($('sweep-panel'), state, {
    run: (kind) => sweep.run(kind),
    cancel: () => sweep.cancel(),
    useBest: () => sweep.useBest(),
  });
  new CodePanel($('code-panel'), state, { downloadWords: () => files.downloadWords() });
  new TourGuidePanel($('tour-panel'), state, { next: () => tour.next(), prev: () => tour.prev(), leave: () => tour.leave() });
  const inputs = Object.fromEntries([...document.querySelectorAll('input[data-setting]')].map((el) => [/** @type {HTMLInputElement} */ (el).dataset.setting, el]));
  showRanges(rules, { ...inputs, ...heatmap.ranges() });
  if (tourLink && 'error' in tourLink) state.say(`${tourLink.error}; the tour is under “Take the tour”.`, 'error');
  restoreSaved(state, model, persist, link);
  if (tourLink && 'stop' in tourLink) tour.start(tourLink.stop);
  document.body.dataset.ready = 'true';
  performance.mark('bigram-lab-ready'); // the load benchmark reads this
}

start().catch((err) => startFailed(state, err));
