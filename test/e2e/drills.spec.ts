// Drills end to end in Chromium against the web host (issue 5 §6):
//  (a) a solo drill to its debrief — start from the library, ask for two cards, diff an artifact pair,
//      classify, reorder the checks with the keyboard, take an action, mitigate, advance the phases (with a
//      reason where a gate is open), finish, and read the debrief (score, ideal vs done);
//  (b) a game-master drill in two tabs of one browser context — the responder requests a card, the game
//      master's tab shows the request, releases it, and the card's content appears on the responder's tab.
import type { Locator, Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures';

const SCENARIO = 'canary-contamination-non-stratified';

/** Fill an inline field and save it (Enter for one line, Ctrl+Enter for multi-line). */
async function saveField(input: Locator, value: string, multiline = false) {
  await input.fill(value);
  await input.press(multiline ? 'Control+Enter' : 'Enter');
}

async function advance(page: Page, to: string) {
  await page.getByTestId('advance-button').click();
  await expect(page.getByTestId('drill-runner')).toHaveAttribute('data-phase', to);
}

/** Pass an open gate with a reason (the early-pass dialog). */
async function advanceWithReason(page: Page, to: string, reason: string) {
  await page.getByTestId('advance-button').click();
  const early = page.getByTestId('early-pass-dialog');
  await expect(early).toBeVisible();
  await early.getByTestId('early-reason-input').fill(reason);
  await early.getByTestId('early-confirm').click();
  await expect(early).toBeHidden();
  await expect(page.getByTestId('drill-runner')).toHaveAttribute('data-phase', to);
}

async function startFromLibrary(page: Page, participant: string, mode: 'solo' | 'gm') {
  await page.getByTestId('nav-drills').click();
  await expect(page).toHaveURL(/#\/drills$/);
  const card = page.getByTestId(`scenario-${SCENARIO}`);
  await expect(card).toBeVisible();
  // The library never shows the failure class (it is the answer).
  await expect(card).not.toContainText(/validation/i);
  await card.getByTestId('scenario-start').click();
  const dialog = page.getByTestId('drill-start-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('drill-participant-input').fill(participant);
  await dialog.getByTestId(`drill-mode-${mode}`).check();
  await dialog.getByTestId('drill-start-confirm').click();
  await expect(page).toHaveURL(/#\/drills\/\d+$/);
  await expect(page.getByTestId('drill-runner')).toHaveAttribute('data-mode', mode);
  return Number(/#\/drills\/(\d+)$/.exec(page.url())![1]);
}

test('solo drill: ask for cards, diff, classify, order checks by keyboard, act, mitigate, finish, debrief', async ({ page, host }) => {
  test.setTimeout(180_000);
  await openApp(page, host);
  const drillId = await startFromLibrary(page, 'alice', 'solo');
  const runner = page.getByTestId('drill-runner');
  await expect(runner).toHaveAttribute('data-phase', 'acknowledge');
  await expect(page.getByTestId('drill-briefing')).toContainText('feed-ranking v7');
  await expect(page.getByTestId('phase-timer')).toBeVisible();
  await expect(page.getByTestId('phase-stepper')).toBeVisible();
  // The participant was remembered for the next drill.
  expect(await page.evaluate(() => localStorage.getItem('pmw.drill.participant'))).toBe('alice');

  // ---- Acknowledge: the participant owns the drill incident; write the impact; advance ----
  await expect(page.getByTestId('criterion-owner')).toHaveAttribute('data-met', 'true');
  await saveField(page.getByTestId('gate-impact-input'), 'Feed CTR down 4% globally, Android and non-NA users hit hardest', true);
  await expect(page.getByTestId('criterion-impact')).toHaveAttribute('data-met', 'true');
  await advance(page, 'assess');

  // ---- Ask for two cards (solo: revealed at once) ----
  const routing = page.getByTestId('evidence-card-routing-pair');
  await expect(routing).toHaveAttribute('data-status', 'hidden');
  await expect(routing).toContainText('+30 s');
  await routing.getByTestId('card-request').click();
  await expect(routing).toHaveAttribute('data-status', 'released');
  const dashboard = page.getByTestId('evidence-card-segment-dashboard');
  await dashboard.getByTestId('card-request').click();
  await expect(dashboard).toHaveAttribute('data-status', 'released');
  await expect(dashboard.getByTestId('card-content').locator('table')).toContainText('Android / other');
  // Each request is logged on the timeline with its time.
  await expect(page.getByTestId('timeline-events')).toContainText('[routing-pair]');

  // ---- Open the artifact pair's diff: semantic summary + Monaco ----
  await routing.getByTestId('card-open-diff').click();
  const diff = routing.getByTestId('diff-view');
  await expect(diff).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(diff.getByTestId('change-row').first()).toBeVisible();
  await expect(diff.locator('[data-testid="change-row"][data-severity="warning"], [data-testid="change-row"][data-severity="critical"]').first()).toBeVisible();
  await expect(diff.getByTestId('monaco-diff')).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  await diff.getByTestId('diff-close').click();
  await expect(diff).toBeHidden();

  // ---- Classify (the control sits under the gate in Assess) ----
  const classify = page.getByTestId('drill-classify');
  await expect(classify).toHaveClass(/is-emphasised/);
  await classify.getByTestId('drill-class-select').selectOption('validation');
  await classify.getByTestId('drill-origin-select').selectOption('config');
  await classify.getByTestId('drill-classify-save').click();
  await expect(classify).toContainText('✓ Validation · config');

  // ---- Order the checks with the keyboard: focus a step, Alt+↓, Alt+↑ ----
  const steps = page.getByTestId('check-step');
  await expect(steps).toHaveCount(4);
  const before = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-check-id')!));
  await steps.nth(0).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(steps.nth(1)).toHaveAttribute('data-check-id', before[0]);
  await expect(steps.nth(1)).toBeFocused();
  await expect(page.getByTestId('check-announce')).toContainText('moved to position 2 of 4');
  await page.keyboard.press('ArrowDown');
  await expect(steps.nth(2)).toBeFocused();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(steps.nth(3)).toHaveAttribute('data-check-id', before[2]);
  await expect(page.getByTestId('check-announce')).toContainText('moved to position 4 of 4');
  const expected = [before[1], before[0], before[3], before[2]];
  await expect(page.getByTestId('check-order-state')).toHaveAttribute('data-state', 'saved');
  const saved = await host.call<{ checkOrder: string[] }>('drill:get', { drillId, view: 'responder' });
  expect(saved.body.data!.checkOrder).toEqual(expected);

  // ---- Investigate: a hypothesis (released cards are evidence on the timeline) ----
  await advance(page, 'investigate');
  await saveField(page.getByTestId('gate-hypothesis-input'), 'Canary template r12 restricted the canary to iOS/NA; the guard compared aggregates only', true);
  await expect(page.getByTestId('gate-state')).toHaveText('Exit criteria met');

  // ---- Take an action (it is logged with its time; none is flagged for the responder) ----
  const actions = page.getByTestId('drill-actions');
  await expect(actions).not.toContainText(/tempting/i);
  const rollback = actions.locator('li', { hasText: 'Roll back to v6' });
  await rollback.getByTestId('action-take').click();
  await rollback.getByTestId('action-confirm').click();
  await expect(rollback).toHaveAttribute('data-taken', 'true');
  await expect(rollback).toContainText('Taken');

  // ---- Mitigate: record the mitigation, leave it unverified, pass the open gate with a reason ----
  await advance(page, 'mitigate');
  const mitigation = page.getByTestId('drill-mitigation');
  await expect(mitigation).toHaveClass(/is-emphasised/);
  await mitigation.getByTestId('drill-mitigation-input').fill('Rolled feed-ranking back to v6 by digest; watching per-slice CTR');
  await mitigation.getByTestId('drill-mitigation-save').click();
  await expect(page.getByTestId('criterion-mitigation')).toHaveAttribute('data-met', 'true');
  await expect(page.getByTestId('criterion-verified')).toHaveAttribute('data-met', 'false');
  await advanceWithReason(page, 'resolve', 'Per-slice CTR needs 24 h to confirm; the drill ends here');

  // ---- Finish → debrief ----
  await page.getByTestId('drill-finish-button').click();
  const finish = page.getByTestId('drill-finish-dialog');
  await expect(finish).toContainText('Validation');
  await finish.getByTestId('drill-finish-confirm').click();
  await expect(page).toHaveURL(new RegExp(`#/drills/${drillId}/debrief$`));

  const debrief = page.getByTestId('drill-debrief');
  await expect(debrief).toBeVisible();
  const total = Number(await page.getByTestId('debrief-total').locator('.drill-score-num').innerText());
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(100);
  for (const part of ['classification', 'checkOrder', 'actions', 'time', 'evidence']) await expect(page.getByTestId(`score-part-${part}`)).toBeVisible();
  await expect(page.getByTestId('score-part-classification')).toContainText('25/25');
  // Ideal beside done: the same four checks, theirs in the order given, matches marked.
  await expect(page.getByTestId('debrief-ideal-checks').locator('li')).toHaveCount(4);
  await expect(page.getByTestId('debrief-their-checks').locator('li')).toHaveCount(4);
  await expect(page.getByTestId('debrief-checks')).toContainText("Kendall's τ");
  await expect(page.getByTestId('debrief-correct-actions')).toContainText('Roll back to v6');
  await expect(page.getByTestId('debrief-taken-actions').locator('[data-verdict="correct"]')).toContainText('Roll back to v6');
  await expect(page.getByTestId('debrief-points').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('debrief-mitigation')).toContainText('Rolled feed-ranking back to v6');

  // The report downloads as Markdown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('debrief-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^drill-\d+-canary-contamination-non-stratified\.md$/);

  // The history lists it with its score.
  await page.getByTestId('debrief-history').click();
  await expect(page.getByTestId('history-table')).toContainText(String(total));
});

test('game-master drill in two tabs: a card the game master releases appears on the responder tab', async ({ page, context, host }) => {
  test.setTimeout(120_000);
  await openApp(page, host);
  const drillId = await startFromLibrary(page, 'bob', 'gm');
  await expect(page.getByTestId('gm-banner')).toBeVisible();

  // The game-master view opens in a second tab of the same browser (it carries this tab's access token).
  const [gm] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-gm-view').click()]);
  await gm.waitForLoadState();
  await expect(gm.getByTestId('drill-gm')).toBeVisible();
  await expect(gm).toHaveURL(new RegExp(`#/drills/${drillId}/gm$`));
  expect(gm.url()).not.toContain('token=');
  await expect(gm.getByTestId('gm-no-pending')).toBeVisible();
  // The game master sees every card's content and the answers; the responder does not.
  await expect(gm.getByTestId('gm-card-segment-dashboard').getByTestId('card-content')).toContainText('Android');
  await expect(gm.getByTestId('gm-answers')).toBeVisible();
  await expect(page.getByTestId('evidence-card-segment-dashboard').getByTestId('card-content')).toHaveCount(0);

  // The responder requests a card: it waits for the game master.
  await page.bringToFront();
  const card = page.getByTestId('evidence-card-segment-dashboard');
  await card.getByTestId('card-request').click();
  await expect(card).toHaveAttribute('data-status', 'requested');
  await expect(card.getByTestId('card-pending')).toBeVisible();

  // The game master's tab shows the request (polling) and releases it.
  await gm.bringToFront();
  const pending = gm.getByTestId('gm-pending-segment-dashboard');
  await expect(pending).toBeVisible({ timeout: 5_000 });
  await expect(gm.getByTestId('gm-pending')).toHaveClass(/has-pending/);
  await pending.getByTestId('gm-release').click();
  await expect(pending).toBeHidden();
  await expect(gm.getByTestId('gm-card-segment-dashboard')).toHaveAttribute('data-status', 'released');

  // Within a few seconds the card's content is on the responder's tab.
  await page.bringToFront();
  await expect(card).toHaveAttribute('data-status', 'released', { timeout: 5_000 });
  await expect(card.getByTestId('card-content')).toContainText('Android / other');
  await expect(page.getByTestId('evidence-announce')).toContainText('The game master released');

  // The responder's progress shows up on the game master's tab too.
  await page.getByTestId('drill-class-select').selectOption('validation');
  await page.getByTestId('drill-classify-save').click();
  await gm.bringToFront();
  await expect(gm.getByTestId('gm-classification')).toContainText('Validation', { timeout: 5_000 });
  await gm.close();
});
