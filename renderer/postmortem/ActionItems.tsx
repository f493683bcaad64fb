// Action items of the postmortem: a table edited in place (title, owner, due date, type, status). The
// last row adds one (Enter in any of its fields); delete has Undo; the API's message appears under the
// field it is about; unowned items are highlighted because the review gate wants every item owned.
import { useEffect, useRef, useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError, fieldError } from '../../shared/api/errors';
import { ACTION_ITEM_STATUSES, ACTION_ITEM_STATUS_LABELS, ACTION_ITEM_TYPES, ACTION_ITEM_TYPE_LABELS, type ActionItem, type ActionItemStatus, type ActionItemType } from '../../shared/generators/types';
import { useQueryClient } from '@tanstack/react-query';
import { useDraft } from '../lib/draft';
import { api } from '../data/api';
import { useActionItems } from '../data/hooks';
import { qk } from '../data/keys';
import { sentence } from '../components/ui';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from '../incident/ctx';

type Patch = NonNullable<Input<'action:update'>['patch']>;
type Errors = Partial<Record<'title' | 'owner' | 'dueDate' | 'type' | 'status' | 'row', string>>;

const TYPE_HINTS: Record<ActionItemType, string> = {
  detective: 'Find it sooner next time (alerts, monitors, checks)',
  preventative: 'Stop it happening again (tests, contracts, guards)',
  corrective: 'Fix what broke (the code, data or config itself)',
};

function errorsOf(e: unknown): Errors {
  const err = ApiError.from(e);
  const out: Errors = {};
  for (const f of ['title', 'owner', 'dueDate', 'type', 'status'] as const) {
    const m = fieldError(err, f);
    if (m) out[f] = m;
  }
  if (!Object.keys(out).length) out.row = err.message;
  return out;
}

function FieldError({ id, msg }: { id: string; msg?: string }) {
  if (!msg) return null;
  return (
    <div className="field-error pm-cell-error" id={id} role="alert">
      {sentence(msg)}
    </div>
  );
}

