// The loss chart's figure: the loss history drawn after every settled W (lib/series.js
// keeps it, the LossChart component draws it), the counting floor, the log step axis,
// and *Save chart as PNG*.

import { LossChart } from '../components/lossChart.js';
import { download } from '../lib/exporters.js';
import { finder, guarded, enableWhenReady } from './panel.js';

export class ChartPanel {
  /**
   * @param {HTMLElement} root the chart's figure
   * @param {import('../app/state.js').State} state
   */
  constructor(root, state) {
    const $ = finder(root);
    this.state = state;
    const chart = new LossChart($('loss-chart'));
    this.chart = chart;
    const png = $('chart-png-button');
    const logX = $('chart-logx-toggle');
    const draw = () => chart.draw(state.history.series());
    state.on('w', (detail) => {
      if (detail.views) draw();
    });
    state.on('redraw', draw);
    state.on('data', () => chart.setFloor(state.floor));
    state.on('view', () => chart.draw());
    logX.addEventListener('change', guarded(state, () => chart.setLogX(logX.checked)));
    png.addEventListener('click', guarded(state, () => this.savePng()));
    enableWhenReady(state, [png]);
    window.addEventListener('resize', () => {
      chart.resize(); // a view change may set another chart height
      chart.draw();
    });
  }

  savePng() {
    const { state } = this;
    const steps = state.lab.steps;
    this.chart.toBlob((blob) => {
      if (!blob) {
        state.say('The browser could not make a PNG of the chart.', 'error');
        return;
      }
      download(blob, `bigram-lab-loss-step-${steps}.png`);
      state.say('Saved the loss chart as PNG.');
    });
  }
}
