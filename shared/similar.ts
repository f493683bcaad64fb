// "Seen before": an incident that shares ML-meaningful changes with the one at hand (issue 12).
import type { FailureClass, IncidentStatus, RootCauseOrigin } from './domain';

export interface SimilarIncident {
  key: string;
  title: string;
  /** Sum of the shared fingerprints' rarity (IDF) plus class, origin and service bonuses. */
  score: number;
  /** For a person: "same numpy 1.x→2.x and pandas 1.x→2.x changes", "root cause dependency", "runbook ‘pin numpy’". */
  reasons: string[];
  /** The shared fingerprints, e.g. dep:numpy:major-up. */
  shared: string[];
  failureClass: FailureClass;
  rootCauseOrigin: RootCauseOrigin | null;
  service: string;
  phase: IncidentStatus;
  detectedAt: string;
  /** That incident's documents, when written (open them with doc:get on its key). */
  links: { postmortem?: { title: string }; runbook?: { title: string } };
}
