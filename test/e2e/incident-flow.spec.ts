// The walking skeleton end to end in Chromium against the web host: create the fraud incident,
// walk all six phases (checklists, keyboard notes, gate fields, one early pass with a reason),
// reload, and check that everything persisted. Plus: a validation error appears beside the field.
import type { Locator, Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures';

const TITLE = 'Fraud model accuracy dropped from 95% to 78%';

/** Leave whatever field has focus, so single-key shortcuts reach the page. */
async function blur(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

async function currentPhase(page: Page) {
  return page.getByTestId('incident-page').getAttribute('data-phase');
}

/** Fill an inline field and save it (Enter for one line, Ctrl+Enter for multi-line). */
async function saveField(input: Locator, value: string, multiline = false) {
  await input.fill(value);
  await input.press(multiline ? 'Control+Enter' : 'Enter');
}

async function checkFirstItems(page: Page, n: number) {
  const boxes = page.getByTestId('checklist').locator('input[type="checkbox"]');
  for (let i = 0; i < n; i++) {
    await boxes.nth(i).check();
    await expect(boxes.nth(i)).toBeChecked();
  }
}

/** Press T (outside any field) to focus the quick-add, optionally switch kind with Alt+key, type, Ctrl+Enter. */
async function addNote(page: Page, text: string, kindKey?: string) {
  await blur(page);
  await page.keyboard.press('t');
  const input = page.getByTestId('quick-add-input');
  await expect(input).toBeFocused();
  if (kindKey) await page.keyboard.press(`Alt+${kindKey}`);
  await page.keyboard.type(text);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('timeline-events').getByText(text, { exact: true })).toBeVisible();
  await expect(input).toHaveValue('');
}

async function advance(page: Page, to: string | null) {
  await page.getByTestId('advance-button').click();
  if (to) await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', to);
  else {
    // Closing is final: it always asks first.
    const confirm = page.getByTestId('early-pass-dialog');
    await expect(confirm.getByTestId('close-warning')).toContainText('read-only');
    await confirm.getByTestId('early-confirm').click();
    await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'closed');
  }
}

