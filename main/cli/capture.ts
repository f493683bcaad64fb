// `pmw capture [--dir D] [--out FILE] [--python P] [--k8s NS/DEPLOYMENT] [--include GLOB…]` (issue 13):
// one portable capture file of the environment a job ran in — Python distributions, lockfiles,
// OS/kernel/CPU/memory/GPU/driver/CUDA, environment variables (masked at the source), git HEAD, the
// container image, a Kubernetes deployment — for the workbench to diff against another capture.
// Runs without the database and the app: it is its own bundle (dist/main/cli-capture.cjs), which
// bin/pmw.cjs loads for `pmw capture`. A part that cannot be collected is recorded with the reason;
// a missing tool never fails the capture. Secrets: environment values and every text file are masked
// with shared/redact before they are put in the zip, so no secret value is ever in the file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { arch, cpus, hostname, platform, release, totalmem, type as osType, version as osVersion } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { CAPTURE_FORMAT, CAPTURE_VERSION, FINGERPRINT_FORMAT, MANIFEST_NAME, partLabel, type CaptureManifest, type CapturePart } from '../../shared/capture/manifest';
import type { ArtifactKind } from '../../shared/diff/types';
import { maskValue, redactDetailed } from '../../shared/redact/index';
import { cliRunner, type Io } from './common';
import { str, type ParsedArgs } from './args';
import pkg from '../../package.json';

export interface CaptureOptions {
  dir: string;
  out?: string;
  python?: string;
  k8s?: string;
  include: string[];
  /** Largest included or lock file (bytes); larger ones are recorded as skipped. */
  maxFileBytes?: number;
  json?: boolean;
  /** The environment to record (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export const LOCKFILE_RE = /^(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|poetry\.lock|Pipfile\.lock|Pipfile|pyproject\.toml|uv\.lock|pdm\.lock|environment\.ya?ml|conda-lock\.ya?ml|conda-env\.ya?ml|package-lock\.json|npm-shrinkwrap\.json)$/;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', 'dist', 'build', '.next', 'site-packages']);
const DEFAULT_MAX_FILE = 8 * 1024 * 1024;
/** Per-session shell and terminal variables: not part of what a job ran with. */
const ENV_NOISE = new Set(['_', 'OLDPWD', 'SHLVL', 'PS1', 'PS2', 'PS4', 'PROMPT_COMMAND', 'COLUMNS', 'LINES', 'LS_COLORS', 'SSH_CLIENT', 'SSH_CONNECTION', 'SSH_TTY', 'SSH_AUTH_SOCK', 'TERM_SESSION_ID', 'WINDOWID', 'XDG_SESSION_ID', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS', 'MAIL']);
const TOOL_TIMEOUT_MS = 15_000;

/** Run a tool; null with the reason when it is not there or fails (never throws). */
function tool(cmd: string, args: string[], opts: { cwd?: string; timeout?: number; input?: string } = {}): { ok: true; out: string } | { ok: false; reason: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeout ?? TOOL_TIMEOUT_MS, input: opts.input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? (cmd.includes('/') ? `${cmd} not found` : `${cmd} not on PATH`) : code === 'ETIMEDOUT' ? `${cmd} did not answer within ${(opts.timeout ?? TOOL_TIMEOUT_MS) / 1000} s` : `${cmd}: ${r.error.message}` };
  }
  if (r.status !== 0) return { ok: false, reason: `${cmd} ${args.slice(0, 3).join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? ''}` };
  return { ok: true, out: r.stdout };
}

const PY_SCRIPT = String.raw`
import json, sys, platform
out = {"version": platform.python_version(), "implementation": platform.python_implementation(),
       "executable": sys.executable, "prefix": sys.prefix, "basePrefix": getattr(sys, "base_prefix", sys.prefix),
       "platform": platform.platform(), "machine": platform.machine(), "distributions": []}
try:
    import importlib.metadata as md
except ImportError:
    md = None
    out["error"] = "importlib.metadata needs Python 3.8 or later"
if md is not None:
    seen = set()
    for d in md.distributions():
        try:
            name = d.metadata["Name"]
        except Exception:
            name = None
        if not name:
            continue
        key = name.lower().replace("_", "-").replace(".", "-")
        if key in seen:
            continue
        seen.add(key)
        out["distributions"].append({"name": name, "version": d.version})
print(json.dumps(out))
`;

interface PythonInfo {
  version: string;
  implementation: string;
  executable: string;
  prefix: string;
  basePrefix: string;
  platform: string;
  machine: string;
  distributions: { name: string; version: string }[];
  error?: string;
}

function findPython(explicit: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (explicit) return [explicit];
  return [env.PMW_PYTHON, 'python3', 'python', '/usr/bin/python3'].filter((x): x is string => !!x);
}

/** Files under dir (relative, '/' separated), depth-limited, heavy folders skipped. */
function walk(dir: string, maxDepth: number, limit = 20_000): string[] {
  const out: string[] = [];
  const go = (d: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= limit) return;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (depth < maxDepth && !SKIP_DIRS.has(e.name)) go(p, depth + 1);
      } else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  go(dir, 0);
  return out;
}

