// The loss chart's figure: the loss history drawn after every settled W (lib/series.js
// keeps it, the LossChart component draws it), the counting floor, the log step axis,
// *Zoom out* while the chart is zoomed in, and *Save chart as PNG*.

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
    const zoomOut = $('chart-zoom-out');
    // Zoom out is there while the chart is zoomed in. When it goes from under the
    // keyboard's focus, the focus goes to the chart's figure, not to the page's top.
    const chart = new LossChart($('loss-chart'), (zoomed) => {
      const focused = document.activeElement === zoomOut;
      zoomOut.hidden = !zoomed;
      if (focused && !zoomed) root.focus();
    });
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
    zoomOut.addEventListener('click', guarded(state, () => chart.resetZoom()));
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
