#!/usr/bin/env node
// `npm run soak [-- --trials N]`: the fault suite, with figures (trials, lost, corrupt) per fault.
//  - kill -9 in the middle of every kind of write (incident, note, update, capture, upload through the
//    web host, bundle import, backup, restore, export, migration): every write that was acknowledged
//    before the kill must be there, both files must pass integrity_check, nothing half-made may show;
//  - concurrent writers (processes), some of them killed;
//  - corrupt, truncated and 0-byte databases: refused without being changed, then restored;
//  - every hostile file and request: answered within its budget with a clear refusal.
// Long on purpose and not part of `npm test` (the unit suites cover each refusal once). Exit 1 on any
// lost or corrupt write. Leaves nothing behind.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const CLI = join(root, 'dist', 'main', 'cli.cjs');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TRIALS = arg('trials', 8);
/** `--only writes,uploads,concurrent,damaged,hostile` runs some sections. */
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? new Set(process.argv[onlyAt + 1].split(',')) : null;
const want = (s) => !ONLY || ONLY.has(s);
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'all', '--if-needed'], { stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'pmw-soak-'));
// The processes under test keep their temp files (upload spools, export worktrees) in here too.
const TMP = join(work, 'tmp');
mkdirSync(TMP);
const ENV = { ...process.env, PMW_BACKUP_EVERY_HOURS: '0', TMPDIR: TMP, TMP, TEMP: TMP };
const rows = [];
let failures = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rnd = (a, b) => a + Math.floor(Math.random() * (b - a));
const sha = (b) => createHash('sha256').update(b).digest('hex');

function record(fault, trials, lost, corrupt, note = '') {
  rows.push({ fault, trials, lost, corrupt, note });
  if (lost || corrupt) failures++;
  console.log(`  ${fault.padEnd(34)} trials ${String(trials).padStart(3)}  lost ${String(lost).padStart(3)}  corrupt ${String(corrupt).padStart(3)}  ${note}`);
}

/** Both files whole? Returns the number of failing checks (0 or more). */
function corruption(dbPath) {
  let bad = 0;
  for (const f of [dbPath, `${dbPath}-blobs`]) {
    if (!existsSync(f)) continue;
    try {
      const db = new Database(f, { fileMustExist: true });
      if (db.pragma('integrity_check', { simple: true }) !== 'ok') bad++;
      if (f === dbPath && db.pragma('foreign_key_check').length) bad++;
      db.close();
    } catch {
      bad++;
    }
  }
  return bad;
}

function cli(args, opts = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pmw.cjs'), ...args], { encoding: 'utf8', env: ENV, ...opts });
  return r;
}

/** The writer: runs `kind`'s command again and again in-process and journals each one the CLI acknowledged (exit 0). */
const WRITER = join(work, 'writer.cjs');
writeFileSync(
  WRITER,
  `
const cli = require(${JSON.stringify(CLI)});
const fs = require('fs');
const [kind, db, journal, extra] = process.argv.slice(2);
const io = { out() {}, err() {} };
const argsFor = (i) => {
  switch (kind) {
    case 'create': return ['incident', 'new', '--title', 'soak ' + i, '--severity', 'SEV3', '--class', 'data'];
    case 'note': return ['incident', 'note', 'INC-0001', 'soak note ' + i];
    case 'update': return ['incident', 'set', 'INC-0001', '--impact', String(i)];
    case 'capture': return ['artifact', 'add', 'INC-0001', '--role', 'failing', extra + '/file-' + (i % 6) + '.bin', '--label', 'soak ' + i];
    case 'bundle': return ['bundle', 'import', extra];
    case 'backup': return ['backup'];
    case 'export': return ['export', 'INC-0001', '--repo', extra, '--branch', 'soak-' + process.pid + '-' + i];
  }
};
(async () => {
  for (let i = 0; ; i++) {
    const code = await cli.main([...argsFor(i), '--db', db], io);
    if (code === 0) fs.appendFileSync(journal, i + '\\n');
  }
})();
`,
);

