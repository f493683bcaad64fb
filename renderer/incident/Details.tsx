// Every editable field in one place (the gate panel shows only the current phase's).
import type { Input } from '../../shared/api/contract';
import { InlineField } from '../components/InlineField';
import { Section } from '../components/ui';
import { ClassSelect, OriginSelect, SeveritySelect } from './GatePanel';
import type { IncidentCtx } from './ctx';
import { DateField } from './DateField';

type Patch = Input<'incident:update'>['patch'];

export function Details({ ctx }: { ctx: IncidentCtx }) {
  const { inc, readOnly } = ctx;
  const update = (patch: Patch) => ctx.mutate('incident:update', { patch });
  const text = (field: 'title' | 'service' | 'impact' | 'hypothesis' | 'mitigation' | 'resolution' | 'summary' | 'lessons', label: string, multiline = true) => (
    <InlineField
      key={field}
      label={label}
      field={field}
      value={inc[field]}
      multiline={multiline}
      rows={2}
      readOnly={readOnly}
      onSave={(v) => update({ [field]: v } as Patch)}
      testid={`detail-${field}`}
      draftKey={`${inc.key}.details.${field}`}
    />
  );
  return (
    <Section title="All fields" testid="details" className="details">
      <details>
        <summary>Title, severity, class, times, hypothesis, fixes, postmortem</summary>
        <div className="details-body">
          {text('title', 'Title', false)}
          <div className="form-row">
            <SeveritySelect ctx={ctx} id="detail-severity" />
            <ClassSelect ctx={ctx} id="detail-class" />
          </div>
          {text('service', 'Service / affected systems', false)}
          <div className="form-row">
            <DateField ctx={ctx} field="detectedAt" label="Detected at" />
            <DateField ctx={ctx} field="startedAt" label="Start of impact" nullable />
          </div>
          <OriginSelect ctx={ctx} id="detail-origin" />
          {text('impact', 'Impact')}
          {text('hypothesis', 'Root-cause hypothesis')}
          {text('mitigation', 'Temporary fix / rollback')}
          {text('resolution', 'Permanent fix')}
          {text('summary', 'Postmortem summary')}
          {text('lessons', 'Lessons learned')}
        </div>
      </details>
    </Section>
  );
}
