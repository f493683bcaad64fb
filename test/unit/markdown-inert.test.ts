// Exported Markdown is inert (issue 8 §7): hostile user text in titles, notes, findings and action
// items of runbooks, postmortems and drill reports renders, in a CommonMark renderer that passes raw
// HTML through (markdown-it with html: true, as permissive as any repository viewer), to no element
// that runs or loads anything; the in-app preview renders it as text.
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { generatePostmortem } from '../../shared/generators/postmortem';
import { generateRunbook } from '../../shared/generators/runbook';
import { mdCell, mdInert, mdInline, mdText, unsafeLinkDestination } from '../../shared/generators/md';
import { drillReportMarkdown } from '../../shared/drills/report';
import { Markdown } from '../../renderer/postmortem/markdown';
import type { DrillDebrief } from '../../shared/drills/types';
import { makeFinding, makeIncident } from './generators-helpers';

const md = new MarkdownIt({ html: true, linkify: true });
const HOSTILE = [
  '<script>alert(1)</script>',
  '<iframe src="https://evil.example/"></iframe>',
  '<img src=x onerror=alert(2)>',
  '[click me](javascript:alert(3))',
  '[also](  JaVaScRiPt:alert(4) )',
  '[entity](&#106;avascript:alert(5))',
  '[data](data:text/html;base64,PHNjcmlwdD4=)',
  '<a href="javascript:alert(6)">x</a>',
  '<javascript:alert(7)>',
  '\\<script>alert(8)</script>',
  '[ref]: javascript:alert(9)',
].join(' ');

/** What a renderer of the exported file would make of it: nothing that runs or loads. */
function expectInert(markdown: string) {
  const html = md.render(markdown);
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
    const [tag, name, attrs] = m;
    expect(['script', 'iframe', 'img', 'object', 'embed', 'svg', 'style', 'form', 'input', 'link', 'meta', 'base'], tag).not.toContain(name.toLowerCase());
    expect(attrs, tag).not.toMatch(/\son\w+\s*=/i);
    expect(attrs, tag).not.toMatch(/(href|src)\s*=\s*"?(?!https?:|mailto:|#)[a-z][a-z0-9+.-]*:/i);
  }
  return html;
}

describe('Markdown helpers make user text inert', () => {
  it('escape raw HTML and break dangerous links, keep http links, emphasis and code spans', () => {
    for (const f of [mdText, mdInline, mdCell]) expectInert(f(HOSTILE));
    expect(mdInline('see [the dashboard](https://grafana.internal/d/1) and **p99 < 200 ms**')).toBe('see [the dashboard](https://grafana.internal/d/1) and **p99 \\< 200 ms**');
    expect(md.render(mdInline('see [the dashboard](https://grafana.internal/d/1)'))).toContain('<a href="https://grafana.internal/d/1">the dashboard</a>');
    expect(mdInert('run `kubectl get po -l app=<name>` now <b>')).toBe('run `kubectl get po -l app=<name>` now \\<b>');
    expect(md.render(mdInert('run `a<b>` now'))).toContain('<code>a&lt;b&gt;</code>');
  });

  it('a fenced block in user text cannot carry raw HTML past the escaping', () => {
    expectInert(mdText('before\n```\n<script>alert(1)</script>\n```\nafter'));
    expectInert(mdText('~~~\n<iframe src=x></iframe>\n~~~'));
  });

  it('knows dangerous destinations after entity and escape decoding', () => {
    for (const d of ['javascript:x', ' JAVASCRIPT:x', '&#106;avascript:x', 'java\\script:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '&#x6a;avascript&colon;x'])
      expect(unsafeLinkDestination(d), d).toBe(true);
    for (const d of ['https://x.example', 'http://x', 'mailto:a@b.c', '#anchor', './relative.md', '/abs/path']) expect(unsafeLinkDestination(d), d).toBe(false);
  });
});

describe('generated documents with hostile user text', () => {
  const incident = makeIncident({
    title: `Outage ${HOSTILE}`,
    summary: HOSTILE,
    impact: HOSTILE,
    mitigation: HOSTILE,
    resolution: HOSTILE,
    lessons: `What went well: ${HOSTILE}\nWhat went wrong: ${HOSTILE}`,
    service: '<svg onload=alert(1)>',
    timeline: [{ id: 1, kind: 'note', body: HOSTILE, occurredAt: '2026-11-22T03:00:00.000Z', capturedAt: '2026-11-22T03:00:00.000Z', editedAt: null, phase: 'acknowledge' }],
    roles: { incident_commander: '<script>x</script>', scribe: 'bob', comms_lead: '', ops_lead: '' },
  });
  const findings = [makeFinding({ title: `Finding ${HOSTILE}`, description: HOSTILE, genKind: null, params: {}, status: 'accepted', role: 'root_cause' })];

  it('the postmortem renders to nothing that runs', () => {
    const out = generatePostmortem(incident, findings, [{ id: 1, title: `Fix ${HOSTILE}`, owner: '<script>o</script>', dueDate: null, type: 'corrective', status: 'open' }]);
    expect(out).toContain('\\<script>alert(1)\\</script>');
    expectInert(out);
  });

  it('the runbook renders to nothing that runs', () => {
    expectInert(generateRunbook(incident, findings, { relatedIncidents: [{ key: 'INC-0002', title: HOSTILE }] }));
  });

  it('the drill report renders to nothing that runs', () => {
    const d = {
      drillId: 1, key: 'INC-0009', participant: '<script>p</script>', mode: 'solo', startedAt: '2026-11-22T03:00:00.000Z', finishedAt: '2026-11-22T03:20:00.000Z',
      scenario: { id: 'custom-x', title: HOSTILE, version: 1, custom: true, difficulty: 'medium', expectedDurationMinutes: 30 },
      score: { total: 50, parts: [{ id: 'x', label: 'Classification', points: 5, max: 10, explanation: HOSTILE }] },
      classification: { expected: { failureClass: 'data', rootCauseOrigin: 'data', rootCause: HOSTILE }, given: null, classVerdict: 'wrong', originVerdict: 'wrong' },
      checks: { ideal: [{ id: 'a', title: HOSTILE, stage: 'x' }], theirs: null, tau: null, concordantPairs: 0, totalPairs: 0 },
      actions: { taken: [{ title: HOSTILE, verdict: 'wrong', why: HOSTILE, whyWrong: HOSTILE, antiPattern: null, phase: 'mitigate', takenAt: '2026-11-22T03:05:00.000Z' }], correct: [{ title: HOSTILE, why: HOSTILE, taken: false }], temptingAvoided: [] },
      cards: [{ title: HOSTILE, kind: 'log', relevant: true, initiallyVisible: true, requestedAt: null, releasedAt: null, releasedBy: null, revealCost: 0 }],
      phases: [],
      mitigation: { theirs: HOSTILE, correct: { text: HOSTILE, rollbackCriteria: [HOSTILE], verification: [HOSTILE] } },
      debriefPoints: [HOSTILE],
    } as unknown as DrillDebrief;
    expectInert(drillReportMarkdown(d));
  });

  it('the in-app preview renders the same text as text: no script, iframe, image or link element', () => {
    const html = renderToStaticMarkup(createElement(Markdown, { source: generatePostmortem(incident, findings, []) }));
    expect(html).not.toMatch(/<(script|iframe|img|a)\b/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
