import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';

// A lost `}` (a merge artefact) does not fail the renderer build: the browser folds every rule after it
// into one broken block, and the command-centre layout silently disappears. Parse the stylesheet strictly.
async function cssProblems(css: string) {
  const r = await transform(css, { loader: 'css', logLevel: 'silent' });
  return r.warnings.map((w) => `styles.css:${w.location?.line ?? '?'}: ${w.text}`);
}

describe('renderer stylesheet', () => {
  it('parses without a warning (balanced braces, no stray tokens)', async () => {
    expect(await cssProblems(readFileSync(join(__dirname, '..', '..', 'renderer', 'styles.css'), 'utf8'))).toEqual([]);
  });

  it('the check catches an unclosed rule, with its line', async () => {
    expect(await cssProblems('.a {\n  color: red;\n.b { color: blue; }\n')).toEqual([expect.stringMatching(/^styles\.css:\d+: Expected "\}"/)]);
  });
});
