// Safe ASCII slugs for branch and file names. Pure TypeScript.
//
//   slugify('Fraud model: accuracy dropped!')      → 'fraud-model-accuracy-dropped'
//   exportBranchName('INC-0007', 'Fraud model…')   → 'postmortem/INC-0007-fraud-model-accuracy-dropped'
//   incidentFileStem('INC-0007', 'Fraud model…')   → 'INC-0007-fraud-model-accuracy-dropped'
//   pythonModuleStem('INC-0007')                   → 'inc_0007'
//
// Slugs contain only [a-z0-9-], never start or end with '-', never contain '--', and are cut at a word
// boundary to at most `maxLength` characters — so they are valid in git ref names (git check-ref-format),
// in file names on Windows/macOS/Linux, and in URLs.

export const DEFAULT_SLUG_MAX = 50;

/** Letters that NFKD does not decompose into ASCII. */
const TRANSLIT: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', đ: 'd', Đ: 'd', ð: 'd', Ð: 'd', þ: 'th', Þ: 'th',
  ł: 'l', Ł: 'l', ı: 'i', ŋ: 'ng', Ŋ: 'ng', '&': ' and ', '@': ' at ', '+': ' plus ', '%': ' pct ',
};

export function slugify(title: string, maxLength = DEFAULT_SLUG_MAX, fallback = 'untitled'): string {
  const max = Math.max(1, Math.floor(maxLength));
  let s = String(title ?? '')
    .replace(/[ßæÆœŒøØđĐðÐþÞłŁıŋŊ&@+%]/g, (c) => TRANSLIT[c] ?? ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // 1.24 → 1-24; don't → dont
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length > max) {
    const cut = s.slice(0, max + 1);
    const at = cut.lastIndexOf('-');
    s = at > max / 2 ? cut.slice(0, at) : s.slice(0, max);
    s = s.replace(/-+$/g, '');
  }
  if (!s) {
    const fb = fallback === title ? 'untitled' : slugify(fallback, max, 'untitled');
    return fb || 'untitled';
  }
  return s;
}

/** "INC-0007" stays as it is; anything else is reduced to [A-Za-z0-9-]. */
export function safeKey(key: string): string {
  const k = String(key ?? '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return k || 'INC';
}

/** File stem for an incident's exported files: "INC-0007-fraud-model-accuracy-dropped". */
export function incidentFileStem(key: string, title: string, maxLength = DEFAULT_SLUG_MAX): string {
  return `${safeKey(key)}-${slugify(title, maxLength)}`;
}

/** Branch for an export: "postmortem/INC-0007-fraud-model-accuracy-dropped" (valid per git check-ref-format). */
export function exportBranchName(key: string, title: string, maxLength = DEFAULT_SLUG_MAX): string {
  return `postmortem/${incidentFileStem(key, title, maxLength)}`;
}

/** Lowercase identifier-safe stem ("inc_0007") for Python module names. */
export function pythonModuleStem(key: string): string {
  const s = safeKey(key).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(s) ? s : `inc_${s}`;
}

/** True when `name` is a valid git branch name by the rules of `git check-ref-format --branch`. */
export function isValidBranchName(name: string): boolean {
  if (!name || name === '@' || name.startsWith('-') || name.endsWith('/') || name.endsWith('.')) return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  return name.split('/').every((c) => c.length > 0 && !c.startsWith('.') && !c.endsWith('.lock'));
}
