// Tuning on dev (E03): the sweep's kind and steps, Run and Cancel, its progress, the
// chart and table of train and dev loss against the strength, the best by dev and
// *Use the best*. It draws `state.sweep`.

import { SweepChart } from '../components/sweepChart.js';
import { strengthText } from '../lib/format.js';
import { finder, guarded, settingInputs } from './panel.js';

export class SweepPanel {
  /**
   * @param {HTMLElement} root the panel's section
   * @param {import('../app/state.js').State} state
   * @param {{run: (kind: string) => void, cancel: () => void, useBest: () => void}} actions
   */
  constructor(root, state, actions) {
    const $ = finder(root);
    this.state = state;
    this.els = {
      kind: $('sweep-kind'), run: $('sweep-button'), cancel: $('sweep-cancel'), progress: $('sweep-progress'),
      note: $('sweep-note'), results: $('sweep-results'), best: $('sweep-best'), useBest: $('use-best-button'),
    };
    const { els } = this;
    this.chart = new SweepChart($('sweep-chart'));
    settingInputs(state, { sweepSteps: $('sweep-steps-input') });
    els.run.addEventListener('click', guarded(state, () => actions.run(els.kind.value)));
    els.cancel.addEventListener('click', guarded(state, actions.cancel));
    els.useBest.addEventListener('click', guarded(state, actions.useBest));
    state.on('ready', () => {
      els.run.disabled = !state.usable || state.sweep.running;
    });
    state.on('sweep', () => this.draw());
    window.addEventListener('resize', () => this.chart.draw());
  }

  draw() {
    const { els, state } = this;
    const { kind, points, best, running, note, progress } = state.sweep;
    const name = kind === 'l2' ? 'λ' : 'smoothing k';
    els.results.tBodies[0].replaceChildren(...points.map((p, i) => {
      const tr = document.createElement('tr');
      tr.classList.toggle('best', i === best);
      for (const text of [strengthText(p.value), p.train.toFixed(4), p.dev.toFixed(4)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
    els.results.dataset.points = JSON.stringify(points.map(({ value, train, dev }) => ({ value, train, dev })));
    if (kind) els.results.dataset.kind = kind;
    if (best >= 0) {
      const p = points[best];
      els.best.dataset.value = String(p.value);
      els.best.textContent = `${name} = ${strengthText(p.value)} (dev ${p.dev.toFixed(4)}, train ${p.train.toFixed(4)})`;
    } else {
      delete els.best.dataset.value;
      els.best.textContent = '–';
    }
    els.useBest.disabled = best < 0 || running;
    els.cancel.hidden = !running;
    els.progress.hidden = progress === null;
    if (progress !== null) els.progress.value = progress;
    els.run.disabled = running || !state.usable;
    els.note.textContent = note;
    this.chart.draw(points, name, best);
  }
}