export function ActionItems({ ctx, onChanged }: { ctx: IncidentCtx; onChanged: () => void }) {
  const { inc, readOnly } = ctx;
  const key = inc.key;
  const toast = useToast();
  const q = useActionItems(key);
  const items = q.data ?? null;
  const loadError = q.error ? ApiError.from(q.error).message : null;
  const queryClient = useQueryClient();
  const setItems = (f: (xs: ActionItem[] | null) => ActionItem[] | null) => queryClient.setQueryData<ActionItem[]>(qk.actions(key), (xs) => f(xs ?? null) ?? undefined);
  const reload = () => queryClient.invalidateQueries({ queryKey: qk.actions(key) });

  async function update(a: ActionItem, patch: Patch): Promise<void> {
    const next = await api.call('action:update', { key, id: a.id, patch });
    setItems((xs) => xs?.map((x) => (x.id === a.id ? next : x)) ?? xs);
    onChanged();
  }

  async function remove(a: ActionItem) {
    try {
      await api.call('action:remove', { key, id: a.id });
      setItems((xs) => xs?.filter((x) => x.id !== a.id) ?? xs);
      onChanged();
      toast({
        message: `Deleted action item “${a.title.length > 60 ? `${a.title.slice(0, 60)}…` : a.title}”`,
        action: {
          label: 'Undo',
          run: async () => {
            try {
              await api.call('action:create', { key, title: a.title, owner: a.owner, dueDate: a.dueDate, type: a.type, status: a.status });
              await reload();
              onChanged();
            } catch (e) {
              toast({ message: `Could not restore the action item: ${ApiError.from(e).message}`, tone: 'error' });
            }
          },
        },
      });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  const unowned = items?.filter((a) => !a.owner.trim() && a.status !== 'done').length ?? 0;

  return (
    <section className="pm-actions" aria-labelledby="pm-actions-title" data-testid="action-items">
      <div className="pm-actions-head">
        <h3 id="pm-actions-title" className="pm-subtitle">
          Action items {items && <span className="card-count">{items.length}</span>}
        </h3>
        {unowned > 0 && (
          <span className="pm-unowned-note" data-testid="unowned-count">
            {unowned} without an owner — the review gate wants every open item owned
          </span>
        )}
        <span className="spacer" />
        <span className="muted small">Detective · preventative · corrective, as in the SRE book. Listed in the postmortem when you regenerate it.</span>
      </div>
      {loadError && (
        <div className="banner banner-error" role="alert">
          {loadError}
        </div>
      )}
      <table className="pm-table" data-testid="action-table">
        <thead>
          <tr>
            <th scope="col" className="pm-col-title">
              Action item
            </th>
            <th scope="col" className="pm-col-owner">
              Owner
            </th>
            <th scope="col" className="pm-col-due">
              Due
            </th>
            <th scope="col" className="pm-col-type">
              Type
            </th>
            <th scope="col" className="pm-col-status">
              Status
            </th>
            <th scope="col" className="pm-col-del">
              <span className="visually-hidden">Delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items === null && !loadError && (
            <tr>
              <td colSpan={6} className="muted">
                Loading…
              </td>
            </tr>
          )}
          {items?.length === 0 && (
            <tr className="pm-empty-row">
              <td colSpan={6} className="muted" data-testid="actions-empty">
                No action items yet. What would have caught this sooner, stopped it, or fixed it for good? {readOnly ? '' : 'Add one in the row below.'}
              </td>
            </tr>
          )}
          {items?.map((a) => <ActionRow key={a.id} a={a} readOnly={readOnly} onUpdate={(p) => update(a, p)} onRemove={() => void remove(a)} />)}
          {!readOnly && items && (
            <NewRow
              draftKey={`${key}.action`}
              onCreate={async (input) => {
                const created = await api.call('action:create', { key, ...input });
                setItems((xs) => [...(xs ?? []), created]);
                onChanged();
              }}
            />
          )}
        </tbody>
      </table>
    </section>
  );
}

function ActionRow({ a, readOnly, onUpdate, onRemove }: { a: ActionItem; readOnly: boolean; onUpdate: (p: Patch) => Promise<void>; onRemove: () => void }) {
  const [title, setTitle] = useState(a.title);
  const [owner, setOwner] = useState(a.owner);
  const [errors, setErrors] = useState<Errors>({});
  const editing = useRef<string | null>(null);
  const rid = `ai-${a.id}`;

  useEffect(() => {
    if (editing.current !== 'title') setTitle(a.title);
    if (editing.current !== 'owner') setOwner(a.owner);
  }, [a.title, a.owner]);

  async function save(field: keyof Errors, patch: Patch) {
    setErrors((e) => ({ ...e, [field]: undefined, row: undefined }));
    try {
      await onUpdate(patch);
    } catch (e) {
      setErrors((x) => ({ ...x, ...errorsOf(e) }));
    }
  }

  const text = (field: 'title' | 'owner', value: string, set: (v: string) => void, original: string, placeholder: string) => (
    <>
      <input
        type="text"
        value={value}
        readOnly={readOnly}
        placeholder={placeholder}
        aria-label={field === 'title' ? 'Action item' : `Owner of “${a.title}”`}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `${rid}-${field}-err` : undefined}
        onFocus={() => (editing.current = field)}
        onChange={(e) => set(e.target.value)}
        onBlur={() => {
          editing.current = null;
          if (value !== original) void save(field, { [field]: value });
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (value !== original) void save(field, { [field]: value });
          } else if (e.key === 'Escape' && value !== original) {
            e.preventDefault();
            e.stopPropagation();
            set(original);
            setErrors((x) => ({ ...x, [field]: undefined }));
          }
        }}
        data-testid={`action-${field}`}
      />
      <FieldError id={`${rid}-${field}-err`} msg={errors[field]} />
    </>
  );

  const isUnowned = !a.owner.trim() && a.status !== 'done';
  return (
    <tr className={`pm-action ${isUnowned ? 'is-unowned' : ''} pm-action-${a.status}`} data-testid="action-row" data-id={a.id} data-unowned={isUnowned || undefined}>
      <td>{text('title', title, setTitle, a.title, 'What will be done')}</td>
      <td>{text('owner', owner, setOwner, a.owner, 'Unowned — who?')}</td>
      <td>
        <input
          type="date"
          value={a.dueDate ?? ''}
          readOnly={readOnly}
          aria-label={`Due date of “${a.title}”`}
          aria-invalid={errors.dueDate ? true : undefined}
          onChange={(e) => {
            const v = e.target.value || null;
            if (v !== a.dueDate) void save('dueDate', { dueDate: v });
          }}
          data-testid="action-due"
        />
        <FieldError id={`${rid}-due-err`} msg={errors.dueDate} />
      </td>
      <td>
        <select value={a.type} disabled={readOnly} aria-label={`Type of “${a.title}”`} title={TYPE_HINTS[a.type]} onChange={(e) => void save('type', { type: e.target.value as ActionItemType })} data-testid="action-type">
          {ACTION_ITEM_TYPES.map((t) => (
            <option key={t} value={t} title={TYPE_HINTS[t]}>
              {ACTION_ITEM_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <FieldError id={`${rid}-type-err`} msg={errors.type} />
      </td>
      <td>
        <select value={a.status} disabled={readOnly} aria-label={`Status of “${a.title}”`} onChange={(e) => void save('status', { status: e.target.value as ActionItemStatus })} data-testid="action-status">
          {ACTION_ITEM_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ACTION_ITEM_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <FieldError id={`${rid}-status-err`} msg={errors.status ?? errors.row} />
      </td>
      <td className="pm-col-del">
        {!readOnly && (
          <button type="button" className="btn-icon" onClick={onRemove} aria-label={`Delete action item “${a.title}”`} title="Delete (Undo in the toast)" data-testid="action-delete">
            ×
          </button>
        )}
      </td>
    </tr>
  );
}

function NewRow({ draftKey, onCreate }: { draftKey: string; onCreate: (input: { title: string; owner: string; dueDate: string | null; type: ActionItemType; status: ActionItemStatus }) => Promise<void> }) {
  // The unsent row survives a reload.
  const [title, setTitle] = useDraft(`${draftKey}.title`, '');
  const [owner, setOwner] = useDraft(`${draftKey}.owner`, '');
  const [due, setDue] = useDraft(`${draftKey}.due`, '');
  const [type, setType] = useState<ActionItemType>('preventative');
  const [status, setStatus] = useState<ActionItemStatus>('open');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);

  async function add() {
    if (!title.trim()) {
      setErrors({ title: 'a title is required' });
      titleRef.current?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await onCreate({ title: title.trim(), owner: owner.trim(), dueDate: due || null, type, status });
      setTitle('');
      setOwner('');
      setDue('');
      setStatus('open');
      titleRef.current?.focus();
    } catch (e) {
      setErrors(errorsOf(e));
    } finally {
      setBusy(false);
    }
  }

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void add();
    }
  };

  return (
    <tr className="pm-new-row" data-testid="action-new-row">
      <td>
        <input
          ref={titleRef}
          type="text"
          value={title}
          placeholder="New action item…"
          aria-label="New action item"
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? 'ai-new-title-err' : undefined}
          onChange={(e) => {
            setTitle(e.target.value);
            setErrors((x) => ({ ...x, title: undefined }));
          }}
          onKeyDown={onKey}
          data-testid="action-new-title"
        />
        <FieldError id="ai-new-title-err" msg={errors.title} />
      </td>
      <td>
        <input type="text" value={owner} placeholder="Owner" aria-label="Owner of the new action item" onChange={(e) => setOwner(e.target.value)} onKeyDown={onKey} data-testid="action-new-owner" />
        <FieldError id="ai-new-owner-err" msg={errors.owner} />
      </td>
      <td>
        <input type="date" value={due} aria-label="Due date of the new action item" onChange={(e) => setDue(e.target.value)} onKeyDown={onKey} data-testid="action-new-due" />
        <FieldError id="ai-new-due-err" msg={errors.dueDate} />
      </td>
      <td>
        <select value={type} aria-label="Type of the new action item" onChange={(e) => setType(e.target.value as ActionItemType)} onKeyDown={onKey} data-testid="action-new-type">
          {ACTION_ITEM_TYPES.map((t) => (
            <option key={t} value={t}>
              {ACTION_ITEM_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select value={status} aria-label="Status of the new action item" onChange={(e) => setStatus(e.target.value as ActionItemStatus)} onKeyDown={onKey} data-testid="action-new-status">
          {ACTION_ITEM_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ACTION_ITEM_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <FieldError id="ai-new-row-err" msg={errors.row ?? errors.status ?? errors.type} />
      </td>
      <td className="pm-col-del">
        <button type="button" className="btn btn-small" onClick={() => void add()} disabled={busy} aria-label="Add the action item" data-testid="action-add">
          Add
        </button>
      </td>
    </tr>
  );
}
