// The window title while a screen is shown ("INC-0001 · title — Postmortem Workbench"); restored on leave.
import { useEffect } from 'react';

export const APP_TITLE = 'Postmortem Workbench';

export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    if (title) document.title = `${title} — ${APP_TITLE}`;
    return () => {
      document.title = APP_TITLE;
    };
  }, [title]);
}