test('a validation error appears beside the field and nothing is created', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  // The token was taken out of the address bar.
  expect(page.url()).not.toContain('token=');

  await page.keyboard.press('n');
  const dialog = page.getByTestId('new-incident-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await page.keyboard.press('Enter');

  const err = dialog.getByTestId('field-title-error');
  await expect(err).toBeVisible();
  await expect(err).toContainText(/title is required/i);
  await expect(dialog.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');

  // Nothing was created.
  const list = await host.call<{ items: unknown[] }>('incident:list', {});
  expect(list.body.ok).toBe(true);
  expect(list.body.data?.items).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('create the fraud incident, walk all six phases, reload: everything persisted', async ({ page, host }) => {
  test.setTimeout(180_000);
  await openApp(page, host);

  // ---- Create (keyboard: Ctrl+N, type, Enter) ----
  await page.keyboard.press('Control+n');
  const dialog = page.getByTestId('new-incident-dialog');
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await page.keyboard.type(TITLE);
  await dialog.getByRole('radio', { name: /SEV2/ }).check();
  await dialog.getByRole('radio', { name: /^Data/ }).check();
  await dialog.getByLabel('Service / affected system').fill('fraud-scoring-api');
  await dialog.getByLabel('Service / affected system').press('Enter');

  await expect(page).toHaveURL(/#\/incidents\/INC-0001$/);
  await expect(page.getByTestId('incident-title')).toHaveText(TITLE);
  await expect(page.getByTestId('severity-badge').first()).toContainText('SEV2');
  await expect(page.getByTestId('class-badge').first()).toHaveText('Data');
  expect(await currentPhase(page)).toBe('acknowledge');
  await expect(page.getByTestId('phase-timer')).toBeVisible();
  await expect(page.getByTestId('wrong-action')).toBeVisible();
  await expect(page.getByTestId('first-checks').locator('code').first()).toBeVisible();

  // ---- Acknowledge: impact, checklist, a note; pass the gate early (no commander yet) ----
  await saveField(page.getByTestId('gate-impact-input'), 'Fraud catch rate down 17 points; chargebacks rising', true);
  await expect(page.getByTestId('criterion-impact')).toHaveAttribute('data-met', 'true');
  await expect(page.getByTestId('criterion-owner')).toHaveAttribute('data-met', 'false');
  await checkFirstItems(page, 2);
  await addNote(page, 'Paged by the fraud-accuracy alert at 95% → 78%');

  await page.getByTestId('advance-button').click();
  const early = page.getByTestId('early-pass-dialog');
  await expect(early).toBeVisible();
  // A reason is required: the API's message appears beside the field.
  await early.getByTestId('early-confirm').click();
  await expect(early.getByTestId('early-reason-error')).toBeVisible();
  expect(await currentPhase(page)).toBe('acknowledge');
  const reason = 'Commander is joining in 5 minutes; impact is clear from the dashboards';
  await early.getByTestId('early-reason-input').fill(reason);
  await early.getByTestId('early-confirm').click();
  await expect(early).toBeHidden();
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'assess');
  await expect(page.getByTestId('timeline-events')).toContainText(reason);
  await expect(page.getByTestId('early-acknowledge')).toBeVisible();

  // ---- Assess: roles, checklist; severity/class/service already set ----
  await page.getByTestId('work-tab-details').click();
  await saveField(page.getByTestId('role-incident_commander-input'), 'alice');
  await saveField(page.getByTestId('role-scribe-input'), 'bob');
  await saveField(page.getByTestId('role-comms_lead-input'), 'carol');
  await expect(page.getByTestId('gate-state')).toHaveText('Exit criteria met');
  await checkFirstItems(page, 1);
  await addNote(page, 'Accuracy drop started after the Monday feature-pipeline deploy');
  await advance(page, 'investigate');

  // ---- Investigate: hypothesis + evidence (Alt+E switches the quick-add kind) ----
  await saveField(page.getByTestId('gate-hypothesis-input'), 'Upstream schema change renamed merchant_category; feature is null at serving', true);
  await expect(page.getByTestId('criterion-evidence')).toHaveAttribute('data-met', 'false');
  await addNote(page, 'null rate of merchant_category jumped from 0.2% to 41% on Monday', 'e');
  await expect(page.getByTestId('timeline-events').locator('[data-kind="evidence"]')).toHaveCount(1);
  await expect(page.getByTestId('criterion-evidence')).toHaveAttribute('data-met', 'true');
  await checkFirstItems(page, 2);
  await advance(page, 'mitigate');

  // ---- Mitigate: mitigation + verified ----
  await saveField(page.getByTestId('gate-mitigation-input'), 'Rolled the feature pipeline back to last week’s version', true);
  await page.getByTestId('verified-checkbox').check();
  await expect(page.getByTestId('criterion-verified')).toHaveAttribute('data-met', 'true');
  await checkFirstItems(page, 1);
  await advance(page, 'resolve');

  // ---- Resolve ----
  await saveField(page.getByTestId('gate-resolution-input'), 'Mapped the renamed column; added a schema contract test', true);
  await addNote(page, 'Fix deployed, accuracy back at 94.8%');
  await advance(page, 'review');

  // ---- Review: summary, lessons; close ----
  await saveField(page.getByTestId('gate-summary-input'), 'A renamed upstream column silently nulled a key fraud feature for 3 days.', true);
  await saveField(page.getByTestId('gate-lessons-input'), 'Went well: rollback was fast. Went wrong: no schema check. Action: schema contract test (owner alice).', true);
  await checkFirstItems(page, 1);
  await advance(page, null);
  await expect(page.getByTestId('closed-banner')).toBeVisible();

  // ---- Reload: everything is still there ----
  await page.reload();
  await expect(page.getByTestId('incident-page')).toHaveAttribute('data-phase', 'closed');
  await expect(page.getByTestId('incident-title')).toHaveText(TITLE);
  for (const p of ['acknowledge', 'assess', 'investigate', 'mitigate', 'resolve', 'review']) {
    await expect(page.getByTestId(`step-${p}`)).toHaveAttribute('data-status', 'done');
  }
  await expect(page.getByTestId('early-acknowledge')).toBeVisible();
  const events = page.getByTestId('timeline-events');
  for (const text of [
    'Paged by the fraud-accuracy alert at 95% → 78%',
    'Accuracy drop started after the Monday feature-pipeline deploy',
    'null rate of merchant_category jumped from 0.2% to 41% on Monday',
    'Fix deployed, accuracy back at 94.8%',
  ]) {
    await expect(events.getByText(text, { exact: true })).toBeVisible();
  }
  await expect(events).toContainText(reason);

  // Checklists: per phase, the items checked above.
  // Plus the items the record answers (commander named, impact written, severity chosen, mitigation verified).
  const expected: Record<string, number> = { acknowledge: 3, assess: 2, investigate: 2, mitigate: 2, review: 1 };
  for (const [phase, n] of Object.entries(expected)) {
    await page.getByTestId(`checklist-tab-${phase}`).click();
    await expect(page.getByTestId('checklist')).toHaveAttribute('data-phase', phase);
    await expect(page.getByTestId('checklist').locator('input[type="checkbox"]:checked')).toHaveCount(n);
  }

  // Roles (closed incidents show them read-only).
  await expect(page.getByTestId('role-incident_commander')).toContainText('alice');
  await expect(page.getByTestId('role-scribe')).toContainText('bob');
  await expect(page.getByTestId('role-comms_lead')).toContainText('carol');

  // Metrics and the filled templates.
  await expect(page.getByTestId('metric-ttr')).not.toContainText('—');
  await page.getByTestId('work-tab-comms').click();
  await page.getByTestId('template-tab-initial').click();
  await expect(page.getByTestId('template-initial')).toContainText(`INCIDENT: ${TITLE}`);
  await expect(page.getByTestId('template-initial')).toContainText('SEVERITY: High');
  await page.getByTestId('template-tab-resolution').click();
  await expect(page.getByTestId('template-resolution')).toContainText('ROOT CAUSE: Upstream schema change renamed merchant_category');

  // Back to the list with g i: the incident is there, closed.
  await blur(page);
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page).toHaveURL(/#\/$/);
  const row = page.getByTestId('incident-row').filter({ hasText: TITLE });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Closed');

  // And the database agrees.
  const got = await host.call<{ phase: string; timeline: unknown[]; roles: Record<string, string> }>('incident:get', { key: 'INC-0001' });
  expect(got.body.data?.phase).toBe('closed');
  expect(got.body.data?.roles.incident_commander).toBe('alice');
});

test('timeline: back-fill a time (capture time stays visible), delete with Undo', async ({ page, host }) => {
  const created = await host.call<{ key: string }>('incident:create', { title: 'Serving pods OOMKilled', severity: 'SEV3', failureClass: 'serving' });
  expect(created.body.ok).toBe(true);
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/incidents/INC-0001`);
  await expect(page.getByTestId('incident-title')).toHaveText('Serving pods OOMKilled');

  await addNote(page, 'kubectl top pods shows 3.9Gi of 4Gi', 'e');
  const ev = page.getByTestId('timeline-event').filter({ hasText: 'kubectl top pods shows 3.9Gi of 4Gi' });
  await ev.getByTestId('event-edit').click();
  const when = ev.getByTestId('event-edit-time');
  const v = await when.inputValue();
  const d = new Date(v);
  d.setMinutes(d.getMinutes() - 30);
  const pad = (n: number) => String(n).padStart(2, '0');
  await when.fill(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`);
  await ev.getByTestId('event-edit-save').click();
  await expect(ev.getByTestId('event-captured')).toContainText(/captured \d\d:\d\d, edited/);

  await ev.getByTestId('event-delete').click();
  await expect(page.getByTestId('timeline-event').filter({ hasText: 'kubectl top pods' })).toHaveCount(0);
  const toast = page.getByTestId('toast').filter({ hasText: 'deleted' });
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('timeline-event').filter({ hasText: 'kubectl top pods' })).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('timeline-event').filter({ hasText: 'kubectl top pods' }).getByTestId('event-captured')).toContainText('edited');
});

