// Drill runner (issue 5, DESIGN §8): a drill IS an incident flagged isDrill running the same six-phase flow
// (IncidentService); this service adds the scenario, evidence cards released solo or by a game master,
// the responder's classification / check order / actions / mitigation, scoring, debrief, history,
// reports, and scenarios built from resolved incidents.
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import type { IncidentService } from './incidents';
import type { ArtifactService } from './artifacts';
import { ApiError, type FieldIssue } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import { PHASES, type FailureClass, type Incident, type Phase } from '../../shared/domain';
import { scenarioLibrary, scenarioById, scenarioListItem } from '../../shared/scenarios/index';
import { parseScenario, ScenarioParseError, type EvidenceCard, type Scenario, type ScenarioIssue } from '../../shared/scenarios/schema';
import { phaseBudgetMinutes, scoreDrill, trendOf } from '../../shared/drills/scoring';
import { buildDebrief } from '../../shared/drills/debrief';
import { drillReportFileName, drillReportMarkdown } from '../../shared/drills/report';
import { buildScenarioFromIncident, scenarioFileContent, scenarioFilePath, validateScenario, type ArtifactText } from '../../shared/drills/fromIncident';
import { redactDeep, redactText } from '../../shared/redact/index';
import { incidentIdOf } from '../store/incidentRef';
import { rows, toDrillActionRecord, toDrillCardRecord, type CustomScenarioRow, type DrillActionRow, type DrillCardRow, type DrillRow, type DrillWithKeyRow } from '../store/rows';
import type {
  CardReleasedBy, DrillActionRecord, DrillCardRecord, DrillCardView, DrillDebrief, DrillHistory, DrillReport,
  DrillScenarioListItem, DrillScore, DrillState, DrillUnchanged, DrillView, ScenarioFile, ScenarioFromIncidentResult,
} from '../../shared/drills/types';


/**
 * The drill incident's failure class before the responder classifies. The incidents table needs one; the
 * same value for every scenario so it gives nothing away: every drill starts from a symptom seen in
 * production, i.e. live behaviour. The scored answer is the drill's own classification (null until
 * drill:classify, which also updates the incident).
 */
export const DRILL_INITIAL_CLASS: FailureClass = 'live_behaviour';

interface Loaded {
  row: DrillWithKeyRow;
  scenario: Scenario;
  incident: Incident;
  cards: Map<string, DrillCardRecord>;
  actions: DrillActionRecord[];
}

/** A line of `drill:history`. */
type HistoryRow = Pick<DrillRow, 'id' | 'participant' | 'scenario_id' | 'mode' | 'started_at' | 'finished_at' | 'score' | 'score_json'> & {
  scenario_title: string | null;
  key: string;
};

const issuesToFields = (issues: ScenarioIssue[]): FieldIssue[] => issues.map((i) => ({ field: i.path, message: i.message }));

export class DrillService {
  constructor(
    private db: Db,
    private incidents: IncidentService,
    private artifacts: ArtifactService,
    private now: () => string = () => new Date().toISOString(),
  ) {}

  // ── Scenarios ────────────────────────────────────────────────────────────────────────────────

  private customRow(id: string): CustomScenarioRow | undefined {
    return rows<CustomScenarioRow>(this.db, 'SELECT * FROM custom_scenarios WHERE id = ?').get(id);
  }

  private parseCustom(r: CustomScenarioRow): Scenario {
    return parseScenario(r.json, `${r.id}.json`);
  }

  /** A library scenario, else a custom one. */
  scenario(id: string): { scenario: Scenario; custom: boolean } {
    const lib = scenarioById(id);
    if (lib) return { scenario: lib, custom: false };
    const r = this.customRow(id);
    if (!r) throw new ApiError('NOT_FOUND', `No drill scenario "${id}"`, { issues: [{ field: 'scenarioId', message: `no scenario ${id}` }] });
    try {
      return { scenario: this.parseCustom(r), custom: true };
    } catch (e) {
      const issues = e instanceof ScenarioParseError ? issuesToFields(e.issues) : [];
      throw new ApiError('VALIDATION', `Stored scenario "${id}" no longer validates: ${(e as Error).message}`, { issues });
    }
  }

