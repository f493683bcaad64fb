// Seed 001's communication templates, filled from the incident, with Copy.
import type { Incident } from '../../shared/domain';
import { initialIncidentReport, resolutionUpdate } from '../../shared/reports';
import { CopyButton, Section } from '../components/ui';

export function Templates({ inc }: { inc: Incident }) {
  const initial = initialIncidentReport(inc);
  const resolution = resolutionUpdate(inc);
  return (
    <Section title="Communication" testid="templates" className="templates">
      <div className="template" data-testid="template-initial">
        <div className="template-head">
          <h3>Initial incident report</h3>
          <CopyButton text={initial} what="initial incident report" testid="copy-initial" />
        </div>
        <pre className="template-body">{initial}</pre>
      </div>
      <div className="template" data-testid="template-resolution">
        <div className="template-head">
          <h3>Resolution update</h3>
          <CopyButton text={resolution} what="resolution update" testid="copy-resolution" />
        </div>
        <pre className="template-body">{resolution}</pre>
      </div>
    </Section>
  );
}
