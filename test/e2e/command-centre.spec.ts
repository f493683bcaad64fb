// Issue 11 in Chromium against the web host: the incident page fits the window, stray keys create
// nothing, a reload keeps drafts and never duplicates, a closed incident is read-only until reopened,
// an unverified mitigation is called unverified everywhere, and the main screens pass axe.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openApp, ROOT, test, type WebHostHandle } from './fixtures';

const DATA = join(ROOT, '..', '..', 'shared', 'realdata', 'data');
const realData = (f: string) => {
  for (const dir of [DATA, '/work/shared/realdata/data']) {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      /* next */
    }
  }
  throw new Error(`real data file ${f} not found (shared/realdata beside the checkout)`);
};

async function seed(host: WebHostHandle, title = 'Fraud model accuracy dropped from 95% to 78%') {
  const r = await host.call<{ key: string }>('incident:create', { title, severity: 'SEV2', failureClass: 'data', service: 'fraud-scoring-api', impact: 'catch rate down 17 points' });
  expect(r.body.ok).toBe(true);
  return r.body.data!.key;
}

async function open(page: Page, host: WebHostHandle, key: string) {
  await openApp(page, host);
  await page.goto(`${host.origin}/#/incidents/${key}`);
  await expect(page.getByTestId('incident-page')).toBeVisible();
}

/** Leave whatever field has focus, so keys reach the page. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

/** The element's top edge is inside the viewport with the page not scrolled. */
async function onScreen(page: Page, testid: string) {
  const box = await page.getByTestId(testid).first().boundingBox();
  const vh = page.viewportSize()!.height;
  expect(box, `${testid} is rendered`).not.toBeNull();
  expect(box!.y, `${testid} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect(box!.y + Math.min(box!.height, 24), `${testid} is on screen at ${page.viewportSize()!.width}×${vh}`).toBeLessThanOrEqual(vh);
}

async function axe(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  console.log(`axe ${what}: ${r.violations.length} violations, ${bad.length} serious/critical${summary.length ? `\n  ${summary.join('\n  ')}` : ''}`);
  expect(summary, `axe on the ${what} screen`).toEqual([]);
}

test('the essentials fit the window at 1440×900 (and stay usable at 1024×700), in every phase', async ({ page, host }) => {
  const key = await seed(host);
  await host.call('timeline:add', { key, kind: 'note', body: 'paged at 03:12' });
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await open(page, host, key);
    const essentials = ['incident-header', 'phase-timer', 'advance-button', 'quick-add-input', 'timeline', 'gate-panel', 'checklist', 'wrong-action'];
    // At 1440×900 everything, the work tabs included; at 1024×700 the first checks and the work pane are a scroll away.
    if (w === 1440) essentials.push('first-checks', 'work-tab-artifacts', 'work-tab-findings', 'work-tab-comms');
    for (const id of essentials) await onScreen(page, id);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`incident page height at ${w}×${h}: ${height} px`);
    if (w === 1440) expect(height).toBeLessThanOrEqual(900);
    else expect(height).toBeLessThanOrEqual(1800);
  }
  // Panels keep their place between phases: the same panes, at the same spots (an early pass flag included).
  await page.setViewportSize({ width: 1440, height: 900 });
  const where = async () =>
    page.evaluate(() =>
      ['timeline', 'gate-panel', 'wrong-action', 'work-pane'].map((id) => {
        const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
        return [id, Math.round(r.x), Math.round(r.y)];
      }),
    );
  const before = await where();
  await host.call('incident:advance', { key, reason: 'e2e' });
  await page.reload();
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'assess');
  expect(await where()).toEqual(before);
});

test('stray typing creates nothing; creating needs a deliberate severity and class; the palette jumps', async ({ page, host }) => {
  const key = await seed(host);
  await openApp(page, host);
  await blur(page);
  // "note about the rollback" typed with nothing focused: N opens the form, the rest lands in the title,
  // and neither Enter nor Ctrl+Enter can create anything without a chosen severity and class.
  await page.keyboard.type('note about the rollback');
  const dialog = page.getByTestId('new-incident-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Title')).toHaveValue('ote about the rollback');
  await page.keyboard.press('Control+Enter');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('radio', { checked: true })).toHaveCount(0);
  await expect(dialog).toContainText('choose a severity');
  await expect(dialog).toContainText('choose a failure class');
  expect((await host.call<{ items: unknown[] }>('incident:list', { includeDrills: true })).body.data?.items).toHaveLength(1);
  // Esc throws the stray draft away: the next form starts empty.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByTestId('new-incident-button').click();
  await expect(dialog.getByLabel('Title')).toHaveValue('');
  await page.keyboard.press('Escape');

  // On the incident page too: typing with nothing focused adds nothing to the timeline.
  await open(page, host, key);
  const events = await page.getByTestId('timeline-event').count();
  await blur(page);
  await page.keyboard.type('rollback done');
  await page.keyboard.press('Escape');
  await blur(page);
  await page.keyboard.press('Control+Enter');
  expect((await host.call<{ items: unknown[] }>('incident:list', { includeDrills: true })).body.data?.items).toHaveLength(1);
  expect((await host.call<{ timeline: unknown[] }>('incident:get', { key })).body.data!.timeline).toHaveLength(events);

  // Ctrl+K: jump to another incident by typing part of its title.
  const other = await seed(host, 'Serving pods OOMKilled');
  await blur(page);
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await expect(palette.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.type('oomkilled');
  await expect(palette.getByTestId('palette-item').first()).toContainText(`${other} · Serving pods OOMKilled`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/incidents/${other}$`));
});

