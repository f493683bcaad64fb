// Regression tests about secrets (issue 8 §2): a finding on a changed credential pins the
// last-known-good value by a salted PBKDF2-SHA256 hash, never the value. One module per incident,
// `test_<key>_secrets.py`, beside the regular regressions module. Pure TypeScript.
//
// The finding's genKind is SECRET_GEN_KIND with params {source, name | path, algorithm, iterations,
// salt, hash}. The diff marks secret changes (params.secret, fingerprints); secretTestForChange says
// where the value lives; main reads it from the last-known-good artifact (secretValueAt) and hashes it
// (shared/redact saltedHash) — the value itself goes into no finding and no file.
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { lazySchema } from '../lazy';
import type { Finding } from '../artifacts';
import type { Incident } from '../domain';
import type { ArtifactKind, Change } from '../diff/types';
import { parseEnv } from '../diff/env';
import { SALTED_HASH_ALGORITHM } from '../redact/index';
import { configPathFromSubject } from './fromChange';
import { parseConfigPath, type ConfigPathSegment } from './params';
import { pyComment, pyDocText, pyLiteral } from './pylit';
import { pythonModuleStem } from './slug';
import type { GeneratedFile } from './pytest';

export const SECRET_GEN_KIND = 'secret.unchanged';
export const SECRET_GEN_LABEL = 'Secret unchanged (salted hash)';

export type SecretLocator = { source: 'env'; name: string } | { source: 'config'; path: string };

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), { message: `must be ${n} lower-case hex digits` });

export const secretTestParams = lazySchema(() => z
  .strictObject({
    source: z.enum(['env', 'config'], { message: 'must be env or config' }),
    name: z.string().min(1).max(200).optional(),
    path: z
      .string()
      .max(2000)
      .superRefine((p, ctx) => {
        try {
          parseConfigPath(p);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      })
      .optional(),
    algorithm: z.literal(SALTED_HASH_ALGORITHM, { message: `must be ${SALTED_HASH_ALGORITHM}` }),
    iterations: z.number().int().min(10_000, { message: 'must be at least 10000' }).max(10_000_000),
    salt: hex(32),
    hash: hex(64),
  })
  .superRefine((p, ctx) => {
    if (p.source === 'env' && !p.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'an env secret needs the variable name' });
    if (p.source === 'config' && !p.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'a config secret needs its config path' });
  }));
export type SecretTestParams = z.infer<typeof secretTestParams>;

/** Where the last-known-good value of a secret change lives, or null (no secret, or nothing to pin). */
export function secretTestForChange(change: Change): SecretLocator | null {
  const p = (change.params ?? {}) as Record<string, unknown>;
  if (p.secret !== true || !p.fingerprintBefore) return null; // added, or the old side held no secret
  if (change.kind.startsWith('env.') && typeof p.name === 'string') return { source: 'env', name: p.name };
  if (change.kind.startsWith('config.env.') && typeof p.name === 'string') {
    const base = change.subject.endsWith(`.${p.name}`) ? change.subject.slice(0, -(p.name.length + 1)) : null;
    const list = base ? configPathFromSubject(base) : null;
    if (!list) return null;
    const path = `${list}[name=${/^[\w.-]+$/.test(p.name) ? p.name : JSON.stringify(p.name)}].value`;
    try {
      parseConfigPath(path);
      return { source: 'config', path };
    } catch {
      return null;
    }
  }
  if (/^(config|k8s)\./.test(change.kind)) {
    const path = configPathFromSubject(change.subject);
    return path ? { source: 'config', path } : null;
  }
  return null;
}

/** A scalar as the tests compare it: strings as they are, other scalars as JSON (true, 42, null). */
export function secretText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  return null;
}

function fieldText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return String(v);
}

function resolve(doc: unknown, segs: ConfigPathSegment[]): unknown {
  let cur: unknown = doc;
  for (const s of segs) {
    if ('key' in s) {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[s.key];
    } else if ('index' in s) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s.index < 0 ? cur.length + s.index : s.index];
    } else {
      const ok = (el: unknown) =>
        s.match.every((c) => {
          let v: unknown = el;
          for (const f of c.field) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[f] : undefined;
          return v !== undefined && fieldText(v) === c.value;
        });
      if (Array.isArray(cur)) {
        const hits = cur.filter(ok);
        if (hits.length !== 1) return undefined;
        cur = hits[0];
      } else if (!ok(cur)) return undefined;
    }
  }
  return cur;
}