function acked(journal) {
  return existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

async function killDuring(kind, db, extra, minMs = 300, maxMs = 1500) {
  const journal = `${db}.${kind}.${Date.now()}.journal`;
  const p = spawn(process.execPath, [WRITER, kind, db, journal, extra ?? ''], { stdio: 'ignore', env: ENV });
  const gone = new Promise((r) => p.once('exit', r));
  await sleep(rnd(minMs, maxMs));
  p.kill('SIGKILL');
  await gone;
  return acked(journal);
}

function seedDb(dir, incidents = 1) {
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'wb.db');
  for (let i = 0; i < incidents; i++) cli(['incident', 'new', '--db', db, '--title', `seed ${i}`, '--severity', 'SEV2', '--class', 'data']);
  if (!incidents) cli(['incident', 'list', '--db', db]);
  return db;
}

const open = (db) => new Database(db, { readonly: true, fileMustExist: true });

/** Indexed contents whose stored bytes do not hash to their key. */
function badBlobs(d, db) {
  if (!existsSync(`${db}-blobs`)) return 0;
  const store = new Database(`${db}-blobs`, { readonly: true });
  let bad = 0;
  for (const b of d.prepare('SELECT sha256, store_set FROM blobs WHERE store_set IS NOT NULL').all()) {
    const chunks = store.prepare('SELECT data FROM chunks WHERE set_id = ? ORDER BY idx').all(b.store_set);
    if (sha(Buffer.concat(chunks.map((c) => c.data))) !== b.sha256) bad++;
  }
  store.close();
  return bad;
}

// ---- kill -9 during each kind of write -----------------------------------------------------------

