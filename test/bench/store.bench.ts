// Store figures (issues 10 and 14), each beside a baseline measured in the same run:
//  - capture of a 200 MB file (whole `pmw artifact add`) vs `sha256sum F && cp F G`       target ≤ 2×
//  - capture of the same content again (nothing written) vs `sha256sum F`                target ≤ 1.3×
//  - bytes written by a capture vs the file size (and vs a plain copy)                     target ≤ 1.2×
//  - during a 250 MB upload to the web host: its event-loop lag p99                        target < 50 ms
//    and other writers' latency p99 (another process, and HTTP calls to the host)          target < 100 ms
//    (baseline: the same measures with no upload running).
// Inputs are generated (seeded), everything lives in one temp folder that is removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../main/app';
import { startWebHost } from '../../main/web/server';
import { median, row } from './util';

const root = join(__dirname, '..', '..');
const pmw = join(root, 'bin', 'pmw.cjs');
const MB = 1024 * 1024;

function writeRandom(path: string, bytes: number, seed: number) {
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(4 * MB);
  for (let off = 0; off < bytes; off += buf.length) {
    randomFillSync(buf);
    buf.writeUInt32LE(seed, 0);
    buf.writeUInt32LE(off / buf.length, 4);
    writeSync(fd, buf, 0, Math.min(buf.length, bytes - off));
  }
  closeSync(fd);
}

function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}


// ---- child roles -------------------------------------------------------------------------------

/** `writer DB MS`: another process writing timeline notes to the same database until its stdin ends; prints latencies. */
async function writerChild(dbPath: string, everyMs: number) {
  const app = createApp({ dbPath, host: 'cli' });
  const lat: number[] = [];
  let stop = false;
  process.stdin.on('end', () => (stop = true));
  process.stdin.resume();
  for (let i = 0; !stop; i++) {
    const t0 = performance.now();
    await app.call('timeline:add', { key: 'INC-0001', kind: 'note', body: `writer ${i}` });
    lat.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  app.close();
  process.stdout.write(JSON.stringify(lat));
}

/** `upload PORT TOKEN FILE`: stream a file to the web host as an upload. */
function uploadChild(port: number, token: string, file: string) {
  const size = statSync(file).size;
  const req = request(
    { host: '127.0.0.1', port, method: 'PUT', path: '/upload/INC-0001?role=failing&name=big.bin', headers: { host: `127.0.0.1:${port}`, 'x-pmw-token': token, 'content-length': String(size) } },
    (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => {
        process.stdout.write(String(res.statusCode) + ' ' + b.slice(0, 200));
        process.exit(res.statusCode === 200 ? 0 : 1);
      });
    },
  );
  createReadStream(file, { highWaterMark: MB }).pipe(req);
}

// ---- measurements ------------------------------------------------------------------------------

/**
 * `pmw` as installed: the CLI entry bundle run directly (bin/pmw.cjs no longer checks the build, issue 14;
 * this also leaves out its code cache).
 */
function installedPmw(dir: string): string {
  const f = join(dir, 'pmw-installed.cjs');
  writeFileSync(f, `require(${JSON.stringify(join(root, 'dist', 'main', 'cli.cjs'))}).main(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n`);
  return f;
}

