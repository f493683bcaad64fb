// Light and dark themes follow prefers-color-scheme; a manual choice is kept in localStorage.
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'pmw.theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice = stored()) {
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

function systemDark() {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function useTheme() {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  const [sysDark, setSysDark] = useState(systemDark);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const on = () => setSysDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const set = useCallback((c: ThemeChoice) => {
    setChoice(c);
    try {
      if (c === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, c);
    } catch {
      /* private mode */
    }
    applyTheme(c);
  }, []);
  const effective: 'light' | 'dark' = choice === 'system' ? (sysDark ? 'dark' : 'light') : choice;
  /** Flip what is on screen now (menu command, toolbar button). */
  const toggle = useCallback(() => set(effective === 'dark' ? 'light' : 'dark'), [effective, set]);
  return { choice, effective, set, toggle };
}
