// The Training panel: the readouts (step, loss, dev loss, the counting floor), Train,
// Step, Reset and Resample, the settings a run uses, and *Walk the loop*. It draws from
// the state and hands the person's presses to `actions`.

import { finder, guarded, settingInputs, enableWhenReady, bindFolds, setNumber } from './panel.js';
import { SHORTCUTS } from '../lib/shortcuts.js';

/** While training, the loss is announced to screen readers at most this often. */
const ANNOUNCE_EVERY_MS = 5000;

/**
 * What each phase of *Walk the loop* did, in a sentence.
 * @type {Record<string, (loss: number) => string>}
 */
const WALK_TEXT = {
  forward: (loss) => `— the loss of this step's examples is ${loss.toFixed(4)}; their probabilities are computed.`,
  zero_grad: () => '— W.grad cleared: the heatmap in W.grad mode shows zeros.',
  backward: () => '— W.grad appears, filled by backpropagation (see the heatmap in W.grad mode).',
  update: () => '— W moves by −lr·W.grad, one step counted; the loss is recomputed.',
};

export class TrainingPanel {
  /**
   * @param {HTMLElement[]} roots the loop's section (readouts, buttons) and the settings' section
   * @param {import('../app/state.js').State} state
   * @param {{train: () => void, step: () => void, reset: () => void, resample: () => void,
   *   walk: (on: boolean) => void, trainOn: (value: string) => void,
   *   setting: (key: string) => void}} actions
   */
  constructor(roots, state, actions) {
    const $ = finder(roots);
    this.state = state;
    bindFolds(roots[1], state);
    this.els = {
      stepCount: $('step-count'), loss: $('loss-value'), floor: $('floor-value'), devLoss: $('dev-loss'),
      devReadout: $('dev-readout'), announce: $('loss-announcement'),
      train: $('train-toggle'), step: $('step-button'), reset: $('reset-button'), resample: $('resample-button'),
      trainOn: $('train-on-select'), walk: $('walk-toggle'), walkPhase: $('walk-phase'), walkText: $('walk-text'),
    };
    const { els } = this;
    this.inputs = settingInputs(state, {
      seed: $('seed-input'), lr: $('lr-input'), l2: $('l2-input'), stepsPerFrame: $('steps-per-frame-input'),
      batchSize: $('batch-size-input'), devPercent: $('split-input'), trainOn: els.trainOn,
    }, guarded(state, actions.setting));
    this.lastAnnounce = 0;
    /** @type {Record<string, HTMLElement>} */
    const keys = { train: els.train, step: els.step, reset: els.reset };
    for (const { action, aria } of SHORTCUTS) keys[action]?.setAttribute('aria-keyshortcuts', aria);

    els.train.addEventListener('click', guarded(state, actions.train));
    els.step.addEventListener('click', guarded(state, actions.step));
    els.reset.addEventListener('click', guarded(state, actions.reset));
    els.resample.addEventListener('click', guarded(state, actions.resample));
    els.trainOn.addEventListener('change', guarded(state, () => actions.trainOn(els.trainOn.value)));
    els.walk.addEventListener('change', guarded(state, () => actions.walk(els.walk.checked)));
    enableWhenReady(state, [els.train, els.step, els.reset, els.resample]);

    state.on('w', (detail) => this.showStatus(detail.force));
    state.on('data', () => setNumber(els.floor, state.floor, 4));
    state.on('training', (detail) => {
      els.train.setAttribute('aria-pressed', String(state.training));
      els.train.textContent = state.training ? 'Pause' : 'Train';
      if (detail.stopped) this.announce();
    });
    state.on('walk', (detail) => this.showWalk(detail.loss));
  }

  /**
   * The session's last answer: step, loss, dev loss; announced now and then while training.
   * @param {boolean} force
   */
  showStatus(force) {
    const { els, state } = this;
    const { status } = state;
    const dev = status.devLoss ?? NaN;
    setNumber(els.stepCount, status.steps, 0);
    setNumber(els.loss, status.loss, 4);
    els.devReadout.hidden = !Number.isFinite(dev);
    if (Number.isFinite(dev)) setNumber(els.devLoss, dev, 4);
    if (force || !state.training || performance.now() - this.lastAnnounce > ANNOUNCE_EVERY_MS) this.announce();
  }

  /** Says the step and loss to screen readers (politely: the region is aria-live). */
  announce() {
    const { status } = this.state;
    if (!status) return;
    this.lastAnnounce = performance.now();
    this.els.announce.textContent = `Step ${status.steps}, loss ${status.loss.toFixed(4)}`;
  }

  /**
   * @param {number | null} loss
   */
  showWalk(loss) {
    const { els, state } = this;
    const phase = state.walkPhase;
    els.walk.checked = state.walking;
    els.walkPhase.dataset.value = phase ?? '';
    els.walkPhase.textContent = phase ?? 'none yet';
    els.walkText.textContent = phase ? WALK_TEXT[phase](loss ?? NaN) : '';
  }

  /** Focus on Train, so that Space trains and pauses as the shortcut says. */
  focusTrain() {
    this.els.train.focus();
  }
}
