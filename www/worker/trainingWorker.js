// The Web Worker that trains for the page (see offload.js): its own instance of the
// module, a `TrainingWorker` per run, and `WorkerLoop` deciding when to train and report.

import init, { TrainingWorker } from '../../pkg/bigram_lab.js';
import { WorkerLoop } from '../lib/offload.js';

// A message posted to a channel of its own runs as soon as the page's messages queued
// before it are handled; `setTimeout(0)` would wait 4 ms after a few nested calls.
const channel = new MessageChannel();
/** @type {(() => void)[]} */
const queued = [];
channel.port1.onmessage = () => queued.shift()?.();

/** @type {WorkerLoop<TrainingWorker>} */
const loop = new WorkerLoop({
  begin: (handoff, previous) => new TrainingWorker(handoff, previous ?? undefined),
  post: (msg, transfer) => self.postMessage(msg, transfer ?? []),
  schedule: (f) => {
    queued.push(f);
    channel.port2.postMessage(null);
  },
});

// Messages that arrive while the module loads wait for it.
/** @type {import('../lib/offload.js').PageMessage[]} */
const early = [];
self.onmessage = (e) => early.push(e.data);

init().then(() => {
  self.onmessage = (e) => loop.received(e.data);
  for (const msg of early.splice(0)) loop.received(msg);
  self.postMessage({ kind: 'ready' });
}, (err) => self.postMessage({ kind: 'error', run: 0, message: `the training worker could not load the module: ${err.message}` }));
