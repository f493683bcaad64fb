// Artifacts end to end in Chromium against the web host (issue 3, items 1, 4, 6, 7): capture the real
// nannyml poetry.lock pair through the file inputs, see the proposed pair, open the diff, see
// "numpy 1.24.4 → 2.0.2" as critical on top, filter, jump into Monaco, send the change to the timeline
// and save it as a finding; the vLLM manifests (digest → tag); a comment-only pasted pair ("no semantic
// change"); a malformed YAML (stored, shown as text, line/column named); a slow diff cancelled; an
// upload over the size limit refused by name. No CSP violation anywhere (Monaco runs under the app's CSP).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, ROOT, startHost, test, type WebHostHandle } from './fixtures';

const REAL = join(ROOT, 'test', 'fixtures', 'real');
const POETRY_LKG = join(REAL, 'deps', 'nannyml-poetry-e8623af8.lock');
const POETRY_FAILING = join(REAL, 'deps', 'nannyml-poetry-94c3e242.lock');
const VLLM_LKG = join(REAL, 'k8s', 'vllm-deployment-929f82b7.yaml');
const VLLM_FAILING = join(REAL, 'k8s', 'vllm-deployment-a0ed769c.yaml');

interface Reported {
  text: string;
  url?: string;
  line?: number;
  column?: number;
}

/**
 * Collect CSP violations — the DOM event (through an init script, which the CSP does not block) and
 * Chromium's console reports, worker consoles included — and every console error. `problems()` returns
 * them, minus one known harmless case: zod's JIT probe (`try { Function("") } catch {}`), which zod v4
 * runs once where its schemas are bundled and then falls back to its interpreter. It is set aside as a
 * test annotation (the fix is `z.config({ jitless: true })` before zod is used in the renderer).
 */
async function watchConsole(page: Page) {
  const csp: Reported[] = [];
  const errors: Reported[] = [];
  page.on('console', (m) => {
    const text = m.text();
    const loc = m.location();
    const r: Reported = { text, url: loc.url || undefined, line: loc.lineNumber + 1, column: loc.columnNumber + 1 };
    const marked = /^CSP violation: .* in (\S+):(\d+):(\d+)$/.exec(text);
    if (marked) csp.push({ text, url: marked[1], line: Number(marked[2]), column: Number(marked[3]) });
    else if (/Content Security Policy/i.test(text)) csp.push(r);
    else if (m.type() === 'error' || /Could not create web worker|Falling back to loading web worker/i.test(text)) errors.push(r);
  });
  page.on('pageerror', (e) => errors.push({ text: `pageerror: ${e.message}` }));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
    });
  });
  const sources = new Map<string, string[]>();
  async function isZodProbe(r: Reported): Promise<boolean> {
    if (!r.url || !r.line || !/\/assets\/[\w.-]+\.js$/.test(r.url)) return false;
    if (!sources.has(r.url)) sources.set(r.url, (await (await page.request.get(r.url)).text()).split('\n'));
    const line = sources.get(r.url)![r.line - 1] ?? '';
    const around = line.slice(Math.max(0, (r.column ?? 0) - 80), (r.column ?? 0) + 40);
    return /try\{return (new )?Function\((``|""|'')\),!0\}catch\{return!1\}/.test(around);
  }
  return {
    async problems(): Promise<{ csp: string[]; errors: string[] }> {
      const real: string[] = [];
      const probes = new Set<string>();
      for (const r of [...csp, ...errors.filter((e) => /Content Security Policy|unsafe-eval/i.test(e.text))]) {
        if (await isZodProbe(r)) probes.add(`${r.url}:${r.line}`);
        else real.push(r.text);
      }
      for (const p of probes) test.info().annotations.push({ type: 'csp: zod JIT probe (harmless, set z.config({ jitless: true }))', description: p });
      return { csp: real, errors: errors.filter((e) => !/Content Security Policy|unsafe-eval/i.test(e.text)).map((e) => e.text) };
    },
  };
}

