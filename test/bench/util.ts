import { spawnSync } from 'node:child_process';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time in ms of `runs` calls (after one warm-up). */
export function timeIt(fn: () => unknown, runs = 5): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** Median wall time in ms of a command (after one warm-up). */
export function timeCommand(cmd: string, args: string[], runs = 5): number {
  const once = () => {
    const t0 = performance.now();
    spawnSync(cmd, args, { stdio: 'ignore' });
    return performance.now() - t0;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

export function report(name: string, ms: number, target: string, baselineName: string, baselineMs: number) {
  console.log(`${name}: ${ms.toFixed(1)} ms (target ${target}); baseline ${baselineName}: ${baselineMs.toFixed(1)} ms; ratio ${(ms / baselineMs).toFixed(2)}×`);
}

export const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
