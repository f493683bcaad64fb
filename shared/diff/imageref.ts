// Container image references: parsing, comparison, and the image-ref list diff. Pure TypeScript.
import type { FailureClass } from '../domain';
import type { Change, ChangeSeverity, DiffResult, ParseProblem } from './types';

export interface ImageRef {
  raw: string;
  /** Registry host (default docker.io). */
  registry: string;
  /** Repository path without registry (docker.io single names get "library/"). */
  repository: string;
  tag?: string;
  /** e.g. "sha256:05a3…" */
  digest?: string;
  /** registry/repository, the identity used to pair references. */
  name: string;
}

const DIGEST_RE = /@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Parse a Docker/OCI reference `[registry[:port]/]path[:tag][@digest]`. Null when it is not one. */
export function parseImageRef(input: string): ImageRef | null {
  const raw = input.trim().replace(/^["']|["']$/g, '');
  if (!raw || /\s/.test(raw)) return null;
  let rest = raw;
  let digest: string | undefined;
  const d = DIGEST_RE.exec(rest);
  if (d) {
    digest = d[1].toLowerCase();
    rest = rest.slice(0, d.index);
  } else if (rest.includes('@')) return null;
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_RE.test(tag)) return null;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!.toLowerCase();
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return null;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  let repository = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) repository = 'library/' + repository;
  const ref: ImageRef = { raw, registry, repository, name: `${registry}/${repository}` };
  if (tag) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}

function shortDigest(d: string): string {
  const [alg, hex] = d.split(':');
  return `${alg}:${hex.slice(0, 12)}`;
}

const MUTABLE_TAGS = new Set(['latest', 'main', 'master', 'stable', 'edge', 'nightly', 'dev', 'develop']);

function majorOf(tag: string): number | null {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(tag);
  return m ? Number(m[1]) : null;
}

export interface ImageChangeContext {
  subject: string;
  failureClass?: FailureClass;
  lineBefore?: number;
  lineAfter?: number;
  params?: Record<string, unknown>;
}

/**
 * Compare two image references (same slot, e.g. a container's `image:`). Returns [] when equal.
 * Digest → tag is a warning ("pinned by digest replaced by mutable tag"); a tag change is a warning
 * when it is a major version or a mutable tag, info otherwise.
 */
export function diffImageRefs(beforeRaw: string, afterRaw: string, ctx: ImageChangeContext): Change[] {
  if (beforeRaw === afterRaw) return [];
  const failureClass = ctx.failureClass ?? 'deployment';
  const b = parseImageRef(beforeRaw);
  const a = parseImageRef(afterRaw);
  const base = (kind: string, severity: ChangeSeverity, message: string, params: Record<string, unknown> = {}): Change => {
    const c: Change = { kind, severity, failureClass, subject: ctx.subject, before: beforeRaw, after: afterRaw, message };
    if (ctx.lineBefore) c.lineBefore = ctx.lineBefore;
    if (ctx.lineAfter) c.lineAfter = ctx.lineAfter;
    c.params = { ...ctx.params, ...params };
    return c;
  };
  if (!b || !a) return [base('image.changed', 'warning', `image changed: ${beforeRaw} → ${afterRaw}`)];
  const out: Change[] = [];
  if (b.name !== a.name) {
    out.push(base('image.repository-changed', 'warning', `image repository changed: ${b.name} → ${a.name}`, { repositoryBefore: b.name, repositoryAfter: a.name }));
  }
  const who = b.name === a.name ? b.repository.replace(/^library\//, '') : a.repository.replace(/^library\//, '');
  if (b.digest && !a.digest) {
    out.push(
      base('image.digest-to-tag', 'warning', `image pinned by digest replaced by mutable tag ${a.tag ?? 'latest (implicit)'}`, {
        digestBefore: b.digest,
        tagAfter: a.tag ?? 'latest',
        image: who,
      }),
    );
    return out;
  }
  if (!b.digest && a.digest) {
    out.push(base('image.tag-to-digest', 'info', `image now pinned by digest ${shortDigest(a.digest)} (was tag ${b.tag ?? 'latest'})`, { tagBefore: b.tag ?? 'latest', digestAfter: a.digest, image: who }));
    return out;
  }
  if (b.digest && a.digest && b.digest !== a.digest) {
    out.push(base('image.digest-changed', 'warning', `${who} digest changed: ${shortDigest(b.digest)} → ${shortDigest(a.digest)}`, { digestBefore: b.digest, digestAfter: a.digest, image: who }));
  }
  const tb = b.tag ?? (b.digest ? undefined : 'latest');
  const ta = a.tag ?? (a.digest ? undefined : 'latest');
  if (tb !== ta && (tb || ta)) {
    const mutable = (ta && MUTABLE_TAGS.has(ta)) || (!a.tag && !a.digest);
    const mb = tb ? majorOf(tb) : null;
    const ma = ta ? majorOf(ta) : null;
    const major = mb !== null && ma !== null && mb !== ma;
    const severity: ChangeSeverity = !a.digest && (mutable || major) ? 'warning' : 'info';
    const note = mutable ? ' — mutable tag' : major ? ' — major version change' : '';
    out.push(base('image.tag-changed', severity, `${who} tag changed: ${tb ?? '(none)'} → ${ta ?? '(none)'}${note}`, { tagBefore: tb ?? null, tagAfter: ta ?? null, image: who }));
  }
  if (out.length === 0) out.push(base('image.changed', 'info', `image reference rewritten: ${beforeRaw} → ${afterRaw} (same image)`));
  return out;
}

interface RefLine {
  ref: ImageRef;
  line: number;
  /** e.g. Dockerfile stage alias or a "name=" label. */
  label?: string;
}

/** Parse an image-reference list: one ref per line, `FROM x [AS y]`, `image: x`, `- x`, `name=ref`, or `docker images --digests` output. */
export function parseImageRefList(text: string): { refs: RefLine[]; problems: ParseProblem[] } {
  const refs: RefLine[] = [];
  const problems: ParseProblem[] = [];
  const lines = text.split('\n');
  let table: { repo: number; tag: number; digest: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '').trim();
    if (!l || l.startsWith('#')) continue;
    if (/^REPOSITORY\s+TAG\b/.test(l)) {
      const cols = l.split(/\s{2,}|\t/);
      table = { repo: cols.indexOf('REPOSITORY'), tag: cols.indexOf('TAG'), digest: cols.indexOf('DIGEST') };
      continue;
    }
    if (table) {
      const cols = l.split(/\s+/);
      const repo = cols[table.repo];
      const tag = cols[table.tag];
      const digest = table.digest >= 0 ? cols[table.digest] : undefined;
      const s = `${repo}${tag && tag !== '<none>' ? ':' + tag : ''}${digest && digest.startsWith('sha') ? '@' + digest : ''}`;
      const ref = parseImageRef(s);
      if (ref) refs.push({ ref, line: i + 1 });
      continue;
    }
    let label: string | undefined;
    let s = l.replace(/^(image:\s*|-\s+)/i, '');
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(s);
    if (from) {
      s = from[1];
      label = from[2];
    } else {
      const kv = /^([A-Za-z_][\w.-]*)\s*[=:]\s*(\S+)$/.exec(s);
      if (kv && !parseImageRef(s)) {
        label = kv[1];
        s = kv[2];
      }
    }
    const ref = parseImageRef(s.split(/\s+/)[0]);
    if (ref) refs.push(label ? { ref, line: i + 1, label } : { ref, line: i + 1 });
    else problems.push({ message: `not an image reference: ${l.slice(0, 80)}`, line: i + 1, column: 1 });
  }
  return { refs, problems };
}

