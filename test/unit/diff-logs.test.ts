import { describe, expect, it } from 'vitest';
import { diffLogTexts, extractSignatures, normalizeLogLine } from '../../shared/diff/logs';

const good = `2024-05-01T10:00:00.123Z INFO  server started on 0.0.0.0:8080
2024-05-01T10:00:01.456Z INFO  request 7f3a9c2e-1b2d-4c5e-8f90-1234567890ab served in 12ms
2024-05-01T10:00:02.001Z WARN  slow request took 1200ms
2024-05-01T10:00:03.000Z ERROR failed to reach feature store at 10.0.3.17:6379 (attempt 1)
`;
const bad = `2024-05-02T08:13:55.900Z INFO  server started on 0.0.0.0:8080
2024-05-02T08:14:00.010Z ERROR CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 14.75 GiB total capacity) request=9b1c0d2e-aaaa-4bbb-8ccc-0123456789ab
2024-05-02T08:14:07.333Z ERROR CUDA out of memory. Tried to allocate 1.50 GiB (GPU 0; 14.75 GiB total capacity) request=1e2f3a4b-bbbb-4ccc-8ddd-abcdefabcdef
2024-05-02T08:14:09.001Z ERROR CUDA out of memory. Tried to allocate 3.00 GiB (GPU 1; 14.75 GiB total capacity) request=00000000-1111-4222-8333-444444444444
Traceback (most recent call last):
  File "/app/serve.py", line 88, in predict
    out = model(batch)
  File "/usr/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1511, in _wrapped_call_impl
    return self._call_impl(*args, **kwargs)
ValueError: Input contains NaN, infinity or a value too large for dtype('float32').
Traceback (most recent call last):
  File "/app/serve.py", line 91, in predict
    out = model(batch)
ValueError: Input contains NaN, infinity or a value too large for dtype('float32').
`;

describe('log error signatures', () => {
  it('normalises timestamps, uuids, hex ids, IPs, numbers and pod names', () => {
    expect(normalizeLogLine('2024-05-02T08:14:00.010Z ERROR CUDA out of memory. Tried to allocate 2.00 GiB request=9b1c0d2e-aaaa-4bbb-8ccc-0123456789ab')).toBe(
      'ERROR CUDA out of memory. Tried to allocate <n> GiB request=<uuid>',
    );
    expect(normalizeLogLine('[12:00:01] ERROR pod vllm-gemma-deployment-7f9c8d6b5-x2x7k at 0x7ffde4a1 from 10.1.2.3:443 /data/run_42/ckpt_007.pt')).toBe(
      'ERROR pod vllm-gemma-deployment-<pod> at <hex> from <ip> /data/run_<id>/ckpt_<n>.pt',
    );
    expect(normalizeLogLine('E0412 13:45:01.123456 1 main.go:77] deadbeefcafe1234 failed')).toBe(normalizeLogLine('E0413 09:01:59.000001 7 main.go:91] 0123456789abcdef failed'));
  });

  it('counts signatures; a traceback counts once under its exception line', () => {
    const s = extractSignatures(bad).signatures;
    const oom = [...s.values()].find((x) => x.signature.includes('CUDA out of memory'))!;
    expect(oom.count).toBe(3);
    expect(oom.fatal).toBe(true);
    expect(oom.firstLine).toBe(2);
    const tb = [...s.values()].find((x) => x.signature.startsWith('Traceback: ValueError'))!;
    expect(tb.count).toBe(2);
    expect(tb.firstLine).toBe(5);
    expect(s.size).toBe(2);
  });

  it('reports a new signature normalised across different timestamps and ids, and disappeared ones', () => {
    const r = diffLogTexts(good, bad);
    const fresh = r.changes.filter((c) => c.kind === 'log.new-signature');
    expect(fresh).toHaveLength(2);
    const oom = fresh.find((c) => String(c.subject).includes('CUDA out of memory'))!;
    expect(oom).toMatchObject({ severity: 'critical', before: 0, after: 3, lineAfter: 2, failureClass: 'serving' });
    expect(oom.message).toMatch(/^new error signature \(×3\): ERROR CUDA out of memory\. Tried to allocate <n> GiB/);
    expect(fresh.find((c) => String(c.subject).startsWith('Traceback: ValueError'))).toMatchObject({ severity: 'warning', after: 2 });
    expect(r.changes.filter((c) => c.kind === 'log.signature-gone')).toHaveLength(1);
    expect(r.changes.find((c) => c.kind === 'log.signature-gone')!.subject).toContain('failed to reach feature store at <ip> (attempt <n>)');
  });

  it('the same errors at other times with other ids: no semantic change', () => {
    const shifted = bad.replace(/2024-05-02T08/g, '2024-06-11T21').replace(/request=[0-9a-f-]+/g, 'request=ffffffff-0000-4000-8000-000000000000');
    const r = diffLogTexts(bad, shifted);
    expect(r.changes).toEqual([]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('a large count increase is a warning', () => {
    const line = (i: number) => `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z ERROR timeout calling ranker after ${100 + i}ms\n`;
    const before = Array.from({ length: 3 }, (_, i) => line(i)).join('') + 'INFO ok\n'.repeat(100);
    const after = Array.from({ length: 40 }, (_, i) => line(i)).join('') + 'INFO ok\n'.repeat(63);
    const r = diffLogTexts(before, after);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'log.signature-increased', severity: 'warning', before: 3, after: 40 });
  });

  it('training logs point at the training failure class', () => {
    const t = 'epoch 1 train loss 0.9\nepoch 2 train loss 0.7\nepoch 3 train loss 0.5\n';
    const r = diffLogTexts(t, t + 'RuntimeError: loss is nan at step 300\n');
    expect(r.changes[0]).toMatchObject({ kind: 'log.new-signature', failureClass: 'training' });
  });
});
