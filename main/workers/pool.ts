// A small worker-thread pool for heavy work (parsing, profiling, diffing) so the main thread
// keeps answering API calls. Jobs report progress and can be cancelled (the worker is replaced).
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { JobProgress } from '../../shared/api/contract';
import type { WorkerRequest, WorkerResponse, WorkerTask } from './protocol';

type Transferable = ArrayBuffer | import('node:worker_threads').MessagePort;

/** The bundled worker sits beside the other bundles (dist/main/worker.cjs). */
export function workerScript(): string {
  const candidates = [
    process.env.PMW_WORKER_SCRIPT,
    join(__dirname, 'worker.cjs'),
    join(__dirname, '..', '..', 'dist', 'main', 'worker.cjs'),
  ].filter((x): x is string => !!x);
  // Packaged: worker_threads cannot start a script inside app.asar; electron-builder unpacks it.
  const unpacked = candidates.map((p) => p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2'));
  const found = [...unpacked, ...candidates].find((p) => existsSync(p));
  if (!found) throw new ApiError('INTERNAL', `worker bundle not found (looked in ${candidates.join(', ')}); run "npm run build:main"`);
  return found;
}

/** Heap budget of one worker (PMW_JOB_MEMORY_MB, default 2048): a job that needs more is stopped with a clear error. */
export function jobMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_JOB_MEMORY_MB);
  return Number.isFinite(v) && v >= 16 ? v : 2048;
}

/** Time budget of one job (PMW_JOB_TIMEOUT_MS, default 5 minutes). */
export function jobTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_JOB_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 300_000;
}

