// Keyboard-first new-incident form: Enter creates, Esc cancels (and drops the draft), arrows choose
// severity / class. Severity and class are never preselected: creating needs a deliberate choice of
// both, so stray typing cannot open an incident. The draft survives a reload. Validation comes from the
// API (details.issues) and is shown beside each field; the two choices are checked here first.
import { useMemo, useRef, useState } from 'react';
import type { Input } from '../../shared/api/contract';
import { ApiError, fieldError } from '../../shared/api/errors';
import {
  FAILURE_CLASSES, FAILURE_CLASS_LABELS, SEVERITIES, SEVERITY_LABELS,
  type FailureClass, type Incident, type Severity,
} from '../../shared/domain';
import { api } from '../data/api';
import { Dialog } from '../components/Dialog';
import { Field, Kbd } from '../components/ui';
import { playbookFor } from '../lib/playbook';
import { fromLocalInput, toLocalInput } from '../lib/time';
import { useToast } from '../lib/toast';
import { useDraft } from '../lib/draft';

const DRAFT = 'new-incident';

/** First clause of the playbook description: one line per class in the picker (full text in the tooltip). */
function classDescription(c: FailureClass): { short: string; full: string } {
  try {
    const full = playbookFor(c).description;
    const cut = full.search(/(: |\. )/);
    const short = (cut > 0 ? full.slice(0, cut) : full.replace(/\.$/, '')).replace(/\s*\([^)]*\)/g, '');
    return { short, full };
  } catch {
    return { short: '', full: '' };
  }
}

