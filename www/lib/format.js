// How the page writes numbers: every format in one place, so that a loss reads the same
// in the status line, the chart's legend, the tour and the tables. Pure: `node --test`
// checks it.

/**
 * A number with `digits` decimals (a loss: 4), or `missing` for none, NaN or ±∞.
 * @param {number | null | undefined} x
 * @param {number} [digits]
 * @param {string} [missing]
 */
export function fixed(x, digits = 4, missing = '–') {
  return x == null || !Number.isFinite(x) ? missing : x.toFixed(digits);
}

/**
 * A number of any size with four decimals, or an exponent for the very small or large
 * (a weight, a gradient): 0.1234, 1.23e-5, 1.23e+4.
 * @param {number} x
 */
export function short(x) {
  return Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(4);
}

/**
 * A colour scale: three significant digits, an exponent for the very small.
 * @param {number} x
 */
export function precision3(x) {
  return x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

/**
 * A signed number with its sign always written (− as a minus sign): four decimals, or
 * an exponent for the very small or large.
 * @param {number} x
 */
export function signed(x) {
  const a = Math.abs(x);
  const body = a !== 0 && (a < 1e-3 || a >= 1000) ? a.toExponential(3) : a.toFixed(4);
  return (x < 0 ? '−' : '+') + body;
}

/**
 * A strength (smoothing k, λ) as short text: 1e−4, 0.0316, 3.16, 100.
 * @param {number} v
 */
export function strengthText(v) {
  if (v === 0) return '0';
  return v < 1e-3 ? Number(v.toPrecision(3)).toExponential().replace('e-', 'e−') : String(Number(v.toPrecision(3)));
}

/**
 * A count in English grouping: 32,257.
 * @param {number} x
 */
export function count(x) {
  return Number.isFinite(x) ? x.toLocaleString('en-US') : '–';
}

/**
 * A count and its noun, singular or plural: "1 word", "32,257 words".
 * @param {number} x
 * @param {string} one
 * @param {string} [many]
 */
export function plural(x, one, many = `${one}s`) {
  return `${count(x)} ${x === 1 ? one : many}`;
}

/**
 * What went wrong, as text, whatever was thrown.
 * @param {unknown} err
 */
export function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A loss as the status line writes it: four decimals, or scientific form past 10,000
 * (a diverged run's 3.6e+70 would otherwise print all 71 digits).
 * @param {number} x
 */
export function lossText(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return Math.abs(x) >= 1e4 ? x.toExponential(3) : x.toFixed(4);
}

/**
 * Text the person wrote (a word, a file's name), marked as isolated from the sentence
 * around it (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE): a right-to-left character
 * in it cannot reorder the page's own words. The panels show a marked part as a <bdi>.
 * @param {string} text
 */
export function isolate(text) {
  return `\u2068${text}\u2069`;
}
