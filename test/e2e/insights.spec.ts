// Issue 12 in Chromium against the web host: the palette finds an incident by the words of a timeline
// note and opens it; the analytics dashboard draws its charts from real figures; the follow-up backlog
// shows an overdue item (and the list says so on the row); the list pages as you scroll; axe on each
// new screen in light and dark. Screenshots of every screen go to .tmp/screens/insights-*.png.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openApp, ROOT, test, type WebHostHandle } from './fixtures';
import { makeCorpus } from '../unit/secrets-corpus';

const SHOTS = join(ROOT, '.tmp', 'screens');
mkdirSync(SHOTS, { recursive: true });

async function axe(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  console.log(`axe ${what}: ${r.violations.length} violations, ${bad.length} serious/critical${summary.length ? `\n  ${summary.join('\n  ')}` : ''}`);
  expect(summary, `axe on the ${what} screen`).toEqual([]);
}

/** Screenshot and axe in light, then dark. */
async function bothThemes(page: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    // Through the app's own toggle, as a person would.
    for (let i = 0; i < 3 && !(await page.getByTestId('theme-toggle').textContent())?.includes(theme === 'dark' ? 'Dark' : 'Light'); i++) {
      await page.getByTestId('theme-toggle').click();
    }
    await expect(page.getByTestId('theme-toggle')).toContainText(theme === 'dark' ? 'Dark' : 'Light');
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, `insights-${name}-${theme}.png`), fullPage: true });
    await axe(page, `${name} (${theme})`);
  }
}

async function create(host: WebHostHandle, input: Record<string, unknown>): Promise<{ key: string; revision: number }> {
  const r = await host.call<{ key: string; revision: number }>('incident:create', input);
  expect(r.body.ok, JSON.stringify(r.body.error)).toBe(true);
  return r.body.data!;
}

