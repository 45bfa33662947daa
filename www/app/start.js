// Start-up: the module loaded, the settings made from the library's rules, then, in
// order, the defaults, the saved view, the saved model's own settings and the link's
// (lib/settings.js's `startupPlan`), the saved model restored if it fits them, and the
// first drawing.

import { Lab, settingRules } from '../../pkg/bigram_lab.js';
import { DEFAULTS, Settings, fromQuery, linkConflicts, modelName, startupPlan } from '../lib/settings.js';
import * as storage from '../lib/storage.js';
import { reach } from '../lib/saved.js';
import { errorText } from '../lib/format.js';

/**
 * The link's settings, each checked on its own.
 * @returns {{refused: string[], taken: Record<string, any>, word: string | undefined}}
 * @param {any[]} rules
 */
function readLink(rules) {
  const query = fromQuery(window.location.search, ['word']);
  const scratch = new Settings(rules);
  const refused = [];
  /** @type {Record<string, any>} */
  const taken = {};
  // The seeds last: what the net is trained with is said first.
  const entries = Object.entries(query.settings).sort(([a], [b]) => Number(/seed/i.test(a)) - Number(/seed/i.test(b)));
  for (const [key, value] of entries) {
    const error = scratch.update(key, value);
    if (error) refused.push(error);
    else taken[key] = scratch.byKey()[key];
  }
  refused.push(...linkConflicts(taken));
  return { refused, taken, word: query.extra.word };
}

/**
 * Makes the lab the link and the defaults ask for, once the module has loaded.
 * @param {import('./state.js').State} state
 * @param {{memory: WebAssembly.Memory}} wasm the loaded module
 * @returns {{rules: any[], link: ReturnType<typeof readLink>}}
 */
export function makeLab(state, wasm) {
  state.memory = wasm.memory;
  const rules = settingRules();
  state.settings = new Settings(rules);
  const link = readLink(rules);
  // A link's settings make the first W too, so that the link reproduces the view.
  state.settings.restore(link.taken);
  try {
    state.lab = new Lab(undefined, state.settings.seed, state.settings.l2);
  } catch (err) {
    link.refused.push(errorText(err));
    delete link.taken.seed; // refused by the library
    state.settings.update('seed', DEFAULTS.seed);
    state.lab = new Lab(undefined, state.settings.seed, state.settings.l2);
  }
  return { rules, link };
}

/**
 * Takes what the browser kept and what the link says, then draws the first state.
 * @param {import('./state.js').State} state
 * @param {import('./model.js').Model} model
 * @param {import('./persist.js').Persist} persist
 * @param {ReturnType<typeof readLink>} link
 */
export function restoreSaved(state, model, persist, link) {
  const { lab, settings } = state;
  model.dataChanged();
  const saved = persist.takeSaved();
  const plan = startupPlan({
    savedView: saved.view,
    model: saved.model ? persist.modelLayer(saved.view) : null,
    modelWord: saved.model ? lab.trainOn : undefined,
    linkTaken: link.taken,
    linkWord: link.word,
  });
  // Saved settings were checked when they were saved; the link's were checked above.
  for (const layer of plan.settings) settings.restore(layer);
  if (plan.word !== undefined) state.word = plan.word;
  state.emit('settings');
  const restored = `${lab.contextLength} ${lab.encoding} ${lab.steps}`;
  model.applySettings();
  model.dataChanged(); // the restored split's held-out words and floor
  if (saved.model && restored !== `${lab.contextLength} ${lab.encoding} ${lab.steps}`) {
    // The link asked for another context: its new W replaced the restored one, whose
    // history is not this W's. The saved model stays as it is, in Saved models.
    if (saved.own) persist.store.leaveSlot();
    state.say(`The saved model (${storage.describeSlot(saved.slot)}) was not taken: the link (this page's address) asks `
      + `for a ${modelName(lab.contextLength)}, so W is new from the seed. The saved one stays in Saved models.`);
    model.restart();
  } else if (saved.model) {
    state.history.restore(storage.readHistory(saved.model.history));
    state.say(saved.own
      ? `Welcome back: your model at step ${lab.steps} was restored. Reset starts again from the seed; “Forget saved state” clears what is kept.`
      : `Restored the most recently saved model (${storage.describeSlot(saved.slot)}). This tab keeps its own copy from its `
        + 'first change, apart from the other tab’s; every saved model is in Saved models.');
    model.settle({ force: true });
  } else {
    model.restart();
  }
  persist.saving = true;
  persist.dirty = false; // what was restored is what is kept: leaving the page adds no slot
  persist.started = true;
  persist.listSlots();
  persist.saveView();
  model.readReport();
  state.emit('word', { typed: true, startup: true });
  if (link.refused.length) state.say(`Some of the link's settings were not taken: ${[...new Set(link.refused)].join(' ')}`, 'error');
  if (state.message.text === 'Loading…') state.say('Ready. Type a word, or press Train.');
  state.started = true;
  state.emit('ready', { progress: null });
}

/**
 * Start-up failed anyway: say so and what to do, and make *Forget saved state* work
 * without the app (it clears every key of the page in this browser and reloads it
 * without the link's settings), since what was kept may be why.
 * @param {import('./state.js').State} state
 * @param {unknown} err
 */
export function startFailed(state, err) {
  state.say(`Bigram Lab could not start: ${errorText(err)}. “Forget saved state” clears what this browser keeps for the page `
    + 'and reloads it; if the page still cannot start, this browser may not run WebAssembly.', 'error');
  const forget = document.querySelector('[data-testid="forget-button"]');
  if (!(forget instanceof HTMLButtonElement)) return;
  forget.disabled = false;
  forget.addEventListener('click', (event) => {
    event.stopImmediatePropagation(); // the Model panel's own Forget needs the app that did not start
    storage.forgetAll(reach('localStorage'));
    window.location.replace(window.location.pathname);
  }, { capture: true });
}
