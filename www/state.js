// Every setting of the page in one object, checked as it is typed. A setting that does
// not parse keeps its last good value; the page says what was wrong.

/** The defaults: the lecture's seed, learning rate and L2 strength. */
export const DEFAULTS = Object.freeze({
  seed: '2147483647',
  lr: 50,
  l2: 0.01,
  stepsPerFrame: 1,
  batchSize: 0,
  devPercent: 0,
  sampleCount: 5,
});

/** The rules for each numeric input: name shown to the person, and its range. */
const RULES = {
  lr: { name: 'Learning rate', min: 0, exclusiveMin: true, max: 1e9 },
  l2: { name: 'λ (L2)', min: 0, max: 1e6 },
  stepsPerFrame: { name: 'Steps per frame', min: 1, max: 100000, integer: true },
  batchSize: { name: 'Batch size', min: 0, max: 1000000, integer: true },
  devPercent: { name: 'Held-out %', min: 0, max: 50, integer: true },
  sampleCount: { name: 'Names', min: 1, max: 100, integer: true },
};

/**
 * Parses one input's text under the rules for `key`.
 * @returns {{value: number} | {error: string}}
 */
export function parseSetting(key, text) {
  const rule = RULES[key];
  const trimmed = String(text).trim();
  const value = Number(trimmed);
  const range = `${rule.exclusiveMin ? 'greater than' : 'at least'} ${rule.min} and at most ${rule.max}`;
  if (trimmed === '' || !Number.isFinite(value)) {
    return { error: `${rule.name}: enter a number ${range}.` };
  }
  if (rule.integer && !Number.isInteger(value)) {
    return { error: `${rule.name}: enter a whole number ${range}.` };
  }
  const tooSmall = rule.exclusiveMin ? value <= rule.min : value < rule.min;
  if (tooSmall || value > rule.max) {
    return { error: `${rule.name}: ${trimmed} is out of range; enter a number ${range}.` };
  }
  return { value };
}

/** The current good settings; `update` changes one if its text parses. */
export class Settings {
  constructor() {
    Object.assign(this, DEFAULTS);
  }

  /** The settings as plain data, for export and storage. */
  snapshot() {
    return Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, this[k]]));
  }

  /**
   * Takes the settings of a snapshot that parse; the rest keep their values.
   * @returns {string[]} what was refused
   */
  restore(snapshot) {
    const errors = [];
    for (const key of Object.keys(DEFAULTS)) {
      if (snapshot?.[key] === undefined) continue;
      const error = this.update(key, String(snapshot[key]));
      if (error) errors.push(error);
    }
    return errors;
  }

  /**
   * @returns {string | null} the error message, or null when the setting was taken.
   */
  update(key, text) {
    if (key === 'seed') {
      // The seed is checked by the library (it may exceed JavaScript's safe integers).
      this.seed = String(text).trim();
      return null;
    }
    const parsed = parseSetting(key, text);
    if ('error' in parsed) return parsed.error;
    this[key] = parsed.value;
    return null;
  }
}

/**
 * The view as URL query text: every setting (the held-out share among them) plus the
 * extras given (the probe's word), so that a link reproduces the view.
 */
export function toQuery(settings, extra) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...settings.snapshot(), ...extra })) {
    params.set(key, String(value));
  }
  return params.toString();
}

/** The settings and extras a URL carries (unknown keys are ignored). */
export function fromQuery(search, extraKeys) {
  const params = new URLSearchParams(search);
  const pick = (keys) => Object.fromEntries(keys.filter((k) => params.has(k)).map((k) => [k, params.get(k)]));
  return { settings: pick(Object.keys(DEFAULTS)), extra: pick(extraKeys) };
}