  scenarios(): DrillScenarioListItem[] {
    const out: DrillScenarioListItem[] = scenarioLibrary().map((s) => ({ ...scenarioListItem(s), custom: false }));
    for (const r of rows<CustomScenarioRow>(this.db, 'SELECT * FROM custom_scenarios ORDER BY created_at, id').all()) {
      try {
        out.push({ ...scenarioListItem(this.parseCustom(r)), custom: true });
      } catch {
        // A stored scenario that no longer validates is left out of the list; scenario(id) names its problems.
      }
    }
    return out;
  }

  exportScenario(id: string): ScenarioFile {
    const { scenario } = this.scenario(id);
    return { scenarioId: scenario.id, path: scenarioFilePath(scenario.id), content: redactText(scenarioFileContent(scenario)) };
  }

  fromIncident(input: ParsedInput<'scenario:fromIncident'>): ScenarioFromIncidentResult {
    const inc = this.incidents.get(input.key);
    if (inc.isDrill) throw new ApiError('CONFLICT', `${inc.key} is a drill; build scenarios from real incidents`);
    if (inc.phase !== 'review' && inc.phase !== 'closed') {
      throw new ApiError('CONFLICT', `${inc.key} is not resolved yet (phase ${inc.phase}); a scenario is built from an incident in review or closed`, {
        issues: [{ field: 'key', message: 'incident not resolved' }],
      });
    }
    const texts: ArtifactText[] = this.artifacts.list(inc.key).map((a) => {
      const c = this.artifacts.content(inc.key, a.id);
      return { artifact: a, text: c.binary ? null : c.text, truncated: c.truncated };
    });
    const built = buildScenarioFromIncident(inc, texts, {
      ...input,
      expected: {
        failureClass: input.expected.failureClass,
        rootCauseOrigin: input.expected.rootCauseOrigin,
        rootCause: input.expected.rootCause.trim(),
        ...(input.expected.acceptableClasses?.length ? { acceptableClasses: input.expected.acceptableClasses } : {}),
        ...(input.expected.acceptableOrigins?.length ? { acceptableOrigins: input.expected.acceptableOrigins } : {}),
      },
    });
    // Artifact texts come masked (artifacts.content); the incident's own text is redacted here.
    const draft = redactDeep(built.draft);
    const issues: ScenarioIssue[] = [...built.issues];
    if (scenarioById(draft.id)) issues.push({ path: 'id', message: `"${draft.id}" is a library scenario; choose another id` });
    const existing = this.customRow(draft.id);
    if (existing) {
      if (!input.overwrite) issues.push({ path: 'id', message: `a custom scenario "${draft.id}" exists; pass overwrite to replace it` });
      else {
        try {
          draft.version = this.parseCustom(existing).version + 1;
        } catch {
          draft.version = 2;
        }
      }
    }
    const v = validateScenario(draft);
    issues.push(...v.issues);
    const file = { scenarioId: draft.id, path: scenarioFilePath(draft.id), content: scenarioFileContent(v.scenario ?? draft) };
    const result: ScenarioFromIncidentResult = {
      ...file,
      saved: false,
      valid: issues.length === 0,
      issues,
      scenario: v.scenario ?? draft,
      cardSources: built.cardSources,
      skipped: built.skipped,
    };
    if (input.dryRun) return result;
    if (issues.length) {
      throw new ApiError('VALIDATION', `The scenario from ${inc.key} is not valid — ${issues[0].path}: ${issues[0].message}`, { issues: issuesToFields(issues) });
    }
    const now = this.now();
    const incId = incidentIdOf(this.db, inc.key);
    this.db
      .prepare(
        `INSERT INTO custom_scenarios (id, json, source_incident_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET json = excluded.json, source_incident_id = excluded.source_incident_id, updated_at = excluded.updated_at`,
      )
      .run(draft.id, JSON.stringify(v.scenario), incId, now, now);
    return { ...result, saved: true };
  }

