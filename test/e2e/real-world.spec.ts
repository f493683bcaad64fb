// Issue 13 end to end in Chromium against the web host: two `pmw capture` files added through the UI
// expand into labelled artifacts that pair part by part; a Slack export imported through the dialog with
// its preview, and again (nothing new); runbook cells refused by a host without --allow-exec (the UI says
// so), then run on a host started with it, after a confirm that shows the exact command, with the output
// kept under the cell and an evidence entry on the timeline. Screens in light and dark.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, openApp, ROOT, startHost, test } from './fixtures';

const SCREENS = join(ROOT, '.tmp', 'screens');
const SLACK_DAY = join(ROOT, 'test', 'fixtures', 'timeline', 'slack-export', 'inc-2231-fraud-model', '2025-11-22.json');
const RUNBOOK = '# Runbook\n\n## Diagnosis\n\n```sh\nexport MODEL=v42\necho "checking $MODEL"\n```\n\n```sh\necho "still $MODEL"\n```\n';

async function shoot(page: Page, name: string, target: Locator) {
  mkdirSync(SCREENS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await target.screenshot({ path: join(SCREENS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function newIncident(host: { call: (c: string, i?: unknown) => Promise<{ body: { ok: boolean; data?: unknown } }> }): Promise<string> {
  const r = await host.call('incident:create', { title: 'Fraud model accuracy dropped after deploy 8812', severity: 'SEV2', failureClass: 'serving', detectedAt: '2025-11-22T02:55:00Z' });
  return (r.body.data as { key: string }).key;
}

test('captures pair part by part; a Slack export is imported once; runbook cells refused without --allow-exec', async ({ page, host }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-rw-'));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // Two captures of a small project: requirements and env differ.
    const proj = join(dir, 'proj');
    mkdirSync(proj);
    const cap = (out: string, numpy: string, batch: string) => {
      writeFileSync(join(proj, 'requirements.txt'), `numpy==${numpy}\npandas==2.0.3\n`);
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pmw.cjs'), 'capture', '--dir', proj, '--out', out, '--python', '/usr/bin/python3'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, BATCH_SIZE: batch } });
      expect(r.status, r.stderr).toBe(0);
    };
    cap(join(dir, 'good.pmwcap'), '1.24.4', '32');
    cap(join(dir, 'failing.pmwcap'), '2.0.2', '64');

    const key = await newIncident(host);
    await host.call('doc:save', { key, kind: 'runbook', content: RUNBOOK });
    await openApp(page, host);
    await page.goto(`${host.origin}/#/incidents/${key}`);

    // ---- Captures through the artifacts panel ----
    await page.getByTestId('work-tab-artifacts').click();
    await page.getByTestId('file-input-last-known-good').setInputFiles(join(dir, 'good.pmwcap'));
    await page.getByTestId('file-input-failing').setInputFiles(join(dir, 'failing.pmwcap'));
    await expect.poll(async () => ((await host.call('artifact:list', { key })).body.data as unknown[]).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
    const arts = (await host.call('artifact:list', { key })).body.data as { label: string; role: string }[];
    const labels = (role: string) => arts.filter((a) => a.role === role).map((a) => a.label).sort();
    expect(labels('last-known-good')).toEqual(labels('failing'));
    expect(labels('failing')).toContain('capture: environment');
    const pairs = (await host.call('artifact:pairs', { key })).body.data as { reason: string; before: { id: number }; after: { id: number } }[];
    expect(pairs.every((p) => p.reason === 'label')).toBe(true);
    let messages = '';
    for (const p of pairs) messages += ((await host.call('artifact:diff', { key, beforeId: p.before.id, afterId: p.after.id })).body.data as { changes: { message: string }[] }).changes.map((c) => c.message).join('\n') + '\n';
    expect(messages).toContain('numpy 1.24.4 → 2.0.2');
    expect(messages).toContain('BATCH_SIZE 32 → 64');

    // ---- Timeline import with a preview, then again ----
    await page.getByTestId('timeline-import-open').click();
    const dlg = page.getByTestId('timeline-import');
    await expect(dlg.getByTestId('tli-empty')).toBeVisible();
    await dlg.getByTestId('tli-file').setInputFiles(SLACK_DAY);
    await expect(dlg.getByTestId('tli-format')).toHaveValue('slack');
    await expect(dlg.getByTestId('tli-summary')).toContainText('5 new of 5 events');
    await expect(dlg.getByTestId('tli-summary')).toContainText('3 joins and leaves');
    await shoot(page, 'timeline-import-preview', dlg);
    await dlg.getByTestId('tli-import').click();
    await expect(dlg).toBeHidden();
    await expect(page.getByTestId('timeline-events')).toContainText('Rolled back fraud-model to v41');
    await page.getByTestId('timeline-import-open').click();
    await dlg.getByTestId('tli-file').setInputFiles(SLACK_DAY);
    await expect(dlg.getByTestId('tli-summary')).toContainText('0 new of 5 events · 5 already on the timeline');
    await expect(dlg.getByTestId('tli-import')).toBeDisabled();
    await page.keyboard.press('Escape');

    // ---- Runbook cells: this host was started without --allow-exec ----
    await page.getByTestId('work-tab-findings').click();
    await page.getByTestId('pm-tab-postmortem').click();
    await page.getByTestId('doc-kind-runbook').click();
    const cells = page.getByTestId('runbook-cells');
    await expect(cells.getByTestId('runbook-noexec')).toContainText('started without --allow-exec');
    await expect(cells.getByTestId('runbook-cell-run').first()).toBeDisabled();
    await shoot(page, 'runbook-cells-noexec', cells);
    const refused = await host.call('runbook:run', { key, cell: 1, command: 'export MODEL=v42\necho "checking $MODEL"' });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('--allow-exec') } });
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with --allow-exec a cell runs after a confirm that shows the exact command; the output is kept and on the timeline', async ({ page, built }) => {
  void built;
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-exec-'));
  const { handle: host, stop } = await startHost(join(dir, 'e2e.db'), ['--allow-exec']);
  try {
    const key = await newIncident(host);
    await host.call('doc:save', { key, kind: 'runbook', content: RUNBOOK });
    await openApp(page, host);
    await page.goto(`${host.origin}/#/incidents/${key}`);
    await page.getByTestId('work-tab-findings').click();
    await page.getByTestId('pm-tab-postmortem').click();
    await page.getByTestId('doc-kind-runbook').click();
    const cells = page.getByTestId('runbook-cells');
    await expect(cells).toContainText('started with --allow-exec');
    await cells.getByTestId('runbook-cell-run').first().click();
    const confirm = page.getByTestId('runbook-confirm');
    await expect(confirm.getByTestId('runbook-confirm-command')).toHaveText('export MODEL=v42\necho "checking $MODEL"');
    await expect(confirm.getByTestId('runbook-confirm-cancel')).toBeFocused();
    await shoot(page, 'runbook-confirm', confirm);
    await confirm.getByTestId('runbook-confirm-run').click();
    await expect(cells.locator('[data-cell="1"] .badge')).toHaveText('exit 0');
    await cells.getByTestId('runbook-cell-run').nth(1).click();
    await page.getByTestId('runbook-confirm').getByTestId('runbook-confirm-run').click();
    await expect(cells.locator('[data-cell="2"] .badge')).toHaveText('exit 0');
    await expect(page.getByTestId('doc-preview')).toContainText('still v42');
    await shoot(page, 'runbook-cells-ran', cells);
    const doc = (await host.call('doc:get', { key, kind: 'runbook' })).body.data as { content: string };
    expect(doc.content).toMatch(/```pmw-output exit=0 at=\S+ duration=\d+\.\ds\nchecking v42\n```/);
    await expect(page.getByTestId('timeline-events')).toContainText('Ran runbook cell 2 (Diagnosis)');
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
