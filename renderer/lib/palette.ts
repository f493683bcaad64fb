// The command palette's result providers (Ctrl/Cmd+K). The palette asks every registered provider for
// items matching the query and shows them by group; a provider is registered by the screen that can
// answer (the shell: commands and incidents; the incident page: its phases and actions). Full-text
// search (issue 12) adds one more provider — an async `items` — without changing the palette.
import { useEffect, useRef } from 'react';

export interface PaletteItem {
  /** Unique within its provider. */
  id: string;
  label: string;
  /** Second line or right-hand note (a key, a phase, where it leads). */
  hint?: string;
  /** Extra words the query may match (synonyms, the key). */
  keywords?: string;
  /** Shortcut shown beside it, e.g. "N" or "Ctrl+K". */
  shortcut?: string;
  /** A search snippet shown under the label, its matches marked (plain text parts, never HTML). */
  snippet?: { text: string; hit: boolean }[];
  run: () => void | Promise<void>;
}

export interface PaletteProvider {
  id: string;
  /** Heading of this provider's group. */
  group: string;
  /** Groups sort by this (lower first); default 50. */
  order?: number;
  /** Items for the query (may be async; `signal` aborts a stale request). Empty query: the provider's defaults. */
  items(query: string, signal: AbortSignal): PaletteItem[] | Promise<PaletteItem[]>;
}

const registry = new Map<string, PaletteProvider>();

export function registerPaletteProvider(p: PaletteProvider): () => void {
  registry.set(p.id, p);
  return () => {
    if (registry.get(p.id) === p) registry.delete(p.id);
  };
}

export function paletteProviders(): PaletteProvider[] {
  return [...registry.values()].sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
}

/** Register a provider while the calling component is mounted; `make` may read the latest props. */
export function usePaletteProvider(id: string, group: string, items: PaletteProvider['items'], order?: number) {
  const ref = useRef(items);
  ref.current = items;
  useEffect(() => registerPaletteProvider({ id, group, order, items: (q, s) => ref.current(q, s) }), [id, group, order]);
}

const norm = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');

/**
 * Keep the items every query word matches (in label, hint or keywords), best first: a label that starts
 * with the query, then a word of the label that does, then anywhere. An empty query keeps them all.
 */
export function matchItems(items: PaletteItem[], query: string, limit = 50): PaletteItem[] {
  const words = norm(query).split(/\s+/).filter(Boolean);
  if (!words.length) return items.slice(0, limit);
  const scored: { it: PaletteItem; score: number; i: number }[] = [];
  items.forEach((it, i) => {
    const label = norm(it.label);
    const hay = `${label} ${norm(it.hint ?? '')} ${norm(it.keywords ?? '')}`;
    if (!words.every((w) => hay.includes(w))) return;
    const q = words.join(' ');
    const score = label.startsWith(q) ? 0 : label.split(/[\s·:/-]+/).some((x) => x.startsWith(words[0])) ? 1 : 2;
    scored.push({ it, score, i });
  });
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).slice(0, limit).map((x) => x.it);
}