async function killWrites() {
  console.log(`\nkill -9 in the middle of writes (${TRIALS} trials each)`);
  const simple = {
    create: (d, a) => {
      const titles = new Set(d.prepare('SELECT title FROM incidents').all().map((r) => r.title));
      return a.filter((i) => !titles.has(`soak ${i}`)).length;
    },
    note: (d, a) => {
      const bodies = new Set(d.prepare("SELECT body FROM timeline_events WHERE kind = 'note'").all().map((r) => r.body));
      return a.filter((i) => !bodies.has(`soak note ${i}`)).length;
    },
    update: (d, a) => {
      const v = Number(d.prepare("SELECT impact FROM incidents WHERE key = 'INC-0001'").get().impact);
      return a.length && !(v >= Math.max(...a)) ? 1 : 0;
    },
  };
  for (const [kind, check] of Object.entries(simple)) {
    let lost = 0;
    let corrupt = 0;
    for (let t = 0; t < TRIALS; t++) {
      const db = seedDb(join(work, `${kind}-${t}`));
      const a = await killDuring(kind, db);
      corrupt += corruption(db);
      const d = open(db);
      lost += check(d, a);
      d.close();
    }
    record(`${kind}`, TRIALS, lost, corrupt);
  }

  // Capture: files of 24 MB; every acknowledged artifact's bytes must hash to its sha256.
  {
    const files = join(work, 'capture-files');
    mkdirSync(files);
    for (let i = 0; i < 6; i++) writeFileSync(join(files, `file-${i}.bin`), randomBytes(24 * 1024 * 1024));
    let lost = 0;
    let corrupt = 0;
    let orphans = 0;
    for (let t = 0; t < TRIALS; t++) {
      const db = seedDb(join(work, `capture-${t}`));
      const a = await killDuring('capture', db, files, 400, 2500);
      corrupt += corruption(db);
      // Opening again collects what the killed writer left half-written.
      cli(['incident', 'list', '--db', db]);
      const d = open(db);
      const labels = new Set(d.prepare('SELECT label FROM artifacts').all().map((r) => r.label));
      lost += a.filter((i) => !labels.has(`soak ${i}`)).length;
      corrupt += badBlobs(d, db);
      const store = new Database(`${db}-blobs`, { readonly: true });
      const referenced = new Set(d.prepare('SELECT store_set FROM blobs').all().map((r) => r.store_set));
      orphans += store.prepare('SELECT id FROM sets').all().filter((s) => !referenced.has(s.id)).length;
      store.close();
      d.close();
    }
    record('capture (24 MB files)', TRIALS, lost, corrupt, `${orphans} half-written set(s) left after reopening`);
    if (orphans) failures++;
  }

  // Bundle import: each import is whole or absent (its incident, artifacts and findings together).
  {
    const src = seedDb(join(work, 'bundle-src'));
    const f = join(work, 'bundle-src', 'a.txt');
    writeFileSync(f, 'x'.repeat(200_000));
    cli(['artifact', 'add', 'INC-0001', '--role', 'failing', f, '--db', src]);
    const bundle = join(work, 'bundle.json');
    writeFileSync(bundle, cli(['bundle', 'export', 'INC-0001', '--db', src]).stdout);
    let lost = 0;
    let corrupt = 0;
    for (let t = 0; t < TRIALS; t++) {
      const db = seedDb(join(work, `bundle-${t}`));
      const a = await killDuring('bundle', db, bundle);
      corrupt += corruption(db);
      const d = open(db);
      const n = d.prepare('SELECT count(*) AS n FROM incidents').get().n - 1;
      const arts = d.prepare('SELECT count(*) AS n FROM artifacts').get().n;
      if (n < a.length) lost += a.length - n;
      if (arts !== n) corrupt++; // an incident without its artifact (or the reverse) would be a half import
      d.close();
    }
    record('bundle import', TRIALS, lost, corrupt);
  }

  // Backup: every listed backup is whole (a half-written one never shows).
  {
    let lost = 0;
    let corrupt = 0;
    let listed = 0;
    for (let t = 0; t < TRIALS; t++) {
      const db = seedDb(join(work, `backup-${t}`), 3);
      const a = await killDuring('backup', db, undefined, 800, 4000);
      corrupt += corruption(db);
      const dir = join(work, `backup-${t}`, 'backups');
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.db')) : [];
      listed += files.length;
      if (files.length < a.length) lost += a.length - files.length;
      for (const f of files) {
        const b = open(join(dir, f));
        if (b.pragma('integrity_check', { simple: true }) !== 'ok' || b.prepare('SELECT count(*) AS n FROM incidents').get().n !== 3) corrupt++;
        b.close();
      }
    }
    record('backup', TRIALS, lost, corrupt, `${listed} backups checked`);
  }

  // Restore: killed half-way, the database path holds the old or the restored database, whole.
  {
    let lost = 0;
    let corrupt = 0;
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(work, `restore-${t}`);
      const db = seedDb(dir, 2);
      const bk = join(dir, 'chosen.db');
      cli(['backup', '--out', bk, '--db', db]);
      cli(['incident', 'new', '--db', db, '--title', 'after backup', '--severity', 'SEV2', '--class', 'data']);
      const p = spawn(process.execPath, [join(root, 'bin', 'pmw.cjs'), 'restore', bk, '--db', db], { stdio: 'ignore', env: ENV });
      const gone = new Promise((r) => p.once('exit', r));
      await sleep(rnd(150, 900));
      p.kill('SIGKILL');
      await gone;
      corrupt += corruption(db);
      if (!existsSync(db)) lost++;
      else {
        const d = open(db);
        const n = d.prepare('SELECT count(*) AS n FROM incidents').get().n;
        if (n !== 2 && n !== 3) lost++;
        d.close();
      }
    }
    record('restore', TRIALS, lost, corrupt);
  }

  // Export: the repository stays sound, and the next export is never refused for good.
  {
    let lost = 0;
    let corrupt = 0;
    let recovered = 0;
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(work, `export-${t}`);
      const db = seedDb(dir);
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      const g = (...a) => execFileSync('git', a, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      g('init', '-q', '-b', 'main');
      g('config', 'user.email', 's@example.com');
      g('config', 'user.name', 'S');
      g('config', 'commit.gpgsign', 'false');
      writeFileSync(join(repo, 'README.md'), '# r\n');
      g('add', 'README.md');
      g('commit', '-q', '-m', 'init');
      const a = await killDuring('export', db, repo, 500, 3000);
      await sleep(300);
      corrupt += corruption(db);
      try {
        g('fsck', '--no-progress');
      } catch {
        corrupt++;
      }
      const d = open(db);
      const records = d.prepare('SELECT branch FROM exports').all().length;
      const attempts = d.prepare('SELECT branch FROM export_attempts').all().map((r) => r.branch);
      d.close();
      if (records < a.length) lost += a.length - records;
      // Whatever was interrupted is offered and can be finished.
      for (const branch of attempts) {
        const r = cli(['export', 'INC-0001', '--repo', repo, '--branch', branch, '--finish', '--db', db]);
        if (r.status === 0) recovered++;
        else if (!/no half-finished export/.test(r.stderr)) corrupt++;
      }
      const next = cli(['export', 'INC-0001', '--repo', repo, '--branch', `after-${t}`, '--db', db]);
      if (next.status !== 0 && !/NOTHING_TO_EXPORT|Every file is already/.test(next.stderr + next.stdout)) corrupt++;
    }
    record('export to git', TRIALS, lost, corrupt, `${recovered} interrupted export(s) finished`);
  }

  // Migration: a database of schema 4 with data, opened (and migrated) by a process killed half-way.
  {
    let lost = 0;
    let corrupt = 0;
    const migrations = readdirSync(join(root, 'migrations')).filter((f) => /^\d{4}_/.test(f)).sort();
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(work, `migrate-${t}`);
      mkdirSync(dir);
      const db = join(dir, 'wb.db');
      const raw = new Database(db);
      raw.pragma('journal_mode = WAL');
      for (const m of migrations.filter((f) => Number(f.slice(0, 4)) <= 4)) raw.exec(readFileSync(join(root, 'migrations', m), 'utf8'));
      raw.pragma('user_version = 4');
      const ins = raw.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (?,?,?,'SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')");
      for (let i = 1; i <= 2000; i++) ins.run(i, `INC-${String(i).padStart(4, '0')}`, 'x'.repeat(500));
      raw.close();
      const p = spawn(process.execPath, [join(root, 'bin', 'pmw.cjs'), 'incident', 'list', '--db', db], { stdio: 'ignore', env: ENV });
      const gone = new Promise((r) => p.once('exit', r));
      await sleep(rnd(100, 800));
      p.kill('SIGKILL');
      await gone;
      corrupt += corruption(db);
      const d = open(db);
      const v = d.pragma('user_version', { simple: true });
      if (d.prepare('SELECT count(*) AS n FROM incidents').get().n !== 2000) lost++;
      if (v !== 4 && v !== Number(migrations.at(-1).slice(0, 4))) corrupt++;
      d.close();
    }
    record('migration', TRIALS, lost, corrupt);
  }
}

