// What the page keeps in the browser (www/lib/storage.js), in Node: the loss history's
// thinning, and the slots, driven as several tabs over one shared localStorage, each
// with a sessionStorage of its own (storage.js is handed Storage-like objects).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  thin, readHistory, Store, describeSlot, KEYS, MAX_SLOTS, BUDGET_CHARS,
} from '../../www/lib/storage.js';

/** A history of n points: steps 0…n−1, a loss and a dev loss that name their step. */
function history(n, marks = []) {
  const steps = Array.from({ length: n }, (_, i) => i);
  return { steps, losses: steps.map((s) => 10 + s), dev: steps.map((s) => 20 + s), marks };
}

test('a history of at most 1000 points is kept whole', () => {
  for (const n of [0, 1, 2, 999, 1000]) {
    const h = history(n, [3]);
    assert.deepEqual(thin(h), h, `${n} points`);
  }
});

test('a longer history keeps every k-th point and always the last', () => {
  const t = thin(history(2500));
  // k = ceil(2500 / 1000) = 3: steps 0, 3, …, 2499 (itself a multiple of 3).
  assert.equal(t.steps.length, 834);
  assert.deepEqual(t.steps.slice(0, 4), [0, 3, 6, 9]);
  assert.equal(t.steps.at(-1), 2499);

  const odd = thin(history(1234));
  // k = 2: the even steps 0…1232, then the last, 1233, which is odd.
  assert.equal(odd.steps.length, 618);
  assert.deepEqual(odd.steps.slice(-3), [1230, 1232, 1233]);

  const justOver = thin(history(1001));
  assert.equal(justOver.steps.length, 501);
  assert.equal(justOver.steps.at(-1), 1000);
});

test('losses and dev losses stay with their steps', () => {
  for (const n of [1234, 2500, 7777]) {
    const t = thin(history(n));
    assert.deepEqual(t.losses, t.steps.map((s) => 10 + s), `${n} points`);
    assert.deepEqual(t.dev, t.steps.map((s) => 20 + s), `${n} points`);
    assert.equal(t.steps.at(-1), n - 1);
    assert.ok(t.steps.length <= 1000, `${n} points thin to ${t.steps.length}`);
  }
});

test('the resample marks are kept, up to the last 1000', () => {
  const marks = [40, 900, 1500];
  assert.deepEqual(thin(history(5555, marks)).marks, [40, 900, 1500]);
  const many = Array.from({ length: 1200 }, (_, i) => i * 2);
  assert.deepEqual(thin(history(10, many)).marks, many.slice(200));
});

test('a history without dev losses or marks gets empty ones', () => {
  const t = thin({ steps: [0, 1, 2], losses: [3, 2, 1] });
  assert.deepEqual(t, { steps: [0, 1, 2], losses: [3, 2, 1], dev: [], marks: [] });
});

// Found by this test: with k = ceil(n / 1000), an exact multiple of 1000 kept 1001
// points (the k-th ones, then the last on top); thin now takes k = ceil(n / 999).
test('at most 1000 points remain for any length', () => {
  for (const n of [1999, 2000, 3000, 5000]) {
    const t = thin(history(n));
    assert.ok(t.steps.length <= 1000, `${n} points thin to ${t.steps.length}`);
    assert.equal(t.steps.at(-1), n - 1);
  }
});

test('a saved history is read back checked: a broken one gives an empty history, null dev is NaN', () => {
  assert.deepEqual(readHistory({ steps: [0, 1], losses: [3, 2], dev: [null, 2.5], marks: [1] }),
    { steps: [0, 1], losses: [3, 2], dev: [NaN, 2.5], marks: [1] });
  const empty = { steps: [], losses: [], dev: [], marks: [] };
  assert.deepEqual(readHistory(null), empty);
  assert.deepEqual(readHistory({ steps: [0, 1], losses: [3] }), empty, 'lengths differ');
  assert.deepEqual(readHistory({ steps: [0], losses: [NaN] }), empty, 'a non-finite loss');
  assert.deepEqual(readHistory({ steps: [0], losses: [3], dev: [1, 2] }), empty, 'dev of another length');
  assert.deepEqual(readHistory({ steps: [0, 1], losses: [3, 2], marks: [1, 'x'] }), empty, 'a mark that is not a step');
});