/** A glob (*, **, ?, {a,b}) as a regular expression over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = g.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${g.slice(i + 1, end).split(',').map((x) => x.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 8192);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}

/** Text is masked (shared/redact) before it goes in the zip; binary files go in as they are. */
function maskedFile(name: string, bytes: Uint8Array): { bytes: Uint8Array; masked: number } {
  if (looksBinary(bytes)) return { bytes, masked: 0 };
  const r = redactDetailed(Buffer.from(bytes).toString('utf8'), { fileName: name });
  return { bytes: strToU8(r.text), masked: r.masked.length };
}

function envLine(k: string, v: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]*$/.test(v) ? `${k}=${v}` : `${k}="${v.replace(/(["\\$`])/g, '\\$1').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

function cpuFlags(): string[] | null {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const m = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(info);
    if (!m) return null;
    const want = /^(sse4_1|sse4_2|avx|avx2|fma|f16c|avx512[a-z_0-9]*|amx[a-z_0-9]*|avx_vnni|neon|asimd|sve|sve2|fp16|bf16)$/;
    return [...new Set(m[1].split(/\s+/).filter((f) => want.test(f)))].sort();
  } catch {
    return null;
  }
}

function osName(): string | null {
  try {
    const t = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(t)?.[1] ?? null;
  } catch {
    return platform() === 'darwin' ? (tool('sw_vers', ['-productVersion']).ok ? `macOS ${(tool('sw_vers', ['-productVersion']) as { out: string }).out.trim()}` : null) : null;
  }
}

interface Container {
  inside: boolean;
  runtime: string | null;
  image: string | null;
  digest: string | null;
  reason?: string;
}

function containerInfo(env: NodeJS.ProcessEnv): Container {
  let runtime: string | null = null;
  let image: string | null = env.PMW_CAPTURE_IMAGE ?? null;
  let digest: string | null = null;
  if (existsSync('/run/.containerenv')) {
    runtime = 'podman';
    try {
      const t = readFileSync('/run/.containerenv', 'utf8');
      image ??= /^image="([^"]*)"/m.exec(t)?.[1] || null;
      const id = /^imageid="([^"]*)"/m.exec(t)?.[1];
      if (id) digest = `sha256:${id.replace(/^sha256:/, '')}`;
    } catch {
      /* not readable: runtime only */
    }
  } else if (existsSync('/.dockerenv')) runtime = 'docker';
  if (!runtime) {
    try {
      const cg = readFileSync('/proc/1/cgroup', 'utf8');
      if (/kubepods/.test(cg)) runtime = 'kubernetes';
      else if (/docker|containerd|crio|libpod/.test(cg)) runtime = 'container';
    } catch {
      /* not Linux */
    }
  }
  if (!runtime && env.KUBERNETES_SERVICE_HOST) runtime = 'kubernetes';
  const m = image ? /@(sha256:[0-9a-f]{64})$/.exec(image) : null;
  if (m) digest = m[1];
  const c: Container = { inside: !!runtime, runtime, image, digest };
  if (!runtime) c.reason = 'not inside a container';
  else if (!image) c.reason = `inside a container (${runtime}), but the runtime does not expose the image: set PMW_CAPTURE_IMAGE=name@sha256:… (or use --k8s)`;
  return c;
}

export interface CaptureResult {
  out: string;
  manifest: CaptureManifest;
  bytes: number;
}

