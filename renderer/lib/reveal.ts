// Cross-panel "show me": a saved-✓ button in the diff asks the work pane to open the findings tab on a
// finding, or the timeline to scroll to an entry. Screens subscribe while mounted.
export type RevealTarget =
  | { kind: 'finding'; id: number }
  | { kind: 'event'; id: number }
  | { kind: 'tab'; tab: string };

const subs = new Set<(t: RevealTarget) => void>();

export function reveal(t: RevealTarget) {
  subs.forEach((s) => s(t));
}

export function onReveal(fn: (t: RevealTarget) => void): () => void {
  subs.add(fn);
  return () => {
    subs.delete(fn);
  };
}
