// Issue 13: the environment-fingerprint diff kind (driver, CUDA, CPU architecture → warnings for training and serving).
import { describe, expect, it } from 'vitest';
import { diffArtifacts, detectKind } from '../../shared/diff/index';

const fp = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 'pmw-env-fingerprint', version: 1,
    platform: { system: 'Linux', os: 'Ubuntu 22.04.4 LTS', release: '5.15.0-105-generic', arch: 'x64' },
    cpu: { model: 'AMD EPYC 7R13', count: 8, flags: ['avx', 'avx2', 'avx512f', 'fma'] },
    memory: { totalBytes: 64 * 2 ** 30 },
    gpu: { devices: [{ name: 'NVIDIA A10G', driver: '535.161.08', memoryMiB: 23028, computeCap: '8.6' }], driver: '535.161.08', cuda: '12.2' },
    cudaToolkit: '12.2',
    python: { version: '3.10.14', implementation: 'CPython', executable: '/opt/venv/bin/python' },
    node: { version: 'v20.19.0' },
    container: { inside: true, runtime: 'kubernetes', image: 'reg/fraud:1.4', digest: 'sha256:' + 'a'.repeat(64) },
    ...over,
  });
const enc = (s: string) => new TextEncoder().encode(s);

describe('env-fingerprint diff', () => {
  it('is detected by its format field', () => {
    expect(detectKind('environment.json', enc(fp()))).toBe('env-fingerprint');
  });

  it('a driver, CUDA or CPU-architecture change is a warning naming training and serving', () => {
    const after = fp({
      platform: { system: 'Linux', os: 'Ubuntu 22.04.4 LTS', release: '5.15.0-105-generic', arch: 'arm64' },
      cpu: { model: 'Neoverse-V1', count: 8, flags: ['asimd', 'sve'] },
      gpu: { devices: [{ name: 'NVIDIA A10G', driver: '550.54.15', memoryMiB: 23028 }], driver: '550.54.15', cuda: '12.4' },
      container: { inside: true, runtime: 'kubernetes', image: 'reg/fraud:1.4', digest: 'sha256:' + 'b'.repeat(64) },
    });
    const r = diffArtifacts({ name: 'a.json', bytes: enc(fp()) }, { name: 'b.json', bytes: enc(after) });
    expect(r.kind).toBe('env-fingerprint');
    const by = Object.fromEntries(r.changes.map((c) => [c.kind, c]));
    expect(by['environment.driver']).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^CUDA driver 535 → 550 \(535\.161\.08 → 550\.54\.15\)/), params: { classes: ['training', 'serving'] } });
    expect(by['environment.cuda']).toMatchObject({ severity: 'warning', before: '12.2', after: '12.4' });
    expect(by['environment.arch']).toMatchObject({ severity: 'warning', failureClass: 'serving', message: expect.stringContaining('x64 → arm64') });
    expect(by['environment.cpu.flags.lost']).toMatchObject({ severity: 'warning', params: { lost: ['avx', 'avx2', 'avx512f', 'fma'] } });
    expect(by['environment.image.digest']).toMatchObject({ severity: 'warning', message: expect.stringContaining('image digest changed') });
    expect(by['environment.cpu.model'].severity).toBe('info');
  });

  it('Python minor upgrades warn, patch releases and kernels inform, identical says no change', () => {
    const r = diffArtifacts(
      { name: 'a.json', bytes: enc(fp()) },
      { name: 'b.json', bytes: enc(fp({ python: { version: '3.11.9', implementation: 'CPython', executable: '/opt/venv/bin/python' }, platform: { system: 'Linux', os: 'Ubuntu 22.04.4 LTS', release: '6.8.0', arch: 'x64' } })) },
    );
    expect(r.changes.map((c) => [c.kind, c.severity])).toEqual([
      ['environment.python.version', 'warning'],
      ['environment.kernel', 'info'],
    ]);
    const same = diffArtifacts({ name: 'a.json', bytes: enc(fp()) }, { name: 'b.json', bytes: enc(JSON.stringify(JSON.parse(fp()), null, 2)) });
    expect(same.changes).toEqual([]);
    expect(same.noSemanticChange).toBe(true);
  });
});
