import { describe, expect, it } from 'vitest';
import { diffEnvTexts, isHighlightedEnvVar, isSecretEnvVar, parseEnv } from '../../shared/diff/env';

describe('env dumps', () => {
  it('parses export, declare -x, quotes, comments and multi-line values', () => {
    const p = parseEnv(
      [
        '# printenv',
        'export OMP_NUM_THREADS=8',
        'declare -x PATH="/usr/bin:/bin"',
        "GREETING='hello world'",
        'ESCAPED="a \\"quoted\\" value"',
        'MULTI="line1',
        'line2"',
        'PLAIN=value # trailing comment',
        'EMPTY=',
        'garbage line',
      ].join('\n'),
    );
    expect(Object.fromEntries([...p.vars].map(([k, v]) => [k, v.value]))).toEqual({
      OMP_NUM_THREADS: '8',
      PATH: '/usr/bin:/bin',
      GREETING: 'hello world',
      ESCAPED: 'a "quoted" value',
      MULTI: 'line1\nline2',
      PLAIN: 'value',
      EMPTY: '',
    });
    expect(p.vars.get('PLAIN')!.line).toBe(8);
    expect(p.problems).toEqual([{ message: 'not a KEY=VALUE line: garbage line', line: 10, column: 1 }]);
  });

  it('OMP_NUM_THREADS change is highlighted; other changes are info; secrets are masked', () => {
    const before = 'OMP_NUM_THREADS=8\nHOME=/root\nAPI_KEY=sk-old-123\nLANG=C.UTF-8\nCUDA_VISIBLE_DEVICES=0\n';
    const after = 'export OMP_NUM_THREADS=1\nHOME=/home/app\nAPI_KEY=sk-new-456\nCUDA_VISIBLE_DEVICES=0,1\nPYTHONHASHSEED=0\n';
    const r = diffEnvTexts(before, after);
    const by = (n: string) => r.changes.find((c) => c.params?.name === n)!;
    expect(by('OMP_NUM_THREADS')).toMatchObject({ kind: 'env.changed', severity: 'warning', before: '8', after: '1', lineBefore: 1, lineAfter: 1 });
    expect(by('OMP_NUM_THREADS').message).toBe('OMP_NUM_THREADS 8 → 1 — thread/device/runtime variable');
    expect(by('HOME')).toMatchObject({ kind: 'env.changed', severity: 'info' });
    expect(by('API_KEY')).toMatchObject({ kind: 'env.changed', before: '••••', after: '••••', params: { secret: true } });
    expect(by('API_KEY').message).toMatch(/^env var API_KEY changed \(secret masked; fingerprint [0-9a-f]{8} → [0-9a-f]{8}\)$/);
    expect(by('API_KEY').params!.fingerprintBefore).not.toBe(by('API_KEY').params!.fingerprintAfter);
    expect(JSON.stringify(r)).not.toMatch(/sk-(old|new)/);
    expect(by('LANG')).toMatchObject({ kind: 'env.removed', severity: 'info' });
    expect(by('CUDA_VISIBLE_DEVICES')).toMatchObject({ severity: 'warning', after: '0,1' });
    expect(by('PYTHONHASHSEED')).toMatchObject({ kind: 'env.added', severity: 'warning' });
    expect(r.changes).toHaveLength(6);
  });

  it('reordered variables and export prefixes carry no meaning', () => {
    const r = diffEnvTexts('A=1\nB=2\n', 'export B=2\nA="1"\n');
    expect(r.changes).toEqual([]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('classifies names', () => {
    for (const n of ['OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES', 'PYTHONHASHSEED', 'TF_ENABLE_ONEDNN_OPTS', 'TORCH_CUDNN_V8_API_ENABLED'])
      expect(isHighlightedEnvVar(n)).toBe(true);
    expect(isHighlightedEnvVar('HOME')).toBe(false);
    for (const n of ['AWS_SECRET_ACCESS_KEY', 'HF_TOKEN', 'DB_PASSWORD', 'api_key']) expect(isSecretEnvVar(n)).toBe(true);
    expect(isSecretEnvVar('PWD')).toBe(false);
  });
});
