import { describe, expect, it } from 'vitest';
import { diffImageRefs, diffImageRefTexts, parseImageRef } from '../../shared/diff/imageref';

const DIGEST = 'sha256:05a31dc4185b042e91f4d2183689ac8a87bd845713d5c3f987563c5899878271';

describe('image references', () => {
  it('parses registry, repository, tag and digest', () => {
    expect(parseImageRef('nginx')).toMatchObject({ registry: 'docker.io', repository: 'library/nginx', name: 'docker.io/library/nginx' });
    expect(parseImageRef('localhost:5000/team/app:1.2.3')).toMatchObject({ registry: 'localhost:5000', repository: 'team/app', tag: '1.2.3' });
    expect(parseImageRef(`vllm/vllm-openai@${DIGEST}`)).toMatchObject({ repository: 'vllm/vllm-openai', digest: DIGEST });
    expect(parseImageRef(`ghcr.io/o/r:v1@${DIGEST}`)).toMatchObject({ tag: 'v1', digest: DIGEST });
    expect(parseImageRef('Not An Image')).toBeNull();
    expect(parseImageRef('UPPER/case')).toBeNull();
  });

  it('digest → tag is a warning naming the mutable tag', () => {
    const [c] = diffImageRefs(`vllm/vllm-openai@${DIGEST}`, 'vllm/vllm-openai:v0.11.0', { subject: 'img' });
    expect(c).toMatchObject({ kind: 'image.digest-to-tag', severity: 'warning', failureClass: 'deployment' });
    expect(c.message).toBe('image pinned by digest replaced by mutable tag v0.11.0');
  });

  it('tag changes: info for a minor version, warning for major / latest; tag → digest is info', () => {
    expect(diffImageRefs('app:1.2.0', 'app:1.3.0', { subject: 's' })[0]).toMatchObject({ kind: 'image.tag-changed', severity: 'info' });
    expect(diffImageRefs('app:1.2.0', 'app:2.0.0', { subject: 's' })[0]).toMatchObject({ severity: 'warning' });
    expect(diffImageRefs('app:1.2.0', 'app:latest', { subject: 's' })[0]).toMatchObject({ severity: 'warning' });
    expect(diffImageRefs('app:1.2.0', 'app', { subject: 's' })[0].message).toContain('mutable tag');
    expect(diffImageRefs('app:1.2.0', `app@${DIGEST}`, { subject: 's' })[0]).toMatchObject({ kind: 'image.tag-to-digest', severity: 'info' });
    expect(diffImageRefs('docker.io/library/nginx:1', 'nginx:1', { subject: 's' })[0]).toMatchObject({ kind: 'image.changed', severity: 'info' });
    expect(diffImageRefs('a/b:1', 'a/c:1', { subject: 's' })[0]).toMatchObject({ kind: 'image.repository-changed' });
  });

  it('diffs lists of references (FROM lines, plain refs, docker images --digests)', () => {
    const before = `FROM python:3.11-slim AS base\nFROM ghcr.io/org/model-server@${DIGEST}\nredis:7\n`;
    const after = `FROM python:3.12-slim AS base\nFROM ghcr.io/org/model-server:v2\nmemcached:1.6\n`;
    const r = diffImageRefTexts(before, after);
    const k = r.changes.map((c) => c.kind).sort();
    expect(k).toEqual(['image.added', 'image.digest-to-tag', 'image.removed', 'image.tag-changed']);
    expect(r.changes.find((c) => c.kind === 'image.tag-changed')).toMatchObject({ subject: 'base', lineBefore: 1, lineAfter: 1 });
    const table = 'REPOSITORY   TAG     DIGEST            IMAGE ID       CREATED        SIZE\nmyapp        v1      ' + DIGEST + '   abc123   2 days ago   1GB\n';
    const t2 = table.replace(/sha256:05a3/, 'sha256:15a3');
    const r2 = diffImageRefTexts(table, t2);
    expect(r2.changes[0]).toMatchObject({ kind: 'image.digest-changed', severity: 'warning' });
  });
});
