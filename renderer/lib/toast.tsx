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

export function useToast() {
  return useContext(Ctx);
}

let seq = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => {
    setItems((xs) => xs.filter((x) => x.id !== id));
    const t = timers.current.get(id);
    if (t) clearTimeout(t);
    timers.current.delete(id);
  }, []);
  const show = useCallback(
    (t: ToastInput) => {
      const id = ++seq;
      setItems((xs) => [...xs.slice(-3), { ...t, id }]);
      const ms = t.timeout ?? (t.action ? 10_000 : t.tone === 'error' ? 8_000 : 4_000);
      timers.current.set(id, setTimeout(() => dismiss(id), ms));
    },
    [dismiss],
  );
  useEffect(() => () => timers.current.forEach((t) => clearTimeout(t)), []);
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
