// The settings the session uses (λ, batch size, context, split, Train on), the probe's
// word, and models taken from files or saved slots: each handed to the lab, whose session
// holds every rule, then settled by app/run.js. Nothing here touches the page's elements.

import { DEFAULTS, effectiveEncoding, modelName, normaliseWord } from '../lib/settings.js';
import { errorText, isolate } from '../lib/format.js';
import { Run } from './run.js';

/**
 * The settings the lab keeps, each with how it is handed over and whether the loss
 * changes with it (λ: the same W, another loss; the batch size: only later steps). The
 * one list of them: a typed value, a start-up, the tour, Forget and an import all hand
 * these and only these.
 * @type {Record<string, {hand: (lab: any, value: any) => void, settles: boolean}>}
 */
const LAB_SETTINGS = {
  l2: { hand: (lab, value) => { lab.l2 = value; }, settles: true },
  batchSize: { hand: (lab, value) => { lab.batchSize = value; }, settles: false },
};

export class Model extends Run {

  /** The probe's word as the model takes it: what *Train on: word* trains on. */
  probeWord() {
    return normaliseWord(this.state.word, this.lab.vocabIsLowercase).word;
  }

  /**
   * Hands the *Train on* choice to the Lab: all the training words, or the probe's word
   * alone. A word the library refuses is explained and training goes back to all.
   * @returns {{changed: boolean, refused: boolean}} whether the training data changed
   */
  applyTrainOn() {
    const { lab, settings, state } = this;
    const want = settings.trainOn === 'word' ? this.probeWord() : undefined;
    if (lab.trainOn === want) return { changed: false, refused: false };
    try {
      lab.setTrainOn(want);
      return { changed: true, refused: false };
    } catch (err) {
      settings.update('trainOn', 'all');
      state.emit('settings');
      const changed = lab.trainOn !== undefined;
      if (changed) lab.setTrainOn(undefined);
      state.say(`Train on the word: ${errorText(err)}. Training on all the words instead.`, 'error');
      return { changed, refused: true };
    }
  }

  /** After the training data changed: its floor, loss and chart point. */
  trainingDataChanged() {
    this.state.floor = this.lab.countLoss(this.state.view.k);
    this.state.emit('data');
    this.settle({ force: true }); // the same W, another loss: the chart's last point is replaced
  }

  /**
   * *Train on* changed.
   * @param {string} value
   */
  changeTrainOn(value) {
    this.settings.update('trainOn', value);
    const { changed, refused } = this.applyTrainOn();
    if (changed) this.trainingDataChanged();
    if (!refused) {
      this.state.say(this.lab.trainOn === undefined ? 'Training on all the words.'
        : `Training on “${isolate(this.lab.trainOn)}” alone, as the lecture's first run: the loss shown and charted is that word's.`);
    }
  }

  /** The probe's word changed: the word table follows, and so does *Train on: word*. */
  wordChanged() {
    this.state.stepBase = null; // another word: no Δ to show
    this.readReport();
    this.state.emit('word', { typed: true });
    if (this.settings.trainOn === 'word') {
      const { changed } = this.applyTrainOn(); // a refusal says why and goes back to all
      if (changed) this.trainingDataChanged();
    }
  }

  /**
   * A setting was typed: what it changes beyond itself. A setting the lab keeps is
   * handed to it, then the session settles (if the loss changes with it) or the views
   * are drawn again; the learning rate is drawn in the explorer's step line.
   * @param {string} key
   */
  settingChanged(key) {
    const kept = LAB_SETTINGS[key];
    if (kept) {
      kept.hand(this.lab, this.settings.byKey()[key]);
      if (kept.settles) this.settle({ force: true });
      else this.redraw();
    } else if (key === 'devPercent') {
      this.devPercentChanged();
    } else if (key === 'lr') {
      this.redraw();
    } else if (key === 'seed') {
      // The seed makes the next W: the current one stays until Reset (or Resample).
      this.state.say(`Seed ${this.settings.seed} makes the next W: press Reset to start from it (W stays as it is until then).`);
    }
  }

