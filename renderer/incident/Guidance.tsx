// First checks in pipeline order (commands as copyable code) and the tempting-wrong-action warning.
import type { FailureClass } from '../../shared/domain';
import { CopyButton, Section } from '../components/ui';
import { playbookFor, TROUBLESHOOTING_ORDER, type CheckStage } from '../lib/playbook';

const STAGES = Object.fromEntries(TROUBLESHOOTING_ORDER.map((s, i) => [s.stage, { ...s, n: i + 1 }]));

export function WrongActionCard({ cls, placement = 'side' }: { cls: FailureClass; placement?: 'side' | 'main' }) {
  const pb = playbookFor(cls);
  const w = pb.temptingWrongAction;
  return (
    <section
      className={`card warn-card warn-${placement}`}
      aria-labelledby={`wrong-title-${placement}`}
      data-testid={placement === 'side' ? 'wrong-action' : 'wrong-action-main'}
    >
      <header className="card-head">
        <h2 className="card-title" id={`wrong-title-${placement}`}>
          <span aria-hidden="true" className="warn-icon">
            !
          </span>{' '}
          Tempting, but wrong · {pb.label}
        </h2>
      </header>
      <div className="card-body">
        <p className="warn-action">{w.action}</p>
        <p className="warn-instead-line">
          <span className="warn-label">Do this instead:</span> {w.instead}
        </p>
        <details className="warn-why">
          <summary>Why it is wrong</summary>
          <p>{w.whyWrong}</p>
        </details>
      </div>
    </section>
  );
}

export function FirstChecks({ cls }: { cls: FailureClass }) {
  const pb = playbookFor(cls);
  let lastStage: CheckStage | null = null;
  return (
    <Section title={`First checks · ${pb.label}`} testid="first-checks" className="first-checks">
      <p className="muted small">In pipeline order: artifact → gates → endpoint → quality. Classify before changing anything.</p>
      <ol className="checks">
        {pb.firstChecks.map((c) => {
          const head = c.stage !== lastStage ? STAGES[c.stage] : null;
          lastStage = c.stage;
          return (
            <li key={c.id} className="check" data-testid={`first-check-${c.id}`}>
              {head && (
                <div className={`stage stage-${c.stage}`} title={head.question}>
                  {head.n}. {head.label}?
                </div>
              )}
              <div className="check-title">{c.title}</div>
              <div className="check-detail">{c.detail}</div>
              {c.commands && c.commands.length > 0 && (
                <div className="cmds">
                  {c.commands.map((cmd, i) => (
                    <div className="cmd" key={i}>
                      <code>{cmd}</code>
                      <CopyButton text={cmd} what="command" />
                    </div>
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}
