// Monaco's diff editor, read-only, loaded on first use (renderer/monaco/loader.ts). A change from the
// semantic summary can be revealed: the line is scrolled to the centre and highlighted on both sides.
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { loadMonaco, type Monaco } from '../monaco/loader';
import type * as M from 'monaco-editor/esm/vs/editor/editor.api';

export interface MonacoDiffHandle {
  /** 1-based lines; either may be missing. */
  reveal(lineBefore?: number, lineAfter?: number): void;
}

export function MonacoDiff({
  original,
  modified,
  language,
  sideBySide,
  dark,
  originalLabel,
  modifiedLabel,
  height,
  ref,
}: {
  original: string;
  modified: string;
  language: string;
  sideBySide: boolean;
  dark: boolean;
  originalLabel: string;
  modifiedLabel: string;
  /** CSS height; defaults to the stylesheet's. */
  height?: string;
  ref?: Ref<MonacoDiffHandle>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const editorRef = useRef<M.editor.IStandaloneDiffEditor | null>(null);
  const decos = useRef<{ o: M.editor.IEditorDecorationsCollection; m: M.editor.IEditorDecorationsCollection } | null>(null);
  const pending = useRef<[number | undefined, number | undefined] | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [loadError, setLoadError] = useState('');
  const [revealed, setRevealed] = useState<number | null>(null);

  const doReveal = (lb?: number, la?: number) => {
    const m = monacoRef.current;
    const ed = editorRef.current;
    if (!m || !ed || !decos.current) {
      pending.current = [lb, la];
      return;
    }
    const orig = ed.getOriginalEditor();
    const mod = ed.getModifiedEditor();
    const clampO = (n: number) => Math.min(Math.max(1, n), orig.getModel()?.getLineCount() ?? n);
    const clampM = (n: number) => Math.min(Math.max(1, n), mod.getModel()?.getLineCount() ?? n);
    // Only an original line (e.g. a removal): find where it sits in the modified text, so the inline
    // view (which shows the modified editor) scrolls to the right place too.
    const target = la ?? (lb ? mapToModified(ed, lb) : undefined);
    const whole = (line: number): M.editor.IModelDeltaDecoration => ({
      range: new m.Range(line, 1, line, 1),
      options: { isWholeLine: true, className: 'pmw-reveal-line', linesDecorationsClassName: 'pmw-reveal-gutter', overviewRuler: { color: '#e0a800', position: m.editor.OverviewRulerLane.Full } },
    });
    decos.current.o.set(lb ? [whole(clampO(lb))] : []);
    decos.current.m.set(la ? [whole(clampM(la))] : []);
    if (lb) orig.revealLineInCenter(clampO(lb), m.editor.ScrollType.Smooth);
    if (target) {
      const t = clampM(target);
      mod.revealLineInCenter(t, m.editor.ScrollType.Smooth);
      mod.setPosition({ lineNumber: t, column: 1 });
    }
    setRevealed(la ?? lb ?? null);
  };

  useImperativeHandle(ref, () => ({ reveal: doReveal }), []);

  // Create once; the texts are fixed for the life of this component (the parent keys it by pair).
  useEffect(() => {
    let disposed = false;
    let models: M.editor.ITextModel[] = [];
    loadMonaco().then(
      (m) => {
        if (disposed || !host.current) return;
        monacoRef.current = m;
        m.editor.setTheme(dark ? 'vs-dark' : 'vs');
        const ed = m.editor.createDiffEditor(host.current, {
          readOnly: true,
          originalEditable: false,
          automaticLayout: true,
          renderSideBySide: sideBySide,
          useInlineViewWhenSpaceIsLimited: false,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 12.5,
          lineHeight: 19,
          fontFamily: "ui-monospace, 'SF Mono', SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
          renderOverviewRuler: true,
          ignoreTrimWhitespace: false,
          originalAriaLabel: originalLabel,
          modifiedAriaLabel: modifiedLabel,
          scrollbar: { alwaysConsumeMouseWheel: false },
          contextmenu: false,
        });
        // The diff editor does not hand its aria labels to the two inner editors' input elements: set them there.
        ed.getOriginalEditor().updateOptions({ ariaLabel: originalLabel });
        ed.getModifiedEditor().updateOptions({ ariaLabel: modifiedLabel });
        const o = m.editor.createModel(original, language);
        const mo = m.editor.createModel(modified, language);
        models = [o, mo];
        ed.setModel({ original: o, modified: mo });
        editorRef.current = ed;
        decos.current = { o: ed.getOriginalEditor().createDecorationsCollection(), m: ed.getModifiedEditor().createDecorationsCollection() };
        setStatus('ready');
        const p = pending.current;
        pending.current = null;
        if (p) {
          // Wait for the first diff so a removal-only change can be mapped to the modified side.
          const once = ed.onDidUpdateDiff(() => {
            once.dispose();
            doReveal(p[0], p[1]);
          });
          doReveal(p[0], p[1]);
        }
      },
      (e) => {
        if (disposed) return;
        setStatus('error');
        setLoadError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      disposed = true;
      editorRef.current?.dispose();
      editorRef.current = null;
      decos.current = null;
      for (const mdl of models) mdl.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    editorRef.current?.updateOptions({ renderSideBySide: sideBySide });
  }, [sideBySide]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(dark ? 'vs-dark' : 'vs');
  }, [dark]);

  return (
    <div className="monaco-wrap" style={height ? { height, minHeight: 0 } : undefined} data-testid="monaco-diff" data-status={status} data-revealed-line={revealed ?? undefined}>
      {status === 'loading' && <div className="monaco-loading muted">Loading the diff editor…</div>}
      {status === 'error' && (
        <div className="monaco-loading" role="alert">
          The diff editor could not load: {loadError}
        </div>
      )}
      <div ref={host} className="monaco-host" />
    </div>
  );
}

/** Line of the modified text that corresponds to `line` of the original (from Monaco's computed diff). */
function mapToModified(ed: M.editor.IStandaloneDiffEditor, line: number): number {
  const changes = ed.getLineChanges();
  if (!changes) return line;
  let delta = 0;
  for (const c of changes) {
    const oStart = c.originalStartLineNumber;
    const oEnd = c.originalEndLineNumber || oStart;
    const mStart = c.modifiedStartLineNumber;
    const mEnd = c.modifiedEndLineNumber || mStart;
    if (oStart > line) break;
    if (line <= oEnd && c.originalEndLineNumber !== 0) return Math.max(1, c.modifiedEndLineNumber === 0 ? mStart : mStart);
    delta = mEnd - oEnd;
  }
  return Math.max(1, line + delta);
}
