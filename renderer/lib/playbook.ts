// The renderer's view of the playbook content (shared/playbook is the one place it is edited).
export { playbookFor, checklistFor, TROUBLESHOOTING_ORDER, STAGE_LABELS } from '../../shared/playbook';
export type { ClassPlaybook, FirstCheck, ChecklistItem, CheckStage, TemptingWrongAction } from '../../shared/playbook/types';
