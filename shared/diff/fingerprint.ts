// Environment fingerprints (issue 13): hardware, drivers, interpreter, platform and container of a run,
// as `pmw capture` records them (environment.json, format "pmw-env-fingerprint"). Pure TypeScript.
// ML meaning: a GPU driver, CUDA or CPU-architecture change alters kernels and numerics, so it is a
// warning for the classes it breaks — training (a retrain or a resumed run) and serving (a model
// scored on another stack). The class a change names is where it bites first; `params.classes` lists
// both. A lost SIMD flag (avx512f…) is a warning too; kernel, OS, memory and CPU model changes are info.
import type { FailureClass } from '../domain';
import type { Change, ChangeSeverity, DiffResult, ParseProblem } from './types';

type Obj = Record<string, any>;
const ML_CLASSES: FailureClass[] = ['training', 'serving'];

function parse(text: string, side: 'before' | 'after', problems: ParseProblem[]): Obj | null {
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Obj;
  } catch (e) {
    problems.push({ message: `not an environment fingerprint: ${(e as Error).message}`, side, line: 1 });
    return null;
  }
}

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const major = (v: string | null) => (v ? v.split('.')[0] : null);
const minor = (v: string | null) => (v ? v.split('.').slice(0, 2).join('.') : null);
const gib = (n: unknown) => (typeof n === 'number' ? `${(n / 2 ** 30).toFixed(1)} GiB` : null);

