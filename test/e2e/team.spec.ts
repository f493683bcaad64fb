// Team sync from the UI (issue 15): the Settings page joins a bare repository, the status bar shows the
// sync state, a same-field conflict made by a teammate (another database, through the CLI) is shown with
// both values and settled with "Keep mine", and leaving asks first.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openApp, ROOT, test } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-team-'));
writeFileSync(join(dir, 'gitconfig'), '[user]\n\tname = Erin Oncall\n\temail = erin@example.com\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n');
// The web host the fixture starts inherits this: the user's git config, here a temp one.
process.env.GIT_CONFIG_GLOBAL = join(dir, 'gitconfig');
process.env.GIT_CONFIG_NOSYSTEM = '1';
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pmw = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'bin', 'pmw.cjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

test('join from Settings, see the sync state, settle a conflict, leave with a confirmation', async ({ page, host }) => {
  const remote = join(dir, `team-${Date.now()}.git`);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  await host.call('incident:create', { title: 'Ranking model serves stale scores', severity: 'SEV2', failureClass: 'serving' });
  await openApp(page, host);
  await page.getByTestId('nav-team').click();
  await expect(page.getByTestId('team-page')).toBeVisible();
  await expect(page.getByTestId('team-remote')).toBeFocused();
  await page.getByTestId('team-remote').fill(remote);
  await page.getByTestId('team-remote').press('Enter');
  await expect(page.getByTestId('team-facts')).toContainText('member 001');
  await expect(page.getByTestId('team-status')).toContainText('synced');
  await expect(page.getByTestId('team-no-conflicts')).toBeVisible();

  // A teammate on another machine joins and changes the impact; so do we, before syncing.
  const other = join(dir, `other-${Date.now()}.db`);
  pmw('team', 'join', remote, '--db', other, '--name', 'Sam Teammate');
  pmw('incident', 'set', 'INC-0010001', '--impact', 'theirs: 3% of rankings stale', '--db', other);
  pmw('team', 'sync', '--db', other);
  await host.call('incident:update', { key: 'INC-0010001', patch: { impact: 'mine: EU rankings stale for 1 h' } });
  await page.getByTestId('team-sync').click();
  const conflict = page.getByTestId('team-conflict');
  await expect(conflict).toContainText('incident.impact');
  await expect(conflict).toContainText('mine: EU rankings stale for 1 h');
  await expect(conflict).toContainText('theirs: 3% of rankings stale');
  await expect(page.getByTestId('team-status')).toContainText('1 conflict');
  await conflict.getByTestId('take-mine').click();
  await expect(page.getByTestId('team-no-conflicts')).toBeVisible();
  await page.getByTestId('team-sync').click();
  await expect(page.getByTestId('team-last')).toContainText('pushed');
  pmw('team', 'sync', '--db', other);
  expect(JSON.parse(pmw('incident', 'show', 'INC-0010001', '--json', '--db', other)).impact).toBe('mine: EU rankings stale for 1 h');

  // Leaving asks first (the confirm button takes the focus); then the join form is back.
  await page.getByTestId('team-leave').click();
  await expect(page.getByTestId('team-leave-confirm')).toBeFocused();
  await page.getByTestId('team-leave-confirm').click();
  await expect(page.getByTestId('team-remote')).toBeVisible();
});
