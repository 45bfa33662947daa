// The training loop's timing with a hand-driven clock: one frame per animation frame,
// never two loops, a stop that cancels, and an error that stops it and is reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameBudget, TrainingLoop, ViewPacer } from '../../www/lib/training.js';

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

test('the frame budget gives training what the drawing leaves of a 60 Hz frame', () => {
  const budget = new FrameBudget();
  assert.equal(budget.ms, 12, 'nothing measured yet: the most');
  budget.drew(1);
  assert.equal(budget.ms, 12, '16.7 − 3 − 1 is over the most');
  budget.drew(3);
  assert.ok(Math.abs(budget.ms - (1000 / 60 - 3 - 3)) < 1e-9, `${budget.ms}`);
  budget.drew(8); // a slow machine: the next frame already trains less
  assert.ok(Math.abs(budget.ms - (1000 / 60 - 3 - 8)) < 1e-9, `${budget.ms}`);
  budget.drew(20); // drawing alone overruns the frame: still one step's worth
  assert.equal(budget.ms, 1);
  budget.drew(1); // one quick frame: the estimate falls slowly
  assert.ok(budget.drawMs > 15 && budget.ms === 1, `${budget.drawMs}`);
  for (let i = 0; i < 60; i++) budget.drew(1);
  assert.equal(budget.ms, 12, 'a second of quick frames: back to the most');
  budget.drew(NaN);
  budget.drew(-5);
  assert.equal(budget.ms, 12, 'nonsense measurements are ignored');
});

test('the slow views redraw every frame while cheap, and every k-th frame when they would fill it', () => {
  const pacer = new ViewPacer({ shareMs: 4 });
  assert.equal(pacer.every, 1, 'nothing measured yet: every frame');
  assert.deepEqual([pacer.due(), pacer.due()], [true, true]);
  pacer.drew(2);
  assert.equal(pacer.every, 1);
  assert.equal(pacer.spreadMs, 2);
  // Under CPU throttling the same views take 40 ms: every 10th frame, 4 ms a frame.
  const slow = new ViewPacer({ shareMs: 4 });
  slow.drew(40);
  assert.equal(slow.every, 10);
  assert.equal(slow.spreadMs, 4);
  const frames = Array.from({ length: 20 }, () => slow.due());
  assert.equal(frames.filter(Boolean).length, 2);
  assert.equal(frames.indexOf(true), 9, 'the tenth frame');
  // The machine gets faster again: the pace follows, smoothed.
  for (let i = 0; i < 20; i++) slow.drew(1);
  assert.equal(slow.every, 1);
  slow.drew(Number.NaN);
  slow.drew(-1);
  assert.equal(slow.every, 1, 'nonsense measurements are ignored');
});

test('frames that come late make room for the browser\'s own work; frames on time give it back', () => {
  const budget = new FrameBudget({ frameMs: 16, marginMs: 2, minMs: 1, maxMs: 10 });
  budget.started(0);
  assert.equal(budget.ms, 10, 'nothing learned yet');
  budget.started(16);
  assert.equal(budget.slackMs, 0, 'on time');
  budget.started(16 + 24); // 8 ms late: a quarter of it becomes slack
  assert.equal(budget.slackMs, 2);
  assert.equal(budget.ms, 10, '16 − 2 − 2 leaves 12, capped at 10');
  budget.started(40 + 36); // 20 ms late
  assert.equal(budget.slackMs, 7);
  assert.equal(budget.ms, 7);
  for (let i = 1; i <= 4; i++) budget.started(76 + 16 * i);
  assert.equal(budget.slackMs, 5, 'on-time frames give back half a millisecond each');
  budget.paused();
  budget.started(5000); // the first frame after a pause: no interval to judge
  assert.equal(budget.slackMs, 5);
  budget.started(5000 + 900); // a hidden tab's gap says nothing
  assert.equal(budget.slackMs, 5);
  for (let i = 1; i <= 6; i++) budget.started(6000 + 200 * i);
  assert.equal(budget.slackMs, 16, 'never more than a frame');
  assert.equal(budget.ms, 1, 'at least the minimum');
});
