// Ctrl/Cmd+K: jump to an incident, a phase, an action or a command. Type to filter, ↑/↓ to move,
// Enter to run, Esc to close. Items come from the registered providers (renderer/lib/palette.ts).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { paletteProviders, type PaletteItem } from '../lib/palette';
import { Dialog } from './Dialog';
import { Kbd } from './ui';
import { Snippet } from '../insights/Snippet';

interface Group {
  id: string;
  group: string;
  items: PaletteItem[];
}

export function CommandPalette({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [groups, setGroups] = useState<Group[]>([]);
  const [active, setActive] = useState(0);
  const [pending, setPending] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const uid = useId();

  useEffect(() => {
    const ctl = new AbortController();
    setPending(true);
    const t = setTimeout(
      () => {
        void Promise.all(
          paletteProviders().map(async (p) => {
            try {
              return { id: p.id, group: p.group, items: await p.items(query, ctl.signal) };
            } catch {
              return { id: p.id, group: p.group, items: [] };
            }
          }),
        ).then((gs) => {
          if (ctl.signal.aborted) return;
          setGroups(gs.filter((g) => g.items.length));
          setActive(0);
          setPending(false);
        });
      },
      query ? 60 : 0,
    );
    return () => {
      ctl.abort();
      clearTimeout(t);
    };
  }, [query]);

  const flat = useMemo(() => groups.flatMap((g) => g.items.map((it) => ({ g: g.id, it }))), [groups]);
  const optionId = (i: number) => `${uid}-opt-${i}`;

  useEffect(() => {
    listRef.current?.querySelector(`#${CSS.escape(`${uid}-opt-${active}`)}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, uid]);

  function run(i: number) {
    const x = flat[i];
    if (!x) return;
    onClose();
    // After the dialog is gone (focus restored), so the action can move focus itself.
    setTimeout(() => void x.it.run(), 0);
  }

  let n = -1;
  return (
    <Dialog title="Go to…" onClose={onClose} testid="command-palette" initialFocus="input" wide>
      <div className="palette">
        <input
          type="text"
          className="palette-input input-large"
          placeholder="Incident, phase, action or command…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          role="combobox"
          aria-expanded="true"
          aria-controls={`${uid}-list`}
          aria-activedescendant={flat.length ? optionId(active) : undefined}
          aria-label="Search incidents, phases, actions and commands"
          autoComplete="off"
          data-testid="palette-input"
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(flat.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              run(active);
            }
          }}
        />
        <ul className="palette-list" id={`${uid}-list`} role="listbox" aria-label="Results" ref={listRef} data-testid="palette-results">
          {groups.map((g) => (
            <li key={g.id} role="presentation" className="palette-group">
              <div className="palette-group-title" aria-hidden="true">
                {g.group}
              </div>
              <ul role="group" aria-label={g.group}>
                {g.items.map((it) => {
                  n++;
                  const i = n;
                  return (
                    <li
                      key={it.id}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === active}
                      className={`palette-item ${i === active ? 'on' : ''}`}
                      onMouseMove={() => setActive(i)}
                      onClick={() => run(i)}
                      data-testid="palette-item"
                    >
                      {it.snippet ? (
                        <span className="palette-label palette-label-snippet">
                          <span className="palette-label-title">{it.label}</span>
                          <Snippet parts={it.snippet} className="palette-snippet" />
                        </span>
                      ) : (
                        <span className="palette-label">{it.label}</span>
                      )}
                      {it.hint && <span className="palette-hint">{it.hint}</span>}
                      {it.shortcut && <Kbd>{it.shortcut}</Kbd>}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
        {!pending && flat.length === 0 && <p className="muted palette-empty">Nothing matches “{query}”.</p>}
        <p className="palette-foot muted small">
          <Kbd>↑</Kbd> <Kbd>↓</Kbd> move · <Kbd>Enter</Kbd> go · <Kbd>Esc</Kbd> close
        </p>
      </div>
    </Dialog>
  );
}
