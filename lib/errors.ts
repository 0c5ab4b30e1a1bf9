// Typed errors at the edge: each code maps to one HTTP status and a user-facing message.
export type AppErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable';

const STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
  too_large: 413,
  unavailable: 503,
};

export type FieldErrors = Record<string, string[] | undefined>;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fieldErrors?: FieldErrors;
  constructor(code: AppErrorCode, message: string, fieldErrors?: FieldErrors) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const forbidden = (what = 'You do not have permission to do that.') =>
  new AppError('forbidden', what);
export const notFound = (what = 'That was not found.') => new AppError('not_found', what);
export const invalid = (message: string, fieldErrors?: FieldErrors) =>
  new AppError('invalid', message, fieldErrors);
export const conflict = (message: string) => new AppError('conflict', message);

/** The state a form's server action returns. */
export interface ActionState {
  ok: boolean;
  /** Why it was refused (absent on success). */
  code?: AppErrorCode | 'internal';
  message?: string;
  fieldErrors?: FieldErrors;
  /** Free-form extra data for the form (e.g. a one-time link). */
  data?: Record<string, string | number | null>;
  /** A refusal's request id, as in the server's log (set by the action wrapper). */
  requestId?: string | null;
}

/** Turns any thrown error into a form state; unexpected errors are logged, never shown. */
export function toActionState(error: unknown): ActionState {
  if (error instanceof AppError) {
    return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  }
  console.error('[signpost] unexpected error', error);
  return { ok: false, code: 'internal', message: 'Something went wrong on our side; nothing was saved. Please try again.' };
}