/** What a job is, for messages about it. */
function describe(req: WorkerRequest): string {
  switch (req.op) {
    case 'diff':
      return `diff of ${req.before.name} → ${req.after.name}`;
    case 'summarize':
      return `profile of ${req.side.name}`;
    case 'capture':
    case 'captureStream':
      return `capture of ${req.what}`;
    case 'diffSummaries':
      return 'comparison of two dataset profiles';
    default:
      return req.op;
  }
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s` : `${Math.round(ms / 1000)} s`);

interface Job {
  id: string;
  req: WorkerRequest;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  started: number;
  stage: string;
  fraction: number | null;
  worker?: Slot;
  transfer?: Transferable[];
  timer?: ReturnType<typeof setTimeout>;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private jobs = new Map<string, Job>();
  private finished = new Map<string, JobProgress>();
  private closed = false;
  readonly size: number;

  readonly memoryMb: number;
  readonly timeoutMs: number;

  constructor(
    size = Math.max(2, Math.min(4, availableParallelism() - 1)),
    private script = workerScript(),
    budget: { memoryMb?: number; timeoutMs?: number } = {},
  ) {
    this.size = size;
    this.memoryMb = budget.memoryMb ?? jobMemoryMb();
    this.timeoutMs = budget.timeoutMs ?? jobTimeoutMs();
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    const slot: Slot = { worker, job: null };
    slot.worker.on('message', (m: WorkerResponse) => this.onMessage(slot, m));
    slot.worker.on('error', (e) => this.onCrash(slot, e));
    slot.worker.on('exit', (code) => {
      if (slot.job && code !== 0) this.onCrash(slot, new Error(`worker exited with code ${code}`));
    });
    slot.worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerResponse) {
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    if (m.type === 'progress') {
      job.stage = m.stage;
      job.fraction = m.fraction ?? null;
      return;
    }
    slot.job = null;
    slot.worker.unref();
    clearTimeout(job.timer);
    this.jobs.delete(job.id);
    this.remember(job, m.type === 'result' ? 'done' : 'failed');
    if (m.type === 'result') job.resolve(m.result);
    else job.reject(new ApiError(m.error.code ?? 'INTERNAL', m.error.message, m.error.details));
    this.next();
  }

  private onCrash(slot: Slot, e: Error) {
    const job = slot.job;
    this.slots = this.slots.filter((s) => s !== slot);
    if (job) {
      slot.job = null;
      clearTimeout(job.timer);
      this.jobs.delete(job.id);
      this.remember(job, 'failed');
      const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(e.message);
      job.reject(
        oom
          ? new ApiError('TOO_LARGE', `The ${describe(job.req)} needed more than ${this.memoryMb} MB, the memory budget of one job, and was stopped. The input may be hostile or too large; raise PMW_JOB_MEMORY_MB to allow more.`, { budget: 'memory', memoryMb: this.memoryMb })
          : new ApiError('INTERNAL', `The worker failed: ${e.message}`),
      );
    }
    this.next();
  }

  /** A running job over its time budget: its worker is terminated and replaced on demand. */
  private overTime(job: Job) {
    const slot = job.worker;
    if (!this.jobs.has(job.id) || !slot || slot.job !== job) return;
    slot.job = null;
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate();
    this.jobs.delete(job.id);
    this.remember(job, 'failed');
    job.reject(
      new ApiError('TOO_LARGE', `The ${describe(job.req)} took longer than ${seconds(this.timeoutMs)}, the time budget of one job, and was stopped. The input may be hostile or too large; raise PMW_JOB_TIMEOUT_MS to allow more.`, {
        budget: 'time',
        timeoutMs: this.timeoutMs,
      }),
    );
    this.next();
  }

  private remember(job: Job, state: JobProgress['state']) {
    this.finished.set(job.id, { jobId: job.id, state, fraction: state === 'done' ? 1 : job.fraction, stage: job.stage, elapsedMs: Date.now() - job.started });
    if (this.finished.size > 200) this.finished.delete(this.finished.keys().next().value as string);
  }

  private next() {
    if (this.closed) return;
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      job.worker = slot;
      job.stage = 'running';
      job.timer = setTimeout(() => this.overTime(job), this.timeoutMs);
      job.timer.unref?.();
      // A busy worker keeps the process alive (a CLI waiting on a diff); an idle one does not.
      slot.worker.ref();
      slot.worker.postMessage(job.req, job.transfer ?? []);
    }
  }

  run<T>(req: WorkerTask, jobId = `job-${Math.random().toString(36).slice(2, 12)}`, transfer?: Transferable[]): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('INTERNAL', 'worker pool is closed'));
    if (this.jobs.has(jobId)) return Promise.reject(new ApiError('CONFLICT', `job ${jobId} is already running`));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { id: jobId, req: { ...req, id: jobId } as WorkerRequest, resolve: resolve as (v: unknown) => void, reject, started: Date.now(), stage: 'queued', fraction: null, transfer };
      this.jobs.set(jobId, job);
      this.queue.push(job);
      this.next();
    });
  }

  progress(jobId: string): JobProgress {
    const parts = [...this.jobs.values()].filter((j) => j.id.startsWith(`${jobId}.`));
    if (!this.jobs.has(jobId) && parts.length) {
      // A job split into parts (e.g. one dataset side per worker): report them together.
      const started = Math.min(...parts.map((j) => j.started));
      return { jobId, state: 'running', fraction: null, stage: parts.map((j) => j.stage).join(' · '), elapsedMs: Date.now() - started };
    }
    const job = this.jobs.get(jobId);
    if (job) return { jobId, state: 'running', fraction: job.fraction, stage: job.stage, elapsedMs: Date.now() - job.started };
    return this.finished.get(jobId) ?? { jobId, state: 'unknown', fraction: null, stage: '', elapsedMs: 0 };
  }

  /** Cancel a queued or running job; a running one's worker is terminated and replaced on demand. */
  cancel(jobId: string): boolean {
    let partsCancelled = false;
    for (const id of [...this.jobs.keys()]) if (id.startsWith(`${jobId}.`)) partsCancelled = this.cancel(id) || partsCancelled;
    const job = this.jobs.get(jobId);
    if (!job) {
      if (partsCancelled) this.finished.set(jobId, { jobId, state: 'cancelled', fraction: null, stage: '', elapsedMs: 0 });
      return partsCancelled;
    }
    this.jobs.delete(jobId);
    clearTimeout(job.timer);
    this.remember(job, 'cancelled');
    const q = this.queue.indexOf(job);
    if (q >= 0) this.queue.splice(q, 1);
    const slot = job.worker;
    if (slot && slot.job === job) {
      slot.job = null;
      this.slots = this.slots.filter((s) => s !== slot);
      void slot.worker.terminate();
    }
    job.reject(new ApiError('CANCELLED', 'Cancelled'));
    this.next();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of [...this.jobs.keys()]) this.cancel(j);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
