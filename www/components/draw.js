// Drawing helpers the components share: canvas sizing, character and number labels,
// the palette (every colour a canvas uses, read from style.css so that it follows the
// theme), colour ramps, and which points of a long series a chart draws. Every
// component draws with it; the explorer's graph also builds on the strips and one-hot
// pictures of its own components.

/**
 * Sizes a canvas's backing store to its CSS size on this screen; returns the 2D context.
 * @param {HTMLCanvasElement} canvas
 * @param {number} cssWidth
 * @param {number} cssHeight
 * @returns {CanvasRenderingContext2D}
 */
export function fitCanvas(canvas, cssWidth, cssHeight) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(cssWidth * dpr));
  const h = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  // Null only for a canvas that has another kind of context: none here has.
  if (!ctx) throw new Error('this canvas gives no 2D context');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/**
 * An offscreen canvas's 2D context.
 * @param {OffscreenCanvas} canvas
 * @returns {OffscreenCanvasRenderingContext2D}
 */
export function offscreen2d(canvas) {
  const ctx = canvas.getContext('2d');
  // Null only for a canvas that has another kind of context: none here has.
  if (!ctx) throw new Error('this canvas gives no 2D context');
  return ctx;
}

/**
 * How a character is labelled: visible even when it is a space.
 * @param {string} ch
 * @returns {string}
 */
export function label(ch) {
  return ch === ' ' ? '␠' : ch;
}

/**
 * A ramp written in CSS as hex colours, "#f7fbff #c6dbef …", as [[r, g, b], …].
 * @param {string} text
 * @returns {number[][]}
 */
export function parseRamp(text) {
  const stops = (text.match(/#[0-9a-f]{6}\b/gi) ?? []).map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  if (stops.length < 2) throw new Error(`a colour ramp needs two or more #rrggbb stops, not “${text.trim()}”`);
  return stops;
}

/**
 * A ramp sampled at 256 points, as RGB bytes: a lookup per cell instead of maths.
 * @param {number[][]} ramp two or more [r, g, b] stops
 * @returns {Uint8Array}
 */
export function sampleRamp(ramp) {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (ramp.length - 1);
    const k = Math.min(ramp.length - 2, Math.floor(x));
    const f = x - k;
    const [from, to] = [ramp[k], ramp[k + 1]];
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * f);
  }
  return lut;
}

/**
 * The canvases' colours, from the page's CSS custom properties (style.css defines them
 * for the light and the dark theme), so that nothing drawn hard-codes a colour.
 * @param {(name: string) => string} get a custom property's value, e.g. "--canvas-ink"
 */
