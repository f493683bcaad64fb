import type { z } from 'zod';
import { ApiError, type FieldIssue } from './errors';
import { schemas, type Channel, type ParsedInput } from './contract';
import { MAX_INPUT_DEPTH, tooDeep } from '../limits';

export function zodIssues(err: z.ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ field: i.path.map(String).join('.') || '(input)', message: i.message }));
}

/** Parse a call's input against its schema; a rejection names each field. */
export function parseInput<C extends Channel>(channel: C, input: unknown): ParsedInput<C> {
  const schema = schemas[channel];
  if (!schema) throw new ApiError('NOT_FOUND', `unknown call ${String(channel)}`);
  // Before zod walks it (recursively): input nested absurdly deep is refused, not a stack overflow.
  const deep = tooDeep(input, MAX_INPUT_DEPTH);
  if (deep) {
    throw new ApiError('VALIDATION', `Invalid ${channel} — ${deep}: nested deeper than ${MAX_INPUT_DEPTH} levels`, { issues: [{ field: deep, message: `nested deeper than ${MAX_INPUT_DEPTH} levels` }] });
  }
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = zodIssues(r.error);
    const first = issues[0];
    throw new ApiError('VALIDATION', `Invalid ${channel} — ${first.field}: ${first.message}`, { issues });
  }
  return r.data as ParsedInput<C>;
}

export function isChannel(s: string): s is Channel {
  return Object.prototype.hasOwnProperty.call(schemas, s);
}
