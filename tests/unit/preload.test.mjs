// index.html's preload hints against what the page really loads: every module that
// www/main.js imports, directly or not, and the wasm module, so that all of it is
// fetched at once. A module added to the imports and not to the list would load late
// (no error anywhere); one left in the list after its import went would be fetched for
// nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The relative imports of a module's text (`import … from './x.js'`, `import './x.js'`). */
function importsOf(text) {
  const specs = [...text.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gms)];
  return specs.map((m) => m[1]);
}

/** Every module `entry` (a path from the root) imports, directly or not, as root paths. */
function closure(entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop();
    // pkg/ is built output (absent from a fresh clone until the build): listed, not read.
    if (file.startsWith('pkg/')) continue;
    for (const spec of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
      const path = relative(ROOT, normalize(join(ROOT, dirname(file), spec))).split('\\').join('/');
      if (!seen.has(path)) {
        seen.add(path);
        todo.push(path);
      }
    }
  }
  return seen;
}

test('the import scanner sees both forms of import, and only relative ones', () => {
  const text = "import a, { b } from './a.js';\nimport './side.js';\nimport x from 'node:fs';\n"
    + "import {\n  c,\n} from '../pkg/c.js';\nconst s = 'import y from \"./no.js\"';";
  assert.deepEqual(importsOf(text), ['./a.js', './side.js', '../pkg/c.js']);
});

test('index.html preloads every module main.js imports, and nothing else', () => {
  const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.equal(new Set(preloaded).size, preloaded.length, 'listed twice');
  const imported = closure('www/main.js');
  assert.ok(imported.has('pkg/bigram_lab.js') && imported.has('www/lib/training.js'), [...imported].join(' '));
  assert.deepEqual([...preloaded].sort(), [...imported].sort());
});

test('index.html preloads the wasm module where wasm-bindgen fetches it', () => {
  const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  // wasm-bindgen's glue fetches `new URL('bigram_lab_bg.wasm', import.meta.url)`, beside
  // pkg/bigram_lab.js, with fetch()'s default CORS mode: the hint must match both.
  assert.match(html, /<link rel="preload" href="pkg\/bigram_lab_bg\.wasm" as="fetch" type="application\/wasm" crossorigin>/);
});
