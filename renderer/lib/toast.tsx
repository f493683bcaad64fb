// Toasts in an aria-live region; optional action (Undo). One at a time per id, newest on top.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export interface ToastInput {
  message: string;
  tone?: 'info' | 'success' | 'error';
  action?: { label: string; run: () => void | Promise<void> };
  /** ms; errors and actions stay longer. */
  timeout?: number;
}
interface ToastItem extends ToastInput {
  id: number;
}

const Ctx = createContext<(t: ToastInput) => void>(() => {});

/** The mounted provider's show(), for code outside components (the data layer's global handlers). */
let shown: ((t: ToastInput) => void) | null = null;
export function notify(t: ToastInput) {
  shown?.(t);
}
/** An error already reported in the last few seconds (e.g. by the global CONFLICT handler) is not repeated. */
const REPEAT_MS = 3000;

export function useToast() {
  return useContext(Ctx);
}

let seq = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const recentErrors = useRef<{ message: string; at: number }[]>([]);
  const dismiss = useCallback((id: number) => {
    setItems((xs) => xs.filter((x) => x.id !== id));
    const t = timers.current.get(id);
    if (t) clearTimeout(t);
    timers.current.delete(id);
  }, []);
  const show = useCallback(
    (t: ToastInput) => {
      if (t.tone === 'error') {
        const now = Date.now();
        recentErrors.current = recentErrors.current.filter((x) => now - x.at < REPEAT_MS);
        if (recentErrors.current.some((x) => x.message.includes(t.message) || t.message.includes(x.message))) return;
        recentErrors.current.push({ message: t.message, at: now });
      }
      const id = ++seq;
      setItems((xs) => [...xs.slice(-3), { ...t, id }]);
      const ms = t.timeout ?? (t.action ? 10_000 : t.tone === 'error' ? 8_000 : 4_000);
      timers.current.set(id, setTimeout(() => dismiss(id), ms));
    },
    [dismiss],
  );
  useEffect(() => {
    shown = show;
    const ts = timers.current;
    return () => {
      if (shown === show) shown = null;
      ts.forEach((t) => clearTimeout(t));
    };
  }, [show]);
  return (
    <Ctx.Provider value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite" aria-atomic="false" data-testid="toasts">
        {items.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone ?? 'info'}`} data-testid="toast">
            <span className="toast-msg">{t.message}</span>
            {t.action && (
              <button
                type="button"
                className="btn btn-small"
                onClick={async () => {
                  dismiss(t.id);
                  await t.action!.run();
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}
