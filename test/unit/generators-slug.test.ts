import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exportBranchName, incidentFileStem, isValidBranchName, pythonModuleStem, safeKey, slugify } from '../../shared/generators/slug';

describe('slugify', () => {
  it('makes safe ASCII slugs', () => {
    expect(slugify('Fraud model accuracy dropped')).toBe('fraud-model-accuracy-dropped');
    expect(slugify('  Fraud model: accuracy dropped!!  ')).toBe('fraud-model-accuracy-dropped');
    expect(slugify('Ünïcode Größe café — Æsir')).toBe('unicode-grosse-cafe-aesir');
    expect(slugify("numpy 1.24 → 2.0 didn't work")).toBe('numpy-1-24-2-0-didnt-work');
    expect(slugify('R&D @ 50% + ops')).toBe('r-and-d-at-50-pct-plus-ops');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('日本語のタイトル')).toBe('untitled');
    expect(slugify('')).toBe('untitled');
    expect(slugify('!!!', 50, 'incident')).toBe('incident');
  });

  it('cuts at a word boundary within the max length', () => {
    const s = slugify('The nightly feature export dropped the Fare column and doubled the Age nulls in production', 40);
    expect(s.length).toBeLessThanOrEqual(40);
    expect(s).toBe('the-nightly-feature-export-dropped-the');
    expect(slugify('a'.repeat(100), 10)).toBe('aaaaaaaaaa');
    for (const t of ['x-'.repeat(60), 'A B C '.repeat(30)]) {
      const out = slugify(t, 17);
      expect(out.length).toBeLessThanOrEqual(17);
      expect(out).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('builds branch names, file stems and module names', () => {
    expect(exportBranchName('INC-0007', 'Fraud model accuracy dropped')).toBe('postmortem/INC-0007-fraud-model-accuracy-dropped');
    expect(incidentFileStem('INC-0007', 'Fraud model accuracy dropped')).toBe('INC-0007-fraud-model-accuracy-dropped');
    expect(safeKey('INC 0007/../x')).toBe('INC-0007-x');
    expect(pythonModuleStem('INC-0007')).toBe('inc_0007');
    expect(pythonModuleStem('0007')).toBe('inc_0007');
  });

  it('produces names git accepts', () => {
    const titles = ['Fraud model accuracy dropped', '..lock', 'a.lock', '@{x}', '~^:?*[\\', ' -leading dash', 'ends with dot.', 'ü'.repeat(80)];
    for (const t of titles) {
      const b = exportBranchName('INC-0042', t);
      expect(isValidBranchName(b), b).toBe(true);
      const r = spawnSync('git', ['check-ref-format', '--branch', b], { encoding: 'utf8' });
      if (!r.error) expect(r.status, `${b}: ${r.stderr}`).toBe(0);
    }
    expect(isValidBranchName('postmortem/a..b')).toBe(false);
    expect(isValidBranchName('postmortem/x.lock')).toBe(false);
    expect(isValidBranchName('-x')).toBe(false);
  });
});
