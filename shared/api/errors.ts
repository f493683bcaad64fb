// Errors cross every host (IPC, HTTP, CLI) in one shape.
export type ApiErrorCode =
  | 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'GATE' | 'UNAUTHORIZED' | 'TOO_LARGE' | 'CANCELLED' | 'INTERNAL'
  /** The database stayed locked by another writer past the retry budget: nothing changed, try again (HTTP 503). */
  | 'BUSY'
  /** The file at the database path is empty, not SQLite, or damaged; details name it and a backup. */
  | 'CORRUPT'
  /** An export would write an unmasked secret (details.secrets: file, line, rule). */
  | 'SECRET_DETECTED';

/** The details of a SECRET_DETECTED refusal: every unmasked secret in the files an export would write. */
export interface SecretHitDetail {
  file: string;
  line: number;
  rule: string;
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "title" or "patch.severity". */
  field: string;
  message: string;
}

export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
  details?: { issues?: FieldIssue[]; [k: string]: unknown };
}

export class ApiError extends Error implements ApiErrorShape {
  constructor(
    public code: ApiErrorCode,
    message: string,
    public details?: ApiErrorShape['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
  static from(e: unknown): ApiError {
    if (e instanceof ApiError) return e;
    if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as ApiErrorShape).message === 'string') {
      const s = e as ApiErrorShape;
      return new ApiError(s.code, s.message, s.details);
    }
    return new ApiError('INTERNAL', e instanceof Error ? e.message : String(e));
  }
}

export function isApiErrorShape(x: unknown): x is ApiErrorShape {
  return !!x && typeof x === 'object' && typeof (x as ApiErrorShape).code === 'string' && typeof (x as ApiErrorShape).message === 'string';
}

/** Find the message for one field among the issues of an error (for showing it beside the field). */
export function fieldError(err: ApiErrorShape | null | undefined, field: string): string | undefined {
  return err?.details?.issues?.find((i) => i.field === field || i.field.endsWith(`.${field}`))?.message;
}