export function diffFingerprintTexts(before: string, after: string): DiffResult {
  const problems: ParseProblem[] = [];
  const b = parse(before, 'before', problems);
  const a = parse(after, 'after', problems);
  if (!b || !a) return { kind: 'env-fingerprint', changes: [], problems, noSemanticChange: false, parseError: problems[0] };
  const changes: Change[] = [];
  const push = (kind: string, severity: ChangeSeverity, failureClass: FailureClass, subject: string, vb: unknown, va: unknown, message: string, params: Record<string, unknown> = {}) =>
    changes.push({ kind: `environment.${kind}`, severity, failureClass, subject, before: str(vb), after: str(va), message, params: { ...params } });
  const same = (x: unknown, y: unknown) => str(x) === str(y);

  // GPU presence, model, driver, CUDA.
  const gb = b.gpu as Obj | null | undefined;
  const ga = a.gpu as Obj | null | undefined;
  const devB = ((gb?.devices as Obj[] | undefined) ?? []).map((d) => String(d.name));
  const devA = ((ga?.devices as Obj[] | undefined) ?? []).map((d) => String(d.name));
  if (devB.length && !devA.length) push('gpu.removed', 'warning', 'training', 'gpu', devB.join(', '), null, `GPU gone: ${devB.join(', ')} → none (work falls back to CPU, or fails)`, { classes: ML_CLASSES });
  else if (!devB.length && devA.length) push('gpu.added', 'warning', 'training', 'gpu', null, devA.join(', '), `GPU appeared: none → ${devA.join(', ')} (GPU kernels differ from CPU numerics)`, { classes: ML_CLASSES });
  else if (devB.length && devA.length) {
    if (!same(devB[0], devA[0])) push('gpu.model', 'warning', 'training', 'gpu.model', devB[0], devA[0], `GPU model ${devB[0]} → ${devA[0]}`, { classes: ML_CLASSES });
    if (devB.length !== devA.length) push('gpu.count', 'info', 'training', 'gpu.count', devB.length, devA.length, `GPU count ${devB.length} → ${devA.length}`);
  }
  const drvB = str(gb?.driver);
  const drvA = str(ga?.driver);
  if (drvB && drvA && drvB !== drvA) {
    push('driver', 'warning', 'training', 'gpu.driver', drvB, drvA, `CUDA driver ${major(drvB)} → ${major(drvA)} (${drvB} → ${drvA}) — GPU kernels and numerics can change`, { classes: ML_CLASSES, majorChange: major(drvB) !== major(drvA) });
  }
  const cudaB = str(gb?.cuda);
  const cudaA = str(ga?.cuda);
  if (cudaB && cudaA && cudaB !== cudaA) push('cuda', 'warning', 'training', 'gpu.cuda', cudaB, cudaA, `CUDA (driver API) ${cudaB} → ${cudaA}`, { classes: ML_CLASSES });
  const tkB = str(b.cudaToolkit);
  const tkA = str(a.cudaToolkit);
  if (tkB !== tkA && (tkB || tkA)) push('cuda.toolkit', 'warning', 'training', 'cudaToolkit', tkB, tkA, `CUDA toolkit ${tkB ?? 'none'} → ${tkA ?? 'none'}`, { classes: ML_CLASSES });

  // CPU architecture and instruction sets.
  const pb = (b.platform ?? {}) as Obj;
  const pa = (a.platform ?? {}) as Obj;
  if (!same(pb.arch, pa.arch)) push('arch', 'warning', 'serving', 'platform.arch', pb.arch, pa.arch, `CPU architecture ${str(pb.arch)} → ${str(pa.arch)} — wheels, kernels and float results differ`, { classes: ML_CLASSES });
  const fb = new Set<string>(((b.cpu?.flags as string[] | null) ?? []).map(String));
  const fa = new Set<string>(((a.cpu?.flags as string[] | null) ?? []).map(String));
  if (b.cpu?.flags && a.cpu?.flags) {
    const lost = [...fb].filter((f) => !fa.has(f));
    const gained = [...fa].filter((f) => !fb.has(f));
    if (lost.length) push('cpu.flags.lost', 'warning', 'serving', 'cpu.flags', lost.join(' '), null, `CPU instruction sets lost: ${lost.join(', ')} — vectorised kernels take another path`, { classes: ML_CLASSES, lost });
    if (gained.length) push('cpu.flags.gained', 'info', 'serving', 'cpu.flags', null, gained.join(' '), `CPU instruction sets gained: ${gained.join(', ')}`, { gained });
  }
  if (!same(b.cpu?.model, a.cpu?.model)) push('cpu.model', 'info', 'serving', 'cpu.model', b.cpu?.model, a.cpu?.model, `CPU ${str(b.cpu?.model)} → ${str(a.cpu?.model)}`);
  if (!same(b.cpu?.count, a.cpu?.count)) push('cpu.count', 'info', 'serving', 'cpu.count', b.cpu?.count, a.cpu?.count, `CPU count ${str(b.cpu?.count)} → ${str(a.cpu?.count)} (thread pools size themselves by it)`);
  if (!same(b.memory?.totalBytes, a.memory?.totalBytes)) push('memory', 'info', 'serving', 'memory.totalBytes', gib(b.memory?.totalBytes), gib(a.memory?.totalBytes), `memory ${gib(b.memory?.totalBytes)} → ${gib(a.memory?.totalBytes)}`);

  // Interpreter.
  const yb = (b.python ?? null) as Obj | null;
  const ya = (a.python ?? null) as Obj | null;
  if (yb && ya) {
    if (!same(yb.implementation, ya.implementation)) push('python.implementation', 'warning', 'packaging', 'python.implementation', yb.implementation, ya.implementation, `Python implementation ${yb.implementation} → ${ya.implementation}`);
    if (!same(yb.version, ya.version)) {
      const m = minor(str(yb.version)) !== minor(str(ya.version));
      push('python.version', m ? 'warning' : 'info', 'packaging', 'python.version', yb.version, ya.version, `Python ${yb.version} → ${ya.version}${m ? ' — another minor version: other wheels, other defaults' : ''}`, { minorChange: m });
    }
    if (!same(yb.executable, ya.executable)) push('python.executable', 'info', 'packaging', 'python.executable', yb.executable, ya.executable, `Python interpreter ${yb.executable} → ${ya.executable}`);
  } else if (!!yb !== !!ya) push('python', 'warning', 'packaging', 'python', yb?.version ?? null, ya?.version ?? null, `Python ${yb ? `${yb.version} → not found` : `not found → ${ya!.version}`}`);

  // Platform.
  if (!same(pb.os, pa.os)) push('os', 'info', 'deployment', 'platform.os', pb.os, pa.os, `OS ${str(pb.os)} → ${str(pa.os)}`);
  if (!same(pb.release, pa.release)) push('kernel', 'info', 'deployment', 'platform.release', pb.release, pa.release, `kernel ${str(pb.release)} → ${str(pa.release)}`);
  if (!same(b.node?.version, a.node?.version)) push('node', 'info', 'packaging', 'node.version', b.node?.version, a.node?.version, `Node.js ${str(b.node?.version)} → ${str(a.node?.version)}`);

  // Container image.
  const cb = (b.container ?? {}) as Obj;
  const ca = (a.container ?? {}) as Obj;
  if (str(cb.digest) && str(ca.digest) && cb.digest !== ca.digest) push('image.digest', 'warning', 'deployment', 'container.digest', cb.digest, ca.digest, `image digest changed: ${String(cb.digest).slice(0, 19)}… → ${String(ca.digest).slice(0, 19)}…${same(cb.image, ca.image) ? ` (same reference ${str(ca.image)})` : ''}`);
  if (str(cb.image) && str(ca.image) && !same(cb.image, ca.image)) push('image.ref', 'warning', 'deployment', 'container.image', cb.image, ca.image, `image ${cb.image} → ${ca.image}`);
  if (!!cb.inside !== !!ca.inside) push('container', 'info', 'deployment', 'container.inside', cb.runtime ?? 'none', ca.runtime ?? 'none', `container ${cb.inside ? cb.runtime : 'none'} → ${ca.inside ? ca.runtime : 'none'}`);

  return { kind: 'env-fingerprint', changes, problems, noSemanticChange: changes.length === 0 };
}