  /** Hands every setting the lab keeps to it, as the settings have them now. */
  handSettings() {
    for (const [key, { hand }] of Object.entries(LAB_SETTINGS)) hand(this.lab, this.settings.byKey()[key]);
  }

  /** Hands every setting the model uses to the Lab (after a restore or Forget). */
  applySettings() {
    const { lab, settings, state } = this;
    this.handSettings();
    try {
      this.applyContext();
    } catch (err) {
      settings.update('context', String(lab.contextLength));
      settings.update('encoding', lab.encoding);
      state.emit('settings');
      state.say(`Context: ${errorText(err)}. Keeping ${modelName(lab.contextLength)}.`, 'error');
    }
    try {
      this.applySplit();
    } catch (err) {
      settings.update('splitKind', 'none');
      state.emit('settings');
      state.say(`Split: ${errorText(err)}.`, 'error');
    }
    if (this.applyTrainOn().changed) {
      state.floor = lab.countLoss(state.view.k);
      state.emit('data');
    }
  }

  /**
   * Hands the context setting to the Lab when it differs: a new W of the context's shape
   * from the seed (it throws, changing nothing, if the net would not fit).
   * @returns {boolean} whether W was replaced
   */
  applyContext() {
    const len = Number(this.settings.context);
    const encoding = effectiveEncoding(this.settings);
    if (this.lab.contextLength === len && this.lab.encoding === encoding) return false;
    this.lab.setContext(len, encoding, this.settings.seed);
    return true;
  }

  /** Hands the split settings to the Lab: makemore's 80/10/10, or the held-out % (or none). */
  applySplit() {
    const { lab, settings } = this;
    if (settings.splitKind === '80-10-10') {
      if (settings.devPercent !== 0) settings.update('devPercent', '0');
      if (lab.makemoreSplitSeed !== settings.splitSeed) lab.setMakemoreSplit(settings.splitSeed);
      return;
    }
    if (lab.makemoreSplitSeed !== undefined) lab.setMakemoreSplit(undefined);
    // Reshuffle only for a new share: a split made with another seed stays as trained.
    if (lab.splitPercent !== settings.devPercent) lab.setSplit(settings.devPercent, settings.seed);
  }

  /**
   * The context or the encoding changed: a new W of the context's shape.
   * @param {'context' | 'encoding'} key
   * @param {string} value
   * @param {() => string | null} keptNote why this tab's W is not kept, if it is not
   */
  changeContext(key, value, keptNote) {
    const { lab, settings, state } = this;
    const before = { len: lab.contextLength, encoding: lab.encoding, floor: lab.countLoss(state.view.k) };
    const error = settings.update(key, value);
    if (error) {
      state.say(error, 'error');
      state.emit('settings');
      return;
    }
    this.stopTraining();
    this.stopWalk();
    try {
      if (!this.applyContext()) {
        state.emit('settings');
        return;
      }
    } catch (err) {
      settings.update('context', String(before.len));
      settings.update('encoding', before.encoding);
      state.emit('settings');
      state.say(`${errorText(err)}. The context stays ${modelName(before.len)}.`, 'error');
      return;
    }
    this.cancelSweep('The context changed: the sweep stopped.');
    const after = lab.countLoss(state.view.k); // before the redraw: it may grow wasm memory
    state.emit('settings');
    this.dataChanged();
    this.restart();
    const v = state.vocab.length;
    const len = lab.contextLength;
    const shape = lab.encoding === 'concat' ? `${len * v}×${v} (one one-hot per character, side by side)`
      : `${v ** len}×${v} (one one-hot over the ${v ** len} contexts)`;
    const what = len === before.len
      ? `${modelName(len)}, another encoding: the counting floor stays ${after.toFixed(3)}`
      : `${modelName(len)}: counting floor ${after.toFixed(3)} vs ${modelName(before.len)} ${before.floor.toFixed(3)}`;
    // A W too large to keep was refused while restarting: say it here too, not only before.
    const kept = keptNote();
    state.say(`${what}. New W of ${shape} from seed ${settings.seed}.${kept ? ` ${kept}` : ''}`, kept ? 'error' : 'info');
  }