// ---- uploads through the web host, host killed mid-upload ----------------------------------------

async function killUploads() {
  console.log(`\nkill -9 of the web host in the middle of uploads (${TRIALS} trials)`);
  let lost = 0;
  let corrupt = 0;
  let spools = 0;
  let spoolsLeft = 0;
  let halfSets = 0;
  const body = randomBytes(40 * 1024 * 1024);
  for (let t = 0; t < TRIALS; t++) {
    const db = seedDb(join(work, `upload-${t}`));
    const p = spawn(process.execPath, [join(root, 'bin', 'pmw.cjs'), 'serve', '--no-build', '--db', db], { env: ENV });
    let out = '';
    p.stdout.on('data', (b) => (out += b));
    const [port, token] = await new Promise((resolve) => {
      const iv = setInterval(() => {
        const m = /127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(out);
        if (m) {
          clearInterval(iv);
          resolve([Number(m[1]), m[2]]);
        }
      }, 20);
    });
    const acks = [];
    let stop = false;
    const uploader = (async () => {
      for (let i = 0; !stop; i++) {
        // Even uploads have a size never stored (streamed into the blob file), odd ones a stored size (spooled).
        const piece = i % 2 ? body : body.subarray(0, body.length - 1 - i);
        const ok = await new Promise((resolve) => {
          const req = request({ host: '127.0.0.1', port, method: 'PUT', path: `/upload/INC-0001?role=failing&name=u${i}.bin&label=soak%20${i}`, headers: { host: `127.0.0.1:${port}`, 'x-pmw-token': token, 'content-length': String(piece.length) } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
          });
          req.on('error', () => resolve(false));
          body.writeUInt32LE(i, 0);
          req.end(piece);
        });
        if (ok) acks.push(i);
        else break;
      }
    })();
    await sleep(rnd(300, 2500));
    const pid = p.pid;
    p.kill('SIGKILL');
    stop = true;
    await uploader;
    await new Promise((r) => (p.exitCode !== null ? r() : p.once('exit', r)));
    corrupt += corruption(db);
    spoolsLeft += readdirSync(TMP).filter((f) => f.startsWith(`pmw-upload-${pid}-`)).length;
    // The next start removes the dead host's spool.
    cli(['incident', 'list', '--db', db]);
    spools += readdirSync(TMP).filter((f) => f.startsWith(`pmw-upload-${pid}-`)).length;
    const d = open(db);
    const labels = new Set(d.prepare('SELECT label FROM artifacts').all().map((r) => r.label));
    lost += acks.filter((i) => !labels.has(`soak ${i}`)).length;
    corrupt += badBlobs(d, db);
    if (existsSync(`${db}-blobs`)) {
      const store = new Database(`${db}-blobs`, { readonly: true });
      const referenced = new Set(d.prepare('SELECT store_set FROM blobs').all().map((r) => r.store_set));
      halfSets += store.prepare('SELECT id FROM sets').all().filter((x) => !referenced.has(x.id)).length;
      store.close();
    }
    d.close();
  }
  record('upload (web host killed)', TRIALS, lost, corrupt, `${spoolsLeft} spool(s) left by killed hosts, ${spools} after the next start; ${halfSets} half-streamed set(s) left`);
  if (spools || halfSets) failures++;
}