/** Collect and write the capture; throws only when the output cannot be written or D is not a folder. */
export function capture(o: CaptureOptions): CaptureResult {
  const t0 = performance.now();
  const env = o.env ?? process.env;
  const dir = resolve(o.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--dir ${o.dir}: not a folder`);
  const maxFile = o.maxFileBytes ?? DEFAULT_MAX_FILE;
  const parts: CapturePart[] = [];
  const zip: Zippable = {};
  const add = (id: string, path: string, bytes: Uint8Array, kind?: ArtifactKind, masked = 0) => {
    zip[path] = bytes;
    parts.push({ id, label: partLabel(id), path, ...(kind ? { kind } : {}), status: 'ok', size: bytes.length, ...(masked ? { masked } : {}) });
  };
  const missing = (id: string, reason: string, kind?: ArtifactKind) => parts.push({ id, label: partLabel(id), path: null, ...(kind ? { kind } : {}), status: 'missing', reason });

  // Python: interpreter and installed distributions (importlib.metadata; no pip needed).
  let py: PythonInfo | null = null;
  const reasons: string[] = [];
  for (const cand of findPython(o.python, env)) {
    const r = tool(cand, ['-I', '-c', PY_SCRIPT], { cwd: dir, timeout: 60_000 });
    if (r.ok) {
      try {
        py = JSON.parse(r.out) as PythonInfo;
        break;
      } catch {
        reasons.push(`${cand} printed no JSON`);
      }
    } else reasons.push(r.reason);
    if (o.python) break;
  }
  if (py) {
    const lines = py.distributions
      .map((d) => `${d.name}==${d.version}`)
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    add('python-packages', 'python/packages.txt', strToU8(`# installed distributions of ${py.executable} (Python ${py.version}), from importlib.metadata\n${lines.join('\n')}\n`), 'requirements');
  } else missing('python-packages', `no Python found: ${reasons.join('; ')}`, 'requirements');

  // Lockfiles and requirement files in D (two levels deep).
  const files = walk(dir, 2);
  for (const rel of files.filter((f) => LOCKFILE_RE.test(basename(f)))) {
    const id = `file:${rel}`;
    const st = statSync(join(dir, rel));
    if (st.size > maxFile) {
      missing(id, `${rel} is ${st.size} bytes, over the ${maxFile} byte limit per file`);
      continue;
    }
    const m = maskedFile(rel, readFileSync(join(dir, rel)));
    add(id, `files/${rel}`, m.bytes, undefined, m.masked);
  }

  // Environment variables, masked at the source (shared/redact): a secret's value is never written.
  // Shell and terminal bookkeeping that differs on every login is left out (it would only be noise).
  let envMasked = 0;
  const envLines = Object.keys(env)
    .sort()
    .filter((k) => env[k] !== undefined && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(k) && !ENV_NOISE.has(k))
    .map((k) => {
      const v = env[k]!;
      const shown = maskValue(v, k);
      if (shown !== v) envMasked++;
      return envLine(k, shown);
    });
  add('env', 'env.txt', strToU8(`# environment of the capturing process; secret values masked at the source\n${envLines.join('\n')}\n`), 'env', envMasked);

  // Git HEAD and dirty state.
  const head = tool('git', ['-C', dir, 'rev-parse', 'HEAD']);
  if (head.ok) {
    const branch = tool('git', ['-C', dir, 'rev-parse', '--abbrev-ref', 'HEAD']);
    const status = tool('git', ['-C', dir, 'status', '--porcelain=v1', '--untracked-files=normal']);
    const changed = status.ok ? status.out.split('\n').filter(Boolean) : [];
    const git = { head: head.out.trim(), branch: branch.ok ? branch.out.trim() : null, dirty: changed.length > 0, changedFiles: changed.slice(0, 500).map((l) => l.slice(3)), changedCount: changed.length };
    add('git', 'git.json', strToU8(JSON.stringify(git, null, 2) + '\n'), 'json');
  } else missing('git', /not a git repository/i.test(head.reason) ? `${dir} is not in a git repository` : head.reason, 'json');

  // GPU, driver, CUDA (nvidia-smi when present).
  const gpu: { devices: { name: string; driver: string; memoryMiB: number | null; computeCap: string | null }[]; driver: string | null; cuda: string | null } | null = (() => {
    const q = tool('nvidia-smi', ['--query-gpu=name,driver_version,memory.total,compute_cap', '--format=csv,noheader,nounits']);
    if (!q.ok) {
      missing('gpu', q.reason);
      return null;
    }
    const devices = q.out.trim().split('\n').filter(Boolean).map((l) => {
      const [name, driver, mem, cap] = l.split(',').map((x) => x.trim());
      return { name, driver, memoryMiB: Number.isFinite(Number(mem)) ? Number(mem) : null, computeCap: cap && cap !== '[N/A]' ? cap : null };
    });
    const plain = tool('nvidia-smi', []);
    const cuda = plain.ok ? (/CUDA Version:\s*([\d.]+)/.exec(plain.out)?.[1] ?? null) : null;
    return { devices, driver: devices[0]?.driver ?? null, cuda };
  })();
  const nvcc = tool('nvcc', ['--version']);
  const cudaToolkit = nvcc.ok ? (/release ([\d.]+)/.exec(nvcc.out)?.[1] ?? null) : null;
  if (!nvcc.ok) missing('cuda-toolkit', nvcc.reason);

  const container = containerInfo(env);

  // Kubernetes: the deployment's manifest, its pods' status and recent events.
  if (o.k8s) {
    const m = /^([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(o.k8s);
    if (!m) missing('k8s', `--k8s must be NAMESPACE/DEPLOYMENT, got "${o.k8s}"`);
    else {
      const [, ns, name] = m;
      const dep = tool('kubectl', ['-n', ns, 'get', 'deployment', name, '-o', 'yaml'], { timeout: 30_000 });
      if (!dep.ok) missing('k8s-deployment', dep.reason, 'kubernetes');
      else {
        const r = redactDetailed(dep.out, { fileName: 'deployment.yaml' });
        add('k8s-deployment', 'k8s/deployment.yaml', strToU8(r.text), 'kubernetes', r.masked.length);
        let selector = '';
        try {
          const j = tool('kubectl', ['-n', ns, 'get', 'deployment', name, '-o', 'jsonpath={.spec.selector.matchLabels}']);
          if (j.ok && j.out.trim()) selector = Object.entries(JSON.parse(j.out) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
        } catch {
          /* no selector: all pods of the namespace would be wrong, so none */
        }
        if (selector) {
          const pods = tool('kubectl', ['-n', ns, 'get', 'pods', '-l', selector, '-o', 'json'], { timeout: 30_000 });
          if (pods.ok) {
            try {
              const list = JSON.parse(pods.out) as { items?: { metadata?: { name?: string }; status?: Record<string, unknown> }[] };
              const status = (list.items ?? []).map((p) => ({ name: p.metadata?.name, status: p.status }));
              const r2 = redactDetailed(JSON.stringify(status, null, 2), { fileName: 'pods.json' });
              add('k8s-pods', 'k8s/pods.json', strToU8(r2.text + '\n'), 'json', r2.masked.length);
              const ids = status.flatMap((p) => ((p.status?.containerStatuses as { image?: string; imageID?: string }[] | undefined) ?? []));
              if (!container.image && ids[0]?.image) container.image = ids[0].image;
              const d = ids.map((c) => /(sha256:[0-9a-f]{64})/.exec(c.imageID ?? '')?.[1]).find(Boolean);
              if (d && !container.digest) container.digest = d;
              if (container.image) delete container.reason;
            } catch (e) {
              missing('k8s-pods', `kubectl printed no pod list: ${(e as Error).message}`, 'json');
            }
          } else missing('k8s-pods', pods.reason, 'json');
        } else missing('k8s-pods', 'the deployment has no selector labels', 'json');
        const ev = tool('kubectl', ['-n', ns, 'get', 'events', '--sort-by=.lastTimestamp', '--field-selector', `involvedObject.name=${name}`], { timeout: 30_000 });
        const evPods = tool('kubectl', ['-n', ns, 'get', 'events', '--sort-by=.lastTimestamp'], { timeout: 30_000 });
        if (ev.ok || evPods.ok) {
          const text = [ev.ok ? ev.out : '', evPods.ok ? evPods.out.split('\n').filter((l, i) => i === 0 || l.includes(name)).slice(-200).join('\n') : ''].filter(Boolean).join('\n');
          const r3 = redactDetailed(text, { fileName: 'events.log' });
          add('k8s-events', 'k8s/events.log', strToU8(r3.text), 'log', r3.masked.length);
        } else missing('k8s-events', ev.ok ? '' : ev.reason, 'log');
      }
    }
  }

  if (container.image) {
    const ref = container.digest && !container.image.includes('@') ? `${container.image}@${container.digest}` : container.image;
    add('image', 'image.txt', strToU8(`${ref}\n`), 'image-ref');
  } else missing('image', container.reason ?? 'no image known', 'image-ref');

  // The environment fingerprint: hardware, drivers, interpreter, platform.
  const c = cpus();
  const fingerprint = {
    format: FINGERPRINT_FORMAT,
    version: 1,
    platform: { system: osType(), os: osName(), release: release(), kernel: (() => { try { return osVersion(); } catch { return null; } })(), arch: arch(), nodePlatform: platform() },
    cpu: { model: c[0]?.model?.trim() ?? null, count: c.length, flags: cpuFlags() },
    memory: { totalBytes: totalmem() },
    gpu,
    cudaToolkit,
    python: py ? { version: py.version, implementation: py.implementation, executable: py.executable, virtualenv: py.prefix !== py.basePrefix, machine: py.machine, platform: py.platform, packages: py.distributions.length } : null,
    node: { version: process.version },
    container: { inside: container.inside, runtime: container.runtime, image: container.image, digest: container.digest },
  };
  add('environment', 'environment.json', strToU8(JSON.stringify(fingerprint, null, 2) + '\n'), 'env-fingerprint');

  // Extra files named by --include (model metadata, configs, dataset samples), up to the size limit.
  const includeRes = o.include.map((g) => ({ g, re: globToRegExp(g) }));
  if (includeRes.length) {
    const all = walk(dir, 8, 100_000);
    for (const { g, re } of includeRes) {
      const hits = all.filter((f) => re.test(f));
      if (!hits.length) missing(`include:${g}`, `--include ${g} matched no file in ${dir}`);
      for (const rel of hits) {
        const id = `include:${rel}`;
        if (parts.some((p) => p.id === id || p.id === `file:${rel}`)) continue;
        const st = statSync(join(dir, rel));
        if (st.size > maxFile) {
          missing(id, `${rel} is ${st.size} bytes, over the ${maxFile} byte limit per file (capture a sample of it)`);
          continue;
        }
        const m = maskedFile(rel, readFileSync(join(dir, rel)));
        add(id, `include/${rel}`, m.bytes, undefined, m.masked);
      }
    }
  }

  const manifest: CaptureManifest = {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    createdAt: new Date().toISOString(),
    tool: { name: 'pmw', version: pkg.version },
    dir,
    host: { hostname: hostname(), platform: platform(), arch: arch() },
    elapsedMs: Math.round(performance.now() - t0),
    parts,
  };
  // manifest.json first (how a capture is recognised), then the parts.
  const ordered: Zippable = { [MANIFEST_NAME]: strToU8(JSON.stringify(manifest, null, 2) + '\n'), ...zip };
  const bytes = zipSync(ordered, { level: 6, mtime: new Date() });
  const out = resolve(o.out ?? `${basename(dir) || 'capture'}-${manifest.createdAt.replace(/[:.]/g, '-')}.pmwcap`);
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`cannot write ${out}: ${(e as Error).message}`);
  }
  return { out, manifest, bytes: bytes.length };
}

export async function captureCommand(o: CaptureOptions, io: Io): Promise<number> {
  const r = capture(o);
  if (o.json) {
    io.out(JSON.stringify({ out: r.out, bytes: r.bytes, manifest: r.manifest }, null, 2) + '\n');
    return 0;
  }
  const ok = r.manifest.parts.filter((p) => p.status === 'ok');
  io.out(`Captured ${ok.length} parts into ${r.out} (${(r.bytes / 1024).toFixed(0)} KB, ${r.manifest.elapsedMs} ms)\n`);
  for (const p of ok) io.out(`  ok       ${p.id}${p.masked ? `  (${p.masked} secret${p.masked === 1 ? '' : 's'} masked)` : ''}\n`);
  for (const p of r.manifest.parts.filter((x) => x.status === 'missing')) io.out(`  missing  ${p.id}: ${p.reason}\n`);
  io.out(`Add it to an incident: pmw artifact add KEY --role failing|last-known-good ${basename(r.out)}\n`);
  return 0;
}


/** Options from flags the CLI entry's table has already parsed strictly (its `capture` entry). */
export function captureOptionsFromFlags(f: ParsedArgs['flags']): CaptureOptions {
  const maxFlag = str(f, 'max-file-bytes');
  const max = maxFlag === undefined ? undefined : Number(maxFlag);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) throw new Error('--max-file-bytes must be a positive whole number');
  // --include may be given more than once: the table's parser hands the values over comma-joined.
  const include = (str(f, 'include') ?? '').split(',').filter(Boolean);
  return { dir: str(f, 'dir') ?? '.', out: str(f, 'out'), python: str(f, 'python'), k8s: str(f, 'k8s'), include, json: f.json === true, maxFileBytes: max };
}

/** What the CLI entry runs for `pmw capture` (this module is its own bundle, dist/main/cli-capture.cjs). */
export const captureRunner = cliRunner((a, io) => captureCommand(captureOptionsFromFlags(a.flags), io));
