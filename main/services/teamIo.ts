// Writing many small files into the team clone (issue 15): a first sync writes ~3 files per incident
// (30k for 10k incidents). One writeFileSync after another waits on each create in turn; a few writes in
// flight at once (libuv's thread pool) overlap the file-system latency.
import { mkdir, writeFile } from 'node:fs/promises';

const IN_FLIGHT = 16;

/** Write every [path, data] (folders made first); rejects with the first failure after all settled. */
export async function writeFiles(files: [string, string | Uint8Array][], dirs: Iterable<string> = []): Promise<void> {
  await runAll([...new Set(dirs)], (d) => mkdir(d, { recursive: true }).then(() => undefined));
  await runAll(files, ([p, data]) => writeFile(p, data));
}

async function runAll<T>(items: T[], fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (next < items.length) {
      const x = items[next++];
      try {
        await fn(x);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
  if (failed) throw failed;
}
