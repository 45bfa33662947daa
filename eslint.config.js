// ESLint for the project's JavaScript, run by `cargo xtask test`
// (`xtask/js/node_modules/.bin/eslint .` from the repository root).
//
// ESLint and its packages are the build's npm tools in `xtask/js/` (pinned by its
// lock), not a package at the root, so they are required from there.
//
// No formatter check: the code has a consistent hand-kept style (long lines where a
// sentence of logic reads best, single-line ifs) that Prettier would rewrite throughout,
// for no bug found; the rules below catch what matters.

import { createRequire } from 'node:module';

const require = createRequire(new URL('./xtask/js/package.json', import.meta.url));
const js = require('@eslint/js');
const globals = require('globals');

/** Rules beyond `recommended`: cheap, and each has caught or would catch a real slip. */
const rules = {
  // An argument a callback must take but does not use is named `_…`.
  'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  'no-var': 'error',
  'prefer-const': ['error', { destructuring: 'all' }],
  'no-implicit-globals': 'error',
  'no-shadow-restricted-names': 'error',
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
  'no-unused-private-class-members': 'error',
  'no-use-before-define': ['error', { functions: false, classes: false, variables: true }],
  'no-promise-executor-return': 'error',
  'no-constructor-return': 'error',
  'no-new-wrappers': 'error',
  'no-throw-literal': 'error',
  'no-useless-concat': 'error',
  'no-useless-rename': 'error',
  'object-shorthand': ['error', 'properties'],
  'prefer-object-has-own': 'error',
  radix: 'error',
};

export default [
  {
    // Build output and installed packages.
    ignores: ['pkg/**', 'www/pkg/**', 'dist/**', 'target/**', '**/node_modules/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules,
  },
  {
    files: ['www/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The worker runs in a DedicatedWorkerGlobalScope: no `window` or `document`.
    files: ['www/worker/**/*.js'],
    languageOptions: { globals: globals.worker },
  },
  {
    files: ['tests/**/*.mjs', 'benches/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // Playwright runs the functions these scripts hand to `page.evaluate` in the page.
    files: ['tests/e2e/**/*.mjs', 'benches/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
