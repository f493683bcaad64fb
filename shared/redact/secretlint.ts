// secretlint's rules, run synchronously. @secretlint/core's lintSource is Promise-based and the
// recommended preset's bundle imports node:path, so neither fits a synchronous, browser-safe module.
// The individual rule packages are plain functions: create(context, options) → { file(source) },
// reporting through context.report({message, range}) before file() returns. This adapter gives them
// the smallest context that satisfies that contract. Pure TypeScript (the rule packages have no
// node built-ins; their only dependency is @textlint/regexp-string-matcher).
import { creator as anthropic } from '@secretlint/secretlint-rule-anthropic';
import { creator as aws } from '@secretlint/secretlint-rule-aws';
import { creator as basicauth } from '@secretlint/secretlint-rule-basicauth';
import { creator as database } from '@secretlint/secretlint-rule-database-connection-string';
import { creator as github } from '@secretlint/secretlint-rule-github';
import { creator as npm } from '@secretlint/secretlint-rule-npm';
import { creator as openai } from '@secretlint/secretlint-rule-openai';
import { creator as privatekey } from '@secretlint/secretlint-rule-privatekey';
import { creator as slack } from '@secretlint/secretlint-rule-slack';
import type { SecretLintRuleCreator } from '@secretlint/types';

export interface LintHit {
  /** Short rule id ("secretlint/aws"), plus secretlint's message id ("AWSAccessKeyID"). */
  rule: string;
  messageId: string;
  start: number;
  end: number;
}

type AnyRule = SecretLintRuleCreator<any>;
/** Our own masks are never a secret (a masked URL must not look like basic auth to the next pass). */
const ALLOWS = ['/••••/', '/…\\[masked/'];
const RULES: { rule: AnyRule; options: Record<string, unknown> }[] = [
  { rule: aws as AnyRule, options: { enableIDScanRule: true, allows: ALLOWS } },
  { rule: github as AnyRule, options: { allows: ALLOWS } },
  { rule: slack as AnyRule, options: { allows: ALLOWS } },
  { rule: privatekey as AnyRule, options: { allows: ALLOWS } },
  { rule: basicauth as AnyRule, options: { allows: ALLOWS } },
  { rule: database as AnyRule, options: { allows: ALLOWS } },
  { rule: npm as AnyRule, options: { allows: ALLOWS } },
  { rule: openai as AnyRule, options: {} },
  { rule: anthropic as AnyRule, options: {} },
];

/** Every rule above needs one of these substrings to report anything; texts without any skip the rules. */
export const SECRETLINT_PREFILTER = /A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|secret|gh[pousr]_|github_pat_|xox|xapp|hooks\.slack|PRIVATE KEY|:\/\/|_authToken|npm_|sk-|mongodb|mysql|postgres/i;

export const SECRETLINT_RULE_IDS = RULES.map((r) => r.rule.meta.id);

const shortId = (id: string) => 'secretlint/' + id.replace(/^@secretlint\/secretlint-rule-/, '');

/** Run the secretlint rules over `content` (synchronously); `fileName` lets file-type rules (.npmrc) apply. */
export function secretlintHits(content: string, fileName = 'input.txt'): LintHit[] {
  if (!SECRETLINT_PREFILTER.test(content)) return [];
  const dot = fileName.lastIndexOf('.');
  const source = { content, filePath: fileName, ext: dot >= 0 ? fileName.slice(dot) : '', contentType: 'text' as const };
  const out: LintHit[] = [];
  for (const { rule, options } of RULES) {
    const context = {
      sharedOptions: {},
      createTranslator: () => (messageId: string, data?: unknown) => ({ message: messageId, messageId, data }),
      report: (d: { message: { messageId?: string }; range: readonly [number, number] }) => {
        out.push({ rule: shortId(rule.meta.id), messageId: d.message?.messageId ?? '', start: d.range[0], end: d.range[1] });
      },
      ignore: () => undefined,
    };
    const handler = rule.create(context as never, options as never) as { file?: (s: typeof source) => unknown };
    const r = handler.file?.(source);
    // Every rule used here reports synchronously; a future async one would be caught by the tests.
    if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).catch(() => undefined);
  }
  return out;
}
