// The keyboard shortcuts (www/lib/shortcuts.js): which keydown is a shortcut, and which
// belongs to the person typing or to the focused control.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHORTCUTS, shortcutFor } from '../../www/lib/shortcuts.js';

const body = { tagName: 'BODY', isContentEditable: false, role: null };
const key = (k, extra = {}) => ({ key: k, code: '', target: body, ...extra });

test('on the page itself: Space trains, S steps, R resets, ? helps, Esc leaves', () => {
  assert.equal(shortcutFor(key(' ', { code: 'Space' })), 'train');
  assert.equal(shortcutFor(key('s', { code: 'KeyS' })), 'step');
  assert.equal(shortcutFor(key('S', { code: 'KeyS', shiftKey: true })), 'step', 'Caps Lock or Shift');
  assert.equal(shortcutFor(key('r', { code: 'KeyR' })), 'reset');
  assert.equal(shortcutFor(key('?', { code: 'Slash', shiftKey: true })), 'help');
  assert.equal(shortcutFor(key('Escape')), 'leave');
  for (const other of ['a', 't', 'Enter', 'Tab', 'ArrowUp', '/', 'F5']) assert.equal(shortcutFor(key(other)), null, other);
});

test('typing in a field is never a shortcut, whatever the key', () => {
  const fields = [{ tagName: 'INPUT' }, { tagName: 'SELECT' }, { tagName: 'TEXTAREA' }, { tagName: 'DIV', isContentEditable: true }];
  for (const target of fields) {
    for (const k of [' ', 's', 'r', 'S', '?', 'ArrowLeft', 'ArrowRight']) assert.equal(shortcutFor(key(k, { target })), null, `${k} in ${target.tagName}`);
  }
});

test('the arrows move the tour (main.js takes them only while it runs)', () => {
  assert.equal(shortcutFor(key('ArrowRight')), 'next');
  assert.equal(shortcutFor(key('ArrowLeft')), 'prev');
  assert.equal(shortcutFor(key('ArrowRight', { repeat: true })), null, 'held down');
  assert.equal(shortcutFor(key('ArrowLeft', { altKey: true })), null, 'Alt+← is the browser\'s Back');
});

test('Esc leaves the presentation even from a field: it types nothing', () => {
  assert.equal(shortcutFor(key('Escape', { target: { tagName: 'INPUT' } })), 'leave');
});

test('with Ctrl, Alt or Meta the key is the browser\'s (Ctrl+R reloads, Ctrl+S saves)', () => {
  for (const mod of ['ctrlKey', 'altKey', 'metaKey']) {
    for (const k of [' ', 's', 'r', '?', 'Escape']) assert.equal(shortcutFor(key(k, { [mod]: true })), null, `${mod} ${k}`);
  }
});

test('Space on a focused button presses that button only, so nothing fires twice', () => {
  for (const target of [{ tagName: 'BUTTON' }, { tagName: 'SUMMARY' }, { tagName: 'A' }, { tagName: 'DIV', role: 'button' }, { tagName: 'SPAN', role: 'checkbox' }]) {
    assert.equal(shortcutFor(key(' ', { target })), null, `${target.tagName} ${target.role ?? ''}`);
  }
  // The letters are no button's: they still work there.
  assert.equal(shortcutFor(key('s', { target: { tagName: 'BUTTON' } })), 'step');
  // A focusable canvas (the heatmap) takes arrows, not Space.
  assert.equal(shortcutFor(key(' ', { target: { tagName: 'CANVAS' } })), 'train');
});

test('a held key, a key already handled, or an open list of shortcuts gives nothing', () => {
  assert.equal(shortcutFor(key(' ', { repeat: true })), null);
  assert.equal(shortcutFor(key('s', { repeat: true })), null);
  assert.equal(shortcutFor(key(' ', { defaultPrevented: true })), null, 'e.g. the word table picking a row');
  for (const k of [' ', 's', 'r', '?', 'Escape']) assert.equal(shortcutFor(key(k), { helpOpen: true }), null, k);
});

test('on another layout the physical key counts; on a Latin one the letter does', () => {
  assert.equal(shortcutFor(key('ы', { code: 'KeyS' })), 'step', 'Russian layout');
  assert.equal(shortcutFor(key('к', { code: 'KeyR' })), 'reset');
  // AZERTY: the key labelled "a" sits where QWERTY has "q": no shortcut.
  assert.equal(shortcutFor(key('a', { code: 'KeyQ' })), null);
  assert.equal(shortcutFor(key('s', { code: 'KeyD' })), 'step', 'Dvorak: the letter wins');
});

test('the list names every action once, each with its keys', () => {
  const actions = SHORTCUTS.map((s) => s.action);
  assert.deepEqual(actions, ['train', 'step', 'reset', 'help', 'next', 'prev', 'leave']);
  for (const s of SHORTCUTS) assert.ok(s.keys && s.aria && s.what, s.action);
});