  /**
   * The split select changed: makemore's 80/10/10 (the held-out % goes to 0), or none.
   * @param {string} value
   */
  changeSplitKind(value) {
    const { lab, settings, state } = this;
    settings.update('splitKind', value);
    if (settings.splitKind === '80-10-10') settings.update('devPercent', '0');
    try {
      this.applySplit();
    } catch (err) {
      settings.update('splitKind', 'none');
      this.applySplit();
      state.say(`makemore's split: ${errorText(err)}. No split.`, 'error');
    }
    state.emit('settings');
    this.dataChanged();
    this.settle({ force: true });
    const s = lab.summary();
    if (settings.splitKind === '80-10-10') {
      state.say(`makemore's split with seed ${lab.makemoreSplitSeed}: ${s.words - s.dev_words - s.test_words} training words, `
        + `${s.dev_words} dev, ${s.test_words} test. The chart shows train and dev.`);
    }
  }

  /** The held-out % changed: it replaces makemore's split (0 under makemore's split changes nothing). */
  devPercentChanged() {
    if (this.settings.devPercent > 0 && this.settings.splitKind !== 'none') {
      this.settings.update('splitKind', 'none');
      this.state.emit('settings');
    }
    this.applySplit();
    this.dataChanged();
    this.settle({ force: true });
  }

  /**
   * The split seed was typed: makemore's split is made again with it (if chosen).
   * @returns {boolean} whether the seed was refused
   * @param {string} text
   */
  splitSeedChanged(text) {
    const { lab, settings, state } = this;
    const error = settings.update('splitSeed', text);
    if (error) {
      state.say(`${error} Keeping seed ${settings.splitSeed}.`, 'error');
      return true;
    }
    if (settings.splitKind !== '80-10-10') return false;
    try {
      this.applySplit();
    } catch (err) {
      state.say(`Split seed: ${errorText(err)}. Keeping seed ${lab.makemoreSplitSeed}.`, 'error');
      settings.update('splitSeed', lab.makemoreSplitSeed ?? DEFAULTS.splitSeed);
      return true;
    }
    this.dataChanged();
    this.settle({ force: true });
    return false;
  }

  /** The Lab's context and split as settings: what a restored or imported model carries. */
  labLayer() {
    const { lab } = this;
    const seed = lab.makemoreSplitSeed;
    /** @type {Record<string, string | number>} */
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
   * Takes an exported model file: the session checks and takes the model whole (or
   * refuses it, changing nothing); then the file's settings that parse, with the model's
   * own λ and split, which its weights were trained with. Nothing after the import can
   * fail: the settings were checked against the same rules the session uses.
   * @returns {string[]} settings of the file that were not taken
   * @param {any} file
   */
  adopt(file) {
    const { lab, settings, state } = this;
    // A file of any JSON: the library says what it is not (null, a number, another object).
    const model = file?.model ?? file;
    lab.importModel(model);
    // The model's own Train on wins: its word becomes the probe's.
    const trainOn = lab.trainOn === undefined ? 'all' : 'word';
    const refused = settings.restore({ ...file?.settings, ...this.labLayer(), l2: model.l2, trainOn });
    if (lab.trainOn !== undefined) state.word = lab.trainOn;
    this.handSettings(); // λ is the file's own, now the settings' too
    state.emit('settings');
    this.readReport();
    state.emit('word');
    this.dataChanged(); // the model's split: held-out words and floor
    return refused;
  }
}
