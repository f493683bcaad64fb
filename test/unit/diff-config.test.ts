import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffConfigTexts, parseQuantity, parseYamlConfig } from '../../shared/diff/config';
import type { Change } from '../../shared/diff/types';

const FIX = join(__dirname, '..', 'fixtures', 'real', 'k8s');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
const kinds = (cs: Change[]) => cs.map((c) => c.kind).sort();

describe('real Kubernetes manifests (kubernetes/examples)', () => {
  it('vLLM 929f82b7 → a0ed769c: digest → tag v0.11.0, two args and LD_LIBRARY_PATH added', () => {
    const before = read('vllm-deployment-929f82b7.yaml');
    const after = read('vllm-deployment-a0ed769c.yaml');
    const r = diffConfigTexts('yaml', before, after);
    expect(r.problems).toEqual([]);
    expect(r.noSemanticChange).toBe(false);
    expect(kinds(r.changes)).toEqual(['config.arg-added', 'config.arg-added', 'config.env.added', 'image.digest-to-tag']);

    const img = r.changes.find((c) => c.kind === 'image.digest-to-tag')!;
    expect(img.severity).toBe('warning');
    expect(img.failureClass).toBe('deployment');
    expect(img.message).toBe('image pinned by digest replaced by mutable tag v0.11.0');
    expect(img.subject).toBe('Deployment/default/vllm-gemma-deployment: spec.template.spec.containers[inference-server].image');
    expect(img.before).toBe('vllm/vllm-openai@sha256:05a31dc4185b042e91f4d2183689ac8a87bd845713d5c3f987563c5899878271');
    expect(img.after).toBe('vllm/vllm-openai:v0.11.0');
    expect(before.split('\n')[img.lineBefore! - 1]).toContain('image: vllm/vllm-openai@sha256');
    expect(after.split('\n')[img.lineAfter! - 1]).toContain('image: vllm/vllm-openai:v0.11.0');

    const args = r.changes.filter((c) => c.kind === 'config.arg-added');
    expect(args.map((c) => c.message)).toEqual(['arg --gpu-memory-utilization=0.85 added', 'arg --max-num-seqs=64 added']);
    for (const a of args) expect(after.split('\n')[a.lineAfter! - 1]).toContain(String(a.after));

    const env = r.changes.find((c) => c.kind === 'config.env.added')!;
    expect(env.params?.name).toBe('LD_LIBRARY_PATH');
    expect(env.after).toBe('/usr/local/nvidia/lib64:/usr/local/cuda/lib64');
    expect(env.severity).toBe('warning');
    expect(after.split('\n')[env.lineAfter! - 1]).toContain('name: LD_LIBRARY_PATH');
    // Unchanged: the HF token env var (secretKeyRef) and the resources.
    expect(r.changes.some((c) => c.subject.includes('HUGGING_FACE_HUB_TOKEN'))).toBe(false);
  });

  it('guestbook f4f8f146 → 042b6510: the image tag changed', () => {
    const r = diffConfigTexts('yaml', read('guestbook-frontend-deployment-f4f8f146.yaml'), read('guestbook-frontend-deployment-042b6510.yaml'));
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({
      kind: 'image.tag-changed',
      before: 'gcr.io/google-samples/gb-frontend:v4',
      after: 'gcr.io/google-samples/gb-frontend:v5',
      lineBefore: 19,
      lineAfter: 19,
      subject: 'Deployment/default/frontend: spec.template.spec.containers[php-redis].image',
    });
    expect(r.changes[0].params).toMatchObject({ tagBefore: 'v4', tagAfter: 'v5' });
  });

  it('guestbook a9514d78 → 01128413 (comments only): no semantic change', () => {
    const before = read('guestbook-frontend-deployment-a9514d78.yaml');
    const after = read('guestbook-frontend-deployment-01128413.yaml');
    expect(before).not.toBe(after);
    const r = diffConfigTexts('yaml', before, after);
    expect(r).toEqual({ kind: 'yaml', changes: [], problems: [], noSemanticChange: true });
  });
});

