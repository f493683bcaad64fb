// The incident page's entry to the postmortem workspace. The workspace (and the generator parameter
// checks it brings along) is a chunk of its own, fetched when an incident opens, not with the list.
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary';
import type { IncidentCtx } from '../incident/ctx';

const Workspace = lazy(() => import('./Workspace'));

export function PostmortemSection({ ctx }: { ctx: IncidentCtx }) {
  return (
    <ErrorBoundary
      fallback={(error) => (
        <section className="card pm-workspace" data-testid="postmortem-workspace">
          <div className="card-body banner-error" role="alert">
            The findings and postmortem panel could not load: {error}{' '}
            <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        </section>
      )}
    >
      <Suspense
        fallback={
          <section className={`card pm-workspace ${ctx.inc.phase === 'investigate' || ctx.inc.phase === 'review' ? 'is-top' : ''}`} aria-busy="true">
            <div className="card-body muted">Loading findings and postmortem…</div>
          </section>
        }
      >
        <Workspace ctx={ctx} />
      </Suspense>
    </ErrorBoundary>
  );
}
