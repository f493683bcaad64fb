import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { Kbd } from './ui';
import { MOD, isMac } from '../lib/keys';
import { emit } from '../lib/commands';

const ALT = isMac ? '⌥' : 'Alt';
const combo = (...ks: string[]) => (
  <>
    {ks.map((k, i) => (
      <span key={i}>
        {i > 0 && '+'}
        <Kbd>{k}</Kbd>
      </span>
    ))}
  </>
);
const then = (a: ReactNode, b: ReactNode) => (
  <>
    {a} <span className="muted">then</span> {b}
  </>
);
const or = (a: ReactNode, b: ReactNode) => (
  <>
    {a} <span className="muted">/</span> {b}
  </>
);

const GROUPS: { title: string; items: [ReactNode, string][] }[] = [
  {
    title: 'Anywhere',
    items: [
      [or(combo('N'), combo(MOD, 'N')), `New incident${MOD === '⌘' ? '' : ' (a browser may keep Ctrl+N for itself)'}`],
      [combo(MOD, 'K'), 'Go to: an incident, a phase, an action or a command'],
      [combo('?'), 'This sheet'],
      [then(combo('g'), combo('i')), 'Go to incidents'],
      [then(combo('g'), combo('b')), 'Backups and restore'],
      [then(combo('g'), combo('s')), 'Search everything'],
      [then(combo('g'), combo('a')), 'Analytics'],
      [then(combo('g'), combo('f')), 'Follow-up backlog'],
      [combo('Esc'), 'Close dialog / revert an edit'],
    ],
  },
  {
    title: 'Incident list',
    items: [
      [combo('/'), 'Search'],
      [or(combo('↓'), combo('↑')), 'Move between incidents (also j / k)'],
      [combo('Enter'), 'Open the incident'],
    ],
  },
  {
    title: 'New-incident form',
    items: [
      [combo('Enter'), 'Create'],
      [or(combo('↓'), combo('↑')), 'Choose severity / failure class'],
      [combo('Esc'), 'Cancel'],
    ],
  },
  {
    title: 'Incident page',
    items: [
      [combo('T'), 'Focus the timeline quick-add'],
      [combo(MOD, 'Enter'), 'Add the timeline entry'],
      [combo(ALT, 'N'), 'Kind: note — A action, E evidence, D decision, C comms'],
      [combo('Enter'), 'Save a one-line field'],
      [combo(MOD, 'Enter'), 'Save a multi-line field (or just leave it)'],
    ],
  },
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testid="shortcut-sheet" wide>
      <div className="shortcut-grid">
        {GROUPS.map((g) => (
          <section key={g.title}>
            <h3 className="shortcut-group">{g.title}</h3>
            <dl className="shortcut-list">
              {g.items.map(([keys, what]) => (
                <div key={what} className="shortcut-row">
                  <dt>{keys}</dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => emit('backups')} data-testid="open-backups">
          Backups…
        </button>
      </div>
    </Dialog>
  );
}
