// The training loop's timing with a hand-driven clock: one frame per animation frame,
// never two loops, a stop that cancels, and an error that stops it and is reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainingLoop } from '../../www/training.js';

/** requestAnimationFrame / cancelAnimationFrame whose frames the test runs. */
function fakeClock() {
  let next = 1;
  const pending = new Map();
  return {
    request: (f) => { pending.set(next, f); return next++; },
    cancel: (id) => pending.delete(id),
    run() {
      const due = [...pending.values()];
      pending.clear();
      for (const f of due) f();
    },
    get pending() { return pending.size; },
  };
}

test('one frame of work per animation frame while running, none after stop', () => {
  const clock = fakeClock();
  let frames = 0;
  const loop = new TrainingLoop(() => { frames += 1; }, assert.fail, clock);
  loop.start();
  clock.run();
  clock.run();
  assert.equal(frames, 2);
  assert.equal(loop.stop(), true);
  assert.equal(loop.stop(), false, 'already stopped');
  clock.run();
  assert.equal(frames, 2);
});

test('stop then start at once runs one loop, not two', () => {
  const clock = fakeClock();
  let frames = 0;
  const loop = new TrainingLoop(() => { frames += 1; }, assert.fail, clock);
  loop.start();
  loop.stop();
  loop.start();
  loop.start();
  assert.equal(clock.pending, 1);
  clock.run();
  assert.equal(frames, 1);
});

test('a frame that throws stops the loop and reports the error', () => {
  const clock = fakeClock();
  const errors = [];
  const loop = new TrainingLoop(() => { throw new Error('diverged'); }, (e) => errors.push(e.message), clock);
  loop.start();
  clock.run();
  assert.deepEqual(errors, ['diverged']);
  assert.equal(loop.running, false);
  assert.equal(clock.pending, 0);
});
