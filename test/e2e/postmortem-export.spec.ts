// Findings → tests, runbook and postmortem → export to git, end to end in Chromium against the web host
// (issue 4, item 8): an incident with the Titanic last-known-good and failing samples, the diff, a finding
// saved from the "column Survived removed" change (made test-generating) plus one from Suggest, marked
// root cause; Generate shows the pytest module with its PMW_DATASET docstring; the postmortem edited in
// Monaco survives a reload; an action item added from the keyboard; Export previews every file, commits
// on postmortem/INC-0001-… in a temporary git repository (checked with git itself), refuses the same
// branch again and offers the free name; the bundle goes out and comes back in through the UI, and a
// malformed bundle is refused with the server's message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, ROOT, test } from './fixtures';

const DATA = join(ROOT, 'test', 'fixtures', 'real', 'data');
const LKG = join(DATA, 'titanic_reference.csv');
const FAILING = join(DATA, 'titanic_analysis.csv');
const TITLE = 'Titanic survival model accuracy dropped';
const SENTENCE = 'The upstream export job stopped writing the Survived column on Nov 20.';

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' } });
}

/** A fresh repository with one commit and a local identity (no global config needed). */
function makeRepo(dir: string): string {
  const repo = join(dir, 'ml-platform');
  execFileSync('git', ['init', '-q', repo]);
  git(repo, 'config', 'user.name', 'E2E Responder');
  git(repo, 'config', 'user.email', 'e2e@example.invalid');
  git(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'README.md'), '# ml-platform\n');
  git(repo, 'add', 'README.md');
  git(repo, 'commit', '-q', '-m', 'initial commit');
  return repo;
}

