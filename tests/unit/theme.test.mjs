// The theme (www/lib/theme.js) and the colours style.css gives each theme: the choice
// checked and kept, and every colour the page and its canvases use readable on its ground.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { THEME_KEY, loadThemeChoice, parseThemeChoice, resolveTheme, saveThemeChoice } from '../../www/lib/theme.js';
import { readPalette, parseRamp } from '../../www/components/draw.js';

/** A Map-backed stand-in for localStorage; `fail` makes every write throw. */
function memoryStorage(fail = false) {
  const map = new Map();
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => {
      if (fail) throw new Error('QuotaExceededError');
      map.set(k, String(v));
    },
    removeItem: (k) => map.delete(k),
  };
}

test('auto follows the system; light and dark override it', () => {
  assert.equal(resolveTheme('auto', true), 'dark');
  assert.equal(resolveTheme('auto', false), 'light');
  assert.equal(resolveTheme('light', true), 'light');
  assert.equal(resolveTheme('dark', false), 'dark');
  assert.equal(resolveTheme('purple', true), 'dark', 'an unknown choice is auto');
  assert.equal(parseThemeChoice(null), 'auto');
  assert.equal(parseThemeChoice('DARK'), 'auto');
});

test('the choice is kept under its own key; auto leaves nothing behind', () => {
  const s = memoryStorage();
  assert.equal(loadThemeChoice(s), 'auto');
  assert.equal(saveThemeChoice(s, 'dark'), null);
  assert.equal(s.map.get(THEME_KEY), 'dark');
  assert.equal(loadThemeChoice(s), 'dark');
  assert.equal(saveThemeChoice(s, 'auto'), null);
  assert.equal(s.map.size, 0);
  s.map.set(THEME_KEY, '<script>');
  assert.equal(loadThemeChoice(s), 'auto', 'something else stored reads as auto');
});

test('storage that refuses or is missing gives auto and a reason, never an exception', () => {
  assert.equal(loadThemeChoice(null), 'auto');
  assert.match(saveThemeChoice(memoryStorage(true), 'dark'), /Quota/);
  assert.equal(typeof saveThemeChoice(null, 'dark'), 'string');
  const throwing = { getItem: () => { throw new Error('SecurityError'); } };
  assert.equal(loadThemeChoice(throwing), 'auto');
});

/**
 * The custom properties style.css sets on :root, for a theme: every `:root { … }` rule,
 * then for dark the `:root[data-theme="dark"]` rule over them; var() resolved.
 */
function cssProperties(theme) {
  const css = readFileSync(new URL('../../www/style.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const props = {};
  const take = (selector) => {
    for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      if (m[1].trim() !== selector) continue;
      for (const d of m[2].matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) props[d[1]] = d[2].trim();
    }
  };
  take(':root');
  if (theme === 'dark') take(':root[data-theme="dark"]');
  const get = (name, depth = 0) => {
    assert.ok(depth < 5 && name in props, `${theme}: ${name} is defined`);
    return props[name].replace(/var\((--[\w-]+)\)/g, (_, inner) => get(inner, depth + 1));
  };
  return get;
}

/** WCAG 2 contrast of two #rrggbb colours. */
function contrast(a, b) {
  const lum = (hex) => {
    const [r, g, bl] = parseRamp(`${hex} ${hex}`)[0].map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

for (const theme of ['light', 'dark']) {
  test(`${theme}: text, buttons and what the canvases draw are readable on their ground`, () => {
    const get = cssProperties(theme);
    const panel = get('--panel');
    // Text: WCAG AA's 4.5:1 at least (the ink far more).
    assert.ok(contrast(get('--ink'), panel) >= 7, 'ink');
    for (const [fg, bg] of [['--muted', '--panel'], ['--muted', '--bg'], ['--bad', '--panel'], ['--bad', '--error-bg'],
      ['--ink', '--info-bg'], ['--ink', '--current-bg'], ['--ink', '--code-bg'], ['--accent-ink', '--accent'],
      ['--accent', '--panel'], ['--ink', '--field']]) {
      const c = contrast(get(fg), get(bg));
      assert.ok(c >= 4.5, `${fg} on ${bg}: ${c.toFixed(2)}`);
    }
    // Lines and marks on the canvases: 3:1, WCAG's figure for graphics; labels drawn in them 4.5:1.
    for (const name of ['--series-train', '--series-dev', '--series-floor', '--series-resample', '--canvas-mark', '--field-border']) {
      const c = contrast(get(name), panel);
      assert.ok(c >= 3, `${name}: ${c.toFixed(2)}`);
    }
    for (const name of ['--canvas-ink', '--canvas-muted', '--series-train', '--series-dev', '--series-floor']) {
      assert.ok(contrast(get(name), panel) >= 4.5, `${name} as text`);
    }
    const colours = readPalette(get);
    for (const key of ['ink', 'muted', 'grid', 'mark', 'off', 'halo', 'train', 'dev', 'floor', 'resample']) {
      assert.ok(colours[key].length > 0, key);
    }
    assert.ok(colours.rampWords.zero && colours.rampWords.full && !colours.rampWords.zero.includes('"'));
  });
}

test('the heatmap\'s ramps start at the ground: white in light, the panel itself in dark', () => {
  const light = readPalette(cssProperties('light'));
  const dark = readPalette(cssProperties('dark'));
  const hex = (rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  // 0 is nearly white in light and the panel's colour in dark, for both signs.
  assert.ok(contrast(hex(light.ramp[0]), '#ffffff') < 1.1);
  assert.ok(contrast(hex(light.negative[0]), '#ffffff') < 1.1);
  assert.equal(hex(dark.ramp[0]), cssProperties('dark')('--panel'));
  assert.equal(hex(dark.negative[0]), cssProperties('dark')('--panel'));
  // The most stands out from the ground by far in both: 7:1 or more.
  assert.ok(contrast(hex(light.ramp.at(-1)), cssProperties('light')('--panel')) >= 7);
  assert.ok(contrast(hex(dark.ramp.at(-1)), cssProperties('dark')('--panel')) >= 7);
  assert.ok(contrast(hex(light.negative.at(-1)), cssProperties('light')('--panel')) >= 7);
  assert.ok(contrast(hex(dark.negative.at(-1)), cssProperties('dark')('--panel')) >= 7);
  // Brightness climbs along the dark ramps (and falls along the light ones) stop by stop.
  const lum = (rgb) => rgb[0] * 0.2126 + rgb[1] * 0.7152 + rgb[2] * 0.0722;
  for (const r of [dark.ramp, dark.negative]) r.slice(1).forEach((c, i) => assert.ok(lum(c) > lum(r[i])));
  for (const r of [light.ramp, light.negative]) r.slice(1).forEach((c, i) => assert.ok(lum(c) < lum(r[i])));
});