  // ── Drill rows ───────────────────────────────────────────────────────────────────────────────

  private drillRow(ref: number | string): DrillWithKeyRow {
    const r =
      typeof ref === 'number'
        ? rows<DrillWithKeyRow>(this.db, 'SELECT d.*, i.key AS incident_key FROM drills d JOIN incidents i ON i.id = d.incident_id WHERE d.id = ?').get(ref)
        : rows<DrillWithKeyRow>(this.db, 'SELECT d.*, i.key AS incident_key FROM drills d JOIN incidents i ON i.id = d.incident_id WHERE i.key = ?').get(ref);
    if (!r) throw new ApiError('NOT_FOUND', `No drill ${typeof ref === 'number' ? `#${ref}` : ref}`, { issues: [{ field: 'drillId', message: 'no such drill' }] });
    return r;
  }

  private load(ref: number | string): Loaded {
    const row = this.drillRow(ref);
    const scenario = JSON.parse(row.scenario_json) as Scenario;
    const cards = new Map(
      rows<DrillCardRow>(this.db, 'SELECT * FROM drill_cards WHERE drill_id = ?').all(row.id).map((r) => [r.card_id, toDrillCardRecord(r)]),
    );
    const actions = rows<DrillActionRow>(this.db, 'SELECT * FROM drill_actions WHERE drill_id = ? ORDER BY taken_at, rowid').all(row.id).map<DrillActionRecord>(toDrillActionRecord);
    return { row, scenario, incident: this.incidents.get(row.incident_key), cards, actions };
  }

  private open(ref: number | string): Loaded {
    const d = this.load(ref);
    if (d.row.finished_at) throw new ApiError('CONFLICT', `Drill #${d.row.id} is finished; start a new one to try again`);
    return d;
  }

  private bump(drillId: number): void {
    this.db.prepare('UPDATE drills SET revision = revision + 1, updated_at = ? WHERE id = ?').run(this.now(), drillId);
  }

  private phaseOf(inc: Incident): Phase {
    return inc.phase === 'closed' ? 'review' : inc.phase;
  }

  private card(s: Scenario, cardId: string): EvidenceCard {
    const c = s.evidence.find((x) => x.id === cardId);
    if (!c) throw new ApiError('VALIDATION', `No evidence card "${cardId}" in this scenario`, { issues: [{ field: 'cardId', message: `unknown card ${cardId}` }] });
    return c;
  }

  /** Release a card: artifact pairs become two artifacts on the drill incident; the timeline records it. */
  private release(d: Loaded, card: EvidenceCard, by: CardReleasedBy): void {
    const key = d.incident.key;
    const now = this.now();
    let before: number | null = null;
    let after: number | null = null;
    if (card.kind === 'artifact-pair') {
      before = this.artifacts.addText({ key, role: 'last-known-good', name: card.before.name, label: card.id, kind: card.before.kind, text: card.before.content }).id;
      after = this.artifacts.addText({ key, role: 'failing', name: card.after.name, label: card.id, kind: card.after.kind, text: card.after.content }).id;
    }
    this.db
      .prepare(
        `INSERT INTO drill_cards (drill_id, card_id, released_at, released_by, before_artifact_id, after_artifact_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(drill_id, card_id) DO UPDATE SET released_at = excluded.released_at, released_by = excluded.released_by,
           before_artifact_id = excluded.before_artifact_id, after_artifact_id = excluded.after_artifact_id`,
      )
      .run(d.row.id, card.id, now, by, before, after);
    const requested = d.cards.get(card.id)?.requestedAt;
    const body =
      by === 'start'
        ? `Evidence available at the start: "${card.title}" [${card.id}].`
        : by === 'request'
          ? `Evidence card requested and released: "${card.title}" [${card.id}] (reveal cost ${card.revealCost} s).`
          : `The game master released evidence card "${card.title}" [${card.id}]${requested ? '' : ' (not requested)'}.`;
    this.incidents.addEvent({ key, kind: 'evidence', body });
  }

  // ── The drill ────────────────────────────────────────────────────────────────────────────────

  start(input: ParsedInput<'drill:start'>): DrillState {
    const { scenario, custom } = this.scenario(input.scenarioId);
    const participant = input.participant.trim();
    const id = writeTx(this.db, () => {
      const inc = this.incidents.create({
        title: `Drill: ${scenario.title}`.slice(0, 200),
        severity: scenario.severity,
        failureClass: DRILL_INITIAL_CLASS,
        service: scenario.service,
        isDrill: true,
      });
      // The participant owns the drill incident (acknowledge gate: "someone owns it").
      this.incidents.setRole({ key: inc.key, role: 'incident_commander', person: participant });
      this.incidents.addEvent({
        key: inc.key,
        kind: 'note',
        body: `Drill started (${input.mode === 'gm' ? 'game-master' : 'solo'} mode) for ${participant}: "${scenario.title}" v${scenario.version}.\n\n${scenario.briefing}`,
      });
      const now = this.now();
      const incId = incidentIdOf(this.db, inc.key);
      const info = this.db
        .prepare(
          `INSERT INTO drills (incident_id, scenario_id, scenario_version, scenario_custom, scenario_json, mode, participant, started_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(incId, scenario.id, scenario.version, custom ? 1 : 0, JSON.stringify(scenario), input.mode, participant, inc.createdAt, now);
      const drillId = Number(info.lastInsertRowid);
      const d = this.load(drillId);
      for (const c of scenario.evidence) if (c.initiallyVisible) this.release(d, c, 'start');
      return drillId;
    });
    return this.state(this.load(id), input.view ?? (input.mode === 'gm' ? 'gm' : 'responder'));
  }

  get(input: ParsedInput<'drill:get'>): DrillState | DrillUnchanged {
    if (input.sinceRevision !== undefined) {
      const r = this.drillRow(input.drillId);
      if (r.revision === input.sinceRevision) return { unchanged: true, drillId: r.id, revision: r.revision };
    }
    return this.state(this.load(input.drillId), input.view);
  }

  requestCard(input: ParsedInput<'drill:requestCard'>): DrillState {
    const d = this.open(input.drillId);
    const card = this.card(d.scenario, input.cardId);
    const rec = d.cards.get(card.id);
    const view = input.view ?? 'responder';
    if (rec?.releasedAt || rec?.requestedAt) return this.state(d, view); // already asked for or visible
    writeTx(this.db, () => {
      const now = this.now();
      this.db
        .prepare('INSERT INTO drill_cards (drill_id, card_id, requested_at, requested_phase) VALUES (?, ?, ?, ?)')
        .run(d.row.id, card.id, now, this.phaseOf(d.incident));
      d.cards.set(card.id, { cardId: card.id, requestedAt: now, requestedPhase: this.phaseOf(d.incident), releasedAt: null, releasedBy: null, artifactIds: null });
      if (d.row.mode === 'solo') this.release(d, card, 'request');
      else this.incidents.addEvent({ key: d.incident.key, kind: 'note', body: `Requested evidence card "${card.title}" [${card.id}] from the game master.` });
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), view);
  }

  releaseCard(input: ParsedInput<'drill:releaseCard'>): DrillState {
    const d = this.open(input.drillId);
    if (d.row.mode !== 'gm') throw new ApiError('CONFLICT', `Drill #${d.row.id} is solo: cards are released when the responder requests them`);
    const card = this.card(d.scenario, input.cardId);
    const view = input.view ?? 'gm';
    if (d.cards.get(card.id)?.releasedAt) return this.state(d, view);
    writeTx(this.db, () => {
      this.release(d, card, 'gm');
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), view);
  }

  classify(input: ParsedInput<'drill:classify'>): DrillState {
    const d = this.open(input.drillId);
    const origin = input.rootCauseOrigin ?? null;
    writeTx(this.db, () => {
      const now = this.now();
      this.db
        .prepare('UPDATE drills SET failure_class = ?, root_cause_origin = ?, classified_at = ? WHERE id = ?')
        .run(input.failureClass, origin, now, d.row.id);
      this.incidents.update({ key: d.incident.key, patch: { failureClass: input.failureClass, rootCauseOrigin: origin } });
      this.incidents.addEvent({
        key: d.incident.key,
        kind: 'decision',
        body: `Classified the failure: ${input.failureClass}${origin ? `, root-cause origin ${origin}` : ''}.`,
      });
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), input.view ?? 'responder');
  }

  orderChecks(input: ParsedInput<'drill:orderChecks'>): DrillState {
    const d = this.open(input.drillId);
    const known = new Map(d.scenario.checks.map((c) => [c.id, c]));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    input.checkIds.forEach((id, i) => {
      if (!known.has(id)) issues.push({ field: `checkIds.${i}`, message: `unknown check "${id}"` });
      else if (seen.has(id)) issues.push({ field: `checkIds.${i}`, message: `check "${id}" listed twice` });
      seen.add(id);
    });
    const missing = d.scenario.checks.filter((c) => !seen.has(c.id)).map((c) => c.id);
    if (missing.length) issues.push({ field: 'checkIds', message: `missing check${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}` });
    if (issues.length) {
      throw new ApiError('VALIDATION', `Order every check exactly once — ${issues[0].field}: ${issues[0].message}`, { issues });
    }
    writeTx(this.db, () => {
      this.db.prepare('UPDATE drills SET check_order = ?, ordered_at = ? WHERE id = ?').run(JSON.stringify(input.checkIds), this.now(), d.row.id);
      this.incidents.addEvent({
        key: d.incident.key,
        kind: 'decision',
        body: `Ordered the checks: ${input.checkIds.map((id, i) => `${i + 1}. ${known.get(id)!.title}`).join(' → ')}`,
      });
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), input.view ?? 'responder');
  }

  takeAction(input: ParsedInput<'drill:takeAction'>): DrillState {
    const d = this.open(input.drillId);
    const action = d.scenario.actions.find((a) => a.id === input.actionId);
    if (!action) throw new ApiError('VALIDATION', `No action "${input.actionId}" in this scenario`, { issues: [{ field: 'actionId', message: `unknown action ${input.actionId}` }] });
    const view = input.view ?? 'responder';
    if (d.actions.some((a) => a.actionId === action.id)) return this.state(d, view);
    // Recorded without a warning: the debrief tells whether it was the tempting wrong one.
    writeTx(this.db, () => {
      this.db.prepare('INSERT INTO drill_actions (drill_id, action_id, taken_at, phase) VALUES (?, ?, ?, ?)').run(d.row.id, action.id, this.now(), this.phaseOf(d.incident));
      this.incidents.addEvent({ key: d.incident.key, kind: 'action', body: `Action: ${action.title}` });
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), view);
  }

  mitigate(input: ParsedInput<'drill:mitigate'>): DrillState {
    const d = this.open(input.drillId);
    const text = input.text.trim();
    writeTx(this.db, () => {
      this.db.prepare('UPDATE drills SET mitigation = ? WHERE id = ?').run(text, d.row.id);
      this.incidents.update({ key: d.incident.key, patch: { mitigation: text, ...(input.verified !== undefined ? { mitigationVerified: input.verified } : {}) } });
      this.incidents.addEvent({ key: d.incident.key, kind: 'action', body: `Mitigation: ${text}` });
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), input.view ?? 'responder');
  }

  private scoreOf(d: Loaded, finishedAt: string): DrillScore {
    return scoreDrill({
      scenario: d.scenario,
      classification: d.row.failure_class ? { failureClass: d.row.failure_class, rootCauseOrigin: d.row.root_cause_origin } : null,
      checkOrder: d.row.check_order ? (JSON.parse(d.row.check_order) as string[]) : null,
      actionsTaken: d.actions.map((a) => a.actionId),
      cards: [...d.cards.values()],
      phases: d.incident.phases,
      finishedAt,
    });
  }

  finish(input: ParsedInput<'drill:finish'>): DrillState {
    const d = this.load(input.drillId);
    const view = input.view ?? 'responder';
    if (d.row.finished_at) return this.state(d, view);
    const now = this.now();
    const score = this.scoreOf(d, now);
    writeTx(this.db, () => {
      this.db.prepare('UPDATE drills SET finished_at = ?, score = ?, score_json = ? WHERE id = ?').run(now, score.total, JSON.stringify(score), d.row.id);
      this.incidents.addEvent({ key: d.incident.key, kind: 'note', body: `Drill finished: score ${score.total}/100.` });
      this.bump(d.row.id);
    });
    return this.state(this.load(d.row.id), view);
  }

  debrief(input: ParsedInput<'drill:debrief'>): DrillDebrief {
    const d = this.load(input.drillId);
    if (!d.row.finished_at) throw new ApiError('CONFLICT', `Drill #${d.row.id} is not finished; finish it to see the debrief`);
    return buildDebrief({
      drillId: d.row.id,
      key: d.incident.key,
      participant: d.row.participant,
      mode: d.row.mode,
      startedAt: d.row.started_at,
      finishedAt: d.row.finished_at,
      scenario: d.scenario,
      custom: !!d.row.scenario_custom,
      classification: d.row.failure_class ? { failureClass: d.row.failure_class, rootCauseOrigin: d.row.root_cause_origin } : null,
      checkOrder: d.row.check_order ? (JSON.parse(d.row.check_order) as string[]) : null,
      actionsTaken: this.takenActions(d),
      cards: [...d.cards.values()],
      phases: d.incident.phases,
      mitigation: d.row.mitigation,
      score: JSON.parse(d.row.score_json ?? 'null') as DrillScore, // finished: scored
    });
  }

  report(input: ParsedInput<'drill:report'>): DrillReport {
    const deb = this.debrief(input);
    return { drillId: deb.drillId, fileName: drillReportFileName(deb), content: redactText(drillReportMarkdown(deb)) };
  }

  history(input: ParsedInput<'drill:history'>): DrillHistory {
    const who = input.participant?.trim() || null;
    const found = rows<HistoryRow>(
      this.db,
      `SELECT d.id, d.participant, d.scenario_id, json_extract(d.scenario_json, '$.title') AS scenario_title, d.mode, d.started_at,
                d.finished_at, d.score, d.score_json, i.key
         FROM drills d JOIN incidents i ON i.id = d.incident_id
         WHERE ? IS NULL OR d.participant = ? COLLATE NOCASE
         ORDER BY d.started_at DESC, d.id DESC`,
    ).all(who, who);
    const drills = found.map((r) => ({
      drillId: r.id,
      key: r.key,
      participant: r.participant,
      scenarioId: r.scenario_id,
      scenarioTitle: r.scenario_title ?? r.scenario_id,
      mode: r.mode,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      score: r.score ?? null,
      parts: r.score_json ? (JSON.parse(r.score_json) as DrillScore).parts.map((p) => ({ id: p.id, points: p.points, max: p.max })) : null,
    }));
    const finished = drills
      .filter((x) => x.finishedAt && x.score !== null)
      .sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!) || a.drillId - b.drillId)
      .map((x) => x.score as number);
    const participants = rows<{ participant: string }>(this.db, 'SELECT participant FROM drills GROUP BY participant COLLATE NOCASE ORDER BY participant COLLATE NOCASE').all().map(
      (r) => r.participant,
    );
    return { participant: who, drills, trend: trendOf(finished), participants };
  }

  // ── Views ────────────────────────────────────────────────────────────────────────────────────

  private takenActions(d: Loaded) {
    const byId = new Map(d.scenario.actions.map((a) => [a.id, a]));
    return d.actions.map((a) => ({ actionId: a.actionId, title: byId.get(a.actionId)?.title ?? a.actionId, takenAt: a.takenAt, phase: a.phase }));
  }

  private state(d: Loaded, view: DrillView): DrillState {
    const s = d.scenario;
    const gm = view === 'gm';
    const cards: DrillCardView[] = s.evidence.map((c) => {
      const r = d.cards.get(c.id);
      const released = !!r?.releasedAt;
      const v: DrillCardView = {
        id: c.id,
        kind: c.kind,
        title: c.title,
        revealCost: c.revealCost,
        status: released ? 'released' : r?.requestedAt ? 'requested' : 'hidden',
        initiallyVisible: !!c.initiallyVisible,
        requestedAt: r?.requestedAt ?? null,
        releasedAt: r?.releasedAt ?? null,
        releasedBy: r?.releasedBy ?? null,
      };
      if (released || gm) {
        v.body = c.body;
        if (c.kind === 'artifact-pair') {
          v.before = c.before;
          v.after = c.after;
        }
        if (r?.artifactIds) v.artifacts = { beforeId: r.artifactIds.before, afterId: r.artifactIds.after };
      }
      if (gm) {
        v.relevant = c.relevant;
        if (c.gmNote) v.gmNote = c.gmNote;
      }
      return v;
    });
    const pending = cards
      .filter((c) => c.status === 'requested')
      .sort((a, b) => (a.requestedAt ?? '').localeCompare(b.requestedAt ?? ''))
      .map((c) => ({ cardId: c.id, title: c.title, requestedAt: c.requestedAt! }));
    const inc = d.incident;
    const state: DrillState = {
      drillId: d.row.id,
      key: inc.key,
      revision: rows<{ revision: number }>(this.db, 'SELECT revision FROM drills WHERE id = ?').get(d.row.id)!.revision,
      view,
      mode: d.row.mode,
      participant: d.row.participant,
      startedAt: d.row.started_at,
      finishedAt: d.row.finished_at,
      phase: inc.phase,
      phaseEnteredAt: inc.phaseEnteredAt,
      scenario: {
        id: s.id,
        version: s.version,
        custom: !!d.row.scenario_custom,
        title: s.title,
        summary: s.summary,
        difficulty: s.difficulty,
        expectedDurationMinutes: s.expectedDurationMinutes,
        service: s.service,
        severity: s.severity,
        briefing: s.briefing,
        symptoms: s.symptoms,
      },
      cards,
      pending,
      // The scenario file lists checks in the ideal order; the responder gets them sorted by title.
      checks: s.checks
        .map((c) => ({ id: c.id, title: c.title, stage: c.stage, ...(c.detail ? { detail: c.detail } : {}), ...(gm && c.reveals ? { reveals: c.reveals } : {}) }))
        .sort((a, b) => (gm ? 0 : a.title.localeCompare(b.title))),
      // The responder sees titles only, sorted by title so the file's order gives nothing away.
      actions: gm ? s.actions.map((a) => ({ ...a })) : s.actions.map((a) => ({ id: a.id, title: a.title })).sort((a, b) => a.title.localeCompare(b.title)),
      classification: d.row.failure_class
        ? { failureClass: d.row.failure_class, rootCauseOrigin: d.row.root_cause_origin ?? null, classifiedAt: d.row.classified_at! } // classified together
        : null,
      checkOrder: d.row.check_order ? (JSON.parse(d.row.check_order) as string[]) : null,
      actionsTaken: this.takenActions(d),
      mitigation: d.row.mitigation,
      score: d.row.score_json ? (JSON.parse(d.row.score_json) as DrillScore) : null,
    };
    if (gm) {
      const budgets: Partial<Record<Phase, number>> = {};
      for (const p of PHASES) {
        const b = phaseBudgetMinutes(s, p);
        if (b !== null) budgets[p] = b;
      }
      state.answers = {
        expected: s.expected,
        idealCheckOrder: s.idealCheckOrder,
        correctMitigation: s.correctMitigation,
        debriefPoints: s.debriefPoints,
        phaseBudgetsMinutes: budgets,
      };
    }
    return state;
  }
}