// ---- concurrent writers, some killed ------------------------------------------------------------

async function concurrentWriters() {
  console.log('\nconcurrent writers on one file (4 processes, 2 of them killed at random)');
  let lost = 0;
  let corrupt = 0;
  let acknowledged = 0;
  const trials = Math.max(2, Math.round(TRIALS / 2));
  for (let t = 0; t < trials; t++) {
    const db = seedDb(join(work, `concurrent-${t}`));
    const procs = ['note', 'note', 'create', 'update'].map((kind, i) => {
      const journal = `${db}.${kind}.${i}.journal`;
      const p = spawn(process.execPath, [WRITER, kind, db, journal, ''], { stdio: 'ignore', env: ENV });
      return { kind, journal, p, gone: new Promise((r) => p.once('exit', r)) };
    });
    await sleep(rnd(1500, 3000));
    for (const x of procs) x.p.kill('SIGKILL');
    await Promise.all(procs.map((x) => x.gone));
    corrupt += corruption(db);
    const d = open(db);
    const bodies = d.prepare("SELECT body FROM timeline_events WHERE kind = 'note'").all().map((r) => r.body);
    const titles = new Set(d.prepare('SELECT title FROM incidents').all().map((r) => r.title));
    // Two note writers used the same texts: count them as a multiset.
    const counts = new Map();
    for (const b of bodies) counts.set(b, (counts.get(b) ?? 0) + 1);
    const wanted = new Map();
    for (const x of procs.filter((x) => x.kind === 'note')) for (const i of acked(x.journal)) wanted.set(`soak note ${i}`, (wanted.get(`soak note ${i}`) ?? 0) + 1);
    for (const [b, n] of wanted) if ((counts.get(b) ?? 0) < n) lost += n - (counts.get(b) ?? 0);
    for (const x of procs) acknowledged += acked(x.journal).length;
    lost += acked(procs[2].journal).filter((i) => !titles.has(`soak ${i}`)).length;
    d.close();
  }
  record('concurrent writers', trials, lost, corrupt, `${acknowledged} acknowledged writes checked`);
}

// ---- damaged databases --------------------------------------------------------------------------

