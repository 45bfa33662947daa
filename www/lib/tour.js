// The guided tour: the lecture's ideas in its order, one stop at a time. Each stop says
// what the page should show (its setup, carried out by the wiring), where to look and
// what to try. Its words quote numbers only through `v`, the values the wiring reads off
// the page once the stop is set up, so they are right for any data set or seed. Pure: no
// DOM, no wasm, so `node --test` checks it.

import { count, fixed } from './format.js';

/**
 * A paragraph: a string, or pieces of text and code.
 * @typedef {string | Array<string | {code: string}>} Paragraph
 */

/**
 * One example of the probe's word, as characters and as indices into the vocabulary.
 * @typedef {{x: string, y: string, xi: number, yi: number}} TourExample
 */

/**
 * What the stops quote, read off the page once a stop is set up.
 * @typedef {object} TourValues
 * @property {number} words the data set's words
 * @property {string} dataName the data set's name (the default: US baby names, 2018)
 * @property {number} vocab the vocabulary's size
 * @property {string} word the probe's word
 * @property {number} lr
 * @property {number} steps
 * @property {TourExample[]} examples the probe word's examples
 * @property {number} p the explorer's probability
 * @property {number} nll the explorer's −ln p
 * @property {number} wordLoss the probe word's loss
 * @property {number} loss the loss on every word
 * @property {number} floor the counting model's loss
 * @property {number|null} before the loss before the stop's step, if it takes one
 */

/**
 * What the page is set to on arrival at a stop (see STOPS).
 * @typedef {object} StopSetup
 * @property {'seed'} [weights]
 * @property {string} [word]
 * @property {number} [example]
 * @property {string} [heatmap]
 * @property {string} [open]
 * @property {boolean} [sample]
 * @property {string} [trainOn]
 * @property {number} [lr]
 * @property {number} [l2]
 * @property {number} [step]
 * @property {number} [trainTo]
 * @property {string} [panel]
 * @property {string} [control]
 * @property {number} [backward] presses of the explorer's backward sweep shown (0: the forward pass alone)
 */

/**
 * One stop of the tour.
 * @typedef {object} Stop
 * @property {string} title
 * @property {StopSetup} setup
 * @property {(v: TourValues) => Paragraph[]} text
 * @property {string} look
 * @property {string[]} see the test hooks of what `look` names: scrolled into view, clear of the tour's panel
 * @property {string} try
 */

/**
 * A piece of a paragraph shown as code (the panel renders it in <code>).
 * @param {string} code
 */
const c = (code) => ({ code });


/**
 * `.emma.`'s examples as "(., e) = (0, 5)".
 * @param {TourExample[]} examples
 */
const pairs = (examples) => examples.map((e) => `(${e.x}, ${e.y}) = (${e.xi}, ${e.yi})`).join(', ');

/**
 * The stops. `setup` is what the page is set to on arrival:
 * - `weights: 'seed'`: the settings' defaults (the lecture's seed, learning rate and λ,
 *   one character of context, no split, full batch) and a fresh `W` from the seed;
 * - `trainOn`, `lr`, `l2`: settings over those;
 * - `word`: the probe's word; `example`: the word-table row the explorer follows;
 * - `heatmap`: the heatmap's mode; `open`: a <details> to open; `sample`: names drawn on arrival;
 * - `step`: Steps taken on arrival; `trainTo`: at least this many steps on all the
 *   words (taken at once, from the seed's `W` if the net was trained on the word alone);
 * - `panel`: an element (id) inside the panel that is highlighted; `control`: the data-testid of
 *   the control the stop asks the person to use, also highlighted;
 * - `backward`: how far the explorer's backward sweep has gone (0: no gradient yet, the forward pass alone).
 * `see` lists what `look` names (test hooks, or ids): the stop scrolls them into view.
 * `text(v)` gives the paragraphs (a paragraph is a string or an array of strings and
 * code pieces); `look` and `try` likewise.
 * @type {readonly Stop[]}
 */