/** Diff two image-reference lists: refs paired by label, else by registry/repository. */
export function diffImageRefTexts(before: string, after: string): DiffResult {
  const pb = parseImageRefList(before);
  const pa = parseImageRefList(after);
  const problems: ParseProblem[] = [
    ...pb.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...pa.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  const key = (r: RefLine) => (r.label ? `label:${r.label}` : r.ref.name);
  const groupBy = (rs: RefLine[]) => {
    const m = new Map<string, RefLine[]>();
    for (const r of rs) {
      const k = key(r);
      const g = m.get(k);
      if (g) g.push(r);
      else m.set(k, [r]);
    }
    return m;
  };
  const gb = groupBy(pb.refs);
  const ga = groupBy(pa.refs);
  const changes: Change[] = [];
  for (const [k, bs] of gb) {
    const as = ga.get(k) ?? [];
    // Unchanged refs first, then pair the rest in order.
    const restB = bs.filter((b) => !as.some((a) => a.ref.raw === b.ref.raw));
    const restA = as.filter((a) => !bs.some((b) => b.ref.raw === a.ref.raw));
    const n = Math.min(restB.length, restA.length);
    for (let i = 0; i < n; i++) {
      const subject = restA[i].label ?? restA[i].ref.repository.replace(/^library\//, '');
      changes.push(...diffImageRefs(restB[i].ref.raw, restA[i].ref.raw, { subject, lineBefore: restB[i].line, lineAfter: restA[i].line }));
    }
    for (const b of restB.slice(n))
      changes.push({ kind: 'image.removed', severity: 'info', failureClass: 'deployment', subject: b.label ?? b.ref.name, before: b.ref.raw, after: null, message: `image ${b.ref.raw} removed`, lineBefore: b.line });
    for (const a of restA.slice(n))
      changes.push({ kind: 'image.added', severity: a.ref.digest ? 'info' : 'warning', failureClass: 'deployment', subject: a.label ?? a.ref.name, before: null, after: a.ref.raw, message: `image ${a.ref.raw} added${a.ref.digest ? '' : ' (by tag, not pinned by digest)'}`, lineAfter: a.line });
  }
  for (const [k, as] of ga) {
    if (gb.has(k)) continue;
    for (const a of as)
      changes.push({ kind: 'image.added', severity: a.ref.digest ? 'info' : 'warning', failureClass: 'deployment', subject: a.label ?? a.ref.name, before: null, after: a.ref.raw, message: `image ${a.ref.raw} added${a.ref.digest ? '' : ' (by tag, not pinned by digest)'}`, lineAfter: a.line });
  }
  return { kind: 'image-ref', changes, problems, noSemanticChange: changes.length === 0 };
}