describe('perturbations of the real manifests', () => {
  const vllm = read('vllm-deployment-a0ed769c.yaml');

  it('CRLF conversion: no semantic change', () => {
    const r = diffConfigTexts('yaml', vllm, vllm.replace(/\n/g, '\r\n'));
    expect(r.changes).toEqual([]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('key reorder: no semantic change', () => {
    const reordered = vllm.replace(
      '        command: ["python3", "-m", "vllm.entrypoints.openai.api_server"]\n',
      '',
    ).replace('      - name: inference-server\n', '      - name: inference-server\n        command: ["python3", "-m", "vllm.entrypoints.openai.api_server"]\n');
    expect(reordered).not.toBe(vllm);
    const top = reordered.replace(/^apiVersion: apps\/v1\nkind: Deployment\n/, 'kind: Deployment\napiVersion: apps/v1\n');
    const r = diffConfigTexts('yaml', vllm, top);
    expect(r.changes).toEqual([]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('malformed YAML gives a problem with line and column and falls back to a text diff', () => {
    const broken = vllm.replace('        resources:\n', '        resources: [\n');
    const r = diffConfigTexts('yaml', vllm, broken);
    expect(r.problems.length).toBeGreaterThan(0);
    const p = r.problems[0];
    expect(p.side).toBe('after');
    expect(p.line).toBeGreaterThan(0);
    expect(p.column).toBeGreaterThan(0);
    expect(p.message).toMatch(/line \d+, column \d+/);
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.changes.every((c) => c.kind.startsWith('text.'))).toBe(true);
    expect(r.noSemanticChange).toBe(false);
  });

  it('resources, replicas, probes, env removal, arg value change and reorder', () => {
    const after = vllm
      .replace('replicas: 1', 'replicas: 0')
      .replace(/limits:\n( +)cpu: "2"\n( +)memory: "10Gi"/, 'limits:\n$1cpu: "2000m"\n$2memory: "8Gi"')
      .replace('- --max-num-seqs=64', '- --max-num-seqs=128')
      .replace('        - --tensor-parallel-size=1\n        - --host=0.0.0.0\n', '        - --host=0.0.0.0\n        - --tensor-parallel-size=1\n')
      .replace('        - name: MODEL_ID\n          value: google/gemma-3-1b-it\n', '')
      .replace('        volumeMounts:\n', '        readinessProbe:\n          httpGet:\n            path: /health\n            port: 8080\n        volumeMounts:\n');
    const r = diffConfigTexts('yaml', vllm, after);
    const by = (k: string) => r.changes.filter((c) => c.kind === k);
    expect(by('k8s.replicas-changed')[0]).toMatchObject({ severity: 'critical', before: 1, after: 0 });
    const res = by('k8s.resources-changed');
    expect(res).toHaveLength(1); // "2" → "2000m" is the same quantity
    expect(res[0]).toMatchObject({ severity: 'warning', before: '10Gi', after: '8Gi' });
    expect(res[0].message).toBe('memory limit 10Gi → 8Gi (-20%)');
    expect(by('config.arg-changed')[0].message).toBe('arg --max-num-seqs 64 → 128');
    expect(by('config.env.removed')[0].params?.name).toBe('MODEL_ID');
    expect(by('k8s.probe-added')).toHaveLength(1);
    // Reordering args alone is not reported as added/removed.
    expect(r.changes.some((c) => c.kind === 'config.arg-added' || c.kind === 'config.arg-removed')).toBe(false);
    expect(by('config.args-reordered')).toHaveLength(1);
    expect(r.changes.every((c) => c.lineAfter === undefined || c.lineAfter > 0)).toBe(true);
  });

  it('args reordered only → one info change', () => {
    const after = vllm.replace('        - --tensor-parallel-size=1\n        - --host=0.0.0.0\n', '        - --host=0.0.0.0\n        - --tensor-parallel-size=1\n');
    const r = diffConfigTexts('yaml', vllm, after);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'config.args-reordered', severity: 'info' });
  });

  it('secret-looking env values are masked', () => {
    const after = vllm.replace(
      '        - name: HUGGING_FACE_HUB_TOKEN\n          valueFrom:\n            secretKeyRef:\n              name: hf-secret\n              key: hf_token\n',
      '        - name: HUGGING_FACE_HUB_TOKEN\n          value: hf_abcdefghijklmnop\n',
    );
    const r = diffConfigTexts('yaml', vllm, after);
    expect(r.changes).toHaveLength(1);
    // The reference to a Secret is not a secret and stays visible; the inline token is masked.
    expect(r.changes[0]).toMatchObject({ kind: 'config.env.changed', before: 'valueFrom secretKeyRef hf-secret/hf_token', after: '••••' });
    expect(r.changes[0].message).toMatch(/^HUGGING_FACE_HUB_TOKEN valueFrom secretKeyRef hf-secret\/hf_token → •••• \(secret masked; fingerprint none → [0-9a-f]{8}\)$/);
    expect(JSON.stringify(r)).not.toContain('hf_abcdefghijklmnop');
  });
});

describe('multi-document YAML keyed by kind/namespace/name', () => {
  const svc = (port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: http\n    port: ${port}\n`;
  const dep = (ns: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  replicas: 3\n`;

  it('matches resources regardless of document order; namespace defaults to "default"', () => {
    const parsed = parseYamlConfig(`${svc(80)}---\n${dep('prod')}`);
    expect(parsed.docs.map((d) => d.key)).toEqual(['Service/default/web', 'Deployment/prod/web']);
    const r = diffConfigTexts('yaml', `${svc(80)}---\n${dep('prod')}`, `# reordered\n${dep('prod')}---\n${svc(8080)}\n---\n`);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'k8s.service-port-changed', severity: 'warning', subject: 'Service/default/web: spec.ports[http].port', before: 80, after: 8080 });
    expect(r.changes[0].lineAfter).toBe(17);
  });

  it('resources added and removed', () => {
    const r = diffConfigTexts('yaml', `${svc(80)}---\n${dep('prod')}`, `${svc(80)}---\n${dep('staging')}`);
    expect(kinds(r.changes)).toEqual(['k8s.resource-added', 'k8s.resource-removed']);
    expect(r.changes.find((c) => c.kind === 'k8s.resource-removed')!.subject).toBe('Deployment/prod/web');
  });
});

describe('JSON config', () => {
  it('path-level changes with line numbers; key order is not a change', () => {
    const before = '{\n  "model": {"name": "m", "threshold": 0.5},\n  "train": {"learning_rate": 0.001, "epochs": 10},\n  "tags": ["a", "b"]\n}\n';
    const after = '{\n  "train": {"epochs": 10, "learning_rate": 0.01},\n  "model": {"threshold": 0.7, "name": "m"},\n  "tags": ["a", "b", "c"],\n  "new": true\n}\n';
    const r = diffConfigTexts('json', before, after);
    const s = (subject: string) => r.changes.find((c) => c.subject === subject);
    expect(s('train.learning_rate')).toMatchObject({ kind: 'config.changed', before: 0.001, after: 0.01, failureClass: 'training', lineBefore: 3, lineAfter: 2 });
    expect(s('model.threshold')).toMatchObject({ before: 0.5, after: 0.7, failureClass: 'serving', lineAfter: 3 });
    expect(s('tags')).toMatchObject({ kind: 'config.item-added', after: 'c' });
    expect(s('new')).toMatchObject({ kind: 'config.added', after: true, lineAfter: 5 });
    expect(r.changes).toHaveLength(4);
    const reordered = diffConfigTexts('json', '{"a": 1, "b": {"c": [1, 2]}}', '{\n  "b": {"c": [1, 2]},\n  "a": 1\n}');
    expect(reordered.noSemanticChange).toBe(true);
    expect(reordered.changes).toEqual([]);
  });

  it('malformed JSON names line and column', () => {
    const r = diffConfigTexts('json', '{"a": 1}', '{\n  "a": 1,\n  "b": \n}');
    expect(r.problems[0]).toMatchObject({ side: 'after', line: 4, column: 1 });
    expect(r.problems[0].message).toMatch(/^JSON: .*\(line 4, column 1\)$/);
    expect(r.changes.length).toBeGreaterThan(0);
  });

  it('an empty side is an empty mapping', () => {
    const r = diffConfigTexts('yaml', '', 'size: 2\nimage: app:1\n');
    expect(r.changes.map((c) => [c.kind, c.subject, c.after, c.lineAfter])).toEqual([
      ['config.added', 'size', 2, 1],
      ['config.added', 'image', 'app:1', 2],
    ]);
    expect(diffConfigTexts('json', '', '').noSemanticChange).toBe(true);
  });

  it('Kubernetes quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('10Gi')).toBe(10 * 1024 ** 3);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('abc')).toBeNull();
  });
});

describe('Kubernetes manifests read with Kubernetes YAML rules (issue 9)', () => {
  const dep = (extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: web
    spec:
      automountServiceAccountToken: true
      containers:
      - name: web
        image: registry.local/web:1.0
        stdin: false
${extra}      volumes:
      - name: cfg
        configMap:
          name: cfg
          defaultMode: 420
`;
  const k8s = (a: string, b: string) => diffConfigTexts('yaml', a, b);

  it('is silent on YAML 1.1 spellings of the same value: yes/true, off/false, 0644/420', () => {
    const a = dep('');
    const b = a.replace('automountServiceAccountToken: true', 'automountServiceAccountToken: yes').replace('stdin: false', 'stdin: off').replace('defaultMode: 420', 'defaultMode: 0644');
    expect(b).not.toBe(a);
    expect(k8s(a, b).changes).toEqual([]);
    // …while a real change of the mode shows, as the number Kubernetes reads
    const c = k8s(a, a.replace('defaultMode: 420', 'defaultMode: 0600')).changes;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ before: 420, after: 384 });
    // and outside Kubernetes, YAML 1.2 applies: "yes" is text
    expect(diffConfigTexts('yaml', 'flag: true\n', 'flag: yes\n').changes).toHaveLength(1);
  });

  it('keeps integers beyond 2^53 exact (and pins them exactly)', () => {
    const a = dep('').replace('replicas: 2', 'replicas: 2\n  revisionHistoryLimit: 9007199254740993');
    const b = a.replace('9007199254740993', '9007199254740992');
    const c = k8s(a, b).changes;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ before: '9007199254740993', after: '9007199254740992' });
    expect(c[0].params).toMatchObject({ valueBefore: { int: '9007199254740993' } });
    expect(k8s(a, a.replace('9007199254740993', '9007199254740993 # same'))).toMatchObject({ changes: [] });
  });

  it('env order matters only where a value references another variable ($(VAR))', () => {
    const env = (vars: [string, string][]) => `        env:\n${vars.map(([k, v]) => `        - name: ${k}\n          value: "${v}"\n`).join('')}`;
    const a = dep(env([['BASE', '/opt'], ['LIB', '$(BASE)/lib'], ['MODE', 'fast']]));
    // harmless: MODE moves, nothing references it
    expect(k8s(a, dep(env([['MODE', 'fast'], ['BASE', '/opt'], ['LIB', '$(BASE)/lib']]))).changes).toEqual([]);
    // harmful: BASE now comes after LIB, so $(BASE) is no longer expanded
    const c = k8s(a, dep(env([['LIB', '$(BASE)/lib'], ['BASE', '/opt'], ['MODE', 'fast']]))).changes;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ kind: 'config.env-order-changed', severity: 'warning' });
    expect(c[0].message).toContain('LIB references $(BASE), now defined after it');
    // $$(BASE) is an escaped literal, not a reference
    const esc = dep(env([['BASE', '/opt'], ['LIB', '$$(BASE)/lib']]));
    expect(k8s(esc, dep(env([['LIB', '$$(BASE)/lib'], ['BASE', '/opt']]))).changes).toEqual([]);
  });

  it('Service ports, targetPort and selectors are warnings; so are the pod labels a Service selects on', () => {
    const svc = (port: number, target: string, app: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - name: http\n    port: ${port}\n    targetPort: ${target}\n`;
    const kinds = (a: string, b: string) => k8s(a, b).changes.map((c) => `${c.kind} ${c.severity}`);
    expect(kinds(svc(80, '8080', 'web'), svc(80, '9090', 'web'))).toEqual(['k8s.service-port-changed warning']);
    expect(kinds(svc(80, '8080', 'web'), svc(80, 'http-alt', 'web'))).toEqual(['k8s.service-port-changed warning']);
    expect(kinds(svc(80, '8080', 'web'), svc(80, '8080', 'web-v2'))).toEqual(['k8s.service-selector-changed warning']);
    expect(kinds(dep(''), dep('').replace('        app: web', '        app: web-v2'))).toEqual(['k8s.selector-changed warning']);
  });
});
