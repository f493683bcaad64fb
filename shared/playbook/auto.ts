// Checklist items the record already answers (issue 11): they tick themselves and say why. Only
// items whose answer is in the data — a commander named, the impact written, a report logged as comms,
// both runs' artifacts captured, the mitigation verified, every action item owned and dated. The rest
// stays a human's call. Pure TypeScript.
import type { Artifact, Finding } from '../artifacts';
import type { Incident, Phase } from '../domain';
import { SEVERITY_LABELS } from '../domain';
import type { ActionItem } from '../generators/types';
import { checklistFor } from './index';

export interface AutoContext {
  artifacts?: Pick<Artifact, 'role' | 'name'>[] | null;
  findings?: Pick<Finding, 'role' | 'status' | 'title'>[] | null;
  actions?: Pick<ActionItem, 'owner' | 'dueDate'>[] | null;
}

type Rule = (inc: Incident, x: AutoContext) => string | null;

const filled = (s: string | null | undefined) => !!s && s.trim().length > 0;
const first = (s: string) => s.split(/[,;]/)[0].trim();

const captured: Rule = (_inc, x) => {
  const a = x.artifacts ?? [];
  const lkg = a.filter((y) => y.role === 'last-known-good');
  const bad = a.filter((y) => y.role === 'failing');
  return lkg.length && bad.length ? `${lkg.length} last-known-good and ${bad.length} failing artifact${bad.length === 1 ? '' : 's'} captured` : null;
};

/** Item id → what in the record answers it (null: not answered yet). Same ids across classes mean the same thing. */
const RULES: Record<string, Rule> = {
  'own-page': (inc) => (filled(inc.roles.incident_commander) ? `commander: ${first(inc.roles.incident_commander)}` : null),
  'impact-line': (inc) => (filled(inc.impact) ? 'impact written down' : null),
  'set-severity': (inc) => `${inc.severity} (${SEVERITY_LABELS[inc.severity].split(' — ')[0]}) chosen when it was opened`,
  'post-initial-report': (inc) => {
    const c = inc.timeline.find((e) => e.kind === 'comms');
    return c ? 'a report is logged as comms on the timeline' : null;
  },
  'capture-samples': captured,
  'capture-freeze': captured,
  'capture-manifests': captured,
  'verify-mitigation': (inc) => (inc.mitigationVerifiedAt ? 'mitigation marked verified' : null),
  'verify-serving': (inc) => (inc.mitigationVerifiedAt ? 'mitigation marked verified' : null),
  'verify-rollback': (inc) => (inc.mitigationVerifiedAt ? 'mitigation marked verified' : null),
  'verify-segments': (inc) => (inc.mitigationVerifiedAt ? 'mitigation marked verified' : null),
  'verify-kpi': (inc) => (inc.mitigationVerifiedAt ? 'mitigation marked verified' : null),
  'detection-gap': (_inc, x) => {
    const g = (x.findings ?? []).filter((f) => f.role === 'detection_gap' && f.status !== 'rejected');
    return g.length ? `detection gap recorded: ${g[0].title}` : null;
  },
  'owners-dates': (_inc, x) => {
    const a = x.actions ?? [];
    return a.length && a.every((y) => filled(y.owner) && !!y.dueDate) ? `all ${a.length} action item${a.length === 1 ? '' : 's'} owned and dated` : null;
  },
};

/** For one phase of the incident's class: item id → the reason the record answers it. */
export function autoChecked(inc: Incident, phase: Phase, x: AutoContext = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of checklistFor(inc.failureClass, phase)) {
    const r = RULES[it.id]?.(inc, x);
    if (r) out[it.id] = r;
  }
  return out;
}
