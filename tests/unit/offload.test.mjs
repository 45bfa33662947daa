// Training in a worker, with both sides wired through hand-delivered messages: a report
// per drawn frame, never more than the steps-per-frame setting between two, older runs'
// messages dropped, and a worker that fails leaving the page to train itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Offload, SILENCE_MS, SLICE_MS, WorkerLoop } from '../../www/lib/offload.js';

/** A run's trainer that takes up to `perCall` steps a call; a report holds its step count. */
function fakeTrainer(handoff, previous, perCall) {
  return {
    handoff,
    previous,
    steps: 0,
    reported: 0,
    calls: [],
    trainFor(lr, max, ms) {
      if (lr < 0) throw new Error('Learning rate: -1 is out of range');
      const k = Math.min(max, perCall);
      this.calls.push({ lr, max, ms });
      this.steps += k;
      return k;
    },
    get unreported() { return this.steps - this.reported; },
    report() {
      const bytes = new Uint8Array([this.steps - this.reported]);
      this.reported = this.steps;
      return bytes;
    },
    free() { this.freed = true; },
  };
}

/** The page's Offload and a WorkerLoop, with the messages and the worker's tasks queued. */
function wired({ perCall = 7 } = {}) {
  const toWorker = [];
  const toPage = [];
  const tasks = [];
  const trainers = [];
  const loop = new WorkerLoop({
    begin: (handoff, previous) => {
      if (handoff.name === 'damaged') throw new Error('the training worker\'s message was refused');
      const t = fakeTrainer(handoff, previous, perCall);
      trainers.push(t);
      return t;
    },
    post: (msg, transfer) => {
      if (msg.kind === 'report') assert.deepEqual(transfer, [msg.bytes.buffer], 'the bytes move, not copied');
      toPage.push(msg);
    },
    schedule: (f) => tasks.push(f),
  });
  const worker = {
    postMessage: (msg) => toWorker.push(msg),
    terminate() { this.terminated = true; },
  };
  const failures = [];
  const events = [];
  const clock = { ms: 0 };
  const offload = new Offload(() => worker, {
    onReady: () => events.push('ready'),
    onFailure: (m, midRun) => (midRun ? failures : events).push(m),
    now: () => clock.ms,
  });
  return {
    loop,
    worker,
    offload,
    trainers,
    failures,
    events,
    clock,
    /** The worker handles its messages and runs its next task; the page gets what it posted. */
    tick(times = 1) {
      for (let i = 0; i < times; i++) {
        while (toWorker.length) loop.received(toWorker.shift());
        tasks.shift()?.();
        while (toPage.length) worker.onmessage({ data: toPage.shift() });
      }
    },
    ready() { worker.onmessage({ data: { kind: 'ready' } }); },
    /** Starts a run whose handoff is named `name`, of data set 1. */
    start(name, lr, stepsPerFrame) { offload.start(() => ({ name, dataId: 1 }), lr, stepsPerFrame); },
    get tasks() { return tasks.length; },
  };
}

test('not usable until the worker has loaded the module', () => {
  const w = wired();
  assert.equal(w.offload.usable, false);
  w.ready();
  assert.equal(w.offload.usable, true);
  assert.deepEqual(w.events, ['ready']);
  assert.equal(w.offload.running, false);
});

test('one report per drawn frame, and at most the steps-per-frame setting between two', () => {
  const w = wired({ perCall: 7 });
  w.ready();
  w.start('handoff', 0.5, 20);
  assert.equal(w.offload.running, true);
  w.tick();
  const t = w.trainers[0];
  assert.equal(t.handoff.name, 'handoff');
  assert.deepEqual(t.calls[0], { lr: 0.5, max: 20, ms: SLICE_MS });
  const first = w.offload.take();
  assert.deepEqual([...first], [7], 'the first slice is reported at once');
  assert.equal(w.offload.take(), null, 'taken once');
  w.tick(10);
  assert.equal(t.steps, 20, 'the frame\'s 20 steps, then it waits');
  assert.equal(w.tasks, 0, 'nothing scheduled while out of steps');
  assert.equal(w.offload.take(), null, 'no second report before the ack');
  w.offload.ack(0.25, 3);
  w.tick();
  assert.deepEqual([...w.offload.take()], [13 + 3], 'the steps since, with the new frame\'s');
  assert.deepEqual(t.calls.at(-1), { lr: 0.25, max: 3, ms: SLICE_MS }, 'the ack\'s settings');
  w.tick(5);
  assert.equal(t.steps, 23);
  assert.equal(w.offload.take(), null);
});