function damaged() {
  console.log('\ncorrupt, truncated and 0-byte databases (refused unchanged, then restored)');
  const kinds = {
    '0-byte': (f) => writeFileSync(f, ''),
    truncated: (f) => writeFileSync(f, readFileSync(f).subarray(0, Math.floor(statSync(f).size / 3))),
    'garbage pages': (f) => {
      const fd = openSync(f, 'r+');
      const size = statSync(f).size;
      for (let i = 0; i < 4; i++) writeSync(fd, randomBytes(4096), 0, 4096, rnd(1, Math.floor(size / 4096)) * 4096);
      closeSync(fd);
    },
    'not SQLite': (f) => writeFileSync(f, 'notes\n'.repeat(1000)),
  };
  for (const [name, damage] of Object.entries(kinds)) {
    let changed = 0;
    let accepted = 0;
    let lost = 0;
    for (let t = 0; t < TRIALS; t++) {
      const dir = join(work, `damaged-${name.replace(/\W/g, '')}-${t}`);
      const db = seedDb(dir, 0);
      const raw = new Database(db);
      const ins = raw.prepare("INSERT INTO incidents (seq,key,title,severity,failure_class,phase,detected_at,created_at,updated_at) VALUES (?,?,?,'SEV3','data','acknowledge','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z','2026-01-01T00:00:00Z')");
      for (let i = 1; i <= 300; i++) ins.run(i, `INC-${String(i).padStart(4, '0')}`, 'y'.repeat(400));
      raw.close();
      const bk = join(dir, 'good.db');
      cli(['backup', '--out', bk, '--db', db]);
      damage(db);
      const before = sha(readFileSync(db));
      const r = cli(['incident', 'list', '--db', db]);
      // Garbage that happened to hit only free space is not damage; everything else must be refused.
      const healthy = r.status === 0 && corruption(db) === 0;
      if (r.status === 0 && !healthy) accepted++;
      if (existsSync(db) && sha(readFileSync(db)) !== before && !healthy) changed++;
      const back = cli(['restore', bk, '--db', db]);
      if (back.status !== 0) lost++;
      else {
        const d = open(db);
        if (d.prepare('SELECT count(*) AS n FROM incidents').get().n !== 300) lost++;
        d.close();
      }
    }
    record(`${name} database`, TRIALS, lost, changed + accepted, changed + accepted ? `${accepted} opened although damaged, ${changed} changed` : 'refused unchanged every time, restored');
  }
}

// ---- hostile files and requests -----------------------------------------------------------------

