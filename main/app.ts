// Composition root: open the store, build the services, bind them to the API contract.
import { openDb, schemaVersion, type Db, type OpenOptions } from './store/db';
import { IncidentService, systemClock, type Clock } from './services/incidents';
import { ArtifactService, maxArtifactBytes } from './services/artifacts';
import { FindingService } from './services/findings';
import { WorkerPool } from './workers/pool';
import { DocumentService } from './services/documents';
import { BundleService } from './services/bundle';
import { ExportService } from './services/export';
import { DrillService } from './services/drills';
import { SecretService, fingerprintKeyOf } from './services/secrets';
import { setFingerprintKey } from '../shared/redact/index';
import { SECRET_GEN_KIND, secretTestForChange, secretTestParams } from '../shared/generators/secretTests';
import { SEVERITY_RANK } from '../shared/diff/types';
import { generatorForChange } from '../shared/generators/fromChange';
import { generatorParamIssues, isGeneratorKind } from '../shared/generators/params';
import type { Change } from '../shared/diff/types';
import type { ParsedInput } from '../shared/api/contract';
import type { RootCauseOrigin } from '../shared/domain';
import { changeSourceKey, type Finding } from '../shared/artifacts';
import type { AppInfo, Channel, Handlers, Input, Output } from '../shared/api/contract';
import { ApiError, type ApiErrorShape } from '../shared/api/errors';
import type { Artifact } from '../shared/artifacts';
import type { Envelope } from '../shared/api/transport';
import { parseInput } from '../shared/api/validate';

import pkg from '../package.json';

export const APP_VERSION: string = pkg.version;

export interface AppOptions extends OpenOptions {
  dbPath: string;
  host: AppInfo['host'];
  clock?: Clock;
  /** Per-artifact size limit in bytes (default 256 MB, or PMW_MAX_ARTIFACT_BYTES). */
  maxArtifactBytes?: number;
  /** Calls this host refuses (e.g. the web host cannot read arbitrary paths). */
  refuse?: Channel[];
}

export interface App {
  db: Db;
  handlers: Handlers;
  services: {
    incidents: IncidentService;
    artifacts: ArtifactService;
    findings: FindingService;
    documents: DocumentService;
    bundles: BundleService;
    exports: ExportService;
    drills: DrillService;
  };
  /** Validate the input against the contract, run the handler, return an envelope (never throws). */
  dispatch<C extends Channel>(channel: C | string, input: unknown): Promise<Envelope<Output<C>>>;
  /** Like dispatch, but throws ApiError; for in-process callers (CLI). */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  /** Capture an uploaded temp file as an artifact named `meta.name` (web host streaming upload). */
  upload(meta: UploadMeta, tempFile: string): Promise<Envelope<Artifact>>;
  /** Check upload metadata against the contract before any byte is read; null when fine. */
  validateUpload(meta: UploadMeta): ApiErrorShape | null;
  limits: { maxArtifactBytes: number };
  close(): void;
}

export interface UploadMeta {
  key: string;
  role: string;
  name: string;
  label?: string;
  kind?: string;
}

