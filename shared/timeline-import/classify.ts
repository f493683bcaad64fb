// Which timeline kind a chat line or pager entry gets. Plain words, conservative: most chat is a note.
import type { ImportKind } from './types';

const DECISION = /^(decision|decided|we(?:'ll| will) (?:roll ?back|revert|fail ?over)|let'?s (?:roll ?back|revert))\b/i;
const ACTION = /\b(rolled back|rolling back|reverted|reverting|restarted|restarting|redeployed|deployed|scaled (?:up|down|to)|failed over|paused|disabled|re-?enabled|mitigated|hotfix(?:ed)?|pinned)\b/i;
const COMMS = /^(status update|update:|customer update|statuspage|posted to)/i;

export function kindOfText(text: string): ImportKind {
  const t = text.trim();
  if (DECISION.test(t)) return 'decision';
  if (COMMS.test(t)) return 'comms';
  if (ACTION.test(t)) return 'action';
  return 'note';
}

export const IMPORT_KINDS: readonly ImportKind[] = ['note', 'action', 'evidence', 'decision', 'comms'];
