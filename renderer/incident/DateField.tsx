import { useEffect, useState } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import { Field } from '../components/ui';
import { fromLocalInput, toLocalInput } from '../lib/time';
import type { IncidentCtx } from './ctx';

export function DateField({
  ctx,
  field,
  label,
  nullable,
}: {
  ctx: IncidentCtx;
  field: 'detectedAt' | 'startedAt';
  label: string;
  nullable?: boolean;
}) {
  const value = ctx.inc[field];
  const [draft, setDraft] = useState(toLocalInput(value));
  const [err, setErr] = useState<string | undefined>();
  useEffect(() => setDraft(toLocalInput(value)), [value]);
  async function save() {
    if (draft === toLocalInput(value)) return;
    const iso = fromLocalInput(draft);
    if (!iso && !nullable) {
      setErr('a date and time is required');
      return;
    }
    setErr(undefined);
    try {
      await ctx.mutate('incident:update', { patch: { [field]: iso } as { detectedAt?: string; startedAt?: string | null } });
    } catch (e) {
      const ae = ApiError.from(e);
      setErr(fieldError(ae, field) ?? ae.message);
    }
  }
  return (
    <Field label={label} error={err} testid={`detail-${field}`}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="datetime-local"
          step={1}
          value={draft}
          disabled={ctx.readOnly}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => void save()}
          onKeyDown={(e) => e.key === 'Enter' && void save()}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        />
      )}
    </Field>
  );
}
