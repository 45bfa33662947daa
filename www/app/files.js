// Files in and out: a word list read in pieces, the model as JSON, W and N as NumPy's
// .npy. Every file that comes in is taken whole by the session or refused, changing
// nothing; the page says which.

import { Loader, maxFileBytes } from '../../pkg/bigram_lab.js';
import { download } from '../lib/exporters.js';
import { errorText, isolate } from '../lib/format.js';

/** Large files are read in pieces of this size, yielding to the page in between. */
const CHUNK_BYTES = 1 << 20;

const nextFrame = () => new Promise((resolve) => {
  requestAnimationFrame(resolve);
});

export class Files {
  /**
   * @param {import('./state.js').State} state
   * @param {import('./model.js').Model} model
   * @param {import('./persist.js').Persist} persist
   */
  constructor(state, model, persist) {
    this.state = state;
    this.model = model;
    this.persist = persist;
  }

  /**
   * Reads the file a slice at a time, so that neither the whole file nor a long parse
   * holds the page; the progress shows (`ready` events) when it takes more than a blink.
   * @param {File} file
   */
  async readWords(file) {
    const loader = new Loader();
    try {
      let slice = performance.now();
      for (let at = 0; at < file.size; at += CHUNK_BYTES) {
        const chunk = new Uint8Array(await file.slice(at, at + CHUNK_BYTES).arrayBuffer());
        loader.push(chunk);
        if (performance.now() - slice > 50) {
          this.state.emit('ready', { progress: (at + chunk.length) / file.size });
          await nextFrame();
          slice = performance.now();
        }
      }
      return loader;
    } catch (err) {
      loader.free();
      throw err;
    }
  }

  /**
   * Loads a word list: a new data set and a new W from the seed, or nothing changes.
   * @param {File | undefined} file
   */
  async loadWords(file) {
    const { state, model } = this;
    if (!file) return;
    if (state.loading) {
      state.say(`Still loading the previous file; “${isolate(file.name)}” was not loaded.`, 'error');
      return;
    }
    if (file.size > maxFileBytes()) {
      state.say(`Could not load “${isolate(file.name)}”: it is larger than ${maxFileBytes() >> 20} MiB. The current data set is unchanged.`, 'error');
      return;
    }
    model.stopTraining();
    state.loading = true;
    state.emit('ready', { progress: null });
    try {
      state.lab.loadFrom(await this.readWords(file), state.settings.seed);
      if (state.settings.trainOn === 'word' && state.lab.trainOn === undefined) {
        // The word trained on has characters the new list does not: train on all of it.
        state.settings.update('trainOn', 'all');
        state.emit('settings');
      }
      state.dataName = file.name;
      model.dataChanged({ newWords: true });
      model.restart();
      state.say(`Loaded “${isolate(file.name)}”: ${state.summaryText}. New W from the seed.`);
      if (state.touring) state.tourDropped.push(`the word list “${isolate(file.name)}”`);
    } catch (err) {
      state.say(`Could not load “${isolate(file.name)}”: ${errorText(err)}. The current data set is unchanged.`, 'error');
    } finally {
      state.loading = false;
      state.emit('ready', { progress: null });
    }
  }

  /** Downloads the model and settings as JSON. */
  exportModel() {
    const { lab, settings } = this.state;
    const file = { ...lab.exportModel(), settings: settings.snapshot() };
    download(new Blob([JSON.stringify(file)], { type: 'application/json' }), `bigram-lab-step-${lab.steps}.json`);
    this.state.say(`Exported the model at step ${lab.steps}.`);
  }

  /**
   * Takes an exported model file whole, or refuses it and nothing changes.
   * @param {File | undefined} file
   */
  async importModel(file) {
    const { state, model } = this;
    if (!file) return;
    model.stopTraining();
    let refused;
    try {
      let parsed;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new Error('not a Bigram Lab model file (not JSON)');
      }
      refused = model.adopt(parsed);
    } catch (err) {
      // Only what the session refused before taking anything: "Nothing changed" is true.
      state.say(`Could not import “${isolate(file.name)}”: ${errorText(err)}. Nothing changed.`, 'error');
      return;
    }
    // Taken: whatever fails from here on is said as it is, never as "Nothing changed".
    this.persist.saveView();
    model.restart();
    const note = refused.length ? ` Some settings were not taken: ${refused.join(' ')}` : '';
    state.say(`Imported “${isolate(file.name)}”: step ${state.lab.steps}.${note}`);
    if (state.touring) state.tourDropped.push(`the model “${isolate(file.name)}”`);
  }

  /**
   * Downloads `W.npy` (float32) or `N.npy` (int32): what `np.load` reads in a notebook.
   * @param {'W' | 'N'} which
   */
  exportNpy(which) {
    const { lab } = this.state;
    const bytes = which === 'W' ? lab.exportWNpy() : lab.exportNNpy();
    download(new Blob([bytes], { type: 'application/octet-stream' }), `${which}.npy`);
    this.state.say(which === 'W'
      ? `Exported W at step ${lab.steps} as W.npy (float32): np.load('W.npy') gives these numbers exactly.`
      : 'Exported the training words\' counts as N.npy (int32, one row per context).');
  }

  /**
   * Takes W from a .npy file (a notebook's `np.save`). The session checks the dtype,
   * order and shape and refuses anything else, changing nothing; taken, the step count
   * starts again from 0 and the chart with it. No more of the file is read than a W of
   * this shape can take (and one byte, so that a longer file is refused, not cut).
   * @param {File | undefined} file
   */
  async importNpy(file) {
    const { state, model } = this;
    if (!file) return;
    model.stopTraining();
    try {
      const bytes = new Uint8Array(await file.slice(0, state.lab.maxWNpyBytes + 1).arrayBuffer());
      state.lab.importWNpy(bytes);
    } catch (err) {
      state.say(`Could not import “${isolate(file.name)}”: ${errorText(err)}. Nothing changed.`, 'error');
      return;
    }
    model.restart();
    state.say(`Imported W from “${isolate(file.name)}”: loss ${state.status.loss.toFixed(4)}; the step count starts again from 0.`);
    if (state.touring) state.tourDropped.push(`W from “${isolate(file.name)}”`);
  }

  /** The data set as names.txt, for the PyTorch program to read. */
  downloadWords() {
    download(new Blob([this.state.lab.wordsText()], { type: 'text/plain' }), 'names.txt');
    this.state.say('Downloading the data set as names.txt, for the program to read.');
  }
}