function captureFigures(dir: string) {
  const SIZE = 200 * MB;
  const pmw = installedPmw(dir);
  const db = join(dir, 'capture.db');
  const env = { ...process.env, PMW_BACKUP_EVERY_HOURS: '0' };
  spawnSync(process.execPath, [pmw, 'incident', 'new', '--db', db, '--title', 'bench', '--severity', 'SEV3', '--class', 'data'], { env });
  const ours: number[] = [];
  const base: number[] = [];
  const dupe: number[] = [];
  const sha: number[] = [];
  for (let run = 0; run < 3; run++) {
    const f = join(dir, `input-${run}.bin`);
    writeRandom(f, SIZE, run + 1);
    // Alternate the order so neither side always gets the warmer cache.
    const baseline = () => base.push(wall('sh', ['-c', `sha256sum "${f}" >/dev/null && cp "${f}" "${f}.copy"`]));
    if (run % 2) baseline();
    ours.push(wall(process.execPath, [pmw, 'artifact', 'add', 'INC-0001', '--role', 'failing', f, '--db', db], env));
    if (!(run % 2)) baseline();
    rmSync(`${f}.copy`, { force: true });
    // The same content under another name: hashed, nothing written.
    const again = join(dir, `again-${run}.bin`);
    spawnSync('cp', [f, again]);
    sha.push(wall('sha256sum', [again]));
    dupe.push(wall(process.execPath, [pmw, 'artifact', 'add', 'INC-0001', '--role', 'other', again, '--db', db], env));
    rmSync(again);
    rmSync(f);
  }
  const start = median(Array.from({ length: 5 }, () => wall(process.execPath, ['-e', '0'])));
  const cliStart = median(Array.from({ length: 5 }, () => wall(process.execPath, [pmw, '--version'])));
  console.log(`(runs: pmw ${ours.map((x) => x.toFixed(0)).join(', ')} ms; sha256sum+cp ${base.map((x) => x.toFixed(0)).join(', ')} ms; duplicate ${dupe.map((x) => x.toFixed(0)).join(', ')} ms; sha256sum ${sha.map((x) => x.toFixed(0)).join(', ')} ms)`);
  console.log(`(whole processes, median of 3; node -e 0 takes ${start.toFixed(0)} ms, pmw --version ${cliStart.toFixed(0)} ms of each pmw run)`);
  row({ figure: 'capture of a new 200 MB file (pmw artifact add, whole process)', value: median(ours), baseline: 'sha256sum + cp', baselineValue: median(base), target: { ratio: 2 } });
  row({ figure: 'capture of content already stored (200 MB)', value: median(dupe), baseline: 'sha256sum', baselineValue: median(sha), target: { ratio: 1.3 } });
}

/** Bytes a capture sends to storage, counted by the kernel for the capturing process (/proc/self/io). */
function bytesWrittenFigure(dir: string) {
  if (!existsSync('/proc/self/io')) return console.log('bytes written: skipped (no /proc/self/io on this system)');
  const SIZE = 200 * MB;
  const f = join(dir, 'bytes.bin');
  writeRandom(f, SIZE, 99);
  const child = (code: string) => {
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, PMW_BACKUP_EVERY_HOURS: '0' } });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout.trim());
  };
  const io = `const io=()=>{const t=require('fs').readFileSync('/proc/self/io','utf8');return Number(/^write_bytes: (\\d+)/m.exec(t)[1])-Number(/^cancelled_write_bytes: (\\d+)/m.exec(t)[1]);};`;
  const db = join(dir, 'bytes.db');
  spawnSync(process.execPath, [pmw, 'incident', 'new', '--db', db, '--title', 'bench', '--severity', 'SEV3', '--class', 'data'], { env: { ...process.env, PMW_BACKUP_EVERY_HOURS: '0' } });
  const ours = child(`${io} const cli=require(${JSON.stringify(join(root, 'dist', 'main', 'cli.cjs'))}); const w0=io();
    cli.main(['artifact','add','INC-0001','--role','failing',${JSON.stringify(f)},'--db',${JSON.stringify(db)}],{out(){},err(s){process.stderr.write(s)}}).then((c)=>{ if(c) process.exit(c); process.stdout.write(String(io()-w0)); });`);
  const copy = child(`${io} const w0=io(); require('fs').copyFileSync(${JSON.stringify(f)}, ${JSON.stringify(`${f}.copy`)}); require('fs').fsyncSync(require('fs').openSync(${JSON.stringify(`${f}.copy`)},'r')); process.stdout.write(String(io()-w0));`);
  rmSync(`${f}.copy`, { force: true });
  row({ figure: 'bytes written by a 200 MB capture', value: ours / MB, unit: 'MB', baseline: 'a plain copy (copyFileSync)', baselineValue: copy / MB, target: { ratio: 1.2 }, note: `${(ours / SIZE).toFixed(2)}× the file` });
  rmSync(f);
}

interface Window {
  lagP99: number;
  lagMax: number;
  writerP99: number;
  httpP99: number;
  httpN: number;
  writerN: number;
}