/** An incident in the investigate phase (where the panel is emphasised), opened in the browser. */
async function openInvestigating(page: Page, host: WebHostHandle, title: string): Promise<string> {
  const created = await host.call<{ key: string }>('incident:create', { title, severity: 'SEV2', failureClass: 'packaging' });
  expect(created.body.ok).toBe(true);
  const key = created.body.data!.key;
  for (let i = 0; i < 2; i++) {
    const r = await host.call('incident:advance', { key, reason: 'e2e: straight to investigate' });
    expect(r.body.ok).toBe(true);
  }
  await openApp(page, host);
  await page.goto(`${host.origin}/#/incidents/${key}`);
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'investigate');
  return key;
}

/**
 * Upload through the web host's streaming endpoint directly (seeding, not under test). node:http on a
 * fresh connection: fetch would reuse a keep-alive socket the host may have closed meanwhile (EPIPE).
 */
function seedUpload(host: WebHostHandle, key: string, role: string, name: string, body: string, kind?: string): Promise<{ id: number }> {
  const q = new URLSearchParams({ role, name, ...(kind ? { kind } : {}) });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: host.port,
        path: `/upload/${key}?${q}`,
        method: 'PUT',
        agent: false,
        headers: { 'x-pmw-token': host.token, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const env = JSON.parse(text) as { ok: boolean; data?: { id: number }; error?: unknown };
          if (env.ok) resolve(env.data!);
          else reject(new Error(`seeding ${name} failed: ${JSON.stringify(env.error)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('capture the real lockfile and manifest pairs, diff them, jump into Monaco, send a change to the timeline and findings', async ({ page, host }) => {
  test.setTimeout(180_000);
  const watch = await watchConsole(page);
  const key = await openInvestigating(page, host, 'Drift alarms after the nannyml upgrade');

  const panel = page.getByTestId('artifacts-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('artifacts-empty')).toContainText('Dependencies');
  await expect(page.getByTestId('artifacts-empty')).toContainText(/poetry\.lock/);
  await expect(page.getByTestId('artifacts-empty')).toContainText(/Kubernetes manifests/);

  // Monaco is not part of the first load.
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
  expect(scripts.some((s) => /setup-|editor\.worker|json\.worker/.test(s))).toBe(false);

  // ---- Capture through the file inputs, one per role ----
  await page.getByTestId('file-input-last-known-good').setInputFiles(POETRY_LKG);
  await page.getByTestId('file-input-failing').setInputFiles(POETRY_FAILING);
  const lkgCol = page.getByTestId('artifact-column-last-known-good');
  const failCol = page.getByTestId('artifact-column-failing');
  await expect(lkgCol.getByTestId('artifact-item')).toHaveCount(1);
  await expect(failCol.getByTestId('artifact-item')).toHaveCount(1);
  const lkgItem = lkgCol.getByTestId('artifact-item').first();
  await expect(lkgItem).toHaveAttribute('data-kind', 'poetry-lock');
  await expect(lkgItem.getByTestId('artifact-name')).toHaveText('nannyml-poetry-e8623af8.lock');
  await expect(lkgItem.getByTestId('artifact-kind')).toHaveValue('poetry-lock');
  await expect(lkgItem.getByTestId('artifact-sha')).toHaveText('392221f03bcb');
  await expect(lkgItem).toContainText(/\d+ KB/);
  await expect(page.getByTestId('artifacts-empty')).toHaveCount(0);

  // ---- The proposed pair ----
  const pair = page.getByTestId('pair-row');
  await expect(pair).toHaveCount(1);
  await expect(pair).toContainText('nannyml-poetry-e8623af8.lock');
  await expect(pair).toContainText('nannyml-poetry-94c3e242.lock');
  await expect(pair).toContainText(/poetry\.lock, paired by same kind and file name/);
  await pair.getByTestId('pair-diff').click();

  // ---- Semantic summary: numpy major upgrade, critical, on top ----
  const diff = page.getByTestId('diff-view');
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const rows = diff.getByTestId('change-row');
  const first = rows.first();
  await expect(first).toContainText('numpy 1.24.4 → 2.0.2');
  await expect(first).toHaveAttribute('data-severity', 'critical');
  await expect(first.getByTestId('change-severity')).toHaveText(/Critical/);
  await expect(first).toContainText('Packaging');
  const total = await rows.count();
  expect(total).toBeGreaterThan(10);

  // Filter to critical only.
  await diff.getByTestId('sev-chip-warning').click();
  await diff.getByTestId('sev-chip-info').click();
  await expect(diff.getByTestId('sev-chip-warning')).toHaveAttribute('aria-pressed', 'false');
  await expect(diff.getByTestId('sev-chip-critical')).toContainText('Critical');
  const critical = await diff.getByTestId('sev-chip-critical').locator('.sev-chip-count').innerText();
  await expect(rows).toHaveCount(Number(critical));
  expect(Number(critical)).toBeGreaterThanOrEqual(2); // numpy and pandas at least
  for (const sev of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')))) expect(sev).toBe('critical');

  // Click the change: Monaco's diff editor reveals and highlights its line.
  const monaco = diff.getByTestId('monaco-diff');
  await expect(monaco).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await first.getByTestId('change-jump').click();
  await expect(first).toHaveClass(/active/);
  await expect(monaco).toHaveAttribute('data-revealed-line', /^\d+$/);
  await expect(monaco.locator('.monaco-diff-editor')).toBeVisible();
  const highlighted = monaco.locator('.editor.modified .pmw-reveal-line');
  await expect(highlighted).toBeVisible();
  await expect(monaco.locator('.editor.modified .view-line', { hasText: 'name = "numpy"' })).toBeVisible();
  // Monaco's lazy chunk and worker came from our own origin.
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(loaded.some((s) => /\/assets\/setup-.*\.js$/.test(s))).toBe(true);
  expect(loaded.filter((s) => !s.startsWith(host.origin) && !s.startsWith('data:') && !s.startsWith('blob:'))).toEqual([]);

  // Inline layout works too.
  await diff.getByTestId('diff-layout-inline').click();
  await expect(diff.getByTestId('diff-layout-inline')).toHaveAttribute('aria-pressed', 'true');
  await diff.getByTestId('diff-layout-side').click();

  // → Timeline: evidence with the diff's line.
  await first.getByTestId('change-timeline').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Added to the timeline' })).toBeVisible();
  const evidence = page.getByTestId('timeline-events').locator('[data-kind="evidence"]');
  await expect(evidence).toHaveCount(1);
  await expect(evidence.getByTestId('event-body')).toHaveText(
    '[diff nannyml-poetry-e8623af8.lock → nannyml-poetry-94c3e242.lock] numpy 1.24.4 → 2.0.2 — major upgrade of a numeric library (critical, packaging)',
  );
  // Saved once: the button says so and opens the entry; a second save is not offered.
  await expect(first.getByTestId('change-timeline')).toHaveText('Timeline: saved ✓ — open');

  // Save as finding: a draft with the change as evidence.
  await first.getByTestId('change-finding').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Finding draft saved: numpy 1.24.4 → 2.0.2' })).toBeVisible();
  const findings = await host.call<{ title: string; failureClass: string; genKind: string; params: unknown; status: string; evidence: { artifactIds: number[]; changes: { subject: string }[] } }[]>('finding:list', { key });
  expect(findings.body.data).toHaveLength(1);
  const f = findings.body.data![0];
  expect(f.title).toBe('numpy 1.24.4 → 2.0.2 — major upgrade of a numeric library');
  expect(f.failureClass).toBe('packaging');
  // The server gives a finding made from a change the generator that pins the last-known-good value.
  expect(f.genKind).toBe('dependency.version');
  expect(f.params).toEqual({ packages: [{ name: 'numpy', version: '1.24.4' }] });
  expect(f.status).toBe('draft');
  expect(f.evidence.artifactIds).toHaveLength(2);
  expect(f.evidence.changes[0].subject).toBe('numpy');

  // ---- The vLLM manifests: image pinned by digest → mutable tag (warning) ----
  await page.getByTestId('file-input-last-known-good').setInputFiles(VLLM_LKG);
  await page.getByTestId('file-input-failing').setInputFiles(VLLM_FAILING);
  const vllmPair = page.getByTestId('pair-row').filter({ hasText: 'vllm-deployment-929f82b7.yaml' });
  await expect(vllmPair).toContainText('vllm-deployment-a0ed769c.yaml');
  await expect(vllmPair).toContainText('Kubernetes'); // labelled as a manifest, not generic YAML
  await vllmPair.getByTestId('pair-diff').click();
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(diff.getByTestId('diff-title')).toContainText('vllm-deployment-a0ed769c.yaml');
  const tagRow = diff.getByTestId('change-row').filter({ hasText: 'image pinned by digest replaced by mutable tag v0.11.0' });
  await expect(tagRow).toHaveAttribute('data-severity', 'warning');
  await expect(tagRow.getByTestId('change-severity')).toHaveText(/Warning/);
  await expect(diff.getByTestId('change-row').filter({ hasText: '--max-num-seqs=64 added' })).toBeVisible();
  await expect(diff.getByTestId('change-row').filter({ hasText: 'LD_LIBRARY_PATH' })).toBeVisible();

  // ---- Drag and drop: the column under the pointer highlights and sets the role ----
  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['OMP_NUM_THREADS=8\nCUDA_VISIBLE_DEVICES=0,1\n'], 'worker-env.txt', { type: 'text/plain' }));
    return dt;
  });
  const otherCol = page.getByTestId('artifact-column-other');
  await otherCol.dispatchEvent('dragenter', { dataTransfer: dropped });
  await otherCol.locator('.artifact-col-hint').dispatchEvent('dragover', { dataTransfer: dropped });
  await expect(otherCol).toHaveClass(/drop-over/);
  await expect(lkgCol).toHaveClass(/drop-ready/);
  await otherCol.locator('.artifact-col-hint').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(otherCol.getByTestId('artifact-item')).toHaveAttribute('data-kind', 'env');
  await expect(otherCol).not.toHaveClass(/drop-over/);

  // ---- Paste two texts that differ only in a comment: "no semantic change" ----
  await page.getByTestId('paste-button').click();
  let dialog = page.getByTestId('paste-dialog');
  await dialog.getByTestId('paste-text').fill('replicas: 2 # two pods\nimage: registry.local/model:1.4.0\n');
  await dialog.getByTestId('paste-name').fill('serving-values.yaml');
  await dialog.getByTestId('paste-role-last-known-good').check();
  await dialog.getByTestId('paste-submit').click();
  await expect(dialog).toBeHidden();
  await expect(lkgCol.getByTestId('artifact-item').filter({ hasText: 'serving-values.yaml' })).toHaveAttribute('data-kind', 'yaml');

  // The second one with Ctrl+V while the panel has focus: the dialog opens prefilled.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  const failingText = 'replicas: 2 # two pods, as before\nimage: registry.local/model:1.4.0\n';
  await page.evaluate((t) => navigator.clipboard.writeText(t), failingText);
  await failCol.click({ position: { x: 20, y: 50 } });
  await page.keyboard.press('Control+V');
  dialog = page.getByTestId('paste-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('paste-text')).toHaveValue(failingText);
  await expect(dialog.getByTestId('paste-role-failing')).toBeChecked();
  await dialog.getByTestId('paste-name').fill('serving-values.yaml');
  await page.keyboard.press('Control+Enter');
  await expect(dialog).toBeHidden();
  const pastedPair = page.getByTestId('pair-row').filter({ hasText: 'serving-values.yaml' });
  await expect(pastedPair).toContainText(/YAML, paired by same kind and file name/);
  await pastedPair.getByTestId('pair-diff').click();
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(diff.getByTestId('no-semantic-change')).toContainText('No semantic change');
  await expect(diff.locator('[data-testid="change-row"]:is([data-severity="warning"], [data-severity="critical"])')).toHaveCount(0);

  // ---- A malformed YAML: stored, shown as text, the problem names line and column ----
  await page.getByTestId('file-input-failing').setInputFiles({
    name: 'broken-values.yaml',
    mimeType: 'application/x-yaml',
    buffer: Buffer.from('replicas: 2\nimage: [registry.local/model:1.4.0\nport: 8080\n'),
  });
  const broken = failCol.getByTestId('artifact-item').filter({ hasText: 'broken-values.yaml' });
  await expect(broken).toHaveAttribute('data-kind', 'yaml');
  // Not paired automatically (every LKG YAML already has its partner): compare any two.
  const lkgId = await lkgCol.getByTestId('artifact-item').filter({ hasText: 'serving-values.yaml' }).getAttribute('data-id');
  const brokenId = await broken.getAttribute('data-id');
  await page.getByTestId('compare-before').selectOption(lkgId!);
  await page.getByTestId('compare-after').selectOption(brokenId!);
  await page.getByTestId('compare-diff').click();
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(diff.getByTestId('diff-title')).toContainText('broken-values.yaml');
  const problem = diff.getByTestId('diff-problem');
  await expect(problem.first()).toContainText('broken-values.yaml');
  await expect(problem.first()).toContainText(/line \d+, column \d+/);
  await expect(problem.first()).toContainText(/YAML/);
  await expect(monaco).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(monaco.locator('.editor.modified .view-line', { hasText: 'image: [registry.local/model:1.4.0' })).toBeVisible();
  // Still stored after all that, with its bytes.
  const list = await host.call<{ name: string }[]>('artifact:list', { key });
  expect(list.body.data!.map((a) => a.name)).toContain('broken-values.yaml');

  // ---- Remove with Undo ----
  await broken.getByTestId('artifact-remove').click();
  await expect(failCol.getByTestId('artifact-item').filter({ hasText: 'broken-values.yaml' })).toHaveCount(0);
  await page.getByTestId('toast').filter({ hasText: 'Removed broken-values.yaml' }).getByRole('button', { name: 'Undo' }).click();
  await expect(failCol.getByTestId('artifact-item').filter({ hasText: 'broken-values.yaml' })).toHaveCount(1);

  // ---- Override a kind; the detected one stays visible ----
  const vllmItem = lkgCol.getByTestId('artifact-item').filter({ hasText: 'vllm-deployment-929f82b7.yaml' });
  await vllmItem.getByTestId('artifact-kind').selectOption('text');
  await expect(vllmItem).toHaveAttribute('data-kind', 'text');
  await expect(vllmItem.getByTestId('artifact-detected')).toHaveText('detected: Kubernetes');
  await vllmItem.getByTestId('artifact-kind').selectOption('kubernetes');
  await expect(vllmItem.getByTestId('artifact-detected')).toHaveCount(0);

  // ---- A label pairs artifacts and survives a reload ----
  await vllmItem.getByTestId('artifact-label').fill('serving manifest');
  await vllmItem.getByTestId('artifact-label').press('Enter');
  await page.reload();
  await expect(page.getByTestId('artifact-column-last-known-good').getByTestId('artifact-item').filter({ hasText: 'vllm-deployment-929f82b7.yaml' }).getByTestId('artifact-label')).toHaveValue('serving manifest');

  const { csp, errors } = await watch.problems();
  expect(csp, csp.join('\n')).toEqual([]);
  // Monaco and its workers ran without a single console error (no worker fallback, no blocked eval).
  expect(errors, errors.join('\n')).toEqual([]);
});

test('a slow diff shows its progress and can be cancelled; nothing breaks', async ({ page }) => {
  test.setTimeout(180_000);
  // Every diff job takes at least 6 s here (PMW_WORKER_MIN_MS), so progress and cancel are seen
  // however fast the machine is; the samples are still real datasets whose distributions differ.
  const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-slow-'));
  const prev = process.env.PMW_WORKER_MIN_MS;
  process.env.PMW_WORKER_MIN_MS = '6000';
  const started = await startHost(join(dir, 'e2e.db')).finally(() => {
    if (prev === undefined) delete process.env.PMW_WORKER_MIN_MS;
    else process.env.PMW_WORKER_MIN_MS = prev;
  });
  try {
    const host = started.handle;
    const watch = await watchConsole(page);
    const key = await openInvestigating(page, host, 'Scoring drift after the feature backfill');
    const sample = (shift: number) => {
      const rows = ['id,age,income,score,city,segment,clicks,ratio'];
      for (let i = 0; i < 200_000; i++) {
        rows.push(`${i},${20 + ((i * 7) % 50) + shift},${(i * 7919) % 100_000},${((i * 31) % 1000) / 1000 + shift / 10},${'abcd'[i % 4]},${'xy'[i % 2]},${(i * 13) % 97},${((i * 17) % 100) / 100}`);
      }
      return rows.join('\n');
    };
    await seedUpload(host, key, 'last-known-good', 'reference.csv', sample(0));
    await seedUpload(host, key, 'failing', 'current.csv', sample(3));
    await page.reload();

    const diffRequest = page.waitForRequest((r) => r.url().includes('/api/artifact:diff'));
    await page.getByTestId('pair-row').getByTestId('pair-diff').click();
    const jobId = ((await diffRequest).postDataJSON() as { jobId?: string }).jobId;
    expect(jobId).toBeTruthy();
    const diff = page.getByTestId('diff-view');
    // Stage text and elapsed time, then Cancel.
    await expect(diff.getByTestId('diff-progress')).toContainText(/Diffing….*\d+\.\d s/);
    await expect(diff).toHaveAttribute('data-job-id', jobId!);
    await diff.getByTestId('diff-cancel').click();
    await expect(diff.getByTestId('diff-cancelled')).toContainText('Cancelled');
    await expect(diff).toHaveAttribute('data-state', 'cancelled');
    // The host really stopped the job (job:cancel), it did not just get ignored by the page.
    await expect.poll(async () => (await host.call<{ state: string }>('job:progress', { jobId })).body.data?.state, { timeout: 15_000 }).toBe('cancelled');

    // The app still answers and the same diff can run to the end.
    const info = await host.call('incident:get', { key });
    expect(info.body.ok).toBe(true);
    await diff.getByRole('button', { name: 'Run again' }).click();
    await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(diff.getByTestId('change-row').first()).toBeVisible();
    expect((await watch.problems()).csp).toEqual([]);
  } finally {
    await started.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an upload over the size limit is refused, clearly, by file name', async ({ page }) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-limit-'));
  const prev = process.env.PMW_MAX_ARTIFACT_BYTES;
  process.env.PMW_MAX_ARTIFACT_BYTES = String(1024 * 1024);
  const started = await startHost(join(dir, 'e2e.db')).finally(() => {
    if (prev === undefined) delete process.env.PMW_MAX_ARTIFACT_BYTES;
    else process.env.PMW_MAX_ARTIFACT_BYTES = prev;
  });
  try {
    const host = started.handle;
    await openInvestigating(page, host, 'Huge parquet dump');
    await page.getByTestId('file-input-other').setInputFiles([
      { name: 'huge-sample.csv', mimeType: 'text/csv', buffer: Buffer.alloc(3 * 1024 * 1024, 'a,b,c\n') },
      { name: 'small.env', mimeType: 'text/plain', buffer: Buffer.from('OMP_NUM_THREADS=4\n') },
    ]);
    const refusal = page.getByTestId('upload-row').filter({ hasText: 'huge-sample.csv' });
    await expect(refusal).toHaveAttribute('data-state', 'error');
    await expect(refusal.getByTestId('upload-error')).toContainText(/Refused — too large/);
    await expect(refusal.getByTestId('upload-error')).toContainText(/huge-sample\.csv/);
    await expect(page.getByTestId('toast').filter({ hasText: 'Refused huge-sample.csv' })).toBeVisible();
    // The other file of the same drop still made it.
    await expect(page.getByTestId('artifact-column-other').getByTestId('artifact-item')).toHaveCount(1);
    await expect(page.getByTestId('artifact-column-other').getByTestId('artifact-item')).toHaveAttribute('data-kind', 'env');
  } finally {
    await started.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the first bundle has no Monaco in it', async ({ built }) => {
  void built;
  const html = readFileSync(join(ROOT, 'dist', 'renderer', 'index.html'), 'utf8');
  const entry = /src="\.\/assets\/(index-[^"]+\.js)"/.exec(html)?.[1];
  expect(entry).toBeTruthy();
  const js = readFileSync(join(ROOT, 'dist', 'renderer', 'assets', entry!), 'utf8');
  // Only the lazy import's file name points at it; none of Monaco's code (its CSS classes, codicons) is inside.
  // (The app names Monaco's root class in a selector — keys.ts treats typing in an editor as typing.)
  expect(js).not.toContain('editor.action.');
  expect(js).not.toContain('monaco-diff-editor');
  expect(js).not.toContain('codicon');
  expect(js).toMatch(/import\(`\.\/setup-[\w-]+\.js`\)|import\("\.\/setup-[\w-]+\.js"\)/);
});