/** A Storage stand-in: getItem, setItem (all or nothing, up to `quota` characters), removeItem, length, key. */
function fakeStorage(entries = {}, quota = Infinity) {
  const map = new Map(Object.entries(entries));
  const size = () => [...map].reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  return {
    map,
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem(k, v) {
      const before = map.get(k);
      map.set(k, String(v));
      if (size() > quota) {
        if (before === undefined) map.delete(k); else map.set(k, before);
        throw new Error('The quota has been exceeded.');
      }
    },
    removeItem: (k) => { map.delete(k); },
  };
}

/**
 * One browser: a shared localStorage, a clock that moves one millisecond a save, and
 * `tab(session)`, a Store for a tab (a new one, or the same session again: a reload).
 */
function browser(quota) {
  const local = fakeStorage({}, quota);
  let clock = 1000;
  let ids = 0;
  return {
    local,
    tab: (session = fakeStorage()) => new Store({ local, session, now: () => clock++, newId: () => `tab${++ids}` }),
  };
}

/** A model at a step, in the export format's shape (a few weights stand for W). */
const model = (steps, context = 1) => ({ format: 'bigram-lab-model', steps, context, encoding: 'context', w: [steps, 0.5] });
/** A history ending at that step with a loss that names it. */
const hist = (steps) => (steps === 0 ? { steps: [0], losses: [3.77] } : { steps: [0, steps], losses: [3.77, 3 - steps / 100] });
const save = (store, steps, extra = {}) => store.saveModel({ model: model(steps), history: hist(steps), settings: { lr: 50 }, ...extra });

test('two tabs keep their models apart: a reload finds its own, a new tab the newest', () => {
  const b = browser();
  const sessionA = fakeStorage();
  const a = b.tab(sessionA);
  const other = b.tab();
  assert.notEqual(a.tabId, other.tabId);
  assert.equal(a.isNewTab, true);
  assert.equal(save(a, 30).error, null);
  assert.equal(save(other, 5).error, null);

  // Reload A: same sessionStorage, same id, its own 30 steps (not the other tab's 5).
  const reloaded = b.tab(sessionA);
  assert.equal(reloaded.isNewTab, false);
  assert.equal(reloaded.tabId, a.tabId);
  const back = reloaded.load();
  assert.equal(back.own, true);
  assert.equal(back.model.model.steps, 30);
  assert.deepEqual(back.model.history.losses, [3.77, 2.7]);
  assert.equal(back.slot.steps, 30);

  // A new tab takes the most recently saved one, and says whose it is.
  const fresh = b.tab().load();
  assert.equal(fresh.own, false);
  assert.equal(fresh.model.model.steps, 5);

  // The list: both, newest first, each with its step, loss and size.
  const slots = reloaded.slots();
  assert.deepEqual(slots.map((m) => [m.id, m.steps, m.loss]), [[other.tabId, 5, 2.95], [a.tabId, 30, 2.7]]);
  assert.ok(slots.every((m) => m.chars > 0 && m.context === 1));
  assert.equal(reloaded.readSlot(other.tabId).record.model.steps, 5, 'any slot can be read back whole');
});

test('a tab that saved nothing restores the newest slot and never writes into it', () => {
  const b = browser();
  const a = b.tab();
  save(a, 30);
  const newTab = b.tab();
  assert.equal(newTab.load().model.model.steps, 30);
  save(newTab, 31);
  assert.equal(b.tab(fakeStorage({ [KEYS.tab]: a.tabId })).load().model.model.steps, 30, 'A keeps its 30');
  assert.equal(newTab.slots().length, 2);
});

