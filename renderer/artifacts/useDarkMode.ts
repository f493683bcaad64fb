// The theme actually on screen (the app's choice or the system's), for Monaco's vs / vs-dark.
import { useEffect, useState } from 'react';

function isDark(): boolean {
  const choice = document.documentElement.getAttribute('data-theme');
  if (choice === 'dark') return true;
  if (choice === 'light') return false;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function useDarkMode(): boolean {
  const [dark, setDark] = useState(isDark);
  useEffect(() => {
    const update = () => setDark(isDark());
    const mo = new MutationObserver(update);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener('change', update);
    return () => {
      mo.disconnect();
      mq?.removeEventListener('change', update);
    };
  }, []);
  return dark;
}
