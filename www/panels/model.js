// The Model part of its panel: export and import (JSON, and W or N as NumPy's .npy),
// *Forget saved state*, and the saved models of every tab with Restore.

import { finder, guarded, enableWhenReady } from './panel.js';

export class ModelPanel {
  /**
   * @param {HTMLElement} root the panel's part of its section
   * @param {import('../app/state.js').State} state
   * @param {{exportModel: () => void, importModel: (file: File) => Promise<void>, exportNpy: (which: 'W' | 'N') => void,
   *   importNpy: (file: File) => Promise<void>, forget: () => void, restore: (id: string) => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    const els = {
      exportButton: $('export-button'), importInput: $('import-input'), forget: $('forget-button'),
      npyExport: $('npy-export-button'), npyNExport: $('npy-n-export-button'), npyImport: $('npy-import-input'),
      select: $('saved-models-select'), restore: $('saved-models-restore'), note: $('saved-models-note'), notice: $('tabs-notice'),
    };
    /** @param {HTMLInputElement} input @param {(file: File) => Promise<void>} take */
    const fileInput = (input, take) => input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (file) await take(file);
      input.value = '';
    });
    els.exportButton.addEventListener('click', guarded(state, actions.exportModel));
    fileInput(els.importInput, actions.importModel);
    els.npyExport.addEventListener('click', guarded(state, () => actions.exportNpy('W')));
    els.npyNExport.addEventListener('click', guarded(state, () => actions.exportNpy('N')));
    fileInput(els.npyImport, actions.importNpy);
    els.forget.addEventListener('click', guarded(state, () => {
      // Other tabs' models go too: ask first (this tab's own alone goes at once).
      const others = state.kept.slots.filter((m) => !m.own).length;
      const question = `Forget saved state removes every saved model in this browser: ${others === 1 ? 'one other' : `${others} others`} `
        + 'besides this tab\'s own (other tabs\', or this tab\'s earlier ones), and the settings kept. Forget them all?';
      if (others && !window.confirm(question)) {
        state.say('Nothing was forgotten: every saved model stays.');
        return;
      }
      actions.forget();
    }));
    els.restore.addEventListener('click', guarded(state, () => actions.restore(els.select.value)));
    enableWhenReady(state, [els.exportButton, els.importInput, els.forget, els.npyExport, els.npyNExport, els.npyImport]);
    state.on('kept', () => {
      const { kind, note, slots, notice } = state.kept;
      els.note.dataset.kind = kind;
      els.note.textContent = note;
      if (notice) {
        els.notice.textContent = notice;
        els.notice.hidden = false;
      }
      // The list: every slot, newest first (options updated in place if the same).
      const { select } = els;
      const same = slots.length === select.options.length && slots.every((m, i) => select.options[i].value === m.id);
      if (!same) {
        const keep = select.value;
        select.replaceChildren(...slots.map((m) => new Option('', m.id)));
        if (slots.some((m) => m.id === keep)) select.value = keep;
      }
      if (select.selectedIndex < 0 && slots.length) select.selectedIndex = 0;
      slots.forEach((m, i) => {
        const option = select.options[i];
        option.textContent = m.text;
        option.dataset.steps = String(m.steps);
        option.dataset.own = String(m.own);
      });
      select.disabled = slots.length === 0;
      els.restore.disabled = slots.length === 0;
    });
  }
}