export function readPalette(get) {
  /** @param {string} name */
  const value = (name) => get(name).trim();
  /** @param {string} name */
  const text = (name) => value(name).replace(/^["']|["']$/g, '');
  const ramp = parseRamp(value('--heat-ramp'));
  const negative = parseRamp(value('--heat-ramp-negative'));
  return {
    ink: value('--canvas-ink'),
    bg: value('--canvas-bg'), // a chart's background, for its PNG
    muted: value('--canvas-muted'),
    grid: value('--canvas-grid'),
    mark: value('--canvas-mark'),
    off: value('--canvas-off'), // an unlit one-hot cell
    halo: value('--canvas-halo'), // behind text drawn over heatmap cells
    train: value('--series-train'),
    dev: value('--series-dev'),
    floor: value('--series-floor'),
    resample: value('--series-resample'),
    fontSize: parseFloat(value('--canvas-font-size')) || 11,
    ramp,
    negative,
    rampWords: { zero: text('--heat-zero-name'), full: text('--heat-full-name') },
    positiveLut: sampleRamp(ramp),
    negativeLut: sampleRamp(negative),
  };
}

/** @typedef {ReturnType<typeof readPalette>} Palette */

/** @type {Palette|null} */
let current = null;

/**
 * The palette in force (read once, until `paletteChanged`).
 * @returns {Palette}
 */
export function palette() {
  if (!current) {
    const style = getComputedStyle(document.documentElement);
    current = readPalette((name) => style.getPropertyValue(name));
  }
  return current;
}

/** After the theme or the presentation view changed: the next `palette()` reads again. */
export function paletteChanged() {
  current = null;
}

/**
 * The colour of `value` as [r, g, b]: |value| / scale on the positive ramp, or on the
 * negative one when `signed` and the value is below 0. √ spreads the many small values
 * over more of the ramp; NaN and a zero scale give the ramp's first stop.
 * @param {number} value
 * @param {number} scale the value that takes the ramp's last stop
 * @param {boolean} signed whether negative values take the negative ramp
 * @param {Palette} [pal]
 * @returns {number[]}
 */
export function colour(value, scale, signed, pal = palette()) {
  const px = new Uint8ClampedArray(4);
  fillPixels([value], scale, signed, px, pal);
  return [px[0], px[1], px[2]];
}

/**
 * `colour` as CSS.
 * @param {number} value
 * @param {number} scale
 * @param {boolean} signed
 * @param {Palette} [pal]
 * @returns {string}
 */
export function css(value, scale, signed, pal = palette()) {
  return `rgb(${colour(value, scale, signed, pal).join(',')})`;
}

/**
 * The largest |x| among the finite values (0 when there is none).
 * @param {Iterable<number>} values
 * @returns {number}
 */
export function maxAbs(values) {
  let m = 0;
  for (const x of values) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return m;
}

/**
 * Writes `colour` of each value into RGBA bytes (an ImageData's), with no allocation.
 * @param {ArrayLike<number>} values
 * @param {number} scale
 * @param {boolean} signed
 * @param {Uint8ClampedArray} data four bytes a value
 * @param {Palette} [pal]
 */
export function fillPixels(values, scale, signed, data, pal = palette()) {
  const { positiveLut, negativeLut } = pal;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const t = Number.isFinite(value) && scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
    const k = t > 0 ? Math.min(255, Math.round(Math.sqrt(t) * 255)) : 0;
    const lut = signed && value < 0 ? negativeLut : positiveLut;
    data[i * 4] = lut[k * 3];
    data[i * 4 + 1] = lut[k * 3 + 1];
    data[i * 4 + 2] = lut[k * 3 + 2];
    data[i * 4 + 3] = 255;
  }
}

/**
 * The characters of context row `row` for `len` characters over a vocabulary of `v`:
 * row = a·v + b for two (a the older), as the library numbers its contexts.
 * @param {number} row
 * @param {number} len
 * @param {number} v
 * @returns {number[]} the `len` character indices, oldest first
 */
export function contextDigits(row, len, v) {
  /** @type {number[]} */
  const digits = new Array(len);
  let rest = row;
  for (let i = len - 1; i >= 0; i--) {
    digits[i] = rest % v;
    rest = Math.floor(rest / v);
  }
  return digits;
}

/**
 * Context row `row` as text, e.g. "em" (each character labelled as `label` does).
 * @param {number} row
 * @param {number} len
 * @param {readonly string[]} vocab
 * @returns {string}
 */
export function contextLabel(row, len, vocab) {
  return contextDigits(row, len, vocab.length).map((i) => label(vocab[i])).join('');
}

/**
 * Which points of a long series a chart draws: the indices of the first point in each
 * of `buckets` equal slices of [lo, hi] as the axis measures it (`fwd` maps an x onto
 * the axis: the identity, or Math.asinh for a log-like axis), the last point before lo
 * and the first after hi (so the line reaches the edges), the last point in range, and
 * every point at each x of `keep` whose unit [x, x + 1) meets the range (a resample's
 * points: the W before it and each try, which the loss chart draws side by side in
 * that unit). Points, not averages, so every value drawn or read out is one that was
 * measured. `xs` is in nondecreasing order; O(buckets · log n) whatever the length,
 * plus the points kept.
 * @param {ArrayLike<number>} xs
 * @param {number} lo
 * @param {number} hi
 * @param {number} buckets
 * @param {(x: number) => number} [fwd]
 * @param {readonly number[]} [keep]
 * @returns {number[]} increasing indices into xs
 */
export function thin(xs, lo, hi, buckets, fwd = (x) => x, keep = []) {
  const n = xs.length;
  /**
   * The first index whose x is on the axis at or past t (strictly past when `after`).
   * @param {number} t
   * @param {boolean} after
   * @param {number} a where to start (0 when left out)
   */
  const search = (t, after, a = 0) => {
    let b = n;
    while (a < b) {
      const m = (a + b) >>> 1;
      const f = fwd(xs[m]);
      if (f < t || (after && f === t)) a = m + 1;
      else b = m;
    }
    return a;
  };
  const f0 = fwd(lo);
  const span = fwd(hi) - f0;
  const start = search(f0, false);
  const end = search(fwd(hi), true);
  /** @type {number[]} */
  const out = [];
  if (start > 0) out.push(start - 1);
  /** @param {number} k */
  const edge = (k) => f0 + (k * span) / buckets; // where slice k begins
  for (let i = start; i < end;) {
    out.push(i);
    const at = fwd(xs[i]);
    let next = span > 0 ? Math.floor(((at - f0) / span) * buckets) + 1 : buckets;
    while (next < buckets && edge(next) <= at) next += 1; // rounding must not pick a slice twice
    i = next < buckets ? search(edge(next), false, i + 1) : end;
  }
  if (end > start) out.push(end - 1);
  if (end < n) out.push(end);
  for (const x of new Set(keep)) {
    if (!(x <= hi && x + 1 > lo)) continue;
    for (let i = search(fwd(x), false); i < n && xs[i] === x; i++) out.push(i);
  }
  return [...new Set(out)].filter((i) => i >= 0 && i < n).sort((a, b) => a - b);
}

/**
 * A uPlot axis (a plain options object) in the palette's colours, read at every redraw
 * so that a theme change shows: what both charts' axes share.
 * @param {string} label
 * @param {object} [more] further uPlot axis options
 */
export function plotAxis(label, more = {}) {
  return {
    label,
    labelSize: 20,
    ...more,
    stroke: () => palette().muted,
    grid: { stroke: () => palette().grid, width: 1 },
    ticks: { stroke: () => palette().grid, width: 1 },
  };
}