async function typeInMonaco(page: Page, testid: string, text: string) {
  const editor = page.getByTestId(testid);
  await expect(editor).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

test('diff → findings → generate → postmortem (autosaved) → export to a temporary git repo; bundle round trip', async ({ page, host }) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'pmw-e2e-export-'));
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    const repo = makeRepo(dir);
    await openApp(page, host);

    // ---- Create the incident from the keyboard ----
    await page.keyboard.press('Control+n');
    const dialog = page.getByTestId('new-incident-dialog');
    await expect(dialog.getByLabel('Title')).toBeFocused();
    await page.keyboard.type(TITLE);
    await dialog.getByRole('radio', { name: /SEV2/ }).check();
    await dialog.getByRole('radio', { name: /^Data/ }).check();
    await dialog.getByTestId('create-incident').click();
    await expect(page).toHaveURL(/#\/incidents\/INC-0001$/);
    const key = 'INC-0001';
    // Straight to investigate (the phase flow is another spec's subject).
    for (let i = 0; i < 2; i++) expect((await host.call('incident:advance', { key, reason: 'e2e: straight to investigate' })).body.ok).toBe(true);
    await page.reload();
    await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'investigate');

    // The work pane's tabs: findings and documents in one, artifacts and diffs in another.
    await page.getByTestId('work-tab-findings').click();
    const ws = page.getByTestId('postmortem-workspace');
    await expect(ws).toBeVisible();
    await expect(ws.getByTestId('findings-empty')).toBeVisible();
    await page.getByTestId('work-tab-artifacts').click();

    // ---- Two dataset artifacts through the panel's file inputs, then the diff ----
    await page.getByTestId('file-input-last-known-good').setInputFiles(LKG);
    await page.getByTestId('file-input-failing').setInputFiles(FAILING);
    const pair = page.getByTestId('pair-row');
    await expect(pair).toHaveCount(1);
    await expect(pair).toContainText('titanic_reference.csv');
    await pair.getByTestId('pair-diff').click();
    const diff = page.getByTestId('diff-view');
    await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    const removed = diff.getByTestId('change-row').filter({ hasText: 'column Survived removed' });
    await expect(removed).toHaveAttribute('data-severity', 'critical');

    // ---- Save the change as a finding; it shows up in the findings list ----
    await removed.getByTestId('change-finding').click();
    const saved = page.getByTestId('toast').filter({ hasText: 'Finding draft saved: column Survived removed' });
    await expect(saved).toBeVisible();
    // The change now says it is saved; the toast's Open shows the finding in its tab.
    await expect(removed.getByTestId('change-finding')).toHaveText(/saved ✓ — open/);
    await saved.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByTestId('work-pane')).toHaveAttribute('data-tab', 'findings');
    const findings = ws.getByTestId('finding');
    await expect(findings).toHaveCount(1, { timeout: 15_000 });
    const survived = ws.locator('[data-testid="finding"][data-title="column Survived removed"]');
    await expect(survived).toHaveCount(1);
    // The diff stored the change kind; one click turns it into the column-set test.
    const gen = survived.getByTestId('finding-gen');
    if ((await gen.getAttribute('data-gen-kind')) !== 'dataset.columns') {
      await survived.getByTestId('finding-convert').click();
      await expect(ws.getByTestId('finding').first().getByTestId('finding-gen')).toHaveAttribute('data-gen-kind', 'dataset.columns');
    }
    await expect(ws.getByTestId('finding')).toHaveCount(1);

    // ---- Suggest from the diffs: pick one proposal (the Embarked drift; its test reruns the chi-square) ----
    await ws.getByTestId('suggest-findings').click();
    const suggestions = ws.getByTestId('suggestions');
    await expect(suggestions.getByTestId('suggestion').first()).toBeVisible({ timeout: 30_000 });
    await expect(suggestions.getByTestId('suggestion').filter({ hasText: 'column Survived removed' })).toHaveCount(0); // already a finding
    await suggestions.getByTestId('suggest-all-check').uncheck();
    // one null in 418 rows is not a significant null-rate change (z-test), so it is not proposed
    await expect(suggestions.getByTestId('suggestion').filter({ hasText: 'null rate of Fare' })).toHaveCount(0);
    await suggestions.getByTestId('suggestion').filter({ hasText: 'distribution drift in Embarked' }).getByRole('checkbox').check();
    await expect(suggestions.getByTestId('suggest-accept-selected')).toHaveText('Add selected (1)');
    await suggestions.getByTestId('suggest-accept-selected').click();
    await expect(ws.getByTestId('finding')).toHaveCount(2);
    const embarked = ws.locator('[data-testid="finding"][data-title^="distribution drift in Embarked"]');
    await expect(embarked.getByTestId('finding-gen')).toHaveAttribute('data-gen-kind', 'dataset.drift');

    // ---- Mark the removed column as root cause: one click ----
    const root = ws.locator('[data-testid="finding"][data-title="column Survived removed"]');
    await root.getByTestId('mark-root-cause').click();
    await expect(root).toHaveAttribute('data-role', 'root_cause');
    await expect(root.getByTestId('finding-role-badge')).toHaveText('Root cause');
    // Edit in place: a description, saved on blur.
    await root.getByTestId('finding-description').fill('The failing sample has no label column at all.');
    await root.getByTestId('finding-title').click();
    await expect.poll(async () => ((await host.call<{ id: number; description: string }[]>('finding:list', { key })).body.data ?? []).map((f) => f.description)).toContain(
      'The failing sample has no label column at all.',
    );

    // ---- Generate: the pytest module with its env-var docstring, the runbook, the postmortem ----
    await ws.getByTestId('pm-tab-generate').click();
    await ws.getByTestId('generate-button').click();
    await expect(ws.getByTestId('generate-panel')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    const tests = ws.getByTestId('gen-group-test').getByTestId('gen-file');
    await expect(tests).toHaveCount(1);
    await expect(tests.first()).toHaveAttribute('data-path', /^tests\/regression\/test_.*\.py$/);
    await tests.first().click();
    await expect(ws.getByTestId('gen-env-vars')).toContainText('PMW_DATASET');
    const genEditor = ws.getByTestId('gen-editor');
    await expect(genEditor).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await expect(genEditor.locator('.view-line', { hasText: 'PMW_DATASET' }).first()).toBeVisible();
    await expect(ws.getByTestId('gen-group-runbook').getByTestId('gen-file')).toHaveAttribute('data-path', /^runbooks\/INC-0001-.*\.md$/);
    await expect(ws.getByTestId('gen-group-postmortem').getByTestId('gen-file')).toHaveAttribute('data-path', /^postmortems\/INC-0001-.*\.md$/);

    // ---- The postmortem: type in Monaco, it saves, a reload keeps it ----
    await ws.getByTestId('pm-tab-postmortem').click();
    const preview = ws.getByTestId('doc-preview');
    await expect(preview.locator('h1')).toContainText(`Postmortem: ${TITLE}`);
    await expect(preview).toContainText('column Survived removed');
    await typeInMonaco(page, 'doc-monaco', SENTENCE);
    await expect(preview).toContainText(SENTENCE);
    await expect(ws.getByTestId('doc-save-state')).toHaveAttribute('data-status', 'saved', { timeout: 10_000 });
    await page.reload();
    await expect(page.getByTestId('postmortem-workspace').getByTestId('doc-preview')).toContainText(SENTENCE, { timeout: 20_000 });
    // A second sentence, then leave the tab at once: unmounting saves it too.
    await typeInMonaco(page, 'doc-monaco', 'Detection took two days.');
    await ws.getByTestId('pm-tab-findings').click();
    await ws.getByTestId('pm-tab-postmortem').click();
    await expect(ws.getByTestId('doc-preview')).toContainText('Detection took two days.');

    // ---- An action item from the keyboard (Enter in the new row adds it) ----
    await ws.getByTestId('action-new-title').fill('Schema check on the upstream export (column set)');
    await ws.getByTestId('action-new-owner').fill('data-platform');
    await ws.getByTestId('action-new-status').press('Enter');
    await expect(ws.getByTestId('action-row')).toHaveCount(1);
    await expect(ws.getByTestId('action-row').first().getByTestId('action-title')).toHaveValue('Schema check on the upstream export (column set)');
    await expect(ws.getByTestId('action-new-title')).toBeFocused();
    await ws.getByTestId('action-new-title').fill('Alert on a missing label column');
    await ws.getByTestId('action-new-title').press('Enter');
    await expect(ws.getByTestId('action-row').nth(1)).toHaveAttribute('data-unowned', 'true');
    await expect(ws.getByTestId('unowned-count')).toContainText('1 without an owner');

    // ---- Export to the temporary repository ----
    await ws.getByTestId('open-export').click();
    const exp = page.getByTestId('export-dialog');
    await expect(exp.getByTestId('export-repo')).toBeFocused();
    await exp.getByTestId('export-repo').fill(repo);
    await expect(exp.getByTestId('export-run')).toBeDisabled();
    await exp.getByTestId('export-preview').click();
    const files = exp.getByTestId('export-file');
    await expect(files).toHaveCount(3);
    for (const status of await files.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(status).toBe('new');
    await expect(exp.getByTestId('export-branch')).toHaveValue(/^postmortem\/INC-0001-titanic-survival-model-accuracy-dropped$/);
    await expect(exp.getByTestId('export-runbooksDir')).toHaveValue('runbooks');
    await expect(exp.getByTestId('export-testsDir')).toHaveValue('tests/regression');
    await expect(exp.getByTestId('export-postmortemsDir')).toHaveValue('postmortems');
    await files.filter({ hasText: 'postmortems/' }).click();
    await expect(exp.getByTestId('export-new-file')).toBeVisible();
    await expect(exp.getByTestId('export-refusals')).toHaveCount(0);
    await exp.getByTestId('export-run').click();
    await expect(exp.getByTestId('export-done')).toBeVisible({ timeout: 30_000 });
    const branch = (await exp.getByTestId('export-done-branch').innerText()).trim();
    const sha = (await exp.getByTestId('export-done-sha').innerText()).trim();
    expect(branch).toMatch(/^postmortem\/INC-0001-/);
    expect(sha).toMatch(/^[0-9a-f]{7,}$/);
    await expect(exp.getByTestId('export-history-row')).toHaveCount(1);

    // With git itself: the commit on the branch, the files in the three folders.
    const log = git(repo, 'log', '--all', '--oneline');
    expect(log).toContain(sha.slice(0, 7));
    const names = git(repo, 'show', branch, '--name-only', '--format=%H %s').trim().split('\n');
    expect(names[0]).toMatch(new RegExp(`^${sha}[0-9a-f]* .*INC-0001`));
    const paths = names.slice(1).filter(Boolean);
    expect(paths.some((p) => /^runbooks\/INC-0001-.*\.md$/.test(p))).toBe(true);
    expect(paths.some((p) => /^tests\/regression\/test_.*\.py$/.test(p))).toBe(true);
    expect(paths.some((p) => /^postmortems\/INC-0001-.*\.md$/.test(p))).toBe(true);
    expect(git(repo, 'show', `${branch}:${paths.find((p) => p.startsWith('postmortems/'))}`)).toContain(SENTENCE);
    expect(git(repo, 'status', '--porcelain')).toBe(''); // the working tree was left alone

    // The same branch again: refused by name, the free one offered in one click.
    await exp.getByTestId('export-preview').click();
    await expect(exp.locator('[data-testid="export-refusal"][data-code="BRANCH_EXISTS"]')).toBeVisible();
    await expect(exp.getByTestId('export-run')).toBeDisabled();
    await exp.getByTestId('export-use-suggested').click();
    await expect(exp.getByTestId('export-branch')).toHaveValue(`${branch}-2`);
    await expect(exp.locator('[data-testid="export-refusal"][data-code="BRANCH_EXISTS"]')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(exp).toBeHidden();

    // ---- Bundle: export through the UI … ----
    const [download] = await Promise.all([page.waitForEvent('download'), ws.getByTestId('bundle-export').click()]);
    expect(download.suggestedFilename()).toBe('inc-INC-0001.json');
    const bundlePath = join(dir, 'inc-INC-0001.json');
    await download.saveAs(bundlePath);
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
    expect(bundle.format).toBe('postmortem-workbench/incident-bundle');
    expect(bundle.incident.key).toBe('INC-0001');
    expect(bundle.findings).toHaveLength(2);
    expect(bundle.actionItems).toHaveLength(2);

    // … a malformed one is refused with the server's message and changes nothing …
    await page.goto(`${host.origin}/#/`);
    await expect(page.getByTestId('incident-row')).toHaveCount(1);
    await page.getByTestId('bundle-import-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'postmortem-workbench/incident-bundle', version: 99 })) });
    await expect(page.getByTestId('bundle-import-error')).toContainText(/newer version/i);
    await page.getByTestId('bundle-import-input').setInputFiles({ name: 'notjson.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') });
    await expect(page.getByTestId('bundle-import-error')).toContainText('not valid JSON');
    await expect(page.getByTestId('incident-row')).toHaveCount(1);

    // … and the real one comes back as a new incident with its findings, postmortem and action items.
    await page.getByTestId('bundle-import-input').setInputFiles(bundlePath);
    await expect(page).toHaveURL(/#\/incidents\/INC-0002$/);
    await expect(page.getByTestId('incident-title')).toHaveText(TITLE);
    await page.getByTestId('work-tab-findings').click();
    const ws2 = page.getByTestId('postmortem-workspace');
    await ws2.getByTestId('pm-tab-findings').click();
    await expect(ws2.getByTestId('finding')).toHaveCount(2);
    await expect(ws2.locator('[data-testid="finding"][data-title="column Survived removed"]')).toHaveAttribute('data-role', 'root_cause');
    await ws2.getByTestId('pm-tab-postmortem').click();
    await expect(ws2.getByTestId('doc-preview')).toContainText(SENTENCE);
    await expect(ws2.getByTestId('action-row')).toHaveCount(2);

    expect(pageErrors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