test('leaving a slot keeps it as it was; the tab saves to a new one, and its reload finds that', () => {
  const b = browser();
  const session = fakeStorage();
  const a = b.tab(session);
  save(a, 30);
  const old = a.tabId;
  a.leaveSlot();
  assert.notEqual(a.tabId, old);
  save(a, 2);
  assert.equal(a.readSlot(old).record.model.steps, 30);
  assert.equal(b.tab(session).load().model.model.steps, 2);
});

test('going back to a slot this tab left makes no copy: the tab saves there again', () => {
  const b = browser();
  const session = fakeStorage();
  const a = b.tab(session);
  save(a, 30);
  const first = a.tabId;
  a.leaveSlot(); // it restored another tab's model
  save(a, 5);
  const second = a.tabId;
  assert.deepEqual(a.leftIds(), [first]);
  a.returnTo(first);
  assert.equal(a.tabId, first);
  assert.deepEqual(a.leftIds(), [second]);
  save(a, 31);
  assert.deepEqual(a.slots().map((m) => [m.id, m.steps]), [[first, 31], [second, 5]]);
  const reloaded = b.tab(session);
  assert.equal(reloaded.tabId, first);
  assert.deepEqual(reloaded.leftIds(), [second]);
  assert.match(describeSlot(a.slots()[1], { earlier: true, time: () => 'now' }), /^This tab, earlier: step 5/);
});

test(`at most ${MAX_SLOTS} slots: the oldest other tab's is dropped, never this tab's`, () => {
  const b = browser();
  const tabs = Array.from({ length: MAX_SLOTS }, () => b.tab());
  tabs.forEach((t, i) => assert.deepEqual(save(t, i).dropped, []));
  // The first tab saves again: its slot is now the newest, and nothing is dropped.
  assert.deepEqual(save(tabs[0], 100).dropped, []);
  const ninth = b.tab();
  const { dropped } = save(ninth, 9);
  assert.deepEqual(dropped.map((m) => m.id), [tabs[1].tabId], 'the oldest by time, not the first made');
  const ids = ninth.slots().map((m) => m.id);
  assert.equal(ids.length, MAX_SLOTS);
  assert.ok(ids.includes(tabs[0].tabId) && ids.includes(ninth.tabId) && !ids.includes(tabs[1].tabId));
  assert.equal(ninth.readSlot(tabs[1].tabId).error, 'it is no longer kept');
});

test('room for a large model is made from the oldest other slots, never this tab\'s own', () => {
  const b = browser();
  const [first, second, third, fourth] = Array.from({ length: 4 }, () => b.tab());
  for (const [i, t] of [first, second, third, fourth].entries()) save(t, i); // first is the oldest
  // Six tenths of the budget: "0.5," is four characters a weight.
  const big = (steps) => ({ model: { ...model(steps), w: Array(Math.floor((0.6 * BUDGET_CHARS) / 4)).fill(0.5) }, history: hist(steps) });
  assert.deepEqual(fourth.saveModel(big(10)).dropped, [], 'it fits beside three small slots');
  // The first tab's slot is the oldest of all; it saves a second large model: the others
  // go, oldest first, until it fits, and its own (the oldest) stays.
  const result = first.saveModel(big(11));
  assert.equal(result.error, null);
  assert.deepEqual(result.dropped.map((m) => m.id), [second.tabId, third.tabId, fourth.tabId]);
  assert.deepEqual(first.slots().map((m) => [m.id, m.steps]), [[first.tabId, 11]]);
});

test('a model larger than the budget is refused whole, with its size; what was kept stays', () => {
  const b = browser();
  const a = b.tab();
  save(a, 30);
  const before = new Map(b.local.map);
  // A 4-gram's W: 27^3 × 27 = 531,441 weights, of the length float32s have in JSON.
  const w = Array.from({ length: 531_441 }, (_, i) => Math.fround(Math.sin(i) / 10));
  const result = a.saveModel({ model: { ...model(1, 3), w }, history: hist(1) });
  assert.match(result.error, /^This model is \d+\.\d MB as text, more than the 4\.5 MB .*“Export model”/);
  assert.ok(result.chars > BUDGET_CHARS);
  assert.deepEqual(result.dropped, []);
  assert.deepEqual(b.local.map, before, 'nothing written, nothing dropped');
  assert.equal(a.load().model.model.steps, 30);
});

