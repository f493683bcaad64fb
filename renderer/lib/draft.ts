// Drafts that survive a reload (and a crash): kept in localStorage under pmw.draft.<key> while they
// differ from the saved value, dropped once saved or cleared. `useDraft` is useState with that memory.
import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'pmw.draft.';

export function readDraft<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function writeDraft<T>(key: string, value: T | undefined) {
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the draft lives as long as the page */
  }
}

/**
 * State remembered across reloads. `empty` is the value that needs no memory (an empty field, the
 * saved text): reaching it removes the stored draft. Pass key null to keep it in memory only.
 */
export function useDraft<T>(key: string | null, empty: T): [T, (v: T | ((old: T) => T)) => void, () => void] {
  const [value, setValue] = useState<T>(() => (key ? (readDraft<T>(key) ?? empty) : empty));
  const emptyRef = useRef(empty);
  emptyRef.current = empty;
  useEffect(() => {
    if (!key) return;
    writeDraft(key, JSON.stringify(value) === JSON.stringify(emptyRef.current) ? undefined : value);
  }, [key, value]);
  // Forget at once: the caller may unmount before the effect above runs (Esc closing a dialog).
  const clear = useCallback(() => {
    if (key) writeDraft(key, undefined);
    setValue(emptyRef.current);
  }, [key]);
  return [value, setValue, clear];
}

/** Per-tab UI memory (open diff, chosen tab, scroll offsets): sessionStorage, JSON. */
export function sessionGet<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function sessionSet(key: string, value: unknown) {
  try {
    if (value === undefined || value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* ignore */
  }
}
