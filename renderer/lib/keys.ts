// Keyboard helpers shared by the global shortcut handler and the screens.
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const MOD = isMac ? '⌘' : 'Ctrl';

/** True when the key event happens in a place that takes text (single-key shortcuts must not fire). */
export function isTyping(e: KeyboardEvent | ReactKeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable) return true;
  // Monaco's input element is an ordinary textarea today, but its editors own every key they get.
  if (typeof t.closest === 'function' && t.closest('.monaco-editor')) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

export function modKey(e: KeyboardEvent | ReactKeyboardEvent): boolean {
  return isMac ? e.metaKey : e.ctrlKey;
}

/** Plain key with no modifiers (Shift allowed for characters like ? ). */
export function plain(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey;
}
