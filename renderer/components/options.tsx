// The option lists of the failure-class and root-cause-origin selects, in one place.
import { FAILURE_CLASSES, FAILURE_CLASS_LABELS, ROOT_CAUSE_ORIGINS } from '../../shared/domain';

export function FailureClassOptions() {
  return (
    <>
      {FAILURE_CLASSES.map((c) => (
        <option key={c} value={c}>
          {FAILURE_CLASS_LABELS[c]}
        </option>
      ))}
    </>
  );
}

export function OriginOptions() {
  return (
    <>
      {ROOT_CAUSE_ORIGINS.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </>
  );
}
