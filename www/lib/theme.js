// Light or dark: the person's choice (kept in this browser under a key of its own) or,
// on "auto", the system's prefers-color-scheme. The colours themselves live in
// style.css; this module only decides which set is in force.

import { reach } from './saved.js';

/** The choices, as the theme selector offers them. */
export const THEME_CHOICES = Object.freeze(['auto', 'light', 'dark']);
/** Where the choice is kept: a preference of this browser, not part of a link or a model. */
export const THEME_KEY = 'bigram-lab/theme/v1';

/**
 * A stored or typed choice, checked: anything unknown is "auto".
 * @param {unknown} text
 * @returns {string} one of THEME_CHOICES
 */
export function parseThemeChoice(text) {
  return THEME_CHOICES.find((choice) => choice === text) ?? 'auto';
}

/**
 * The theme in force for a choice, given whether the system prefers dark.
 * @param {unknown} choice
 * @param {boolean} systemDark
 * @returns {string} "light" or "dark"
 */
export function resolveTheme(choice, systemDark) {
  const checked = parseThemeChoice(choice);
  if (checked === 'auto') return systemDark ? 'dark' : 'light';
  return checked;
}

/**
 * The kept choice ("auto" when there is none, or storage is unavailable).
 * @param {Pick<Storage, 'getItem'>|null|undefined} storage
 * @returns {string}
 */
export function loadThemeChoice(storage) {
  try {
    return parseThemeChoice(storage?.getItem(THEME_KEY));
  } catch {
    return 'auto';
  }
}

/**
 * Keeps the choice; "auto" removes the key, so that following the system is the default
 * and leaves nothing behind.
 * @param {Pick<Storage, 'setItem'|'removeItem'>} storage
 * @param {unknown} choice
 * @returns {string|null} why it could not be kept, or null
 */
export function saveThemeChoice(storage, choice) {
  try {
    const checked = parseThemeChoice(choice);
    if (checked === 'auto') storage.removeItem(THEME_KEY);
    else storage.setItem(THEME_KEY, checked);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * localStorage, or null where the browser refuses it (lib/saved.js's `reach`).
 * @returns {Storage | null}
 */
export const browserStorage = () => /** @type {Storage | null} */ (reach('localStorage'));
