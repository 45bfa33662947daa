// Every setting of the page in one object, checked as it is typed against the rules the
// library exports (the one place each limit is written). A setting that does not parse
// keeps its last good value; the page says what was wrong. Pure: no DOM, no wasm, so
// `node --test` checks it.

/** The defaults: the lecture's seed, learning rate and L2 strength. */
export const DEFAULTS = Object.freeze({
  seed: '2147483647',
  lr: 50,
  l2: 0.01,
  stepsPerFrame: 1,
  batchSize: 0,
  devPercent: 0,
  sampleCount: 5,
  trainOn: 'all',
  context: '1',
  encoding: 'context',
  splitKind: 'none',
  splitSeed: '42',
  sweepSteps: 100,
});

/** The choices of *Train on*: every training word, or the probe's word alone. */
export const TRAIN_ON = Object.freeze(['all', 'word']);

/** Characters of context: 1 (the bigram), 2 (the trigram of exercise E01), 3. */
export const CONTEXTS = Object.freeze(['1', '2', '3']);
/** How a context of more than one character is fed: one one-hot over the contexts, or one per character side by side. */
export const ENCODINGS = Object.freeze(['context', 'concat']);
/** The split's kind: none (or the held-out %), or makemore's 80/10/10. */
export const SPLIT_KINDS = Object.freeze(['none', '80-10-10']);

/** @type {Readonly<Record<string, string>>} the n-grams with names of their own */
const NGRAMS = Object.freeze({ 1: 'bigram', 2: 'trigram' });

/**
 * The model a context of `len` characters makes, by the n-gram it counts: bigram, trigram, 4-gram.
 * @param {number|string} len
 * @returns {string}
 */
export function modelName(len) {
  return NGRAMS[len] ?? `${Number(len) + 1}-gram`;
}

/**
 * One numeric setting's rule, as the library's `settingRules()` gives it.
 * @typedef {object} SettingRule
 * @property {string} key the setting (a key of DEFAULTS)
 * @property {string} name its name on the page
 * @property {number} min
 * @property {number} max
 * @property {boolean} integer whether it takes whole numbers only
 * @property {boolean} exclusiveMin whether `min` itself is refused
 */

/**
 * Settings as plain data, as snapshots, links and saved views carry them: any keys,
 * any values, each checked when a `Settings` takes it.
 * @typedef {Record<string, unknown>} SettingsSnapshot
 */

/**
 * The settings that are one of a few choices, each with its name and choices.
 * @type {Readonly<Record<string, {name: string, choices: readonly string[]}>>}
 */
const CHOICES = {
  trainOn: { name: 'Train on', choices: TRAIN_ON },
  context: { name: 'Context', choices: CONTEXTS },
  encoding: { name: 'Encoding', choices: ENCODINGS },
  splitKind: { name: 'Split', choices: SPLIT_KINDS },
};

/** Settings that are not numbers: the library checks the seeds where they are used. */
const TEXT_SETTINGS = new Set(['seed', 'splitSeed', ...Object.keys(CHOICES)]);

/**
 * The encoding the net uses: a single character has only the one-hot over contexts.
 * @param {{context: string, encoding: string}} settings
 * @returns {string}
 */
export const effectiveEncoding = (settings) => (settings.context === '1' ? 'context' : settings.encoding);

/** A number written in decimal: digits, an optional point and exponent, an optional sign. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The largest seed: PyTorch's `manual_seed` takes 0 to 2^64 − 1. */
const MAX_SEED = 18446744073709551615n;

/**
 * A seed as typed, checked as the library will check it (so that a seed the library would
 * refuse is marked at once, and never goes into the URL or the saved view).
 * @param {string} name the setting's name as the page shows it
 * @param {string} text
 * @returns {string | null} the error, or null for a good seed
 */
export function seedError(name, text) {
  const why = text === '' ? 'empty'
    : !/^\d+$/.test(text) ? `“${text}” is not a whole number`
      : BigInt(text) > MAX_SEED ? `“${text}” is too large` : null;
  return why && `${name}: ${why}: a seed is a whole number from 0 to ${MAX_SEED}.`;
}

