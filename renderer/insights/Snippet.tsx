// A search snippet with its matches highlighted. The parts are plain text (shared/search.ts splits the
// server's markers); each becomes a React text node, so nothing in a note can become markup.
import type { SnippetPart } from '../../shared/search';

export function Snippet({ parts, className }: { parts: SnippetPart[]; className?: string }) {
  return (
    <span className={`snippet ${className ?? ''}`} data-testid="snippet">
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
