// Diagnosis steps: the responder puts the scenario's checks in the order they would run them. Drag a
// step, or focus it and press Alt+↑ / Alt+↓ (or the buttons); ↑/↓ move the focus. Every move is
// announced and saved (drill:orderChecks) after a short pause.
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { DrillState } from '../../shared/drills/types';
import { api } from '../data/api';
import { isMac } from '../lib/keys';
import { Kbd } from '../components/ui';
import { STAGE_LABELS, startingOrder } from './format';

const ALT = isMac ? '⌥' : 'Alt';
const SAVE_AFTER_MS = 500;

type SaveState = 'unsaved' | 'pending' | 'saving' | 'saved' | 'error';

export function CheckOrder({ state, onState, locked }: { state: DrillState; onState: (s: DrillState) => void; locked: boolean }) {
  const checks = state.checks;
  const byId = new Map(checks.map((c) => [c.id, c]));
  const serverOrder = state.checkOrder;
  const [order, setOrder] = useState<string[]>(() => serverOrder ?? startingOrder(checks.map((c) => c.id), state.drillId));
  const [save, setSave] = useState<SaveState>(serverOrder ? 'saved' : 'unsaved');
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [drag, setDrag] = useState<{ id: string; over: number | null } | null>(null);
  const focusId = useRef<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(order);
  latest.current = order;

  // Another tab (or the CLI) changed the order and nothing is waiting here: take it.
  const serverKey = serverOrder?.join(',') ?? '';
  useEffect(() => {
    if (!serverOrder) return;
    if (save === 'pending' || save === 'saving') return;
    if (serverOrder.join(',') !== latest.current.join(',')) setOrder(serverOrder);
    setSave('saved');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverKey]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  // Keep focus on the step that moved.
  useEffect(() => {
    if (focusId.current) {
      items.current.get(focusId.current)?.focus();
      focusId.current = null;
    }
  }, [order]);

  async function persist(ids: string[]) {
    setSave('saving');
    setError(null);
    try {
      const next = await api.call('drill:orderChecks', { drillId: state.drillId, checkIds: ids, view: state.view });
      // Newer moves may have happened while saving: those save next.
      if (latest.current.join(',') === ids.join(',')) setSave('saved');
      onState(next);
    } catch (e) {
      setSave('error');
      setError(ApiError.from(e).message);
    }
  }

  function schedule(ids: string[]) {
    setSave('pending');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void persist(latest.current.length ? latest.current : ids);
    }, SAVE_AFTER_MS);
  }

  function move(id: string, to: number, how: 'keyboard' | 'drag' | 'button') {
    if (locked) return;
    const from = order.indexOf(id);
    const target = Math.max(0, Math.min(order.length - 1, to));
    if (from < 0 || from === target) {
      if (how === 'keyboard') setAnnounce(`${byId.get(id)?.title} is already ${target === 0 ? 'first' : 'last'}.`);
      return;
    }
    const next = [...order];
    next.splice(from, 1);
    next.splice(target, 0, id);
    latest.current = next;
    if (how !== 'drag') focusId.current = id;
    setOrder(next);
    setAnnounce(`${byId.get(id)?.title}: moved to position ${target + 1} of ${next.length}.`);
    schedule(next);
  }

  function onKey(e: KeyboardEvent<HTMLLIElement>, id: string, i: number) {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const delta = e.key === 'ArrowUp' ? -1 : 1;
      if (e.altKey) move(id, i + delta, 'keyboard');
      else items.current.get(order[Math.max(0, Math.min(order.length - 1, i + delta))])?.focus();
    } else if (e.altKey && (e.key === 'Home' || e.key === 'End')) {
      e.preventDefault();
      move(id, e.key === 'Home' ? 0 : order.length - 1, 'keyboard');
    }
  }

  function onDragOver(e: DragEvent<HTMLLIElement>, i: number) {
    if (!drag) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const r = e.currentTarget.getBoundingClientRect();
    const slot = e.clientY < r.top + r.height / 2 ? i : i + 1;
    if (drag.over !== slot) setDrag({ ...drag, over: slot });
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    if (!drag || drag.over === null) return setDrag(null);
    const from = order.indexOf(drag.id);
    // The slot counts positions before removal.
    const to = drag.over > from ? drag.over - 1 : drag.over;
    setDrag(null);
    move(drag.id, to, 'drag');
  }

  const saveText: Record<SaveState, string> = {
    unsaved: 'Not saved yet — this is a starting order, not a hint',
    pending: 'Unsaved changes…',
    saving: 'Saving…',
    saved: 'Saved',
    error: 'Not saved',
  };

  return (
    <section className="card drill-checks" aria-labelledby="drill-checks-title" data-testid="drill-checks">
      <header className="card-head">
        <div>
          <h2 className="card-title" id="drill-checks-title">
            Diagnosis steps
          </h2>
          <p className="card-sub">Order the checks the way you would run them, first check first.</p>
        </div>
      </header>
      <div className="card-body">
        <p className="muted small drill-checks-help" id="drill-checks-help">
          Drag a step, or focus it and press <Kbd>{ALT}+↑</Kbd> / <Kbd>{ALT}+↓</Kbd> to move it; <Kbd>↑</Kbd> <Kbd>↓</Kbd> move between steps.
        </p>
        <ol
          className={`drill-steps ${drag ? 'is-dragging' : ''}`}
          aria-label="Diagnosis steps, in order"
          aria-describedby="drill-checks-help"
          data-testid="check-steps"
          onDragOver={(e) => drag && e.preventDefault()}
          onDrop={onDrop}
        >
          {order.map((id, i) => {
            const c = byId.get(id);
            if (!c) return null;
            return (
              <li
                key={id}
                ref={(el) => {
                  if (el) items.current.set(id, el);
                  else items.current.delete(id);
                }}
                className={`drill-step ${drag?.id === id ? 'is-dragged' : ''} ${drag && drag.over === i ? 'drop-before' : ''} ${drag && drag.over === i + 1 && i === order.length - 1 ? 'drop-after' : ''}`}
                tabIndex={0}
                draggable={!locked}
                aria-label={`${i + 1} of ${order.length}: ${c.title}`}
                aria-roledescription="movable step"
                data-testid="check-step"
                data-check-id={id}
                onKeyDown={(e) => onKey(e, id, i)}
                onDragStart={(e) => {
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', id);
                  setDrag({ id, over: null });
                }}
                onDragEnd={() => setDrag(null)}
                onDragOver={(e) => onDragOver(e, i)}
                onDrop={onDrop}
              >
                <span className="drill-step-grip" aria-hidden="true">
                  ⋮⋮
                </span>
                <span className="drill-step-num" aria-hidden="true">
                  {i + 1}
                </span>
                <span className="drill-step-main">
                  <span className="drill-step-title">{c.title}</span>
                  {c.detail && <span className="drill-step-detail">{c.detail}</span>}
                </span>
                <span className="drill-stage" title="Where in the lifecycle this check looks">
                  {STAGE_LABELS[c.stage] ?? c.stage}
                </span>
                <span className="drill-step-btns">
                  <button
                    type="button"
                    className="btn-icon"
                    tabIndex={-1}
                    disabled={locked || i === 0}
                    aria-label={`Move "${c.title}" up`}
                    title={`Move up (${ALT}+↑)`}
                    onClick={() => move(id, i - 1, 'button')}
                    data-testid="check-up"
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn-icon"
                    tabIndex={-1}
                    disabled={locked || i === order.length - 1}
                    aria-label={`Move "${c.title}" down`}
                    title={`Move down (${ALT}+↓)`}
                    onClick={() => move(id, i + 1, 'button')}
                    data-testid="check-down"
                  >
                    ↓
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
        <div className="drill-save-row">
          <span className={`save-state drill-save-${save}`} data-testid="check-order-state" data-state={save}>
            {saveText[save]}
            {save === 'saved' && state.checkOrder && <span className="muted"> · the debrief compares it with the ideal order</span>}
          </span>
          <span className="spacer" />
          {(save === 'unsaved' || save === 'error') && (
            <button type="button" className="btn btn-small" disabled={locked} onClick={() => void persist(order)} data-testid="check-order-save">
              {save === 'error' ? 'Try again' : 'Save this order'}
            </button>
          )}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="visually-hidden" aria-live="assertive" data-testid="check-announce">
          {announce}
        </div>
      </div>
    </section>
  );
}

/** Read-only order (game master, debrief). */
export function OrderList({ ids, state, testid }: { ids: string[]; state: DrillState; testid?: string }) {
  const byId = new Map(state.checks.map((c) => [c.id, c]));
  return (
    <ol className="drill-order-ro" data-testid={testid}>
      {ids.map((id) => (
        <li key={id}>{byId.get(id)?.title ?? id}</li>
      ))}
    </ol>
  );
}
