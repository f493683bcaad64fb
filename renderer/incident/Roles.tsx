import { ROLES, ROLE_LABELS, type Role } from '../../shared/domain';
import { InlineField } from '../components/InlineField';
import { Section } from '../components/ui';
import type { IncidentCtx } from './ctx';

const HINTS: Record<Role, string> = {
  incident_commander: 'Owns decisions and the flow',
  scribe: 'Keeps the timeline',
  comms_lead: 'Updates stakeholders',
  ops_lead: 'Hands on keyboard',
};

export function Roles({ ctx }: { ctx: IncidentCtx }) {
  return (
    <Section title="Roles" testid="roles" className="roles">
      <div className="roles-grid">
        {ROLES.map((r) => (
          <InlineField
            key={r}
            label={ROLE_LABELS[r]}
            field="person"
            value={ctx.inc.roles[r] ?? ''}
            placeholder={HINTS[r]}
            readOnly={ctx.readOnly}
            onSave={(v) => ctx.mutate('incident:setRole', { role: r, person: v })}
            testid={`role-${r}`}
          />
        ))}
      </div>
    </Section>
  );
}