/**
 * Parses one input's text under `rule` ({name, min, max, integer, exclusiveMin}).
 * @param {Omit<SettingRule, 'key'>} rule
 * @param {unknown} text the input's text (made a string)
 * @returns {{value: number} | {error: string}}
 */
export function parseSetting(rule, text) {
  const trimmed = String(text).trim();
  // Decimal only: Number() would also read "0x10" as 16, "0b1" as 1 and "" as 0.
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
  const range = `${rule.exclusiveMin ? 'greater than' : 'at least'} ${rule.min} and at most ${rule.max}`;
  if (trimmed === '' || !Number.isFinite(value)) {
    return { error: `${rule.name}: enter a number ${range}.` };
  }
  // The library keeps these as float32: a value that rounds to the excluded minimum
  // there (a learning rate of 1e-46 is 0 in float32) would fail on every step.
  if (!rule.integer && rule.exclusiveMin && Math.fround(value) <= rule.min && value > rule.min) {
    return { error: `${rule.name}: ${trimmed} is 0 in float32, the precision the net computes in; enter a number ${range}.` };
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
  /**
   * @param {SettingRule[]} rules the library's rules, one per numeric setting
   *   (`settingRules()`); the seed is checked by the library where it is used, and
   *   *Train on* is one of TRAIN_ON
   */
  constructor(rules) {
    this.rules = Object.fromEntries(rules.map((r) => [r.key, r]));
    for (const key of Object.keys(DEFAULTS)) {
      if (!TEXT_SETTINGS.has(key) && !this.rules[key]) throw new Error(`no rule for the setting ${key}`);
    }
    // Each of DEFAULTS, typed (DEFAULTS' own types are its literal values).
    /** @type {string} */ this.seed = DEFAULTS.seed;
    /** @type {number} */ this.lr = DEFAULTS.lr;
    /** @type {number} */ this.l2 = DEFAULTS.l2;
    /** @type {number} */ this.stepsPerFrame = DEFAULTS.stepsPerFrame;
    /** @type {number} */ this.batchSize = DEFAULTS.batchSize;
    /** @type {number} */ this.devPercent = DEFAULTS.devPercent;
    /** @type {number} */ this.sampleCount = DEFAULTS.sampleCount;
    /** @type {string} */ this.trainOn = DEFAULTS.trainOn;
    /** @type {string} */ this.context = DEFAULTS.context;
    /** @type {string} */ this.encoding = DEFAULTS.encoding;
    /** @type {string} */ this.splitKind = DEFAULTS.splitKind;
    /** @type {string} */ this.splitSeed = DEFAULTS.splitSeed;
    /** @type {number} */ this.sweepSteps = DEFAULTS.sweepSteps;
  }

  /**
   * The settings by key (those of DEFAULTS), for the code that goes through them.
   * Cast: a class's fields have no index signature.
   * @returns {Record<string, string|number>}
   */
  byKey() {
    return /** @type {Record<string, string|number>} */ (/** @type {unknown} */ (this));
  }

  /**
   * The settings as plain data, for export and storage.
   * @returns {Record<string, string|number>}
   */
  snapshot() {
    return Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, this.byKey()[k]]));
  }

  /**
   * Takes the settings of a snapshot that parse; the rest keep their values.
   * @param {SettingsSnapshot|null|undefined} snapshot
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
   * Checks `text` against the rule of `key` without taking it.
   * @param {string} key
   * @param {string} text
   * @returns {{value: number} | {error: string}}
   */
  parse(key, text) {
    return parseSetting(this.rules[key], text);
  }

  /**
   * @param {string} key the setting (a key of DEFAULTS)
   * @param {unknown} text its new value as typed (made a string)
   * @returns {string | null} the error message, or null when the setting was taken.
   */
  update(key, text) {
    const values = this.byKey();
    if (key === 'seed' || key === 'splitSeed') {
      // Kept as text: a seed may exceed JavaScript's exact integers.
      const seed = String(text).trim();
      const error = seedError(key === 'seed' ? 'Seed' : 'Split seed', seed);
      if (error) return error;
      this[key] = seed;
      return null;
    }
    const choosing = CHOICES[key];
    if (choosing) {
      const { name, choices } = choosing;
      const choice = String(text).trim();
      if (!choices.includes(choice)) return `${name}: “${choice}” is not a choice; choose ${choices.join(' or ')}.`;
      values[key] = choice;
      return null;
    }
    const parsed = parseSetting(this.rules[key], text);
    if ('error' in parsed) return parsed.error;
    values[key] = parsed.value;
    return null;
  }
}