async function hostile() {
  console.log('\nhostile files and requests (each must end within its budget with a clear answer)');
  const dir = join(work, 'hostile');
  mkdirSync(dir);
  const files = {
    'yaml alias bomb': ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n') + '\n',
    'json 5000 deep': '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    'yaml 5000 deep': '['.repeat(5000) + ']'.repeat(5000),
    'json 1e6 deep': '['.repeat(1_000_000) + ']'.repeat(1_000_000),
    'one 50 MB line': 'x'.repeat(50 * 1024 * 1024),
    'csv 10k columns': Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',') + '\n' + Array.from({ length: 10_000 }, () => '1').join(',') + '\n',
  };
  const ext = { 'yaml alias bomb': 'yaml', 'json 5000 deep': 'json', 'yaml 5000 deep': 'yaml', 'json 1e6 deep': 'json', 'one 50 MB line': 'txt', 'csv 10k columns': 'csv' };
  let bad = 0;
  let n = 0;
  for (const [name, text] of Object.entries(files)) {
    const a = join(dir, `a.${ext[name]}`);
    const b = join(dir, `b.${ext[name]}`);
    writeFileSync(a, ext[name] === 'csv' ? 'x\n1\n' : ext[name] === 'json' ? '{}' : 'x: 1\n');
    writeFileSync(b, text);
    const t0 = performance.now();
    const r = cli(['diff', a, b], { env: { ...ENV, PMW_JOB_TIMEOUT_MS: '60000' }, timeout: 120_000 });
    const ms = performance.now() - t0;
    n++;
    const ok = r.status !== null && r.status <= 2 && (r.status !== 2 || /budget|nested|alias|limit/.test(r.stderr));
    if (!ok) bad++;
    console.log(`    ${name.padEnd(18)} exit ${r.status} in ${(ms / 1000).toFixed(1)} s  ${(r.stderr.split('\n').find((l) => /alias|nested|budget|limit/i.test(l)) ?? '').slice(0, 110)}`);
  }
  record('hostile files (pmw diff)', n, 0, bad, bad ? `${bad} not bounded` : 'all bounded');

  // Hostile requests to the web host.
  const db = seedDb(join(work, 'hostile-web'));
  const p = spawn(process.execPath, [join(root, 'bin', 'pmw.cjs'), 'serve', '--no-build', '--db', db], { env: ENV });
  let out = '';
  p.stdout.on('data', (b) => (out += b));
  const [port, token] = await new Promise((resolve) => {
    const iv = setInterval(() => {
      const m = /127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(out);
      if (m) {
        clearInterval(iv);
        resolve([Number(m[1]), m[2]]);
      }
    }, 20);
  });
  const send = (method, path, body, headers = {}) =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, 'x-pmw-token': token, ...headers } }, (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => {
          let env = null;
          try {
            env = JSON.parse(b);
          } catch {
            /* not an envelope */
          }
          resolve({ status: res.statusCode, env });
        });
      });
      req.on('error', (e) => resolve({ status: 0, env: null, error: e.code }));
      if (Buffer.isBuffer(body) && headers['transfer-encoding']) {
        for (let i = 0; i < body.length; i += 65536) req.write(body.subarray(i, i + 65536));
        req.end();
      } else req.end(body);
    });
  const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
  const huge = Buffer.alloc(300 * 1024 * 1024, 1);
  const cases = [
    ['API input 5000 deep', () => send('POST', '/api/finding:create', `{"key":"INC-0001","title":"t","failureClass":"data","params":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`), (r) => r.status === 400 && r.env?.error?.code === 'VALIDATION'],
    ['3 MB API body', () => send('POST', '/api/incident:list', big, { 'content-length': String(big.length) }), (r) => r.status === 413 && r.env?.error?.code === 'TOO_LARGE'],
    ['3 MB API body, chunked', () => send('POST', '/api/incident:list', big, { 'transfer-encoding': 'chunked' }), (r) => r.status === 413 && r.env?.error?.code === 'TOO_LARGE'],
    ['300 MB upload, chunked', () => send('PUT', '/upload/INC-0001?role=failing&name=x.bin', huge, { 'transfer-encoding': 'chunked' }), (r) => r.status === 413 && r.env?.error?.code === 'TOO_LARGE'],
    ['upload name with NUL, RTL, ..', () => send('PUT', `/upload/INC-0001?role=failing&name=${encodeURIComponent('../\u0000\u202egnp.exe')}`, 'x'), (r) => r.status === 200 && !/[\u0000\u202e/]|\.\./.test(r.env?.data?.name ?? '/')],
    ['cross-origin upload', () => send('PUT', '/upload/INC-0001?role=failing&name=a.txt', 'x', { origin: 'http://evil.example' }), (r) => r.status === 401],
  ];
  let wbad = 0;
  for (const [name, go, ok] of cases) {
    const t0 = performance.now();
    const r = await go();
    const fine = ok(r);
    if (!fine) wbad++;
    console.log(`    ${name.padEnd(30)} HTTP ${r.status}${r.error ? ` (${r.error})` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s ${fine ? '' : '  ← not as expected'}`);
  }
  p.kill('SIGTERM');
  await new Promise((r) => p.once('exit', r));
  record('hostile requests (web host)', cases.length, 0, wbad, wbad ? `${wbad} not answered as they should` : 'all answered with the envelope');
}

const started = Date.now();
try {
  if (want('writes')) await killWrites();
  if (want('uploads')) await killUploads();
  if (want('concurrent')) await concurrentWriters();
  if (want('damaged')) damaged();
  if (want('hostile')) await hostile();
} finally {
  rmSync(work, { recursive: true, force: true });
}
const total = rows.reduce((s, r) => ({ trials: s.trials + r.trials, lost: s.lost + r.lost, corrupt: s.corrupt + r.corrupt }), { trials: 0, lost: 0, corrupt: 0 });
console.log(`\nsoak: ${total.trials} trials, ${total.lost} lost, ${total.corrupt} corrupt (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failures ? 1 : 0);