async function uploadFigures(dir: string) {
  const SIZE = 250 * 1000 * 1000;
  const dbPath = join(dir, 'host.db');
  const app = createApp({ dbPath, host: 'web', refuse: ['artifact:addPath'] });
  const host = await startWebHost({ app, staticDir: join(root, 'dist', 'renderer') });
  await app.call('incident:create', { title: 'bench', severity: 'SEV2', failureClass: 'data' });
  const big = join(dir, 'upload.bin');
  writeRandom(big, SIZE, 7);
  const self = __filename;

  const httpCall = (channel: string, body: unknown) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: `/api/${channel}`, headers: { host: `127.0.0.1:${host.port}`, 'x-pmw-token': host.token } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  /** Measure for the duration of `during` (or `ms` when idle): lag of this (the host's) event loop, and both writers. */
  async function window(during: (() => Promise<unknown>) | null, ms: number, http: boolean): Promise<Window> {
    const h = monitorEventLoopDelay({ resolution: 5 });
    let stop = false;
    // Another process writing one note every 20 ms for as long as the window lasts.
    const writerProc = spawn(process.execPath, [self, 'writer', dbPath, '20'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let writerOut = '';
    writerProc.stdout.on('data', (b) => (writerOut += b));
    const writerLat = new Promise<number[]>((resolve) => writerProc.on('close', () => resolve(writerOut ? JSON.parse(writerOut) : [])));
    await new Promise((r) => setTimeout(r, 500)); // let it open the database first
    const httpLat: number[] = [];
    const httpLoop = (async () => {
      let i = 0;
      while (!stop && http) {
        httpLat.push(await httpCall('timeline:add', { key: 'INC-0001', kind: 'note', body: `http ${i++}` }));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    h.enable();
    if (during) await during();
    else await new Promise((r) => setTimeout(r, ms));
    stop = true;
    h.disable();
    writerProc.stdin.end();
    await httpLoop;
    const wl = await writerLat;
    const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] ?? NaN;
    return { lagP99: h.percentile(99) / 1e6, lagMax: h.max / 1e6, writerP99: p99(wl), httpP99: p99(httpLat), httpN: httpLat.length, writerN: wl.length };
  }

  const big2 = join(dir, 'upload2.bin');
  writeRandom(big2, SIZE - 1, 8);
  const uploadOnce = (file: string) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const p = spawn(process.execPath, [self, 'upload', String(host.port), host.token, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (b) => (out += b));
      p.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`upload failed: ${out}`))));
    });

  // Window 1: the upload and another process writing. Window 2: the upload and HTTP writes to the host
  // itself (their commits, fsync included, run on the host's own event loop). Each beside the same without the upload.
  let uploadMs = 0;
  const busy = await window(async () => {
    uploadMs = await uploadOnce(big);
  }, 0, false);
  const idle = await window(null, Math.max(2000, uploadMs), false);
  let upload2Ms = 0;
  const busyHttp = await window(async () => {
    upload2Ms = await uploadOnce(big2);
  }, 0, true);
  const idleHttp = await window(null, Math.max(2000, upload2Ms), true);
  await host.close();
  app.close();
  console.log(`(250 MB uploads took ${(uploadMs / 1000).toFixed(1)} s and ${(upload2Ms / 1000).toFixed(1)} s; ${busy.writerN} writes from another process during the first, ${busyHttp.httpN} HTTP writes during the second)`);
  row({ figure: 'web host event-loop lag p99 during a 250 MB upload', value: busy.lagP99, baseline: 'the same with no upload', baselineValue: idle.lagP99, target: { max: 50 }, note: `max ${busy.lagMax.toFixed(0)} ms` });
  row({ figure: "another process's write latency p99 during the upload", value: busy.writerP99, baseline: 'the same with no upload', baselineValue: idle.writerP99, target: { max: 100 } });
  row({ figure: 'web host event-loop lag p99 during the upload, with HTTP writes too', value: busyHttp.lagP99, baseline: 'the same with no upload', baselineValue: idleHttp.lagP99, target: { max: 50 }, note: `max ${busyHttp.lagMax.toFixed(0)} ms` });
  row({ figure: 'HTTP write latency p99 (timeline:add) during the upload', value: busyHttp.httpP99, baseline: 'the same with no upload', baselineValue: idleHttp.httpP99, target: { max: 100 } });
}

async function main() {
  const [role, ...rest] = process.argv.slice(2);
  if (role === 'writer') return writerChild(rest[0], Number(rest[1]));
  if (role === 'upload') return uploadChild(Number(rest[0]), rest[1], rest[2]);
  spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'all', '--if-needed'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'pmw-bench-store-'));
  console.log(`machine load (1/5/15 min): ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  try {
    captureFigures(dir);
    bytesWrittenFigure(dir);
    await uploadFigures(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    console.log(`machine load after: ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
