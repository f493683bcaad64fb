// How `pmw incident show` prints an incident: shared by the full command bundle (./app-commands.ts) and
// the read-only fast path (./read-commands.ts), so both print the same.
import type { Incident } from '../../shared/domain';
import { ROLES } from '../../shared/domain';
import { formatDuration, PHASE_DEFS } from '../../shared/phases';

export function fmtTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

export function showIncident(inc: Incident): string {
  const lines = [
    `${inc.key}  ${inc.title}`,
    `  ${inc.severity} · ${inc.failureClass} · ${inc.service || '(no service)'} · phase: ${inc.phase}${inc.isDrill ? ' · DRILL' : ''}`,
    `  detected ${fmtTime(inc.detectedAt)}${inc.startedAt ? ` · impact started ${fmtTime(inc.startedAt)}` : ''}`,
    `  TTD ${formatDuration(inc.metrics.timeToDetectMs)}  TTA ${formatDuration(inc.metrics.timeToAcknowledgeMs)}  TTM ${formatDuration(inc.metrics.timeToMitigateMs)}  TTR ${formatDuration(inc.metrics.timeToResolveMs)}`,
  ];
  const roles = ROLES.filter((r) => inc.roles[r]).map((r) => `${r}=${inc.roles[r]}`);
  if (roles.length) lines.push(`  roles: ${roles.join(', ')}`);
  if (inc.impact) lines.push(`  impact: ${inc.impact}`);
  if (inc.hypothesis) lines.push(`  hypothesis: ${inc.hypothesis}`);
  lines.push('', '  Phases:');
  for (const p of inc.phases) {
    lines.push(`    ${PHASE_DEFS[p.phase].label.padEnd(12)} entered ${fmtTime(p.enteredAt)}${p.exitedAt ? `  left ${fmtTime(p.exitedAt)}` : ''}${p.earlyReason ? `  (early: ${p.earlyReason})` : ''}`);
  }
  lines.push('', '  Timeline:');
  for (const e of inc.timeline) lines.push(`    ${fmtTime(e.occurredAt)}  [${e.kind}] ${e.body}${e.editedAt ? ' (edited)' : ''}`);
  return lines.join('\n') + '\n';
}
