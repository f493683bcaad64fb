// Composition root: open the store, build the services, bind them to the API contract.
import { TeamService } from './services/team';
import { isCorruptionError, schemaVersion, type Db, type OpenOptions } from './store/db';
import { BlobStore, type BlobFile, type Captured } from './store/blobs';
import { createBackup, createBackupInSteps, dailyBackupDue, listBackups, restoreBackup, verifyBackup } from './store/backup';
import { closeStore, corruptAtRead, openStore, startupHousekeeping, type StartupReport } from './store/open';
import { runDoctor } from './store/doctor';
import { pumpToWorker } from './workers/stream';
import { MessageChannel } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { busyError, storeError, writeTx } from './store/tx';
import { rows, type CountRow } from './store/rows';
import type { BackupInfo, DoctorReport, RestoreResult } from '../shared/backups';
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
import type { AppInfo, Channel, Handlers, Input, Output } from '../shared/api/contract';
import { ApiError, type ApiErrorShape } from '../shared/api/errors';
import type { Artifact } from '../shared/artifacts';
import type { Envelope } from '../shared/api/transport';
import { parseInput } from '../shared/api/validate';
// Search, similar incidents, analytics, backlog, paged list (issue 12).
import { SearchService } from './services/search';
import { SimilarService, SYNC_BUDGET_MS } from './services/similar';
import { StatsService } from './services/stats';
import { BacklogService } from './services/backlog';
import { IncidentListService } from './services/incidentList';
// Issue 13: timeline import.
import { TimelineImportService } from './services/timelineImport';
import { RunbookRunService } from './services/runbookRun';

import pkg from '../package.json';

export const APP_VERSION: string = pkg.version;

/**
 * Synchronous calls that write: each runs whole in one BEGIN IMMEDIATE transaction (every read it makes
 * sees the state it writes over; SQLITE_BUSY is retried within the budget). Calls that await (capture,
 * diffs, git, bundle import) take short write transactions of their own inside the services.
 */
const WRITE_CALLS = new Set<string>([
  'incident:create', 'incident:update', 'incident:advance', 'incident:setRole', 'incident:check',
  'timeline:add', 'timeline:update', 'timeline:delete', 'timeline:restore',
  'artifact:addText', 'artifact:update', 'artifact:remove', 'artifact:restore',
  'finding:create', 'finding:update', 'finding:remove',
  'action:create', 'action:update', 'action:remove',
  'doc:get', 'doc:save', 'doc:regenerate', 'doc:acceptSection', 'stubs:generate',
  'drill:start', 'drill:requestCard', 'drill:releaseCard', 'drill:classify', 'drill:orderChecks', 'drill:takeAction',
  'drill:mitigate', 'drill:finish', 'scenario:fromIncident',
  'incident:reopen', 'artifact:reveal',
]);

export interface AppOptions extends OpenOptions {
  dbPath: string;
  host: AppInfo['host'];
  clock?: Clock;
  /** Per-artifact size limit in bytes (default 256 MB, or PMW_MAX_ARTIFACT_BYTES). */
  maxArtifactBytes?: number;
  /** Calls this host refuses (e.g. the web host cannot read arbitrary paths). */
  refuse?: Channel[];
  /** Capture files in a pool worker with its own connection (default: every host but the CLI). */
  captureInWorker?: boolean;
  /** Periodic WAL checkpoints and daily backups while open (default: every host but the CLI). */
  housekeeping?: boolean;
  /** Whether runbook:run may run cells (default: every host but the web host; `pmw serve --allow-exec`). */
  allowExec?: boolean;
  /** Told before the schema is upgraded (the CLI says so for a large store, where it takes a while). */
  onMigrate?: (from: number, to: number) => void;
}