test('Stop drops what is on the way, and a new run ignores the old one\'s reports', () => {
  const w = wired();
  w.ready();
  w.start('first', 1, 100);
  w.tick();
  w.offload.stop();
  assert.equal(w.offload.take(), null, 'the report that came is dropped');
  assert.equal(w.offload.running, false);
  w.offload.ack(1, 100); // an ack after the stop says nothing
  w.tick(3);
  const steps = w.trainers[0].steps;
  w.tick(3);
  assert.equal(w.trainers[0].steps, steps, 'no training after the stop');
  assert.equal(w.offload.take(), null);
  // A run started while an older one's report is still on its way.
  w.start('second', 1, 100);
  w.worker.onmessage({ data: { kind: 'report', run: 1, bytes: new Uint8Array([99]) } });
  assert.equal(w.offload.take(), null, 'run 1\'s report is not run 2\'s');
  w.tick();
  assert.equal(w.trainers[1].handoff.name, 'second');
  assert.equal(w.trainers[1].previous, w.trainers[0], 'the last run\'s trainer, for its words');
  assert.deepEqual([...w.offload.take()], [7]);
});

test('the handoff is told which words the worker has', () => {
  const w = wired();
  w.ready();
  const known = [];
  const handoff = (dataId) => (k) => { known.push(k); return { name: 'run', dataId }; };
  w.offload.start(handoff(4), 1, 10);
  w.offload.start(handoff(4), 1, 10);
  w.offload.stop();
  w.offload.start(handoff(5), 1, 10); // another data set: its words went with it
  w.offload.start(handoff(5), 1, 10);
  assert.deepEqual(known, [undefined, 4, 4, 5]);
});

test('a run the worker cannot take or train ends it, and the page trains itself', () => {
  for (const [handoff, lr] of [['damaged', 1], ['good', -1]]) {
    const w = wired();
    w.ready();
    w.start(handoff, lr, 10);
    w.tick(2);
    assert.equal(w.failures.length, 1, handoff);
    assert.match(w.failures[0], /refused|out of range/);
    assert.equal(w.offload.running, false);
    assert.equal(w.offload.usable, false, 'not tried again');
    assert.equal(w.worker.terminated, true);
  }
});

test('a worker that cannot load or cannot be made is never used, and says nothing mid-run', () => {
  const w = wired();
  w.worker.onmessage({ data: { kind: 'error', run: 0, message: 'the training worker could not load the module' } });
  assert.equal(w.offload.usable, false);
  assert.match(w.offload.failed, /could not load/);
  assert.deepEqual(w.failures, []);
  assert.deepEqual(w.events, ['the training worker could not load the module']);
  const none = new Offload(() => { throw new Error('workers are off'); });
  assert.equal(none.usable, false);
  assert.match(none.failed, /workers are off/);
  none.stop(); // nothing runs: nothing to do
});

test('a worker that failed an older run has dropped its words: the next handoff carries them', () => {
  const w = wired();
  w.ready();
  const known = [];
  const handoff = (k) => { known.push(k); return { name: 'run', dataId: 4 }; };
  w.offload.start(handoff, 1, 10);
  w.offload.start(handoff, 1, 10);
  // Run 1's error arrives after run 2 began: dropped as run 1's, but the words are gone.
  w.worker.onmessage({ data: { kind: 'error', run: 1, message: 'refused' } });
  assert.equal(w.offload.running, true, 'run 2 goes on');
  w.offload.start(handoff, 1, 10);
  assert.deepEqual(known, [undefined, 4, undefined]);
});

test('a worker that errors or falls silent mid-run is given up, and the page says so', () => {
  const w = wired();
  w.ready();
  w.start('run', 1, 10);
  w.worker.onerror({ message: 'the worker crashed' });
  assert.deepEqual(w.failures, ['the worker crashed']);
  assert.equal(w.offload.usable, false);
  const quiet = wired();
  quiet.ready();
  quiet.start('run', 1, 10);
  quiet.clock.ms = SILENCE_MS - 1;
  assert.equal(quiet.offload.silent, false, 'not yet');
  quiet.tick();
  quiet.clock.ms = SILENCE_MS + 100;
  assert.equal(quiet.offload.silent, false, 'a report is waiting to be taken');
  quiet.offload.take();
  quiet.offload.ack(1, 10);
  quiet.clock.ms += SILENCE_MS - 1;
  assert.equal(quiet.offload.silent, false, 'the ack started the wait again');
  quiet.clock.ms += 2;
  assert.equal(quiet.offload.silent, true);
  quiet.offload.stop();
  assert.equal(quiet.offload.silent, false, 'no run, no wait');
});