test('storage that runs out leaves the slot as it was and says why', () => {
  const b = browser(2000);
  const a = b.tab();
  assert.equal(save(a, 30).error, null);
  const record = b.local.getItem(KEYS.slot + a.tabId);
  const result = a.saveModel({ model: { ...model(31), w: Array(500).fill(0.25) }, history: hist(31) });
  assert.match(result.error, /would not keep it \(The quota has been exceeded\.\)/);
  assert.equal(b.local.getItem(KEYS.slot + a.tabId), record, 'the old record, whole');
  assert.equal(a.slots()[0].steps, 30, 'and its summary');
});

test('the view is shared and read apart; Forget removes every key of the page, what was set aside too', () => {
  const b = browser();
  const a = b.tab();
  const other = b.tab();
  assert.equal(a.saveView({ settings: { lr: 40 }, word: 'ava' }), null);
  assert.deepEqual(a.load(), {
    model: null, slot: null, own: false, view: { settings: { lr: 40 }, word: 'ava' }, damaged: [], problems: [], lostOwn: false,
  });
  save(a, 3);
  save(other, 4);
  b.local.setItem(`${KEYS.view}/set-aside`, '{old');
  b.local.setItem('another-app', 'x');
  const removed = [];
  const removeItem = b.local.removeItem;
  b.local.removeItem = (k) => { removed.push(k); removeItem(k); };
  other.forget();
  assert.deepEqual([...b.local.map.keys()].sort(), ['another-app']);
  const lastRecord = Math.max(...removed.map((k, i) => (k.startsWith(KEYS.slot) ? i : -1)));
  const firstMeta = removed.findIndex((k) => k.startsWith(KEYS.meta));
  assert.ok(lastRecord < firstMeta, 'every record before any summary: a tab told its summary went finds no record');
  assert.equal(a.touchesSlots({ key: KEYS.view }), false);
  assert.equal(a.touchesSlots({ key: KEYS.slot + a.tabId }), true);
  assert.equal(a.load().model, null);
});

test('a damaged view is set aside and loses nothing of the model; a damaged slot is reported, not restored', () => {
  const b = browser();
  const session = fakeStorage();
  const a = b.tab(session);
  save(a, 3);
  b.local.setItem(KEYS.view, '{broken');
  const first = b.tab(session).load();
  assert.deepEqual(first.damaged, [KEYS.view]);
  assert.equal(first.model.model.steps, 3);
  a.setAside(first.damaged);
  assert.equal(b.local.getItem(KEYS.view), null);
  assert.equal(b.local.getItem(`${KEYS.view}/set-aside`), '{broken');
  assert.deepEqual(b.tab(session).load().damaged, [], 'set aside: not read again');

  b.local.setItem(KEYS.slot + a.tabId, '{"model": [trunc');
  const damaged = b.tab(session).load();
  assert.equal(damaged.model, null, 'not restored, and no other slot restored in its place');
  assert.equal(damaged.own, true);
  assert.equal(damaged.lostOwn, true);
  assert.deepEqual(damaged.damaged, [KEYS.slot + a.tabId, KEYS.meta + a.tabId]);
  assert.deepEqual(damaged.problems, ['a saved model (it is not JSON)']);
  a.setAside(damaged.damaged);
  assert.equal(b.local.getItem(`${KEYS.slot}${a.tabId}/set-aside`), '{"model": [trunc', 'kept aside as it was');
  assert.equal(b.local.getItem(KEYS.slot + a.tabId), null);
  assert.deepEqual(b.tab(session).load().damaged, []);
});

