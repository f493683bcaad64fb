// Secrets in the UI (issue 8), in Chromium against the web host: an env dump pair with credentials is
// diffed; the change list and Monaco's text view show masked values (AKIA…[masked], the URL's host
// kept), the reveal is refused outside the desktop app; a secret typed into the postmortem makes the
// export dialog refuse with file, line and rule, and a reasoned override exports it and is logged.
// Screens are captured in light and dark to .tmp/screens/.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, ROOT, test, type WebHostHandle } from './fixtures';

const SCREENS = join(ROOT, '.tmp', 'screens');
const rnd = (n: number, abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') => Array.from(randomBytes(n), (b) => abc[b % abc.length]).join('');
const part = (...p: string[]) => p.join('');

function env(keyId: string, password: string, token: string): string {
  return [
    `AWS_ACCESS_KEY_ID=${keyId}`,
    `FEATURE_STORE_URL=postgres://svc:${password}@db.internal:5432/features`,
    `GITHUB_TOKEN=${token}`,
    'OMP_NUM_THREADS=8',
    'MODEL_VERSION=2026-11-21',
    '',
  ].join('\n');
}

function upload(host: WebHostHandle, key: string, role: string, name: string, body: string): Promise<void> {
  const q = new URLSearchParams({ role, name });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: host.port, path: `/upload/${key}?${q}`, method: 'PUT', agent: false, headers: { 'x-pmw-token': host.token, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => ((JSON.parse(text) as { ok: boolean }).ok ? resolve() : reject(new Error(text))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function shoot(page: Page, name: string, target: ReturnType<Page['getByTestId']>) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await target.screenshot({ path: join(SCREENS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('masked text view, reveal refused on the web host, export refused on a secret and exported with a logged override', async ({ page, host }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-secrets-'));
  try {
    const lkg = { keyId: part('AK', 'IA') + rnd(16), password: rnd(12, 'abcdefghjk23456789'), token: part('gh', 'p_') + rnd(36, 'abcdefghijkLMNOPQRS0123456789') };
    const bad = { keyId: part('AK', 'IA') + rnd(16), password: rnd(12, 'abcdefghjk23456789'), token: lkg.token };
    const secrets = [lkg.keyId, lkg.password, lkg.token, bad.keyId, bad.password];

    const created = await host.call<{ key: string }>('incident:create', { title: 'Ranker cannot reach the feature store', severity: 'SEV2', failureClass: 'deployment', service: 'ranker' });
    const key = created.body.data!.key;
    for (let i = 0; i < 2; i++) expect((await host.call('incident:advance', { key, reason: 'e2e: straight to investigate' })).body.ok).toBe(true);
    await upload(host, key, 'last-known-good', 'ranker-lkg.env', env(lkg.keyId, lkg.password, lkg.token));
    await upload(host, key, 'failing', 'ranker-failing.env', env(bad.keyId, bad.password, bad.token));

    await openApp(page, host);
    await page.goto(`${host.origin}/#/incidents/${key}`);
    await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'investigate');
    await page.getByTestId('pair-row').getByTestId('pair-diff').click();
    const diff = page.getByTestId('diff-view');
    await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 30_000 });

    // The change list: secrets masked, their change told by fingerprints, the host kept.
    const keyRow = diff.getByTestId('change-row').filter({ hasText: 'AWS_ACCESS_KEY_ID' });
    await expect(keyRow).toContainText(/env var AWS_ACCESS_KEY_ID changed: AKIA…\[masked\] \(secret masked; fingerprint [0-9a-f]{8} → [0-9a-f]{8}\)/);
    await expect(diff.getByTestId('change-row').filter({ hasText: 'FEATURE_STORE_URL' })).toContainText('postgres://svc:••••@db.internal:5432/features');

    // The text view: masked values, a count, and no reveal on the web host.
    const monaco = diff.getByTestId('monaco-diff');
    await expect(monaco).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await expect(monaco.locator('.editor.original .view-line', { hasText: 'FEATURE_STORE_URL=postgres://svc:••••@db.internal:5432/features' })).toBeVisible();
    await expect(monaco.locator('.editor.modified .view-line', { hasText: 'AWS_ACCESS_KEY_ID=AKIA…[masked]' })).toBeVisible();
    const control = diff.getByTestId('secrets-control');
    await expect(control).toHaveAttribute('data-state', 'masked');
    await expect(control.getByTestId('secrets-masked')).toHaveText(/6 secret values masked/);
    await expect(control.getByTestId('secrets-reveal')).toBeDisabled();
    await expect(control.getByTestId('secrets-reveal')).toHaveAttribute('title', 'Unmasked values are shown only in the desktop app');
    const refused = await host.call('artifact:reveal', { key, id: 1 });
    expect(refused.status).toBe(404);
    expect(refused.body.error?.message).toMatch(/only in the desktop app/);
    await shoot(page, 'secrets-diff', diff);
    for (const s of secrets) expect(await page.content()).not.toContain(s);

    // A secret typed into the postmortem: the export is refused with file, line and rule.
    const doc = await host.call<{ content: string }>('doc:get', { key, kind: 'postmortem' });
    const lines = doc.body.data!.content.split('\n');
    lines.splice(3, 0, `Replay fixture key: ${bad.keyId}`);
    expect((await host.call('doc:save', { key, kind: 'postmortem', content: lines.join('\n') })).body.ok).toBe(true);
    const repo = join(dir, 'ml-platform');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    for (const [k, v] of [['user.name', 'E2E'], ['user.email', 'e2e@example.invalid'], ['commit.gpgsign', 'false']]) execFileSync('git', ['-C', repo, 'config', k, v]);
    writeFileSync(join(repo, 'README.md'), '# ml-platform\n');
    execFileSync('git', ['-C', repo, 'add', 'README.md']);
    execFileSync('git', ['-C', repo, 'commit', '-q', '-m', 'init']);

    await page.reload();
    // Findings and documents (and their export) live in the work pane's "Findings & docs" tab.
    await page.getByTestId('work-tab-findings').click();
    const ws = page.getByTestId('postmortem-workspace');
    await ws.getByTestId('open-export').click();
    const exp = page.getByTestId('export-dialog');
    await exp.getByTestId('export-repo').fill(repo);
    await exp.getByTestId('export-preview').click();
    await expect(exp.locator('[data-testid="export-refusal"][data-code="SECRET_DETECTED"]')).toBeVisible();
    const hit = exp.getByTestId('export-secret-hit').filter({ hasText: 'aws-access-key-id' });
    await expect(hit).toHaveCount(1);
    await expect(hit).toHaveAttribute('data-file', /^postmortems\/INC-0001-.+\.md$/);
    await expect(hit).toHaveAttribute('data-line', '4');
    await expect(exp.getByTestId('export-run')).toBeDisabled();
    await shoot(page, 'secrets-export-refused', exp);

    await hit.getByTestId('export-secret-override').check();
    await hit.getByTestId('export-secret-reason').fill('replay-test fixture, not a live key');
    await expect(exp.getByRole('note').filter({ hasText: 'Overriding writes the value in clear' })).toBeVisible();
    await shoot(page, 'secrets-export-override', exp);
    await exp.getByTestId('export-secret-apply').click();
    await expect(exp.getByTestId('export-secrets-allowed')).toBeVisible();
    await expect(exp.locator('[data-testid="export-refusal"][data-code="SECRET_DETECTED"]')).toHaveCount(0);
    await exp.getByTestId('export-run').click();
    await expect(exp.getByTestId('export-done')).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.reload();
    await expect(page.getByTestId('timeline-event').filter({ hasText: 'Secret scan overridden' })).toContainText('replay-test fixture, not a live key');

    // Bundles are masked unless the user asks, with a warning.
    await page.getByTestId('work-tab-findings').click();
    const bundle = page.getByTestId('postmortem-workspace').locator('.pm-bundle');
    await expect(bundle.getByTestId('bundle-export')).toHaveText('Export bundle');
    await bundle.getByTestId('bundle-include-secrets').check();
    await expect(bundle.getByTestId('bundle-secrets-warning')).toContainText('every secret in clear');
    await expect(bundle.getByTestId('bundle-export')).toHaveText('Export bundle with secrets');
    await shoot(page, 'secrets-bundle-option', bundle.locator('..'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