test('a reload keeps drafts, the open diff and the scroll position, and saving a change twice makes one record', async ({ page, host }) => {
  test.setTimeout(120_000);
  const key = await seed(host, 'Titanic survival model accuracy dropped');
  for (let i = 0; i < 2; i++) await host.call('incident:advance', { key, reason: 'e2e: straight to investigate' });
  await host.call('artifact:addText', { key, role: 'last-known-good', name: 'titanic_reference.csv', text: realData('titanic_reference.csv') });
  await host.call('artifact:addText', { key, role: 'failing', name: 'titanic_analysis.csv', text: realData('titanic_analysis.csv') });
  await open(page, host, key);

  // Drafts: the quick-add text and a gate field's unsaved edit.
  await page.getByTestId('quick-add-input').fill('half-written note about the label column');
  await page.getByTestId('gate-hypothesis-input').fill('the analysis sample has no Survived label');

  // The dataset diff: a table of columns, changed ones first, not a wall of lines.
  await page.getByTestId('pair-diff').click();
  const diff = page.getByTestId('diff-view');
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const table = diff.getByTestId('dataset-table');
  await expect(table).toBeVisible();
  await expect(table.getByTestId('dataset-column').first()).toHaveAttribute('data-changed', 'true');
  await expect(table.locator('[data-column="Survived"]')).toContainText('column Survived removed');
  await expect(table.locator('[data-column="PassengerId"]')).toContainText('ID-like');
  await expect(diff.getByTestId('monaco-diff')).toHaveCount(0);

  const removed = diff.getByTestId('change-row').filter({ hasText: 'column Survived removed' });
  await removed.getByTestId('change-finding').click();
  await expect(removed.getByTestId('change-finding')).toHaveText('Finding: saved ✓ — open');
  await removed.getByTestId('change-timeline').click();
  await expect(removed.getByTestId('change-timeline')).toHaveText('Timeline: saved ✓ — open');
  // Scroll the work pane to the table, then reload.
  await page.getByTestId('dataset-table').scrollIntoViewIfNeeded();
  const scrolled = await page.locator('[data-scroll="work"]').evaluate((el) => el.scrollTop);
  expect(scrolled).toBeGreaterThan(100);
  await page.waitForTimeout(300);
  await page.reload();

  await expect(page.getByTestId('quick-add-input')).toHaveValue('half-written note about the label column');
  await expect(page.getByTestId('gate-hypothesis-input')).toHaveValue('the analysis sample has no Survived label');
  const again = page.getByTestId('diff-view');
  await expect(again).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const row = again.getByTestId('change-row').filter({ hasText: 'column Survived removed' });
  await expect(row.getByTestId('change-finding')).toHaveText('Finding: saved ✓ — open');
  await expect(row.getByTestId('change-timeline')).toHaveText('Timeline: saved ✓ — open');
  await expect.poll(() => page.locator('[data-scroll="work"]').evaluate((el) => el.scrollTop)).toBeGreaterThan(scrolled - 40);

  // The same change through the API (another window, a double click): still one record of each.
  const list = async () => (await host.call<{ sourceKey: string | null }[]>('finding:list', { key })).body.data!;
  const [f] = await list();
  await host.call('finding:create', { key, title: 'column Survived removed', failureClass: 'data', sourceKey: f.sourceKey });
  expect(await list()).toHaveLength(1);
  const timeline = (await host.call<{ timeline: { kind: string }[] }>('incident:get', { key })).body.data!.timeline;
  expect(timeline.filter((e) => e.kind === 'evidence')).toHaveLength(1);

  // "open" shows the finding in its tab.
  await row.getByTestId('change-finding').click();
  await expect(page.getByTestId('work-pane')).toHaveAttribute('data-tab', 'findings');
  await expect(page.locator('[data-testid="finding"][data-title="column Survived removed"]')).toBeVisible();
});

