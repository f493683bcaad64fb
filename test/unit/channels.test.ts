import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { join } from 'node:path';
import { CHANNEL_NAMES } from '../../shared/api/channels';
import { CHANNELS, schemas } from '../../shared/api/contract';

const root = join(__dirname, '..', '..');

describe('zod-free channel list (shared/api/channels.ts)', () => {
  it('equals the contract’s channels, in order', () => {
    expect([...CHANNEL_NAMES]).toEqual(Object.keys(schemas));
    expect([...CHANNEL_NAMES]).toEqual(CHANNELS);
  });

  it('has no duplicates and only domain:verb names', () => {
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
    for (const c of CHANNEL_NAMES) expect(c).toMatch(/^[a-z]+:[A-Za-z]+$/);
  });

  it('keeps the sandboxed preload bundle free of zod and node built-ins (it may require only electron)', async () => {
    const out = await build({
      entryPoints: [join(root, 'main/electron/preload.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron', 'better-sqlite3'],
      logLevel: 'silent',
      metafile: true,
    });
    const code = out.outputFiles[0].text;
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(requires)]).toEqual(['electron']);
    const inputs = Object.keys(out.metafile!.inputs);
    expect(inputs.some((f) => f.includes('node_modules'))).toBe(false);
    expect(inputs.some((f) => f.endsWith('contract.ts'))).toBe(false);
    // One named function per channel, no generic invoke on window.pmw.
    expect(code).toContain('exposeInMainWorld("pmw"');
    for (const c of CHANNEL_NAMES) expect(code).toContain(`"${c}"`);
    expect(code.length).toBeLessThan(10_000);
  });
});
