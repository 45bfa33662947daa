// The size budgets that keep the code's shape (docs/architecture.md): the page's entry
// only constructs and connects, no module of the page or the library grows into a second
// wiring module, and the wasm facade stays a layer that converts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every file under `dir` (relative to the root) whose name ends with `ext`. */
function files(dir, ext) {
  const out = [];
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(ext)) out.push(relative(ROOT, full).split('\\').join('/'));
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

const lines = (path) => readFileSync(join(ROOT, path), 'utf8').split('\n').length - 1;

/** The files of `list` longer than `max` lines, as "path: n". */
const over = (list, max) => list.map((f) => [f, lines(f)]).filter(([, n]) => n > max).map(([f, n]) => `${f}: ${n}`);

test('the file lister and the line counter see what is there', () => {
  assert.ok(files('www', '.js').includes('www/main.js'));
  assert.ok(files('src', '.rs').includes('src/lib.rs'));
  assert.ok(lines('www/main.js') > 10);
});

test('main.js only constructs and connects: at most 150 lines', () => {
  assert.ok(lines('www/main.js') <= 150, `www/main.js has ${lines('www/main.js')} lines`);
});

test('no module of the page is over 400 lines', () => {
  assert.deepEqual(over(files('www', '.js'), 400), []);
});

test('no file of the library is over 800 lines, tests apart', () => {
  const library = files('src', '.rs').filter((f) => !f.endsWith('/tests.rs') && !f.includes('/tests/'));
  assert.deepEqual(over(library, 800), []);
});

test('no file of the wasm facade is over 300 lines', () => {
  const facade = files('src/wasm', '.rs');
  assert.ok(facade.length >= 3, `the facade is one file per exported class: ${facade.join(', ')}`);
  assert.deepEqual(over(facade, 300), []);
});