test('the single key of before slots becomes a slot, once, with its view; nothing is lost if it cannot be', () => {
  const legacy = JSON.stringify({ model: model(12), history: hist(12), settings: { lr: 7 }, word: 'mia' });
  const b = browser();
  b.local.setItem(KEYS.legacyModel, legacy);
  const a = b.tab();
  const first = a.load();
  assert.equal(first.model.model.steps, 12);
  assert.equal(first.own, false, 'an old slot, not this tab\'s: the tab saves to its own');
  assert.deepEqual(first.model.history, { ...hist(12), dev: [NaN, NaN], marks: [] });
  assert.deepEqual(first.view, { settings: { lr: 7 }, word: 'mia' }, 'the view kept beside the model then');
  assert.equal(b.local.getItem(KEYS.legacyModel), null);
  assert.equal(a.slots().length, 1);
  assert.equal(b.tab().load().model.model.steps, 12);
  assert.equal(a.slots().length, 1, 'migrated once');

  // Storage holding the old key and not a character more (the slot's key is longer, and
  // it carries the time): the old key is put back.
  const tight = browser(legacy.length + KEYS.legacyModel.length);
  tight.local.setItem(KEYS.legacyModel, legacy);
  const stuck = tight.tab().load();
  assert.equal(tight.local.getItem(KEYS.legacyModel), legacy);
  assert.equal(stuck.view.word, 'mia');
});

test('storage events: another tab saved, a duplicate wrote this tab\'s slot, this slot was removed', () => {
  const b = browser();
  const sessionA = fakeStorage();
  const a = b.tab(sessionA);
  const other = b.tab();
  save(other, 5);
  const meta = b.local.getItem(KEYS.meta + other.tabId);
  assert.deepEqual(a.classify({ key: KEYS.meta + other.tabId, newValue: meta }),
    { kind: 'saved', meta: JSON.parse(meta) });
  assert.equal(a.classify({ key: KEYS.slot + other.tabId, newValue: 'x' }), null, 'the record: the summary follows');
  assert.equal(a.classify({ key: KEYS.view, newValue: '{}' }), null);
  assert.deepEqual(a.classify({ key: KEYS.meta + other.tabId, newValue: null }), { kind: 'removed' });
  assert.deepEqual(a.classify({ key: KEYS.meta + a.tabId, newValue: null }), { kind: 'dropped' });
  assert.deepEqual(a.classify({ key: null, newValue: null }), { kind: 'cleared' });
  assert.equal(a.classify({ key: KEYS.meta + other.tabId, newValue: '{bad' }), null);

  // A duplicated tab copies sessionStorage, so it has A's id; its save is A's signal.
  save(a, 30);
  const copy = b.tab(fakeStorage(Object.fromEntries(sessionA.map)));
  assert.equal(copy.tabId, a.tabId);
  save(copy, 31);
  assert.deepEqual(a.classify({ key: KEYS.slot + a.tabId, newValue: b.local.getItem(KEYS.slot + a.tabId) }), { kind: 'duplicate' });
  a.leaveSlot();
  save(a, 30);
  assert.deepEqual(a.slots().map((m) => m.steps).sort(), [30, 31, 5].sort());
  assert.equal(b.tab(sessionA).load().model.model.steps, 30, 'A\'s reload: its own, moved');
});

test('a saved model is described by step, model, loss and time', () => {
  const time = () => '14:02:11';
  assert.equal(describeSlot({ steps: 30, context: 1, loss: 2.71234, savedAt: 0 }, { own: true, time }),
    'This tab: step 30, bigram, loss 2.7123, saved 14:02:11');
  assert.equal(describeSlot({ steps: 5, context: 2, encoding: 'concat', trainOn: 'emma', savedAt: 0 }, { time }),
    'step 5, trigram (side by side), on “emma”, saved 14:02:11');
  assert.equal(describeSlot({ unreadable: true }), 'a damaged saved model');
  assert.equal(describeSlot({ steps: 20, context: 1, wordsName: 'mine.txt', savedAt: 0 }, { time }),
    'step 20, bigram, words of “mine.txt”, saved 14:02:11');
});
