// Types shared by the generators (postmortem action items). Pure TypeScript.
import { z } from 'zod';
import { lazySchema } from '../lazy';

/** SRE-book action-item types: detective (find it sooner), preventative (stop it happening), corrective (fix what broke). */
export const ACTION_ITEM_TYPES = ['detective', 'preventative', 'corrective'] as const;
export type ActionItemType = (typeof ACTION_ITEM_TYPES)[number];
export const ACTION_ITEM_TYPE_LABELS: Record<ActionItemType, string> = {
  detective: 'Detective',
  preventative: 'Preventative',
  corrective: 'Corrective',
};

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];
export const ACTION_ITEM_STATUS_LABELS: Record<ActionItemStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
};

export interface ActionItem {
  id: number;
  title: string;
  /** Person or team; '' while unowned (the review gate wants every item owned). */
  owner: string;
  /** Calendar date YYYY-MM-DD, or null while undecided. */
  dueDate: string | null;
  type: ActionItemType;
  status: ActionItemStatus;
}

/** Input shape for creating / editing an action item (the service assigns the id). */
export const actionItemInput = lazySchema(() => z.strictObject({
  title: z.string().trim().min(1, { message: 'a title is required' }).max(500, { message: 'must be at most 500 characters' }),
  owner: z.string().max(200, { message: 'must be at most 200 characters' }).default(''),
  dueDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-12-01' })
    .refine((s) => {
      const t = Date.parse(`${s}T00:00:00Z`);
      return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
    }, { message: 'must be a real calendar date' })
    .nullable()
    .default(null),
  type: z.enum(ACTION_ITEM_TYPES, { message: `must be one of ${ACTION_ITEM_TYPES.join(', ')}` }),
  status: z.enum(ACTION_ITEM_STATUSES, { message: `must be one of ${ACTION_ITEM_STATUSES.join(', ')}` }).default('open'),
}));
export type ActionItemInput = z.input<typeof actionItemInput>;