test('a closed incident is read-only until reopened; an unverified mitigation is called unverified everywhere', async ({ page, host }) => {
  test.setTimeout(120_000);
  const key = await seed(host);
  await host.call('incident:setRole', { key, role: 'incident_commander', person: 'alice' });
  await host.call('incident:setRole', { key, role: 'comms_lead', person: 'carol' });
  await host.call('incident:update', { key, patch: { startedAt: new Date(Date.now() - 20 * 60_000).toISOString(), hypothesis: 'schema change upstream' } });
  for (const reason of [undefined, undefined, 'e2e: evidence later']) expect((await host.call('incident:advance', { key, ...(reason ? { reason } : {}) })).body.ok).toBe(true);
  // Mitigate passed early: no rollback, not verified.
  expect((await host.call('incident:advance', { key, reason: 'no rollback possible yet' })).body.ok).toBe(true);
  await open(page, host, key);
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'resolve');

  // Header, stepper, comms, metrics and the postmortem all say it.
  await expect(page.getByTestId('honesty-flag')).toContainText('no mitigation recorded');
  await expect(page.getByTestId('early-mitigate')).toContainText('not verified');
  await page.getByTestId('work-tab-comms').click();
  await page.getByTestId('template-tab-status').click();
  const status = page.getByTestId('template-status');
  await expect(status).toContainText('STATUS: Not mitigated: no mitigation recorded — mitigate gate passed early: no rollback possible yet');
  await expect(status).toContainText('GATES PASSED EARLY:');
  await expect(status).toContainText('from @carol (comms lead)');
  await expect(status).not.toContainText('Mitigated;');
  // Copying logs a comms entry and restarts the countdown.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  await page.getByTestId('copy-status').click();
  await expect(page.getByTestId('timeline-events').locator('[data-kind="comms"]')).toHaveCount(1);
  await expect(page.getByTestId('cadence-chip')).toContainText(/Next update in 1[45]:/);
  await page.getByTestId('work-tab-details').click();
  await expect(page.getByTestId('metric-ttm')).toHaveAttribute('data-unverified', 'true');
  await expect(page.getByTestId('metric-ttm')).toContainText('unverified');
  await expect(page.getByTestId('maturity-tier')).toContainText('not stated');
  await expect(page.getByTestId('maturity-tier')).not.toContainText('World-class');
  await page.getByTestId('work-tab-findings').click();
  await page.getByTestId('pm-tab-postmortem').click();
  const preview = page.getByTestId('doc-preview');
  await expect(preview).toContainText('The mitigate gate was passed early');
  await expect(preview).toContainText('no rollback possible yet');
  await expect(preview).not.toContainText('World-class');
  await axe(page, 'postmortem');
  // The timeline beside it holds an editable comms entry (Edit / Delete): legible in the dark theme too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await axe(page, 'postmortem (dark)');
  await page.emulateMedia({ colorScheme: 'light' });

  // Close it (review → closed asks first), then nothing can be added until it is reopened.
  await host.call('incident:advance', { key, reason: 'e2e' });
  await page.reload();
  await page.getByTestId('advance-button').click();
  const confirm = page.getByTestId('early-pass-dialog');
  await confirm.getByTestId('early-reason-input').fill('review held, actions owned');
  await confirm.getByTestId('early-confirm').click();
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'closed');
  await expect(page.getByTestId('closed-banner')).toContainText('read-only');
  await expect(page.getByTestId('quick-add-input')).toHaveCount(0);
  await expect(page.getByTestId('checklist').locator('input[type="checkbox"]:not([disabled])')).toHaveCount(0);
  await page.getByTestId('work-tab-artifacts').click();
  await expect(page.getByTestId('paste-button')).toHaveCount(0);
  const refused = await host.call('timeline:add', { key, kind: 'note', body: 'late note' });
  expect(refused.status).toBe(409);
  expect(refused.body.error?.message).toMatch(/closed/);
  // The list says it too.
  await page.goto(`${host.origin}/#/`);
  await expect(page.getByTestId('incident-row').first().getByTestId('row-unverified')).toBeVisible();
  await expect(page.getByTestId('incident-row').first().getByTestId('row-early')).toContainText('Mitigate');
  await axe(page, 'incident list');

  await page.goto(`${host.origin}/#/incidents/${key}`);
  await page.getByTestId('reopen-button').click();
  const reopen = page.getByTestId('reopen-dialog');
  await reopen.getByTestId('reopen-confirm').click();
  await expect(reopen).toContainText(/reason is required/i);
  await reopen.getByTestId('reopen-reason-input').fill('the customer says it is back');
  await reopen.getByTestId('reopen-confirm').click();
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'review');
  await expect(page.getByTestId('timeline-events')).toContainText('Incident reopened (back to Review). Reason: the customer says it is back');
  await expect(page.getByTestId('quick-add-input')).toBeVisible();
});

