// The page's keyboard shortcuts, for a teacher at a projector: which key does what, and
// when a key is the person's typing rather than a shortcut. Pure: it is handed a
// description of the key event and answers with an action name; main.js does the action.

/**
 * Every shortcut, in the order the help lists them. `keys` is what the help shows,
 * `aria` the value for aria-keyshortcuts on the control it stands for.
 */
export const SHORTCUTS = Object.freeze([
  { action: 'train', keys: 'Space', aria: 'Space', what: 'Train, or pause training' },
  { action: 'step', keys: 'S', aria: 'S', what: 'One step: forward, backward, update' },
  { action: 'reset', keys: 'R', aria: 'R', what: 'Reset: a new W from the seed' },
  { action: 'help', keys: '?', aria: 'Shift+?', what: 'Show these shortcuts' },
  { action: 'next', keys: '→', aria: 'ArrowRight', what: 'In the tour: the next stop' },
  { action: 'prev', keys: '←', aria: 'ArrowLeft', what: 'In the tour: the previous stop' },
  { action: 'leave', keys: 'Esc', aria: 'Escape', what: 'Leave the tour or the presentation view, or close this list' },
]);

// Sets of possibly missing names (an event's target may have no tag name or role).
/** @type {ReadonlySet<string|null|undefined>} Elements that take typed characters: every key pressed in them is theirs. */
const FIELDS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
/** @type {ReadonlySet<string|null|undefined>} Elements (and roles) that Space presses or toggles themselves. */
const PRESSED_BY_SPACE = new Set(['BUTTON', 'SUMMARY', 'A']);
/** @type {ReadonlySet<string|null|undefined>} */
const SPACE_ROLES = new Set(['button', 'checkbox', 'switch', 'radio', 'link', 'menuitem', 'tab', 'option']);

/**
 * The letter a key stands for: `key` when it is a Latin letter, else the physical key's
 * (`code` "KeyS"), so that the shortcuts work with a Cyrillic or Greek layout too.
 * @param {string} key
 * @param {string} [code]
 * @returns {string|null}
 */
function letterOf(key, code = '') {
  if (/^[a-z]$/i.test(key)) return key.toLowerCase();
  if (key.length === 1 && !/^[\x20-\x7e]$/.test(key) && /^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  return null;
}

/**
 * The action a keydown stands for, or null when the key belongs to someone else.
 * @param {{key: string, code?: string, ctrlKey?: boolean, metaKey?: boolean,
 *   altKey?: boolean, repeat?: boolean, defaultPrevented?: boolean,
 *   target?: {tagName?: string, isContentEditable?: boolean, role?: string|null}}} event
 *   the keydown, as the browser describes it (`role` is the target's role attribute)
 * @param {{helpOpen?: boolean}} [state] whether the shortcuts' list is open: it then
 *   keeps every key (Esc closes it by itself, as a dialog does)
 * @returns {'train'|'step'|'reset'|'help'|'next'|'prev'|'leave'|null}
 */
export function shortcutFor(event, { helpOpen = false } = {}) {
  const { key, code, target = {} } = event;
  if (helpOpen || event.defaultPrevented) return null;
  // Ctrl+R reloads, Ctrl+S saves, Alt+S may be a menu: never take those.
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (key === 'Escape') return 'leave';
  const typing = FIELDS.has(target.tagName) || target.isContentEditable === true;
  // Holding a key down must not toggle training on and off a dozen times a second.
  if (typing || event.repeat) return null;
  if (key === ' ') {
    // A focused button is pressed by Space already: the shortcut would press twice.
    const pressed = PRESSED_BY_SPACE.has(target.tagName) || SPACE_ROLES.has(target.role);
    return pressed ? null : 'train';
  }
  if (key === '?') return 'help';
  if (key === 'ArrowRight') return 'next';
  if (key === 'ArrowLeft') return 'prev';
  const letter = letterOf(key, code);
  if (letter === 's') return 'step';
  if (letter === 'r') return 'reset';
  return null;
}