/** The value a locator points at in an artifact's text (the same rules as the generated Python), or null. */
export function secretValueAt(text: string, kind: ArtifactKind, loc: SecretLocator): string | null {
  if (loc.source === 'env') return parseEnv(text).vars.get(loc.name)?.value ?? null;
  let doc: unknown;
  try {
    if (kind === 'json' || /^\s*[{[]/.test(text)) doc = JSON.parse(text);
    else {
      const docs = parseAllDocuments(text);
      const list = (Array.isArray(docs) ? docs : [docs]).filter((d) => d.contents !== null).map((d) => d.toJS());
      doc = list.length === 1 ? list[0] : list;
    }
  } catch {
    return null;
  }
  return secretText(resolve(doc, parseConfigPath(loc.path)));
}

/** "test_inc_0007_secrets.py" */
export function secretTestFileName(incident: Pick<Incident, 'key'>): string {
  return `test_${pythonModuleStem(incident.key)}_secrets.py`;
}

/** Findings that produce a secret test (valid params, not rejected), by id. */
export function secretFindings(findings: Finding[]): { finding: Finding; params: SecretTestParams }[] {
  const out: { finding: Finding; params: SecretTestParams }[] = [];
  for (const f of [...findings].sort((a, b) => a.id - b.id)) {
    if (f.status === 'rejected' || f.genKind !== SECRET_GEN_KIND) continue;
    const r = secretTestParams.safeParse(f.params);
    if (r.success) out.push({ finding: f, params: r.data });
  }
  return out;
}

const PY_HELPERS = String.raw`
def _env_values():
    """PMW_ENV_FILE (KEY=VALUE lines) when set, else this process's environment."""
    path = os.environ.get("PMW_ENV_FILE", "").strip()
    if not path:
        return dict(os.environ), "the environment of this process"
    values = {}
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r").strip()
        i += 1
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(?:export\s+|declare\s+-x\s+|set\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$", line)
        if not m:
            continue
        name, value = m.group(1), m.group(2)
        if value[:1] in ("'", '"'):
            quote = value[0]
            body = value[1:]
            close = re.compile(r'(^|[^\\])(\\\\)*"') if quote == '"' else re.compile("'")
            found = close.search(body)
            while not found and i < len(lines):
                body += "\n" + lines[i].rstrip("\r")
                i += 1
                found = close.search(body)
            if found:
                body = body[: found.end() - 1]
            if quote == '"':
                body = re.sub(r'\\(["\\$\x60nrt])', lambda e: {"n": "\n", "r": "\r", "t": "\t"}.get(e.group(1), e.group(1)), body)
            value = body
        else:
            value = re.sub(r"\s+#.*$", "", value).strip()
        values[name] = value
    return values, path


def _config():
    path = os.environ.get("PMW_CONFIG", "").strip()
    if not path:
        pytest.skip("PMW_CONFIG is not set: path to the config file (JSON or YAML) to check")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if path.endswith(".json") or text.lstrip()[:1] in ("{", "["):
        return json.loads(text), path
    try:
        import yaml
    except ImportError:
        pytest.skip("PyYAML is not installed: needed to read the YAML config " + path)
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    return (docs[0] if len(docs) == 1 else docs), path


def _field_text(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _resolve(doc, segments):
    cur = doc
    for seg in segments:
        if "key" in seg:
            if not isinstance(cur, dict) or seg["key"] not in cur:
                return False, None
            cur = cur[seg["key"]]
        elif "index" in seg:
            if not isinstance(cur, list) or not -len(cur) <= seg["index"] < len(cur):
                return False, None
            cur = cur[seg["index"]]
        else:
            def ok(el):
                for cond in seg["match"]:
                    v = el
                    for f in cond["field"]:
                        v = v.get(f) if isinstance(v, dict) else None
                    if _field_text(v) != cond["value"]:
                        return False
                return True
            if isinstance(cur, list):
                hits = [el for el in cur if ok(el)]
                if len(hits) != 1:
                    return False, None
                cur = hits[0]
            elif not ok(cur):
                return False, None
    return True, cur


def _secret_text(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, int, float)):
        return json.dumps(v)
    return None


def _same_secret(value, check):
    digest = hashlib.pbkdf2_hmac("sha256", value.encode("utf-8"), bytes.fromhex(check["salt"]), check["iterations"])
    return hmac.compare_digest(digest.hex(), check["hash"])


def _check_secret(check):
    # pytest.fail without a traceback, never a bare assert: assertion rewriting (and --showlocals)
    # would print the value and the environment it came from.
    if check["source"] == "env":
        values, where = _env_values()
        what = check["name"]
        if what not in values:
            pytest.fail(f"expected {what} to be set in {where} (the same as in the last-known-good artifacts), found it missing", pytrace=False)
        value = values[what]
    else:
        doc, where = _config()
        what = check["path"]
        found, raw = _resolve(doc, check["segments"])
        if not found:
            pytest.fail(f"expected {what} in {where} (the same as in the last-known-good artifacts), found no such path", pytrace=False)
        value = _secret_text(raw)
        if value is None:
            pytest.fail(f"expected {what} in {where} to be a value, found {type(raw).__name__}", pytrace=False)
    if not _same_secret(value, check):
        pytest.fail(
            f"expected {what} in {where} to be the same secret as in the last-known-good artifacts"
            f" ({check['algorithm']} hash), found a different value",
            pytrace=False,
        )
`;

/** The secrets module for the incident, or [] when no finding pins a secret. */
export function generateSecretTests(incident: Incident, findings: Finding[], testsDir = 'tests/regression'): GeneratedFile[] {
  const list = secretFindings(findings);
  if (!list.length) return [];
  const file = secretTestFileName(incident);
  const blocks: string[] = [];
  const covered: string[] = [];
  const needs = { env: [] as string[], config: [] as string[] };
  const used = new Set<string>();
  list.forEach(({ finding, params }, i) => {
    let prefix = `f${Number.isInteger(finding.id) && finding.id > 0 ? finding.id : `x${i + 1}`}`;
    for (let n = 2; used.has(prefix); n++) prefix = `${prefix}_${n}`;
    used.add(prefix);
    const fn = `test_${prefix}_secret_unchanged`;
    needs[params.source].push(fn);
    const check: Record<string, unknown> = { source: params.source, algorithm: params.algorithm, iterations: params.iterations, salt: params.salt, hash: params.hash };
    if (params.source === 'env') check.name = params.name;
    else {
      check.path = params.path;
      check.segments = parseConfigPath(params.path!);
    }
    const head = `Finding #${finding.id} ${pyComment(finding.title)} (${SECRET_GEN_KIND})`;
    covered.push(`  ${pyDocText(head)}`);
    blocks.push(['# ' + '-'.repeat(98), `# ${pyComment(head)}`, '# ' + '-'.repeat(98), `${prefix.toUpperCase()}_SECRET = ${pyLiteral(check)}`, '', '', `def ${fn}():`, `    _check_secret(${prefix.toUpperCase()}_SECRET)`].join('\n'));
  });
  const dir = testsDir.replace(/\/+$/, '');
  const doc = [
    `"""Secret regression checks for ${pyDocText(`${incident.key}: ${incident.title}`)}.`,
    '',
    `Generated by Postmortem Workbench from the findings of ${pyDocText(incident.key)}. Each check pins a secret of the`,
    'last-known-good artifacts by a salted PBKDF2-SHA256 hash: the value itself is in no generated file. A check',
    'fails with "expected ... to be the same secret as in the last-known-good artifacts ..., found a different',
    'value" when the input under test holds another value.',
    '',
    'Inputs (environment variables):',
    `  PMW_ENV_FILE       an env dump (KEY=VALUE lines; export allowed) to check; unset: this process's environment.`,
    `                     ${needs.env.length ? `Needed by: ${needs.env.join(', ')}.` : 'Not used by this module.'}`,
    '  PMW_CONFIG         the config to check: JSON, or YAML (also multi-document) when PyYAML is importable.',
    `                     ${needs.config.length ? `Needed by: ${needs.config.join(', ')}.` : 'Not used by this module.'}`,
    'Requirements: Python >= 3.8 and pytest.',
    '',
    'Run:',
    `  python3 -m pytest -q -ra ${pyDocText(dir ? `${dir}/${file}` : file)}`,
    '',
    'Findings covered:',
    ...covered,
    '"""',
  ].join('\n');
  const content = [doc, '', 'import hashlib', 'import hmac', 'import json', 'import os', 'import re', '', 'import pytest', '', '', PY_HELPERS.trim(), '', '', blocks.join('\n\n\n'), ''].join('\n');
  return [{ path: file, content }];
}