export function createApp(opts: AppOptions): App {
  const db = openDb(opts.dbPath, opts);
  const clock = opts.clock ?? systemClock;
  const incidents = new IncidentService(db, clock);
  let pool: WorkerPool | null = null;
  const getPool = () => (pool ??= new WorkerPool());
  const now = () => clock.now().toISOString();
  const limit = opts.maxArtifactBytes ?? maxArtifactBytes();
  // Fingerprints of changed secrets use this database's key (in this process and in every diff worker).
  const fingerprintKey = fingerprintKeyOf(db);
  setFingerprintKey(fingerprintKey);
  const artifacts = new ArtifactService(db, getPool, limit, now, opts.dbPath === ':memory:' ? null : { dbPath: opts.dbPath, nativeBinding: opts.nativeBinding }, fingerprintKey);
  const secrets = new SecretService(artifacts, incidents);
  const findings = new FindingService(db, now);
  // Unmasked secrets are shown only in the desktop app: the web host and the CLI refuse artifact:reveal.
  const refused = new Set<string>([...(opts.refuse ?? []), ...(opts.host === 'electron' ? [] : ['artifact:reveal'])]);
  const documents = new DocumentService(db, { incident: (k) => incidents.get(k), findings: (k) => findings.list(k), artifacts: (k) => artifacts.list(k) }, now);
  const bundles = new BundleService(
    db,
    artifacts.blobs,
    {
      incident: (k) => incidents.get(k),
      artifacts: (k) => artifacts.list(k),
      findings: (k) => findings.list(k),
      actions: (k) => documents.actions(k),
      docs: (k) => documents.existingDocs(k),
      appVersion: APP_VERSION,
    },
    now,
  );
  const exports = new ExportService(db, (k, paths) => documents.stubs(k, paths), (k) => incidents.get(k), now, (key, body) => void incidents.addEvent({ key, kind: 'decision', body }));
  const drills = new DrillService(db, incidents, artifacts, now);

  /**
   * A finding made from a diff change gets the generator that pins the last-known-good value
   * (the change kind itself is not a generator); explicit generator params are validated.
   */
  function withGenerator(i: ParsedInput<'finding:create'>): ParsedInput<'finding:create'> {
    if (i.genKind === SECRET_GEN_KIND) {
      const r = secretTestParams.safeParse(i.params ?? {});
      if (!r.success) {
        const issues = r.error.issues.map((x) => ({ field: `params.${x.path.join('.') || '(params)'}`, message: x.message }));
        throw new ApiError('VALIDATION', `Invalid ${SECRET_GEN_KIND} parameters — ${issues[0].field}: ${issues[0].message}`, { issues });
      }
      return i;
    }
    if (i.genKind && isGeneratorKind(i.genKind)) {
      const issues = generatorParamIssues(i.genKind, i.params ?? {});
      if (issues.length) throw new ApiError('VALIDATION', `Invalid ${i.genKind} parameters — ${issues[0].field}: ${issues[0].message}`, { issues: issues.map((x) => ({ ...x, field: `params.${x.field}` })) });
      return i;
    }
    const change = i.evidence?.changes?.[0] as unknown as Change | undefined;
    if (!change || typeof change.kind !== 'string') return i;
    const beforeId = i.evidence?.artifactIds?.[0];
    const secret = secrets.testFor(i.key, change, beforeId);
    if (secret) return { ...i, genKind: secret.genKind, params: secret.params };
    let beforeText: string | undefined;
    if (beforeId && change.kind.startsWith('model.')) {
      try {
        beforeText = artifacts.content(i.key, beforeId).text ?? undefined;
      } catch {
        /* evidence checked by the service */
      }
    }
    const choice = generatorForChange(change, { beforeText });
    return choice ? { ...i, genKind: choice.genKind, params: choice.params } : i;
  }

  /** One finding per change of severity warning or above across the proposed artifact pairs. */
  async function suggestFindings(key: string, accept: boolean): Promise<Finding[]> {
    const existing = findings.list(key);
    const seen = new Set(existing.map((f) => `${f.title}|${(f.evidence.artifactIds ?? []).join(',')}`));
    const saved = new Set(existing.map((f) => f.sourceKey).filter(Boolean));
    const out: Finding[] = [];
    for (const pair of artifacts.pairs(key)) {
      const view = await artifacts.diff({ key, beforeId: pair.before.id, afterId: pair.after.id });
      const beforeText = pair.before.kind === 'model-metadata' ? (artifacts.content(key, pair.before.id).text ?? undefined) : undefined;
      for (const change of view.changes) {
        if (SEVERITY_RANK[change.severity] < SEVERITY_RANK.warning) continue;
        const ids = [pair.before.id, pair.after.id];
        const sig = `${change.message}|${ids.join(',')}`;
        const sourceKey = changeSourceKey(pair.before.id, pair.after.id, change);
        if (seen.has(sig) || saved.has(sourceKey)) continue;
        seen.add(sig);
        // A secret is pinned by a salted hash (computed when the finding is stored), never by value.
        const loc = secretTestForChange(change);
        const gen = loc ? (accept ? secrets.testFor(key, change, pair.before.id) : { genKind: SECRET_GEN_KIND, params: loc }) : generatorForChange(change, { beforeText });
        const draft = {
          key,
          title: change.message.slice(0, 300),
          description: `${pair.before.name} → ${pair.after.name}: ${change.subject}`,
          failureClass: change.failureClass,
          rootCauseOrigin: originFor(change.kind),
          role: 'contributing' as const,
          genKind: gen?.genKind ?? null,
          params: gen?.params ?? {},
          evidence: { artifactIds: ids, changes: [change as unknown as Record<string, unknown>] },
          sourceKey,
        };
        if (accept) out.push(findings.create(draft));
        else
          out.push({
            id: 0, title: draft.title, description: draft.description, failureClass: draft.failureClass, rootCauseOrigin: draft.rootCauseOrigin,
            role: draft.role, status: 'draft', genKind: draft.genKind, params: draft.params, evidence: { artifactIds: ids, changes: [change] },
            createdAt: now(), updatedAt: now(), sourceKey,
          });
      }
    }
    return out;
  }
  const handlers: Handlers = {
    'incident:create': (i) => incidents.create(i),
    'incident:list': (i) => incidents.list(i),
    'incident:get': (i) => incidents.get(i.key),
    'incident:update': (i) => incidents.update(i),
    'incident:advance': (i) => incidents.advance(i),
    'incident:setRole': (i) => incidents.setRole(i),
    'incident:check': (i) => incidents.check(i),
    'timeline:add': (i) => incidents.addEvent(i),
    'timeline:update': (i) => incidents.updateEvent(i),
    'timeline:delete': (i) => incidents.deleteEvent(i),
    'timeline:restore': (i) => incidents.restoreEvent(i),
    'artifact:list': (i) => artifacts.list(i.key),
    'artifact:addText': (i) => artifacts.addText(i),
    'artifact:addPath': (i) => artifacts.addPath(i),
    'artifact:update': (i) => artifacts.update(i),
    'artifact:remove': (i) => artifacts.remove(i.key, i.id),
    'artifact:restore': (i) => artifacts.restore(i.key, i.id),
    'artifact:content': (i) => artifacts.content(i.key, i.id),
    'artifact:pairs': (i) => artifacts.pairs(i.key),
    'artifact:diff': (i) => artifacts.diff(i),
    'job:progress': (i) => getPool().progress(i.jobId),
    'job:cancel': (i) => ({ jobId: i.jobId, cancelled: pool ? pool.cancel(i.jobId) : false }),
    'finding:create': (i) => findings.create(withGenerator(i)),
    'finding:list': (i) => findings.list(i.key),
    'finding:update': (i) => findings.update(i),
    'finding:remove': (i) => findings.remove(i.key, i.id),
    'finding:suggest': (i) => suggestFindings(i.key, i.accept ?? false),
    'action:list': (i) => documents.actions(i.key),
    'action:create': (i) => documents.createAction(i),
    'action:update': (i) => documents.updateAction(i),
    'action:remove': (i) => documents.removeAction(i.key, i.id),
    'doc:get': (i) => documents.getDoc(i.key, i.kind),
    'doc:save': (i) => documents.saveDoc(i),
    'doc:regenerate': (i) => documents.regenerate(i.key, i.kind),
    'doc:acceptSection': (i) => documents.acceptSection(i.key, i.kind, i.section),
    'stubs:generate': (i) => documents.stubs(i.key),
    'export:preview': (i) => exports.preview(i),
    'export:run': (i) => exports.run(i),
    'export:list': (i) => exports.list(i.key),
    'bundle:export': (i) => bundles.export(i.key, { includeSecrets: i.includeSecrets === true }),
    'bundle:import': (i) => {
      const inc = incidents.get(bundles.import(i.bundle));
      const masking = BundleService.maskingOf(i.bundle);
      return masking ? { ...inc, bundleMasked: masking } : inc;
    },
    // Drills (issue 5)
    'drill:scenarios': () => drills.scenarios(),
    'drill:start': (i) => drills.start(i),
    'drill:get': (i) => drills.get(i),
    'drill:requestCard': (i) => drills.requestCard(i),
    'drill:releaseCard': (i) => drills.releaseCard(i),
    'drill:classify': (i) => drills.classify(i),
    'drill:orderChecks': (i) => drills.orderChecks(i),
    'drill:takeAction': (i) => drills.takeAction(i),
    'drill:mitigate': (i) => drills.mitigate(i),
    'drill:finish': (i) => drills.finish(i),
    'drill:debrief': (i) => drills.debrief(i),
    'drill:history': (i) => drills.history(i),
    'drill:report': (i) => drills.report(i),
    'scenario:fromIncident': (i) => drills.fromIncident(i),
    'scenario:export': (i) => drills.exportScenario(i.scenarioId),
    'app:info': () => ({ version: APP_VERSION, dbPath: opts.dbPath, host: opts.host, schemaVersion: schemaVersion(db) }),
    'artifact:reveal': (i) => secrets.reveal(i),
    'incident:reopen': (i) => incidents.reopen(i),
  };

  async function call<C extends Channel>(channel: C, input: unknown): Promise<Output<C>> {
    if (refused.has(channel)) {
      throw new ApiError('NOT_FOUND', channel === 'artifact:reveal' ? 'Unmasked secrets are shown only in the desktop app: this host does not offer artifact:reveal' : `Unknown call ${String(channel).slice(0, 80)}`);
    }
    const parsed = parseInput(channel, input);
    if (writesToIncident(channel, parsed)) incidents.assertWritable((parsed as { key: string }).key);
    const h = handlers[channel] as (i: typeof parsed) => Output<C> | Promise<Output<C>>;
    return await h(parsed);
  }

  return {
    db,
    handlers,
    services: { incidents, artifacts, findings, documents, bundles, exports, drills },
    async dispatch<C extends Channel>(channel: C | string, input: unknown): Promise<Envelope<Output<C>>> {
      try {
        if (!Object.prototype.hasOwnProperty.call(handlers, channel)) {
          throw new ApiError('NOT_FOUND', `Unknown call ${String(channel).slice(0, 80)}`);
        }
        return { ok: true, data: await call(channel as C, input) };
      } catch (e) {
        const err = ApiError.from(e);
        if (err.code === 'INTERNAL' && process.env.PMW_DEBUG) console.error(e);
        return { ok: false, error: err.toJSON() };
      }
    },
    call: (c, i) => call(c, i),
    limits: { maxArtifactBytes: limit },
    validateUpload(meta) {
      try {
        parseInput('artifact:addPath', { key: meta.key, role: meta.role, label: meta.label, kind: meta.kind, path: meta.name || '?' });
        if (!meta.name) throw new ApiError('VALIDATION', 'Invalid upload — name: a file name is required', { issues: [{ field: 'name', message: 'a file name is required' }] });
        incidents.assertWritable(meta.key);
        return null;
      } catch (e) {
        return ApiError.from(e).toJSON();
      }
    },
    async upload(meta, tempFile) {
      try {
        const input = parseInput('artifact:addPath', { key: meta.key, role: meta.role, label: meta.label, kind: meta.kind, path: tempFile });
        incidents.assertWritable(input.key);
        return { ok: true, data: artifacts.addPath(input, meta.name) };
      } catch (e) {
        return { ok: false, error: ApiError.from(e).toJSON() };
      }
    },
    close: () => {
      void pool?.close();
      db.close();
    },
  };
}

/**
 * Calls that change an incident or what hangs off it: refused while the incident is closed (issue 11).
 * Reading, exporting (to git, as a bundle) and reopening stay possible.
 */
const INCIDENT_WRITES = new Set<string>([
  'incident:update', 'incident:advance', 'incident:setRole', 'incident:check',
  'timeline:add', 'timeline:update', 'timeline:delete', 'timeline:restore',
  'artifact:addText', 'artifact:addPath', 'artifact:update', 'artifact:remove', 'artifact:restore',
  'finding:create', 'finding:update', 'finding:remove',
  'action:create', 'action:update', 'action:remove',
  'doc:save', 'doc:regenerate', 'doc:acceptSection',
]);

function writesToIncident(channel: string, input: unknown): boolean {
  if (channel === 'finding:suggest') return !!(input as { accept?: boolean }).accept;
  return INCIDENT_WRITES.has(channel);
}

function originFor(kind: string): RootCauseOrigin | null {
  if (kind.startsWith('dependency.')) return 'dependency';
  if (/^(column|nulls|drift|category|range|rows|dataset)\./.test(kind)) return 'data';
  if (/^(config|k8s|image|env)\./.test(kind)) return 'config';
  if (kind.startsWith('model.')) return 'code';
  return null;
}