export type { StartupReport };

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
    search: SearchService;
    similar: SimilarService;
    stats: StatsService;
    backlog: BacklogService;
    lists: IncidentListService;
    team: TeamService;
  };
  /** Validate the input against the contract, run the handler, return an envelope (never throws). */
  dispatch<C extends Channel>(channel: C | string, input: unknown): Promise<Envelope<Output<C>>>;
  /** Like dispatch, but throws ApiError; for in-process callers (CLI). */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  /** Capture an uploaded temp file as an artifact named `meta.name` (web host streaming upload; `sha256` hashed while it arrived). */
  upload(meta: UploadMeta, tempFile: string, sha256?: string): Promise<Envelope<Artifact>>;
  /** Whether an upload of `size` bytes can stream straight into the blob file (no spool): new content, a worker host. */
  canStream(size: number): boolean;
  /** Stream an upload body into the blob file through a pool worker and add the artifact. */
  uploadStream(meta: UploadMeta, body: Readable, limit: number): Promise<Envelope<Artifact>>;
  /** Check upload metadata against the contract before any byte is read; null when fine. */
  validateUpload(meta: UploadMeta): ApiErrorShape | null;
  limits: { maxArtifactBytes: number };
  /** Blob index + blob file. */
  readonly blobs: BlobStore;
  readonly startup: StartupReport;
  /** `pmw backup [--out FILE]`: a manual backup into the backups folder or to a chosen file. */
  backup(out?: string): BackupInfo;
  /** `pmw restore FILE`: restore any backup file the user names (the channel takes listed names only). */
  restore(file: string): RestoreResult;
  /** Health report (in a pool worker when `inWorker`, so a host keeps answering). */
  doctor(): Promise<DoctorReport>;
  /** Stop the worker pool: running jobs reject with CANCELLED (Ctrl+C in the CLI). */
  stopJobs(): void;
  close(): void;
}

export interface UploadMeta {
  key: string;
  role: string;
  name: string;
  label?: string;
  kind?: string;
}

interface Core {
  db: Db;
  blobFile: BlobFile;
  blobs: BlobStore;
  handlers: Handlers;
  services: App['services'];
  workerPool(): WorkerPool;
  stopJobs(): void;
  upload(meta: UploadMeta, tempFile: string, sha256?: string): Promise<Artifact>;
  canStream(size: number): boolean;
  uploadStream(meta: UploadMeta, body: Readable, limit: number): Promise<Artifact>;
  close(): void;
}

interface CoreHooks {
  backupList(): BackupInfo[];
  backupCreate(): BackupInfo;
  backupRestore(name: string): RestoreResult;
  doctor(): Promise<DoctorReport>;
}

