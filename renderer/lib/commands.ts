// App-wide commands: from the global keyboard handler, the Electron menu and buttons, to whichever
// screen is listening (the list focuses its search, the incident page focuses its quick-add, …).
import { useEffect, useRef } from 'react';

export type AppCommand =
  | 'new-incident'
  | 'quick-note'
  | 'quick-evidence'
  | 'go-incidents'
  | 'find'
  | 'toggle-theme'
  | 'shortcuts'
  | 'palette'
  | 'backups';

const handlers = new Map<AppCommand, Set<() => boolean | void>>();

/** Run a command; returns true when some listener handled it. */
export function emit(cmd: AppCommand): boolean {
  const set = handlers.get(cmd);
  if (!set || set.size === 0) return false;
  // Newest listener first (the screen on top wins).
  const list = [...set].reverse();
  for (const h of list) if (h() !== false) return true;
  return false;
}

export function useCommand(cmd: AppCommand, handler: () => boolean | void) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const fn = () => ref.current();
    let set = handlers.get(cmd);
    if (!set) handlers.set(cmd, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
    };
  }, [cmd]);
}
