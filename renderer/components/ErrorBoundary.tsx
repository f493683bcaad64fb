// A render error shows what broke and how to get back, instead of a blank window. `resetKey` (the
// route) clears it when the user moves on; `fallback` lets a panel show a smaller message in place.
import { Component, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  resetKey?: string;
  /** Name of what failed, for the message ("this screen", "the findings panel"). */
  what?: string;
  fallback?: (message: string, retry: () => void) => ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: string | null; key: string | undefined }> {
  state = { error: null as string | null, key: this.props.resetKey };

  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }

  static getDerivedStateFromProps(p: Props, s: { error: string | null; key: string | undefined }) {
    return p.resetKey !== s.key ? { error: null, key: p.resetKey } : null;
  }

  componentDidCatch(e: unknown) {
    console.error(e);
  }

  private retry = () => this.setState({ error: null });

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (this.props.fallback) return this.props.fallback(error, this.retry);
    return (
      <div className="page">
        <div className="empty-small" role="alert" data-testid="error-boundary">
          <h1 className="page-title">Something went wrong on {this.props.what ?? 'this screen'}</h1>
          <p>
            <code>{error}</code>
          </p>
          <p className="muted">Nothing you saved is lost: every change is stored as you make it.</p>
          <div className="empty-actions">
            <button type="button" className="btn btn-primary" onClick={this.retry}>
              Try again
            </button>
            <button type="button" className="btn" onClick={() => window.location.reload()}>
              Reload the window
            </button>
            <a className="btn btn-ghost" href="#/">
              ← Incidents
            </a>
          </div>
        </div>
      </div>
    );
  }
}
