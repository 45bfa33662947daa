// The data set: its summary, a word list loaded with the file picker or dropped on the
// panel (read in pieces, with a progress bar when it takes more than a blink).

import { finder, enableWhenReady, showText } from './panel.js';

export class DataPanel {
  /**
   * @param {HTMLElement} root the panel's part of its section
   * @param {import('../app/state.js').State} state
   * @param {{load: (file: File | undefined) => Promise<void>}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    const input = $('dataset-input');
    const dropZone = $('drop-zone');
    const progress = $('load-progress');
    const summary = $('dataset-summary');
    input.addEventListener('change', async () => {
      await actions.load(input.files[0]);
      input.value = ''; // so that choosing the same file again loads it again
    });
    // Drop a file on the data panel; anywhere else, keep the browser from opening it.
    for (const type of ['dragover', 'drop']) {
      window.addEventListener(type, (e) => e.preventDefault());
    }
    dropZone.addEventListener('dragover', () => dropZone.classList.add('over'));
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
    dropZone.addEventListener('drop', (/** @type {DragEvent} */ e) => {
      dropZone.classList.remove('over');
      actions.load(e.dataTransfer?.files[0]);
    });
    enableWhenReady(state, [input]);
    state.on('ready', (detail) => {
      progress.hidden = detail.progress == null;
      if (detail.progress != null) progress.value = detail.progress;
    });
    state.on('data', () => {
      const s = state.summary;
      summary.dataset.words = String(s.words);
      summary.dataset.bigrams = String(s.bigrams);
      summary.dataset.vocab = String(state.vocab.length);
      summary.dataset.devWords = String(s.dev_words);
      summary.dataset.testWords = String(s.test_words);
      summary.dataset.examples = String(s.examples);
      showText(summary, state.summaryText);
    });
  }
}
