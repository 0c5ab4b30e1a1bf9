import type { ActionState } from '@/lib/errors';

/** The result line under a form: an error names the problem; success is confirmed. */
export function FormMessage({ state, success }: { state: ActionState; success?: string }) {
  if (state.message && !state.ok) {
    return (
      <p className="error" role="alert">
        {state.message}
        {/* Worth quoting in a report when the fault was ours, not the form's. */}
        {state.requestId && (state.code === 'internal' || state.code === 'unavailable') && (
          <span className="request-id"> Request id: {state.requestId}</span>
        )}
      </p>
    );
  }
  if (state.ok && (state.message || success)) {
    return (
      <p className="success" role="status">
        {state.message ?? success}
      </p>
    );
  }
  return null;
}

export function FieldError({ state, name }: { state: ActionState; name: string }) {
  const errors = state.fieldErrors?.[name];
  if (!errors?.length) return null;
  return <p className="field-error">{errors[0]}</p>;
}
