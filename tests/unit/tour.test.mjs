// The tour's stops and navigation (www/lib/tour.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STOPS, Tour, tourFromLink } from '../../www/lib/tour.js';

/** Values as the wiring reads them off the page, chosen so that none is the lecture's. */
const V = {
  words: 1234, dataName: 'a list of test words', vocab: 5, word: 'abba', lr: 7, steps: 321,
  examples: [{ x: '.', y: 'a', xi: 0, yi: 1 }, { x: 'a', y: 'b', xi: 1, yi: 2 }],
  p: 0.1111, nll: 2.1972, wordLoss: 1.2345, loss: 2.3456, before: 2.5, floor: 1.9876,
};

const plain = (paragraphs) => paragraphs.map((p) => (Array.isArray(p) ? p.map((x) => x.code ?? x).join('') : p)).join('\n');

test('the tour has the lecture\'s twelve stops, each with words, a place to look and a thing to try', () => {
  assert.equal(STOPS.length, 12);
  for (const stop of STOPS) {
    assert.ok(stop.title && stop.look && stop.try, stop.title);
    assert.ok(stop.setup.panel, `${stop.title} names its panel`);
    assert.ok(plain(stop.text(V)).length > 80, `${stop.title} says something`);
  }
  assert.match(STOPS[0].title, /data/i);
  assert.match(STOPS[1].title, /one-hot/i);
  assert.match(STOPS[6].title, /backward/i);
  assert.match(STOPS[7].title, /update/i);
  assert.match(STOPS[10].title, /sampl/i);
});

test('numbers in the stops come from the page, never from the text', () => {
  const all = STOPS.map((s) => plain(s.text(V))).join('\n');
  // The lecture's own numbers would only appear if typed into the text.
  for (const typed of ['3.7693', '3.7492', '2.45', '32,033', '32033', '729', '27']) {
    assert.ok(!all.includes(typed), `the text does not type ${typed}`);
  }
  const loss = plain(STOPS[4].text(V));
  assert.ok(loss.includes('1.2345') && loss.includes('0.1111') && loss.includes('2.1972'), loss);
  const data = plain(STOPS[0].text(V));
  assert.ok(data.includes('1,234 names') && data.includes('.abba.') && data.includes('(a, b) = (1, 2)'), data);
  assert.ok(plain(STOPS[7].text(V)).includes('from 2.5000 to 2.3456'));
  assert.ok(plain(STOPS[1].text(V)).includes('num_classes=5'));
});

test('stop 8 is the lecture\'s first run: the word alone, lr 0.1, no L2, one step', () => {
  assert.deepEqual(
    (({ trainOn, lr, l2, step, weights }) => ({ trainOn, lr, l2, step, weights }))(STOPS[7].setup),
    { trainOn: 'word', lr: 0.1, l2: 0, step: 1, weights: 'seed' },
  );
});

test('the tour moves within its stops and closes', () => {
  const tour = new Tour();
  assert.equal(tour.active, false);
  assert.equal(tour.next(), false, 'a closed tour does not move');
  assert.equal(tour.go(99), 12);
  assert.equal(tour.next(), false);
  assert.equal(tour.progress, '12 of 12');
  assert.equal(tour.go(0), 1);
  assert.equal(tour.prev(), false);
  assert.equal(tour.next(), true);
  assert.equal(tour.stop, 2);
  assert.equal(tour.prev(), true);
  tour.close();
  assert.equal(tour.active, false);
});

test('a ?tour=N link opens stop N, and a bad N is named', () => {
  assert.equal(tourFromLink(''), null);
  assert.equal(tourFromLink('?word=emma'), null);
  assert.deepEqual(tourFromLink('?tour=5'), { stop: 5 });
  assert.deepEqual(tourFromLink('?word=x&tour=12'), { stop: 12 });
  for (const bad of ['0', '13', '2.5', 'x', '']) {
    assert.match(tourFromLink(`?tour=${bad}`).error, /not a stop of the tour \(1 to 12\)/);
  }
});
