// An incident field edited in place: draft kept locally, saved on blur / Enter (Ctrl/Cmd+Enter when
// multi-line), Esc reverts. The API's validation message appears beside the field.
import { useEffect, useRef, useState } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import { modKey } from '../lib/keys';
import { useDraft } from '../lib/draft';
import { Field } from './ui';

export function InlineField({
  label,
  value,
  onSave,
  multiline,
  placeholder,
  field,
  hint,
  testid,
  readOnly,
  rows = 3,
  hideLabel,
  draftKey,
}: {
  label: string;
  value: string;
  onSave: (v: string) => Promise<unknown>;
  multiline?: boolean;
  placeholder?: string;
  /** Field name in the API's validation issues. */
  field: string;
  hint?: string;
  testid?: string;
  readOnly?: boolean;
  rows?: number;
  /** Keep the label for assistive tech only (the gate criterion already says what the field is). */
  hideLabel?: boolean;
  /** Keep an unsaved edit across reloads under this key (lib/draft.ts). */
  draftKey?: string;
}) {
  const [draft, setDraft] = useDraft(draftKey ?? null, value);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | undefined>();
  const focused = useRef(false);
  const dirty = draft !== value;

  // Take server updates when the user is not editing (a draft restored after a reload stays until saved or reverted).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!focused.current) setDraft(value);
  }, [value, setDraft]);

  async function save() {
    if (draft === value) return;
    setState('saving');
    setError(undefined);
    try {
      await onSave(draft);
      setState('saved');
      setTimeout(() => setState((s) => (s === 'saved' ? 'idle' : s)), 1500);
    } catch (e) {
      const err = ApiError.from(e);
      setError(fieldError(err, field) ?? err.message);
      setState('idle');
    }
  }

  const status =
    state === 'saving' ? 'Saving…' : state === 'saved' ? 'Saved' : dirty ? (multiline ? 'Unsaved — Ctrl+Enter or leave the field to save' : 'Unsaved — Enter to save') : '';

  if (readOnly) {
    return (
      <div className="field field-readonly" data-testid={testid}>
        <div className="field-label">{label}</div>
        <div className={`readonly-value ${value ? '' : 'muted'}`}>{value || 'not recorded'}</div>
      </div>
    );
  }

  return (
    <Field label={label} error={error} hint={hint} testid={testid} hideLabel={hideLabel}>
      {({ id, describedBy, invalid }) => {
        const common = {
          id,
          value: draft,
          placeholder,
          'aria-describedby': describedBy,
          'aria-invalid': invalid || undefined,
          'data-testid': testid ? `${testid}-input` : undefined,
          onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
            setDraft(e.target.value);
            setState('idle');
          },
          onFocus: () => {
            focused.current = true;
          },
          onBlur: () => {
            focused.current = false;
            void save();
          },
          onKeyDown: (e: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
            if (e.key === 'Escape' && dirty) {
              e.preventDefault();
              e.stopPropagation();
              setDraft(value);
              setError(undefined);
            } else if (e.key === 'Enter' && (!multiline || modKey(e))) {
              e.preventDefault();
              void save();
            }
          },
        };
        return (
          <div className="inline-field">
            {multiline ? <textarea rows={rows} {...common} /> : <input type="text" autoComplete="off" {...common} />}
            <span className={`save-state ${state}`} aria-live="polite">
              {status}
            </span>
          </div>
        );
      }}
    </Field>
  );
}