export const STOPS = Object.freeze([
  {
    title: 'The data: words become examples',
    setup: { weights: 'seed', word: 'emma', example: 0, panel: 'probe-h', control: 'word-input' },
    text: (v) => [
      `The model learns from ${v.dataName}: ${count(v.words)} names. Each name is wrapped in a dot, which marks its start and end, and every pair of neighbouring characters becomes one training example: the input x and the character y that should follow it.`,
      'The lecture trains on makemore\'s names.txt, a slightly different list, so its numbers differ a little from these; load that file in the Data set panel to get the lecture\'s exact numbers.',
      [`The word `, c(`.${v.word}.`), ` gives ${v.examples.length} examples. As characters and as indices into the vocabulary of ${v.vocab} (`, c('stoi'), `): ${pairs(v.examples)}.`],
    ],
    look: 'The word table: one row per example of the word in the probe.',
    see: ['nll-table'],
    try: 'Type another name into the probe and count its rows: one more than its letters.',
  },
  {
    title: 'One-hot: a character as a vector',
    setup: { weights: 'seed', word: 'emma', example: 0, panel: 'explore-h', backward: 0 },
    text: (v) => [
      [`A net takes numbers, not letters. The input index x becomes a vector of ${v.vocab} zeros with a single 1 at position x: `, c(`xenc = F.one_hot(xs, num_classes=${v.vocab}).float()`), '.'],
      [`For the first example, x = ${v.examples[0]?.x} (index ${v.examples[0]?.xi}), so only cell ${v.examples[0]?.xi} of `, c('xenc'), ' is lit.'],
    ],
    look: 'The xenc node at the top of the graph, and beside it the word\'s whole xenc picture: one row per example.',
    see: ['graph-node-xenc'],
    try: 'Click another row of the word table: the lit cell moves to that row\'s input.',
  },
  {
    title: 'xenc @ W: the logits',
    setup: { weights: 'seed', word: 'emma', example: 0, panel: 'explore-h', backward: 0 },
    text: (v) => [
      [c('W'), ` is a ${v.vocab}×${v.vocab} matrix of weights, drawn at random from the seed. Multiplying the one-hot by it, `, c('logits = xenc @ W'), `, adds up the rows of W weighted by the one-hot: every row times 0 but row x. So the logits are simply row x of W.`],
      `They are any real numbers, positive or negative: scores for each possible next character, not yet probabilities.`,
    ],
    look: 'The W node (row x of W) and the logits node under it: the same numbers, shown as colours around 0.',
    see: ['graph-node-W', 'graph-node-logits'],
    try: 'Set the heatmap to "Weights W" and find the same row there.',
  },
  {
    title: 'exp and normalise: the softmax',
    setup: { weights: 'seed', word: 'emma', example: 0, panel: 'explore-h', backward: 0 },
    text: () => [
      [`To turn scores into probabilities, make them positive with `, c('counts = logits.exp()'), ` (think of them as counts, like the counting model's), then divide by their sum: `, c('probs = counts / counts.sum(1, keepdims=True)'), '.'],
      'Together these two steps are the softmax. Each row of probabilities is positive and adds up to 1.',
    ],
    look: 'The counts, counts_sum and probs nodes: the same shape, the probs rescaled to sum to 1 by Σ counts (point at a cell to read it).',
    see: ['graph-node-counts', 'graph-node-counts_sum', 'graph-node-probs'],
    try: 'Pick another example in the word table and compare how peaked its probabilities are.',
  },
  {
    title: 'How likely is the truth? The loss',
    setup: { weights: 'seed', word: 'emma', example: 0, panel: 'probe-h' },
    text: (v) => [
      `For each example the net gives the true next character some probability p. A good model gives it a high p; the negative log likelihood −ln p is small when p is near 1 and large when p is small.`,
      `Here the net gives "${v.examples[0]?.y}" after "${v.examples[0]?.x}" the probability ${fixed(v.p)}, so −ln p = ${fixed(v.nll)}. The loss is the mean of −ln p over the examples: for "${v.word}" at the seed's W it is ${fixed(v.wordLoss)}.`,
    ],
    look: 'The word table\'s p and −ln p columns, and the word\'s mean NLL above it.',
    see: ['word-loss', 'nll-table'],
    try: 'Type a name the data set likes (anna) and one it does not (qxz) and compare their losses.',
  },
  {
    title: 'Guess and check',
    setup: { weights: 'seed', word: 'emma', panel: 'train-h', control: 'resample-button' },
    text: (v) => [
      `One way to find a better W is to try random ones and keep the best. The loss on all the words is ${fixed(v.loss)} now.`,
      `Each Resample draws a whole new W from the next seed. The loss jumps about, seldom down by much: with ${count(v.vocab * v.vocab)} numbers to choose, guessing is hopeless.`,
    ],
    look: 'The chart: each resample is a point of its own, its loss jumping up or down (the status line quotes each jump).',
    see: ['loss-chart'],
    try: 'Press Resample W a few times and watch the loss.',
  },
  {
    title: 'Backward: which way to move each weight',
    setup: { weights: 'seed', word: 'emma', example: 0, heatmap: 'grad', panel: 'explore-h' },
    text: () => [
      [`Instead of guessing, ask the loss which way to go. For softmax with −ln p, the gradient of each logit is simple: `, c('dlogits = (probs − onehot(y)) / n'), `. The true character's logit is pushed up (its gradient is negative), every other one down in proportion to its probability.`],
      [`Because the logits are a row of W, these land in that row of `, c('W.grad'), ', summed over the examples with the same input, plus the L2 term\'s part.'],
    ],
    look: 'The graph\'s .grad column: logits.grad (dlogits) in the logits node and W.grad\'s row, with its data and L2 parts, in the W node.',
    see: ['graph-node-W', 'graph-node-logits'],
    try: 'Press Node by node above the graph, then Next node ↑ seven times: the gradient flows back from loss.grad = 1 to W.grad, one line of the code a press. (Check gradient, below the graph, nudges each weight and measures: backpropagation agrees.)',
  },
  {
    title: 'The update: one step downhill',
    setup: { weights: 'seed', word: 'emma', example: 0, trainOn: 'word', lr: 0.1, l2: 0, step: 1, heatmap: 'update', panel: 'train-h', control: 'step-button' },
    text: (v) => [
      [`Training on "${v.word}" alone, as the lecture's first run: `, c('W.data += -0.1 * W.grad'), `. One step took the loss from ${fixed(v.before)} to ${fixed(v.loss)}.`],
      'That is the whole loop: forward (the loss), zero_grad, backward (the gradient), update. Repeat it and the loss keeps falling.',
    ],
    look: 'The loss, and the word table\'s Δ columns: how each p moved. (The heatmap further down shows the step ΔW of every weight.)',
    see: ['loss-value', 'nll-table'],
    try: 'Press Step again a few times, or tick Walk the loop and press Step to see the four phases one by one.',
  },
  {
    title: 'All the words: training',
    setup: { weights: 'seed', word: 'emma', panel: 'train-h', control: 'train-toggle' },
    text: (v) => [
      `Now every one of the ${count(v.words)} words, every step: the loss is ${fixed(v.loss)} at the seed's W, with a learning rate of ${v.lr}.`,
      `The dashed line is the counting model's loss, ${fixed(v.floor)}: counting bigrams and normalising is the best a bigram can do, so gradient descent can only approach it.`,
    ],
    look: 'The chart: the loss against steps, falling toward the dashed floor.',
    see: ['loss-chart'],
    try: 'Press Train, let it run a few hundred steps, then Pause.',
  },
  {
    title: 'Counting versus the net',
    setup: { trainTo: 200, word: 'emma', heatmap: 'diff', open: 'l2-note', panel: 'heat-h' },
    text: (v) => [
      `After ${count(v.steps)} steps the net's loss is ${fixed(v.loss)}, close to the counting model's ${fixed(v.floor)}. The net has learned the same table: exp(W) plays the role of the counts.`,
      [`The L2 term λ·mean(W²) pulls every weight toward 0, where all probabilities are equal: it does for the net what adding k to every count (smoothing) does for the counting model.`],
    ],
    look: 'The heatmap of the difference between the two models\' probabilities: pale where they agree, coloured where the net has not caught up yet (rare pairs).',
    see: ['heatmap'],
    try: 'Show the counting model\'s probabilities, then move the smoothing k: the floor on the chart moves with it.',
  },
  {
    title: 'Sampling names',
    setup: { trainTo: 200, word: 'emma', sample: true, panel: 'sample-h', control: 'sample-button' },
    text: (v) => [
      [`A trained model can write. Start at ".", draw the next character from its row of probabilities (`, c('torch.multinomial'), `), feed it back in, and stop at the next ".".`],
      `The net has taken ${count(v.steps)} steps; with the lecture's seed, the lecture's sampler draws the same names from it as PyTorch does.`,
    ],
    look: 'The names this stop sampled: name-like, but a bigram only ever sees one character back.',
    see: ['samples'],
    try: 'Press Sample for more; train longer or Reset and sample again to compare.',
  },
  {
    title: 'Where to go next',
    setup: { panel: 'exercises-h', control: 'context-select', open: 'exercise-settings' },
    text: () => [
      'The lecture ends with exercises, and the page has them: a context of two characters (the trigram), makemore\'s train/dev/test split, tuning the smoothing or λ on dev, and the PyTorch program that reproduces every number here.',
      'Closing the tour gives back your own model and settings, as you left them.',
    ],
    look: 'The exercises: Context, Split, Tuning on dev and The PyTorch it equals.',
    see: ['context-select'],
    try: 'Set Context to 2 and train the trigram: does it beat the bigram\'s floor?',
  },
]);

