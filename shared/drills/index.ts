// Drills (issue 5): types, scoring, debrief, Markdown report, scenario-from-incident builder, solo session.
export * from './types';
export * from './scoring';
export * from './debrief';
export * from './report';
export * from './fromIncident';
export * from './session';
