// The store seen from the UI: two tabs editing one incident (the stale one is refused, reloads and says
// so), and the Backups dialog (empty state, back up now, restore with a confirmation).
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures';

async function openIncident(page: Page, origin: string, key: string) {
  await page.goto(`${origin}/#/incidents/${key}`);
  await expect(page.getByTestId('incident-page')).toBeVisible();
}

test('two tabs: a change made from a stale view is not saved; that tab reloads and says why', async ({ page, context, host }) => {
  await host.call('incident:create', { title: 'Recommendations empty for new users', severity: 'SEV2', failureClass: 'serving' });
  const a = page;
  await openApp(a, host);
  await openIncident(a, host.origin, 'INC-0001');
  const b = await context.newPage();
  await openApp(b, host);
  await openIncident(b, host.origin, 'INC-0001');

  // Tab B saves the impact first.
  const impactB = b.getByTestId('gate-impact-input');
  await impactB.fill('New users see an empty shelf (tab B)');
  await impactB.press('Control+Enter');
  await expect.poll(async () => (await host.call<{ impact: string }>('incident:get', { key: 'INC-0001' })).body.data?.impact).toBe('New users see an empty shelf (tab B)');

  // Tab A still shows the old version (impact empty, its criterion open) and saves over it:
  // refused, reloaded (the criterion is met now: B's impact is there), told; A's text stays in the field.
  await expect(a.getByTestId('criterion-impact')).toHaveAttribute('data-met', 'false');
  const impactA = a.getByTestId('gate-impact-input');
  await impactA.fill('Overwrite from tab A');
  await impactA.press('Control+Enter');
  await expect(a.getByTestId('toast').filter({ hasText: 'was changed elsewhere meanwhile, so your change was not saved' })).toBeVisible();
  await expect(a.getByTestId('toast').filter({ hasText: 'changed elsewhere' }), 'said once').toHaveCount(1);
  await expect(a.getByTestId('criterion-impact')).toHaveAttribute('data-met', 'true');
  await expect(a.getByTestId('gate-impact')).toContainText('was changed elsewhere after this change was prepared');
  await expect(impactA).toHaveValue('Overwrite from tab A');
  expect((await host.call<{ impact: string }>('incident:get', { key: 'INC-0001' })).body.data?.impact).toBe('New users see an empty shelf (tab B)');

  // Now up to date, tab A's next change goes through.
  await impactA.fill('Empty shelf for new users since 09:40');
  await impactA.press('Control+Enter');
  await expect.poll(async () => (await host.call<{ impact: string }>('incident:get', { key: 'INC-0001' })).body.data?.impact).toBe('Empty shelf for new users since 09:40');

  // Closed elsewhere (pmw, another window) while tab A still shows it open: a note is refused, the tab
  // shows the closed, read-only record and says why.
  for (let i = 0; i < 6; i++) expect((await host.call('incident:advance', { key: 'INC-0001', reason: 'e2e: closed elsewhere' })).body.ok).toBe(true);
  await a.getByTestId('quick-add-input').fill('late note from tab A');
  await a.getByTestId('quick-add-input').press('Control+Enter');
  await expect(a.getByTestId('toast').filter({ hasText: 'is closed and read-only, so your change was not saved' })).toBeVisible();
  await expect(a.getByTestId('closed-banner')).toBeVisible();
  const timeline = (await host.call<{ timeline: { body: string }[] }>('incident:get', { key: 'INC-0001' })).body.data!.timeline;
  expect(timeline.map((e) => e.body)).not.toContain('late note from tab A');
});

test('Backups: empty at first, back up now, restore one after a confirmation', async ({ page, host }) => {
  await host.call('incident:create', { title: 'Kept by the backup', severity: 'SEV3', failureClass: 'data' });
  await openApp(page, host);
  await page.keyboard.press('g');
  await page.keyboard.press('b');
  const dialog = page.getByTestId('backups-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('backups-empty')).toBeVisible();
  await dialog.getByTestId('backup-now').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Backed up' })).toBeVisible();
  await expect(dialog.getByTestId('backup-row')).toHaveCount(1);
  await expect(dialog.getByTestId('backup-row').first()).toHaveAttribute('data-kind', 'manual');
  await dialog.press('Escape');
  await expect(dialog).toBeHidden();

  // Something happens after the backup …
  await host.call('incident:create', { title: 'Made after the backup', severity: 'SEV3', failureClass: 'data' });
  await page.reload();
  await expect(page.getByText('Made after the backup')).toBeVisible();

  // … and the backup is restored from the shortcut sheet's Backups button.
  await page.keyboard.press('?');
  await page.getByTestId('open-backups').click();
  await dialog.getByTestId('backup-restore').first().click();
  const confirm = dialog.getByTestId('restore-confirm');
  await expect(confirm).toContainText('The current database is kept');
  await expect(dialog.getByTestId('restore-confirm-button')).toBeFocused();
  await dialog.getByTestId('restore-confirm-button').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Restored the backup' })).toContainText('(1 incident). The database it replaced is kept as a backup.');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Kept by the backup')).toBeVisible();
  await expect(page.getByText('Made after the backup')).toBeHidden();
  // The database it replaced is listed as a backup of its own.
  await page.keyboard.press('g');
  await page.keyboard.press('b');
  await expect(dialog.locator('[data-testid="backup-row"][data-kind="pre-restore"]')).toHaveCount(1);
});