/**
 * The stop a `?tour=N` link asks for, from 1, or null when the link has none or its
 * value is not a stop (the page then says so rather than guessing).
 * @param {string} search `location.search`
 * @returns {{stop: number} | {error: string} | null}
 */
export function tourFromLink(search) {
  const raw = new URLSearchParams(search).get('tour');
  if (raw === null) return null;
  const stop = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN; // "0x3" is not stop 3
  if (!Number.isInteger(stop) || stop < 1 || stop > STOPS.length) {
    return { error: `tour=${raw} is not a stop of the tour (1 to ${STOPS.length})` };
  }
  return { stop };
}

/** Where the tour is: the stop (from 1) and whether it is on. */
export class Tour {
  /** @param {number} [steps] how many stops */
  constructor(steps = STOPS.length) {
    this.steps = steps;
    this.stop = 0;
  }

  get active() {
    return this.stop > 0;
  }

  /**
   * Goes to stop `k` (clamped to the tour).
   * @param {number} k
   * @returns {number} the stop
   */
  go(k) {
    this.stop = Math.min(this.steps, Math.max(1, Math.trunc(k) || 1));
    return this.stop;
  }

  /** @returns {boolean} whether there was a next stop */
  next() {
    if (!this.active || this.stop >= this.steps) return false;
    this.stop += 1;
    return true;
  }

  /** @returns {boolean} whether there was a previous stop */
  prev() {
    if (!this.active || this.stop <= 1) return false;
    this.stop -= 1;
    return true;
  }

  close() {
    this.stop = 0;
  }

  /** "4 of 12". */
  get progress() {
    return `${this.stop} of ${this.steps}`;
  }
}