/** Advance through `steps` phases, a reason given for gates whose criteria are unmet. */
async function advance(host: WebHostHandle, key: string, steps: number) {
  for (let i = 0; i < steps; i++) {
    const inc = (await host.call<{ revision: number }>('incident:get', { key })).body.data!;
    const r = await host.call('incident:advance', { key, baseRevision: inc.revision, reason: 'e2e: moving on for the figures' });
    expect(r.body.ok, JSON.stringify(r.body.error)).toBe(true);
  }
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

test('the palette finds an incident by the words of a timeline note and opens it; the search screen filters', async ({ page, host }) => {
  const a = await create(host, { title: 'Scoring latency doubled', severity: 'SEV2', failureClass: 'serving', service: 'scoring-api' });
  const b = await create(host, { title: 'Churn model stale', severity: 'SEV3', failureClass: 'training', service: 'churn' });
  const token = makeCorpus().githubToken; // built at run time: no credential-shaped literal in the repository
  await host.call('timeline:add', { key: b.key, kind: 'note', body: `the feature backfill wrote zeros into tenure_months <b>bold</b> token=${token}` });
  await host.call('timeline:add', { key: a.key, kind: 'note', body: 'autoscaler pinned at three replicas' });
  await openApp(page, host);
  await page.keyboard.press('Control+K');
  await page.getByTestId('palette-input').fill('backfill zer');
  const item = page.getByTestId('palette-item').filter({ hasText: b.key });
  await expect(item).toBeVisible();
  // The match is highlighted, markup in the note stays text, and the secret is masked.
  await expect(item.locator('mark').first()).toHaveText(/backfill/i);
  await expect(item.locator('b')).toHaveCount(0);
  await expect(item).not.toContainText(token.slice(4));
  await page.screenshot({ path: join(SHOTS, 'insights-palette-light.png') });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/incidents/${b.key}$`));
  await expect(page.getByTestId('incident-page')).toBeVisible();

  // The search screen, reached by keyboard (g s), with a filter that leaves the hit out.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type('replicas');
  await expect(page.getByTestId('search-hit')).toHaveCount(1);
  await expect(page.getByTestId('search-hit').first()).toContainText(a.key);
  await bothThemes(page, 'search');
  await page.getByTestId('search-class').selectOption('training');
  await expect(page.getByTestId('search-none')).toBeVisible();
});

test('the analytics dashboard draws its charts from the figures; drills stay out; CSV downloads', async ({ page, host }) => {
  const classes = ['data', 'serving', 'deployment', 'training'] as const;
  for (let i = 0; i < 8; i++) {
    const { key } = await create(host, { title: `Incident ${i}`, severity: (['SEV1', 'SEV2', 'SEV3'] as const)[i % 3], failureClass: classes[i % 4], service: i % 2 ? 'scoring-api' : 'features', detectedAt: hoursAgo(30 + i * 24 * 9), startedAt: hoursAgo(31 + i * 24 * 9) });
    await advance(host, key, 3 + (i % 3));
  }
  const drill = await create(host, { title: 'Drill: stale features', severity: 'SEV3', failureClass: 'data', isDrill: true });
  await advance(host, drill.key, 2);
  await openApp(page, host);
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page.getByTestId('stats-counts')).toContainText('8 real incidents');
  await expect(page.getByTestId('stats-counts')).toContainText('1 drill excluded');
  for (const id of ['chart-median', 'chart-p90', 'chart-class-mix', 'chart-origin-mix']) {
    const canvas = page.getByTestId(id).locator('canvas');
    await expect(canvas, id).toHaveCount(1);
    // Data present: the canvas has painted pixels other than the background.
    const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    expect(painted, id).toBeGreaterThan(500);
  }
  await expect(page.getByTestId('chart-median').locator('.u-legend')).toContainText('MTTR median');
  await expect(page.getByTestId('stats-table').locator('tbody tr').first()).toBeVisible();
  await bothThemes(page, 'analytics');
  const download = page.waitForEvent('download');
  await page.getByTestId('stats-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
});

test('the backlog shows an overdue follow-up, and the incident list row says so', async ({ page, host }) => {
  const a = await create(host, { title: 'Feature drift in tenure', severity: 'SEV2', failureClass: 'data', service: 'churn' });
  const b = await create(host, { title: 'Image tag moved', severity: 'SEV3', failureClass: 'deployment', service: 'scoring-api' });
  await host.call('action:create', { key: a.key, title: 'Add a drift monitor on tenure_months', owner: 'ml-platform', dueDate: '2024-01-15', type: 'detective' });
  await host.call('action:create', { key: a.key, title: 'Backfill guard', owner: '', dueDate: '2099-01-01', type: 'preventative' });
  await host.call('action:create', { key: b.key, title: 'Pin images by digest', owner: 'release', dueDate: null, type: 'corrective' });
  await openApp(page, host);
  const row = page.getByTestId('incident-row').filter({ hasText: 'Feature drift in tenure' });
  await expect(row.getByTestId('row-overdue')).toContainText('1 follow-up overdue');
  await expect(page.getByTestId('incident-row').filter({ hasText: 'Image tag moved' }).getByTestId('row-overdue')).toHaveCount(0);
  await bothThemes(page, 'list');
  await row.getByTestId('row-overdue').click();
  await expect(page.getByTestId('backlog-counts')).toContainText('3 open');
  await expect(page.getByTestId('backlog-counts')).toContainText('1 overdue');
  const overdue = page.locator('[data-testid="backlog-row"][data-overdue="true"]');
  await expect(overdue).toHaveCount(1);
  await expect(overdue).toContainText('Add a drift monitor');
  await expect(overdue.getByTestId('overdue-badge')).toContainText('days overdue');
  await bothThemes(page, 'backlog');
  await page.getByTestId('backlog-show').selectOption('overdue');
  await expect(page.getByTestId('backlog-row')).toHaveCount(1);
  await page.getByTestId('owner-chip').filter({ hasText: 'release' }).click();
  await expect(page.getByTestId('backlog-none')).toBeVisible();
});

test('the incident list is virtualised and pages as you scroll through many incidents', async ({ page, host }) => {
  const N = 260;
  for (let i = 0; i < N; i++) await create(host, { title: `Bulk incident ${String(i).padStart(3, '0')}`, severity: 'SEV4', failureClass: 'serving' });
  const pages: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/incident:list')) pages.push(r.postData() ?? '');
  });
  await openApp(page, host);
  await expect(page.getByTestId('incident-count')).toContainText(`${N} incidents`);
  const rendered = await page.getByTestId('incident-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(100); // virtualised: only what is near the viewport is in the DOM
  const scroller = page.getByTestId('list-scroller');
  for (let i = 0; i < 40 && !(await page.getByTestId('incident-row').filter({ hasText: 'Bulk incident 000' }).count()); i++) {
    await scroller.evaluate((el) => el.scrollBy(0, 3000));
    await page.waitForTimeout(100);
  }
  await expect(page.getByTestId('incident-row').filter({ hasText: 'Bulk incident 000' })).toBeVisible();
  await expect(page.getByTestId('incident-row').filter({ hasText: 'Bulk incident 259' })).toHaveCount(0);
  const cursors = pages.filter((p) => p.includes('"cursor"'));
  expect(cursors.length).toBeGreaterThanOrEqual(2); // 260 rows at 100 a page: two pages after the first
  await expect(page.getByTestId('list-more')).toHaveCount(0);
});

test('Seen before lists an earlier incident with the same changes, with its reasons and documents; empty state otherwise', async ({ page, host }) => {
  const real = (p: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'real', p), 'utf8');
  async function withLockPair(title: string) {
    const inc = await create(host, { title, severity: 'SEV2', failureClass: 'packaging', service: 'batch-scoring' });
    const x = (await host.call<{ id: number }>('artifact:addText', { key: inc.key, role: 'last-known-good', name: 'poetry.lock', text: real('deps/nannyml-poetry-e8623af8.lock') })).body.data!;
    const y = (await host.call<{ id: number }>('artifact:addText', { key: inc.key, role: 'failing', name: 'poetry.lock', text: real('deps/nannyml-poetry-94c3e242.lock') })).body.data!;
    const d = await host.call('artifact:diff', { key: inc.key, beforeId: x.id, afterId: y.id });
    expect(d.body.ok, JSON.stringify(d.body.error)).toBe(true);
    return inc.key;
  }
  const lone = await create(host, { title: 'Nothing like it before', severity: 'SEV3', failureClass: 'serving' });
  await advance(host, lone.key, 2);
  const past = await withLockPair('numpy 2 broke batch scoring');
  await host.call('doc:save', { key: past, kind: 'runbook', content: '---\ntitle: Pin numpy for scoring\n---\n# Runbook\n\nPin numpy<2 in the scoring image until the model is re-pickled.' });
  const now = await withLockPair('Scoring returns NaN after the lock refresh');
  await advance(host, now, 2);

  await openApp(page, host);
  await page.goto(`${host.origin}/#/incidents/${lone.key}`);
  await expect(page.getByTestId('seen-before-empty')).toBeVisible();
  await page.goto(`${host.origin}/#/incidents/${now}`);
  const item = page.getByTestId('seen-item').filter({ hasText: past });
  await expect(item).toBeVisible();
  await expect(item).toContainText('numpy');
  await expect(item.getByRole('link', { name: new RegExp(past) })).toHaveAttribute('href', `#/incidents/${past}`);
  await bothThemes(page, 'seen-before');
  await item.getByTestId('seen-runbook').click();
  await expect(page.getByTestId('seen-doc')).toContainText('re-pickled');
  await page.keyboard.press('Escape');
});
