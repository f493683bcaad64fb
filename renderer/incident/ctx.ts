// What the incident page hands its panels (and the drill runner builds for the drill incident). Its own
// module so panels import the type without importing the page that renders them.
import type { Channel, Input } from '../../shared/api/contract';
import type { Incident } from '../../shared/domain';

export type IncidentChannel = 'incident:update' | 'incident:advance' | 'incident:setRole' | 'incident:check' | 'incident:reopen';

export interface IncidentCtx {
  inc: Incident;
  readOnly: boolean;
  /** Call an API that returns the updated incident and take it as the new state. Throws ApiError. */
  mutate: <C extends IncidentChannel>(channel: C, input: Omit<Input<C>, 'key'>) => Promise<Incident>;
  /** Re-read the incident (after timeline calls, which return an event). */
  refresh: () => Promise<void>;
  /** Run any call; errors without a field go to a toast. */
  call: <C extends Channel>(channel: C, input: Input<C>) => Promise<unknown>;
}
