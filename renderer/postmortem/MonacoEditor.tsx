// A plain Monaco editor (not a diff), loaded on first use through renderer/monaco/loader.ts. Editable
// (the postmortem / runbook) or read-only (generated files). An editable editor owns its text: `value`
// is pushed into it only when `revision` changes (a regenerate, an accepted section), as one undoable
// edit — never because of a re-render, which could lag behind fast typing and drop keystrokes.
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { loadMonaco, type Monaco } from '../monaco/loader';
import type * as M from 'monaco-editor/esm/vs/editor/editor.api';

export interface MonacoEditorHandle {
  focus(): void;
  /** The editor's current text (may be ahead of the last onChange the parent saw). */
  getValue(): string | null;
}

export function MonacoEditor({
  value,
  language,
  dark,
  readOnly,
  onChange,
  onBlur,
  ariaLabel,
  testid,
  height,
  revision = 0,
  ref,
}: {
  value: string;
  language: string;
  dark: boolean;
  readOnly?: boolean;
  onChange?: (text: string) => void;
  onBlur?: () => void;
  ariaLabel: string;
  testid?: string;
  /** CSS height; defaults to the stylesheet's. */
  height?: string;
  /** Editable editors: bump it to replace the text with `value` (changes made outside the editor). */
  revision?: number;
  ref?: Ref<MonacoEditorHandle>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const editorRef = useRef<M.editor.IStandaloneCodeEditor | null>(null);
  const lastText = useRef(value);
  const onChangeRef = useRef(onChange);
  const onBlurRef = useRef(onBlur);
  onChangeRef.current = onChange;
  onBlurRef.current = onBlur;
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [loadError, setLoadError] = useState('');

  useImperativeHandle(ref, () => ({
    focus: () => editorRef.current?.focus(),
    getValue: () => editorRef.current?.getValue() ?? null,
  }), []);

  useEffect(() => {
    let disposed = false;
    let model: M.editor.ITextModel | null = null;
    const subs: M.IDisposable[] = [];
    loadMonaco().then(
      (m) => {
        if (disposed || !host.current) return;
        monacoRef.current = m;
        m.editor.setTheme(dark ? 'vs-dark' : 'vs');
        model = m.editor.createModel(lastText.current, language);
        model.setEOL(m.editor.EndOfLineSequence.LF);
        const ed = m.editor.create(host.current, {
          model,
          readOnly: !!readOnly,
          domReadOnly: !!readOnly,
          automaticLayout: true,
          minimap: { enabled: false },
          wordWrap: language === 'markdown' ? 'on' : 'off',
          scrollBeyondLastLine: false,
          fontSize: 13,
          lineHeight: 20,
          fontFamily: "ui-monospace, 'SF Mono', SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
          lineNumbersMinChars: 3,
          renderLineHighlight: readOnly ? 'none' : 'line',
          ariaLabel,
          scrollbar: { alwaysConsumeMouseWheel: false },
          contextmenu: false,
          tabSize: language === 'python' ? 4 : 2,
          insertSpaces: true,
          unicodeHighlight: { ambiguousCharacters: false },
          quickSuggestions: false,
          suggestOnTriggerCharacters: false,
          wordBasedSuggestions: 'off',
          padding: { top: 6 },
        });
        editorRef.current = ed;
        subs.push(
          model.onDidChangeContent(() => {
            const t = model!.getValue();
            if (t === lastText.current) return;
            lastText.current = t;
            onChangeRef.current?.(t);
          }),
          ed.onDidBlurEditorText(() => onBlurRef.current?.()),
        );
        setStatus('ready');
      },
      (e) => {
        if (disposed) return;
        setStatus('error');
        setLoadError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      disposed = true;
      for (const s of subs) s.dispose();
      editorRef.current?.dispose();
      editorRef.current = null;
      model?.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Text from outside: any new value when read-only; in an editable editor only with a new revision.
  const appliedRevision = useRef(revision);
  const latestValue = useRef(value);
  latestValue.current = value;
  useEffect(() => {
    if (!readOnly && revision === appliedRevision.current) return;
    appliedRevision.current = revision;
    const next = latestValue.current;
    const ed = editorRef.current;
    const model = ed?.getModel();
    if (!ed || !model) {
      lastText.current = next; // the editor, once created, starts from it
      return;
    }
    if (model.getValue() === next) return;
    lastText.current = next;
    if (readOnly) model.setValue(next);
    else {
      ed.pushUndoStop();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: next }], () => null);
      ed.pushUndoStop();
    }
  }, [value, readOnly, revision]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(dark ? 'vs-dark' : 'vs');
  }, [dark]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && monacoRef.current && model.getLanguageId() !== language) monacoRef.current.editor.setModelLanguage(model, language);
  }, [language]);

  return (
    <div
      className="monaco-wrap pm-editor"
      style={height ? { height, minHeight: 0 } : undefined}
      data-testid={testid}
      data-status={status}
      // Monaco's input (an EditContext element, not a textarea) is not recognised as a text field by the
      // app's single-key shortcuts (t, n, /, ?, g i): keep plain keys typed here away from them.
      onKeyDown={(e) => {
        if (!e.ctrlKey && !e.metaKey && !e.altKey && e.key !== 'Escape') e.stopPropagation();
      }}
    >
      {status === 'loading' && <div className="monaco-loading muted">Loading the editor…</div>}
      {status === 'error' && (
        <div className="monaco-loading" role="alert">
          The editor could not load: {loadError}
        </div>
      )}
      <div ref={host} className="monaco-host" />
    </div>
  );
}
