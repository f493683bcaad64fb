// The incident page's entry to the postmortem workspace. The workspace (and the generator parameter
// checks it brings along) is a chunk of its own, fetched when an incident opens, not with the list.
import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { IncidentCtx } from '../incident/IncidentPage';

const Workspace = lazy(() => import('./Workspace'));

class Boundary extends Component<{ children: ReactNode }, { error: string | null }> {
  state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  render() {
    if (this.state.error) {
      return (
        <section className="card pm-workspace" data-testid="postmortem-workspace">
          <div className="card-body banner-error" role="alert">
            The findings and postmortem panel could not load: {this.state.error}{' '}
            <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        </section>
      );
    }
    return this.props.children;
  }
}

export function PostmortemSection({ ctx }: { ctx: IncidentCtx }) {
  return (
    <Boundary>
      <Suspense
        fallback={
          <section className={`card pm-workspace ${ctx.inc.phase === 'investigate' || ctx.inc.phase === 'review' ? 'is-top' : ''}`} aria-busy="true">
            <div className="card-body muted">Loading findings and postmortem…</div>
          </section>
        }
      >
        <Workspace ctx={ctx} />
      </Suspense>
    </Boundary>
  );
}