/**
 * Settings of one link that contradict each other: each is named, and the one that
 * gives way is taken out of `taken` (makemore's 80/10/10 split keeps its own dev and
 * test words, so a held-out % beside it is not taken).
 * @param {Record<string, unknown>} taken the link's settings that parsed
 * @returns {string[]} what was refused, in words
 */
export function linkConflicts(taken) {
  const refused = [];
  if (taken.splitKind === '80-10-10' && Number(taken.devPercent) > 0) {
    refused.push(`devPercent=${taken.devPercent} conflicts with splitKind=80-10-10: makemore's split keeps its own `
      + '10% dev and 10% test words, so Held-out % stays 0.');
    delete taken.devPercent;
  }
  return refused;
}

/**
 * The view as URL query text: every setting (the held-out share among them) plus the
 * extras given (the probe's word), so that a link reproduces the view.
 * @param {Settings} settings
 * @param {Record<string, unknown>} [extra]
 * @returns {string}
 */
export function toQuery(settings, extra) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...settings.snapshot(), ...extra })) {
    params.set(key, String(value));
  }
  return params.toString();
}

/**
 * The settings and extras a URL carries (unknown keys are ignored).
 * @param {string} search the URL's query (`location.search`)
 * @param {string[]} extraKeys the extras to read
 * @returns {{settings: Record<string, string>, extra: Record<string, string>}}
 */
export function fromQuery(search, extraKeys) {
  const params = new URLSearchParams(search);
  /** @param {string[]} keys */
  const pick = (keys) => Object.fromEntries(keys.filter((k) => params.has(k)).map((k) => [k, params.get(k) ?? '']));
  return { settings: pick(Object.keys(DEFAULTS)), extra: pick(extraKeys) };
}

/**
 * Which settings and word the page starts with: the defaults, then the saved view, then
 * what the restored model was trained with (its λ, split, context and Train on: the saved
 * weights belong to them, even if the view was saved apart and disagrees), then what
 * the link says (a link reproduces a view, so it wins; a saved W stays until Reset).
 * `linkTaken` holds the link's settings as accepted (refused ones are left out).
 * @param {object} sources
 * @param {{settings?: SettingsSnapshot, word?: unknown} | null | undefined} sources.savedView
 * @param {SettingsSnapshot | null} [sources.model] the restored model's own settings, or null
 * @param {string | undefined} [sources.modelWord] the word the restored model trains on alone
 * @param {SettingsSnapshot} sources.linkTaken the link's settings as accepted
 * @param {string | undefined} [sources.linkWord] the link's word
 * @returns {{settings: SettingsSnapshot[], word: string | undefined}} snapshots to restore in
 *   order, and the probe's word
 */
export function startupPlan({ savedView, model = null, modelWord, linkTaken, linkWord }) {
  /** @type {SettingsSnapshot[]} */
  const settings = [];
  if (savedView?.settings) settings.push(savedView.settings);
  if (model) settings.push(model);
  settings.push(linkTaken);
  const savedWord = typeof savedView?.word === 'string' ? savedView.word : undefined;
  return { settings, word: linkWord ?? modelWord ?? savedWord };
}

/**
 * The probe's word as typed, made ready for the model: spaces around it left out and,
 * when the vocabulary is lower-case, upper case folded. `note` says what was changed.
 * @param {string} typed
 * @param {boolean} vocabIsLowercase
 * @returns {{word: string, note: string | null}}
 */
export function normaliseWord(typed, vocabIsLowercase) {
  const notes = [];
  let word = typed.trim();
  if (word === '') {
    notes.push('Type a word: an empty word has just the bigram “..” (start, then end).');
  } else if (word !== typed) {
    notes.push('Spaces around the word were left out.');
  }
  // A lower-case vocabulary cannot know upper-case letters: fold, and say so.
  if (vocabIsLowercase && word !== word.toLowerCase()) {
    word = word.toLowerCase();
    notes.push('Upper case was folded to lower case: the vocabulary is lower-case.');
  }
  return { word, note: notes.join(' ') || null };
}