test('axe: no serious or critical violations on the incident, diff, drill and debrief screens (light and dark)', async ({ page, host }) => {
  test.setTimeout(150_000);
  const key = await seed(host);
  for (let i = 0; i < 2; i++) await host.call('incident:advance', { key, reason: 'e2e' });
  await host.call('artifact:addText', { key, role: 'last-known-good', name: 'requirements-good.txt', text: 'numpy==1.24.4\npandas==1.5.3\ncertifi==2023.7.22\n' });
  await host.call('artifact:addText', { key, role: 'failing', name: 'requirements-bad.txt', text: 'numpy==2.0.2\npandas==2.2.3\ncertifi==2024.2.2\n' });
  await open(page, host, key);
  await axe(page, 'incident');
  await page.getByTestId('pair-diff').click();
  const diff = page.getByTestId('diff-view');
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // A calendar-versioned package moving a year is not shouted at.
  const certifi = diff.getByTestId('change-row').filter({ hasText: 'certifi' });
  await expect(certifi).toHaveAttribute('data-severity', 'info');
  await expect(certifi.getByTestId('change-quiet')).toContainText('calendar version');
  await expect(diff.getByTestId('change-row').filter({ hasText: 'numpy' })).toHaveAttribute('data-severity', 'critical');
  await expect(diff.getByTestId('monaco-diff')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await axe(page, 'diff');
  await page.emulateMedia({ colorScheme: 'dark' });
  await axe(page, 'diff (dark)');
  await page.emulateMedia({ colorScheme: 'light' });

  // A root-cause finding that points at another class: the page offers to follow it, and the warning does.
  await diff.getByTestId('change-row').filter({ hasText: 'numpy' }).getByTestId('change-finding').click();
  // The click saves through the UI: wait for the finding to exist before changing it.
  await expect.poll(async () => (await host.call<{ id: number }[]>('finding:list', { key })).body.data?.length ?? 0).toBeGreaterThan(0);
  const [numpyFinding] = (await host.call<{ id: number }[]>('finding:list', { key })).body.data!;
  await host.call('finding:update', { key, id: numpyFinding.id, patch: { role: 'root_cause' } });
  await page.reload();
  const offer = page.getByTestId('class-offer');
  await expect(offer).toContainText('class Packaging');
  await expect(page.getByTestId('wrong-action')).toContainText('Data');
  await offer.getByTestId('class-offer-apply').click();
  await expect(page.getByTestId('class-badge').first()).toHaveText('Packaging');
  await expect(page.getByTestId('wrong-action')).toContainText('Packaging');
  await expect(offer).toHaveCount(0);
  await page.getByTestId('work-tab-artifacts').click();

  // A long change list renders what is on screen and scrolls with the work pane (no box of its own).
  const pkgs = Array.from({ length: 400 }, (_, i) => `pkg${String(i).padStart(3, '0')}`);
  await host.call('artifact:addText', { key, role: 'last-known-good', label: 'big', name: 'big-good.txt', text: pkgs.map((p) => `${p}==1.0.0`).join('\n') });
  await host.call('artifact:addText', { key, role: 'failing', label: 'big', name: 'big-bad.txt', text: pkgs.map((p) => `${p}==2.0.0`).join('\n') });
  await page.reload();
  await page.getByTestId('pair-row').filter({ hasText: 'big-good.txt' }).getByTestId('pair-diff').click();
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const list = diff.getByTestId('changes');
  await expect(list).toHaveAttribute('data-virtual', 'true');
  await expect(list).toHaveAttribute('data-total', '400');
  expect(await diff.getByTestId('change-row').count()).toBeLessThan(100);
  expect(await list.evaluate((el) => getComputedStyle(el).overflowY)).toBe('visible');
  await page.locator('[data-scroll="work"]').evaluate((el, top) => el.scrollTo(0, top), await list.evaluate((el) => el.getBoundingClientRect().height));
  await expect(diff.getByTestId('change-row').filter({ hasText: 'pkg399' })).toBeVisible();

  const st = await host.call<{ drillId: number; key: string }>('drill:start', { scenarioId: 'canary-contamination-non-stratified', mode: 'solo', participant: 'alice' });
  const drill = st.body.data!;
  await page.goto(`${host.origin}/#/drills/${drill.drillId}`);
  await expect(page.getByTestId('drill-runner')).toBeVisible();
  await axe(page, 'drill');
  // Early passes in a drill: the Assess gate waits for the drill's own classification panel.
  await host.call('incident:advance', { key: drill.key, reason: 'drill: moving on' });
  await expect(page.getByTestId('gate-panel')).toHaveAttribute('data-phase', 'assess');
  await expect(page.getByTestId('criterion-class')).toHaveAttribute('data-met', 'false');
  await expect(page.getByTestId('gate-class-drill')).toContainText('Classify the failure');
  await page.getByTestId('drill-class-select').selectOption('deployment');
  await page.getByTestId('drill-classify-save').click();
  await expect(page.getByTestId('criterion-class')).toHaveAttribute('data-met', 'true');
  await host.call('drill:finish', { drillId: drill.drillId });
  await page.goto(`${host.origin}/#/drills/${drill.drillId}/debrief`);
  await expect(page.getByTestId('drill-debrief')).toBeVisible();
  await expect(page.getByTestId('drill-debrief')).toContainText('passed early');
  await axe(page, 'debrief');
  await page.emulateMedia({ colorScheme: 'dark' });
  await axe(page, 'debrief (dark)');
});