/** Open the store and build the services and the handler table over it. */
function openCore(opts: AppOptions, hooks: CoreHooks): Core {
  const { db, blobFile } = openStore(opts);
  const blobs = new BlobStore(db, blobFile);
  const clock = opts.clock ?? systemClock;
  const incidents = new IncidentService(db, clock);
  let pool: WorkerPool | null = null;
  const getPool = () => (pool ??= new WorkerPool());
  const now = () => clock.now().toISOString();
  const limit = opts.maxArtifactBytes ?? maxArtifactBytes();
  const source = opts.dbPath === ':memory:' ? null : { dbPath: opts.dbPath, nativeBinding: opts.nativeBinding };
  const inWorker = (opts.captureInWorker ?? opts.host !== 'cli') && !!source;
  const capture = inWorker
    ? (path: string, maxBytes: number, what: string, knownSha256?: string) =>
        getPool().run<Captured>({ op: 'capture', path, maxBytes, what, knownSha256, source: source! }, `capture-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`)
    : undefined;
  // Fingerprints of changed secrets use this database's key (in this process and in every diff worker).
  const fingerprintKey = fingerprintKeyOf(db);
  setFingerprintKey(fingerprintKey);
  const artifacts = new ArtifactService(db, blobs, getPool, limit, now, source, capture, fingerprintKey);
  const secrets = new SecretService(artifacts, incidents);
  const findings = new FindingService(db, now, { artifacts, secrets });
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
  const similar = new SimilarService(db);
  const search = new SearchService(db, () => similar.sync(SYNC_BUDGET_MS));
  const stats = new StatsService(db, now);
  const backlog = new BacklogService(db, now);
  const lists = new IncidentListService(db, () => backlog.today());
  const team = new TeamService({ db, blobs, dbPath: opts.dbPath, now });
  const timelineImport = new TimelineImportService(db, now);
  const allowExec = opts.allowExec ?? opts.host !== 'web';
  const runbooks = new RunbookRunService({
    allowExec,
    getRunbook: (key) => documents.getDoc(key, 'runbook').content,
    saveRunbook: (key, content) => void writeTx(db, () => documents.saveDoc({ key, kind: 'runbook', content })),
    addEvidence: (key, body, occurredAt, sourceKey) => incidents.addEvent({ key, kind: 'evidence', body, occurredAt, sourceKey }).id,
    addOutput: (key, name, label, text) => artifacts.addText({ key, role: 'other', name, label, kind: 'log', text }).id,
  });

  const handlers: Handlers = {
    'incident:create': (i) => incidents.create(i),
    'incident:list': (i) => lists.list(i),
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
    'finding:create': (i) => findings.create(findings.withGenerator(i)),
    'finding:list': (i) => findings.list(i.key),
    'finding:update': (i) => findings.update(i),
    'finding:remove': (i) => findings.remove(i.key, i.id),
    'finding:suggest': (i) => findings.suggest(i.key, i.accept ?? false),
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
    'bundle:import': (i) => bundles.importIncident(i.bundle),
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
    'app:info': () => ({ version: APP_VERSION, dbPath: opts.dbPath, host: opts.host, schemaVersion: schemaVersion(db), exec: opts.allowExec ?? opts.host !== 'web' }),
    // Store health (issue 10)
    'backup:list': () => hooks.backupList(),
    'backup:create': () => hooks.backupCreate(),
    'backup:restore': (i) => hooks.backupRestore(i.name),
    'app:doctor': () => hooks.doctor(),
    'export:recover': (i) => exports.recover(i),
    'artifact:reveal': (i) => secrets.reveal(i),
    'incident:reopen': (i) => incidents.reopen(i),
    // Issue 12
    'search:query': (i) => search.query(i),
    'incident:similar': (i) => similar.similar(i),
    // Issue 15
    'team:join': (i) => team.join(i.remote, { name: i.name }),
    'team:sync': () => team.sync(),
    'team:status': () => team.status(),
    'team:resolve': (i) => team.resolve(i.key, i.field, i.take),
    'team:leave': () => team.leave(),
    'stats:summary': (i) => stats.summary(i),
    'stats:csv': (i) => stats.csv(i),
    'action:backlog': (i) => backlog.backlog(i),
    'timeline:import': (i) => timelineImport.run(i),
    'runbook:run': (i) => runbooks.run(i),
  };

  return {
    db,
    blobFile,
    blobs,
    handlers,
    services: { incidents, artifacts, findings, documents, bundles, exports, drills, search, similar, stats, backlog, lists, team },
    workerPool: getPool,
    stopJobs() {
      void (pool as WorkerPool | null)?.close();
      pool = null;
    },
    async upload(meta, tempFile, sha256) {
      const input = parseInput('artifact:addPath', { key: meta.key, role: meta.role, label: meta.label, kind: meta.kind, path: tempFile });
      return artifacts.addPath(input, meta.name, sha256);
    },
    // No content of that size stored: it is new, so streaming it costs no write a duplicate would save.
    canStream: (size) => inWorker && blobs.sameSize(size).length === 0,
    async uploadStream(meta, body, limit) {
      const input = parseInput('artifact:addPath', { key: meta.key, role: meta.role, label: meta.label, kind: meta.kind, path: meta.name });
      artifacts.requireIncident(input.key);
      const { port1, port2 } = new MessageChannel();
      const job = getPool().run<Captured>({ op: 'captureStream', maxBytes: limit, what: meta.name, source: source!, port: port2 }, `upload-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, [port2]);
      try {
        await pumpToWorker(body, port1, limit, meta.name, job);
        return artifacts.addCaptured(input, meta.name, await job);
      } finally {
        port1.close();
        job.catch(() => undefined);
      }
    },
    close() {
      void (pool as WorkerPool | null)?.close();
      pool = null;
      closeStore(db, blobFile);
    },
  };
}

/** Checkpoint interval of long-running hosts (PMW_CHECKPOINT_MS, default 5 minutes). */
function checkpointEveryMs(): number {
  const v = Number(process.env.PMW_CHECKPOINT_MS);
  return Number.isFinite(v) && v >= 1000 ? v : 300_000;
}

export function createApp(opts: AppOptions): App {
  const limit = opts.maxArtifactBytes ?? maxArtifactBytes();
  // Unmasked secrets are shown only in the desktop app: the web host and the CLI refuse artifact:reveal.
  const refused = new Set<string>([...(opts.refuse ?? []), ...(opts.host === 'electron' ? [] : ['artifact:reveal'])]);
  let restoring = false;
  const hooks: CoreHooks = {
    backupList: () => listBackups(opts.dbPath),
    backupCreate: () => createBackup({ db: core.db, dbPath: opts.dbPath, blobs: core.blobFile }, 'manual'),
    backupRestore: (name) => {
      const b = listBackups(opts.dbPath).find((x) => x.name === name);
      if (!b) throw new ApiError('NOT_FOUND', `No backup named ${name} in the backups folder`, { issues: [{ field: 'name', message: 'not a listed backup' }] });
      return restore(b.file);
    },
    doctor: () => doctor(),
  };
  let core = openCore(opts, hooks);
  const housekeeping = opts.dbPath !== ':memory:' && !opts.readonly;
  // The CLI backs up before its command; long-running hosts in steps, once they are up.
  const startup: StartupReport = startupHousekeeping(core.db, core.blobFile, { dbPath: opts.dbPath, readonly: opts.readonly, daily: !(opts.housekeeping ?? opts.host !== 'cli') });
  let backingUp = false;
  async function dailyBackupInSteps(): Promise<void> {
    if (backingUp || restoring || !dailyBackupDue(opts.dbPath, core.db)) return;
    backingUp = true;
    try {
      await createBackupInSteps({ db: core.db, dbPath: opts.dbPath, blobs: core.blobFile }, 'daily');
    } finally {
      backingUp = false;
    }
  }
  const timers: ReturnType<typeof setInterval>[] = [];
  if (housekeeping && (opts.housekeeping ?? opts.host !== 'cli')) {
    const quiet = (fn: () => void) => () => {
      if (restoring) return;
      try {
        fn();
      } catch (e) {
        if (process.env.PMW_DEBUG) console.error('housekeeping:', e);
      }
    };
    timers.push(
      setInterval(
        quiet(() => {
          // TRUNCATE without waiting: when a reader holds the WAL, try again next time.
          core.db.pragma('busy_timeout = 0');
          try {
            core.db.pragma('wal_checkpoint(TRUNCATE)');
          } finally {
            core.db.pragma('busy_timeout = 5000');
          }
        }),
        checkpointEveryMs(),
      ),
      setInterval(quiet(() => void dailyBackupInSteps().catch(() => undefined)), 3600_000),
    );
    const first = setTimeout(quiet(() => void dailyBackupInSteps().catch(() => undefined)), 10_000);
    timers.push(first as unknown as ReturnType<typeof setInterval>);
    for (const t of timers) t.unref?.();
  }

  /** Restore in place: close every connection, swap the files, open again (whatever happens, something is open after). */
  function restore(file: string): RestoreResult {
    if (opts.dbPath === ':memory:') throw new ApiError('VALIDATION', 'An in-memory database cannot be restored');
    const v = verifyBackup(file, { full: true, nativeBinding: opts.nativeBinding });
    if (v.problems.length) {
      throw new ApiError('VALIDATION', `The backup ${file} cannot be restored: ${v.problems.slice(0, 3).join('; ')}. Nothing was changed.`, { issues: [{ field: 'file', message: v.problems[0] }] });
    }
    const restored = listBackups(opts.dbPath).find((b) => b.file === file) ?? {
      file, name: file.split(/[\\/]/).pop() ?? file, kind: 'manual' as const, createdAt: new Date().toISOString(), size: 0, blobSize: 0, hasBlobs: false,
    };
    restoring = true;
    core.close();
    try {
      const r = restoreBackup(opts.dbPath, file, { nativeBinding: opts.nativeBinding });
      core = openCore(opts, hooks);
      const incidents = rows<CountRow>(core.db, 'SELECT count(*) AS n FROM incidents').get()!.n;
      return { restored, keptAside: r.keptAside, schemaVersion: schemaVersion(core.db), incidents };
    } catch (e) {
      try {
        core = openCore(opts, hooks);
      } catch {
        /* the refusal below says what is wrong */
      }
      throw e;
    } finally {
      restoring = false;
    }
  }

  /** Hosts run the checks in a pool worker on read-only connections, so they keep answering meanwhile. */
  async function doctor(): Promise<DoctorReport> {
    if (opts.dbPath !== ':memory:' && (opts.captureInWorker ?? opts.host !== 'cli')) {
      return core.workerPool().run<DoctorReport>({ op: 'doctor', source: { dbPath: opts.dbPath, nativeBinding: opts.nativeBinding } }, `doctor-${Date.now().toString(36)}`);
    }
    return runDoctor({ db: core.db, blobDb: core.blobFile.db, dbPath: opts.dbPath, canCheckpoint: true });
  }

  /** Damage met on a read (a large store is not quick_checked at open, see db.ts) says what a damaged file at open says. */
  async function call<C extends Channel>(channel: C, input: unknown): Promise<Output<C>> {
    try {
      return await dispatch(channel, input);
    } catch (e) {
      if (!isCorruptionError(e)) throw e;
      throw corruptAtRead(opts.dbPath, e);
    }
  }

  async function dispatch<C extends Channel>(channel: C, input: unknown): Promise<Output<C>> {
    if (refused.has(channel)) {
      throw new ApiError('NOT_FOUND', channel === 'artifact:reveal' ? 'Unmasked secrets are shown only in the desktop app: this host does not offer artifact:reveal' : `Unknown call ${String(channel).slice(0, 80)}`);
    }
    if (restoring) throw busyError(0, 'call (a backup is being restored)');
    const parsed = parseInput(channel, input);
    const h = core.handlers[channel] as (i: typeof parsed) => Output<C> | Promise<Output<C>>;
    // A closed incident is read-only until reopened (issue 11); checked in the same transaction as the write.
    const writable = () => {
      if (writesToIncident(channel, parsed)) core.services.incidents.assertWritable((parsed as { key: string }).key);
    };
    if (WRITE_CALLS.has(channel)) {
      return writeTx(core.db, () => {
        writable();
        return h(parsed) as Output<C>;
      });
    }
    writable();
    return await h(parsed);
  }

  return {
    get db() {
      return core.db;
    },
    get handlers() {
      return core.handlers;
    },
    get services() {
      return core.services;
    },
    get blobs() {
      return core.blobs;
    },
    startup,
    async dispatch<C extends Channel>(channel: C | string, input: unknown): Promise<Envelope<Output<C>>> {
      try {
        if (!Object.prototype.hasOwnProperty.call(core.handlers, channel)) {
          throw new ApiError('NOT_FOUND', `Unknown call ${String(channel).slice(0, 80)}`);
        }
        return { ok: true, data: await call(channel as C, input) };
      } catch (e) {
        const err = storeError(e);
        if (err.code === 'INTERNAL' && process.env.PMW_DEBUG) console.error(e);
        return { ok: false, error: err.toJSON() };
      }
    },
    call: async (c, i) => {
      try {
        return await call(c, i);
      } catch (e) {
        throw storeError(e);
      }
    },
    limits: { maxArtifactBytes: limit },
    validateUpload(meta) {
      try {
        parseInput('artifact:addPath', { key: meta.key, role: meta.role, label: meta.label, kind: meta.kind, path: meta.name || '?' });
        if (!meta.name) throw new ApiError('VALIDATION', 'Invalid upload — name: a file name is required', { issues: [{ field: 'name', message: 'a file name is required' }] });
        core.services.incidents.assertWritable(meta.key);
        return null;
      } catch (e) {
        return ApiError.from(e).toJSON();
      }
    },
    async upload(meta, tempFile, sha256) {
      try {
        if (restoring) throw busyError(0, 'upload (a backup is being restored)');
        core.services.incidents.assertWritable(meta.key);
        return { ok: true, data: await core.upload(meta, tempFile, sha256) };
      } catch (e) {
        return { ok: false, error: storeError(e).toJSON() };
      }
    },
    canStream: (size) => !restoring && core.canStream(size),
    async uploadStream(meta, body, limit) {
      try {
        if (restoring) throw busyError(0, 'upload (a backup is being restored)');
        core.services.incidents.assertWritable(meta.key);
        return { ok: true, data: await core.uploadStream(meta, body, limit) };
      } catch (e) {
        return { ok: false, error: storeError(e).toJSON() };
      }
    },
    backup: (out) => createBackup({ db: core.db, dbPath: opts.dbPath, blobs: core.blobFile }, 'manual', out),
    restore,
    doctor,
    stopJobs: () => core.stopJobs(),
    close: () => {
      for (const t of timers) clearInterval(t);
      core.close();
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
  'timeline:import', 'runbook:run',
]);

function writesToIncident(channel: string, input: unknown): boolean {
  if (channel === 'finding:suggest') return !!(input as { accept?: boolean }).accept;
  if (channel === 'timeline:import') return !(input as { dryRun?: boolean }).dryRun;
  return INCIDENT_WRITES.has(channel);
}