export function NewIncidentDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (inc: Incident) => void }) {
  const toast = useToast();
  const [title, setTitle, clearTitle] = useDraft(`${DRAFT}.title`, '');
  const [severity, setSeverity, clearSeverity] = useDraft<Severity | ''>(`${DRAFT}.severity`, '');
  const [cls, setCls, clearCls] = useDraft<FailureClass | ''>(`${DRAFT}.class`, '');
  const [service, setService, clearService] = useDraft(`${DRAFT}.service`, '');
  const [impact, setImpact, clearImpact] = useDraft(`${DRAFT}.impact`, '');
  const [detectedAt, setDetectedAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [startedAt, setStartedAt, clearStarted] = useDraft(`${DRAFT}.startedAt`, '');
  const [isDrill, setIsDrill, clearDrill] = useDraft(`${DRAFT}.drill`, false);
  const forget = () => [clearTitle, clearSeverity, clearCls, clearService, clearImpact, clearStarted, clearDrill].forEach((c) => c());
  const cancel = () => {
    forget();
    onClose();
  };
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const descriptions = useMemo(() => Object.fromEntries(FAILURE_CLASSES.map((c) => [c, classDescription(c)])), []);

  async function submit() {
    if (busy) return;
    setErr(null);
    if (!severity || !cls) {
      // Checked here so the message says what to do; the API would refuse it too.
      const issues = [
        ...(!title.trim() ? [{ field: 'title', message: 'a title is required' }] : []),
        ...(!severity ? [{ field: 'severity', message: 'choose a severity — it decides who is paged and how often stakeholders hear from you' }] : []),
        ...(!cls ? [{ field: 'failureClass', message: 'choose a failure class — it picks the checklist, the first checks and the warning' }] : []),
      ];
      const ae = new ApiError('VALIDATION', `Choose ${issues.map((i) => i.field === 'failureClass' ? 'a failure class' : i.field === 'severity' ? 'a severity' : 'a title').join(' and ')}`, { issues });
      setErr(ae);
      formRef.current?.querySelector<HTMLElement>(`[data-field="${issues[0].field}"]`)?.focus();
      return;
    }
    setBusy(true);
    const input: Input<'incident:create'> = { title, severity, failureClass: cls };
    if (service.trim()) input.service = service.trim();
    if (impact.trim()) input.impact = impact.trim();
    const d = fromLocalInput(detectedAt);
    if (d) input.detectedAt = d;
    const s = fromLocalInput(startedAt);
    if (s) input.startedAt = s;
    if (isDrill) input.isDrill = true;
    try {
      const inc = await api.call('incident:create', input);
      forget();
      toast({ message: `${inc.key} created — acknowledge it: name a commander and confirm the impact`, tone: 'success' });
      onCreated(inc);
    } catch (e) {
      const ae = ApiError.from(e);
      setErr(ae);
      setBusy(false);
      // Put the cursor where the problem is.
      const first = ae.details?.issues?.[0]?.field;
      const el = first ? formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`) : null;
      (el ?? formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]'))?.focus();
    }
  }

  const fe = (f: string) => fieldError(err, f);
  const known = ['title', 'severity', 'failureClass', 'service', 'impact', 'detectedAt', 'startedAt', 'isDrill'];
  const formLevel = err && !(err.details?.issues ?? []).some((i) => known.includes(i.field)) ? err.message : null;

  return (
    <Dialog title="New incident" onClose={cancel} testid="new-incident-dialog" wide initialFocus="#ni-title">
      <form
        ref={formRef}
        className="form new-incident"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={(e) => {
          const t = e.target as HTMLElement;
          if (e.key === 'Enter' && !e.shiftKey && t.tagName !== 'BUTTON' && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        {formLevel && (
          <div className="banner banner-error" role="alert" data-testid="form-error">
            {formLevel}
          </div>
        )}
        <Field label="Title" htmlFor="ni-title" error={fe('title')} testid="field-title">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              data-field="title"
              type="text"
              autoComplete="off"
              value={title}
              placeholder="What is broken, in one line — e.g. Fraud model accuracy dropped from 95% to 78%"
              onChange={(e) => setTitle(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              aria-required="true"
              className="input-large"
            />
          )}
        </Field>

        <fieldset className="field" aria-describedby={fe('severity') ? 'ni-sev-err' : undefined}>
          <legend className="field-label">Severity</legend>
          <div className="choice-row" role="radiogroup" aria-label="Severity">
            {SEVERITIES.map((s) => {
              const [word, rest] = SEVERITY_LABELS[s].split(' — ');
              return (
                <label key={s} className={`choice sev-choice sev-${s.toLowerCase()} ${severity === s ? 'checked' : ''}`} title={SEVERITY_LABELS[s]}>
                  <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => setSeverity(s)} data-field="severity" />
                  <span className="choice-title">
                    {s} <span className="choice-word">{word}</span>
                  </span>
                  <span className="choice-desc">{rest}</span>
                </label>
              );
            })}
          </div>
          {fe('severity') && (
            <div className="field-error" id="ni-sev-err" role="alert">
              {fe('severity')}
            </div>
          )}
        </fieldset>

        <fieldset className="field" aria-describedby={fe('failureClass') ? 'ni-cls-err' : undefined}>
          <legend className="field-label">
            Failure class <span className="muted field-label-note">— in pipeline order; classify before changing anything</span>
          </legend>
          <div className="choice-list" role="radiogroup" aria-label="Failure class">
            {FAILURE_CLASSES.map((c) => (
              <label key={c} className={`choice cls-choice ${cls === c ? 'checked' : ''}`} title={descriptions[c].full}>
                <input type="radio" name="failureClass" value={c} checked={cls === c} onChange={() => setCls(c)} data-field="failureClass" />
                <span className="choice-title">{FAILURE_CLASS_LABELS[c]}</span>
                <span className="choice-desc">{descriptions[c].short}</span>
              </label>
            ))}
          </div>
          {fe('failureClass') && (
            <div className="field-error" id="ni-cls-err" role="alert">
              {fe('failureClass')}
            </div>
          )}
        </fieldset>

        <div className="form-row">
          <Field label="Service / affected system" htmlFor="ni-service" error={fe('service')} testid="field-service">
            {({ id, describedBy, invalid }) => (
              <input id={id} data-field="service" type="text" autoComplete="off" placeholder="e.g. fraud-scoring-api" value={service} onChange={(e) => setService(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
            )}
          </Field>
          <Field label="Detected at (local time)" htmlFor="ni-detected" error={fe('detectedAt')} testid="field-detected">
            {({ id, describedBy, invalid }) => (
              <input id={id} data-field="detectedAt" type="datetime-local" step={1} value={detectedAt} onChange={(e) => setDetectedAt(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
            )}
          </Field>
          <Field label="Start of impact (optional)" htmlFor="ni-started" error={fe('startedAt')} hint="If known — gives time to detect" testid="field-started">
            {({ id, describedBy, invalid }) => (
              <input id={id} data-field="startedAt" type="datetime-local" step={1} value={startedAt} onChange={(e) => setStartedAt(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
            )}
          </Field>
        </div>

        <Field label="Impact (optional)" htmlFor="ni-impact" error={fe('impact')} testid="field-impact">
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              data-field="impact"
              rows={2}
              value={impact}
              placeholder="Who or what is affected, and how badly (Shift+Enter for a new line)"
              onChange={(e) => setImpact(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>

        <div className="form-actions">
          <label className="check-inline drill-check">
            <input type="checkbox" checked={isDrill} onChange={(e) => setIsDrill(e.target.checked)} /> Drill
            <span className="muted">(kept out of real analytics)</span>
          </label>
          <span className="muted">
            <Kbd>Enter</Kbd> create · <Kbd>Esc</Kbd> cancel
          </span>
          <button type="button" className="btn" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-incident">
            {busy ? 'Creating…' : 'Create incident'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