test('list: filter, sort, drill badge, live timer; shortcut sheet', async ({ page, host }) => {
  await host.call('incident:create', { title: 'Fraud model accuracy dropped', severity: 'SEV2', failureClass: 'data', service: 'fraud-scoring-api' });
  await host.call('incident:create', { title: 'Endpoint returns 400 after API change', severity: 'SEV1', failureClass: 'deployment' });
  await host.call('incident:create', { title: 'Drill: churn model stale', severity: 'SEV4', failureClass: 'training', isDrill: true });
  await openApp(page, host);
  const rows = page.getByTestId('incident-row');
  // Drills stay out of the real-incident list until asked for.
  await expect(rows).toHaveCount(2);
  await page.getByLabel('Show drills').check();
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'Drill: churn model stale' }).getByTestId('drill-badge')).toBeVisible();
  await expect(rows.first().getByTestId('row-timer')).toBeVisible();

  await page.getByTestId('filter-sort').selectOption('severity');
  await expect(rows.first()).toContainText('Endpoint returns 400');
  await page.getByTestId('filter-class').selectOption('data');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('filter-class').selectOption('');
  await blur(page);
  await page.keyboard.press('/');
  await expect(page.getByTestId('filter-query')).toBeFocused();
  await page.keyboard.type('churn');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('filter-query').fill('nothing-matches-this');
  await expect(page.getByTestId('no-match')).toBeVisible();
  await page.getByTestId('filter-query').fill('');

  await blur(page);
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-sheet')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcut-sheet')).toBeHidden();
});
