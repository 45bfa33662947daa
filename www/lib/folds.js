// The page's folded sections (<details>): which are open, kept in this browser so that a
// section once opened stays open, and which a link opens (`?open=all` for a teacher's
// printout, or the section of a setting the link sets). Pure: `node --test` checks it.

/** The key under which the open sections are kept. */
export const OPEN_KEY = 'bigram-lab/open/v1';

/** The folded sections, and the settings each holds. */
export const FOLDS = Object.freeze({
  'more-settings': ['l2', 'batchSize', 'devPercent', 'trainOn'],
  'exercise-settings': ['context', 'encoding', 'splitKind', 'splitSeed'],
  'l2-note': [],
});

/**
 * The sections kept open in this browser.
 * @param {Pick<Storage, 'getItem'> | null} storage
 * @returns {string[]}
 */
export function loadOpen(storage) {
  try {
    const ids = JSON.parse(storage?.getItem(OPEN_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string' && id in FOLDS) : [];
  } catch {
    return [];
  }
}

/**
 * Keeps the open sections (a browser that refuses storage keeps them for this visit only).
 * @param {Pick<Storage, 'setItem'> | null} storage
 * @param {Iterable<string>} ids
 */
export function saveOpen(storage, ids) {
  try {
    storage?.setItem(OPEN_KEY, JSON.stringify([...ids]));
  } catch {
    // The sections stay open for this visit.
  }
}

/**
 * The sections a link opens: every one for `open=all`, else those holding a setting the
 * link sets (a link to λ = 0.1 shows λ).
 * @param {string} search `location.search`
 * @param {Record<string, unknown>} taken the link's settings that were taken
 * @returns {string[]}
 */
export function foldsForLink(search, taken) {
  if (new URLSearchParams(search).get('open') === 'all') return Object.keys(FOLDS);
  return Object.entries(FOLDS).filter(([, keys]) => keys.some((k) => k in taken)).map(([id]) => id);
}

/** The key under which a closed welcome is remembered. */
export const WELCOME_KEY = 'bigram-lab/welcome/v1';

/**
 * Whether a visit is greeted: a first visit in this browser whose link asks for nothing
 * (no settings, no tour stop, no presentation view, no word).
 * @param {string} search `location.search`
 * @param {Pick<Storage, 'getItem'> | null} storage
 * @param {readonly string[]} settingKeys the settings a link may carry
 */
export function greets(search, storage, settingKeys) {
  const params = new URLSearchParams(search);
  const asks = ['tour', 'present', 'word', ...settingKeys].some((k) => params.has(k));
  let closed = false;
  try {
    closed = storage?.getItem(WELCOME_KEY) === 'closed';
  } catch {
    // A browser that refuses storage greets every visit.
  }
  return !asks && !closed;
}
